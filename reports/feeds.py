"""Atom feeds of published and retracted reports, newest first: one for everything, one per
site, so that people can follow a site. A retraction is an entry of its own (saying only that
the report was withdrawn, when and why), never a silent disappearance."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from reports.models import DamageReport
from reports.pages import occurred_local
from reports.vocabularies import Extent, Status
from sites.models import HeritageSite, name_in

FEED_SIZE = 50


class ReportsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str | None = None) -> HeritageSite | None:
        return get_object_or_404(HeritageSite, slug=slug) if slug else None

    def title(self, site: HeritageSite | None) -> str:
        if site is None:
            return _("Heritage damage reports")
        name = name_in(translation.get_language() or "", site.name, site.other_names.all())
        return _("Heritage damage reports: %(site)s") % {"site": name}

    def link(self, site: HeritageSite | None) -> str:
        return reverse("pages:site", args=[site.slug]) if site else reverse("pages:home")

    def subtitle(self, site: HeritageSite | None) -> str:
        return _("Published and retracted damage reports, each backed by quoted sources.")

    def items(self, site: HeritageSite | None) -> QuerySet[DamageReport]:
        retracted = DamageReport.objects.retracted_from_public()
        reports = (
            (DamageReport.objects.public() | retracted)
            .select_related("site", "monument")
            .prefetch_related("site__other_names", "monument__alternative_names")
        )
        if site is not None:
            reports = reports.filter(site=site)
        # Newest public change first: a publication, or a retraction (report_public_change_idx).
        # (Every public report has a published_at; saying so lets the partial index serve.)
        changed_at = Coalesce("retracted_at", "published_at")
        newest = reports.filter(published_at__isnull=False).annotate(changed_at=changed_at)
        return newest.order_by("-changed_at", "-pk")[:FEED_SIZE]

    def item_title(self, report: DamageReport) -> str:
        language = translation.get_language() or ""
        if report.monument:
            place = name_in(
                language, report.monument.name, report.monument.alternative_names.all()
            )
        else:
            place = name_in(language, report.site.name, report.site.other_names.all())
        if report.status == Status.RETRACTED:
            return _("Retracted: report %(id)s on %(place)s") % {"id": report.pk, "place": place}
        occurred = occurred_local(report.event_date)
        return f"{place}: {Extent(report.extent).label} ({occurred})"

    def item_description(self, report: DamageReport) -> str:
        if report.status == Status.RETRACTED:
            return _("This report was retracted by the curators: %(reason)s") % {
                "reason": report.retraction_reason
            }
        return report.summary

    def item_link(self, report: DamageReport) -> str:
        return reverse("pages:report", args=[report.pk])

    def item_guid(self, report: DamageReport) -> str:
        # A permanent IRI (RFC 4287: a tag URI, RFC 4151), the same whatever host, scheme or
        # language the feed is read in; one per report and state: a retraction is news too.
        return f"tag:heritage-damage-tracker,2026:report-{report.pk}-{report.status}"

    def item_pubdate(self, report: DamageReport) -> datetime.datetime | None:
        return report.published_at

    def item_updateddate(self, report: DamageReport) -> datetime.datetime:
        # What the public saw change: its publication, or its retraction. A curator's note
        # on either moves neither.
        return report.retracted_at or report.published_at or report.updated_at
