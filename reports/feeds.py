"""Atom feeds of published and retracted reports, newest first: one for everything, one per
site, so that people can follow a site. A retraction is an entry of its own (saying only that
the report was withdrawn, when and why), never a silent disappearance."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from reports.models import DamageReport, public_reports
from reports.vocabularies import Extent, Status
from sites.models import HeritageSite

FEED_SIZE = 50


class ReportsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str | None = None) -> HeritageSite | None:
        return get_object_or_404(HeritageSite, slug=slug) if slug else None

    def title(self, site: HeritageSite | None) -> str:
        if site is None:
            return _("Heritage damage reports")
        return _("Heritage damage reports: %(site)s") % {"site": site.name}

    def link(self, site: HeritageSite | None) -> str:
        return reverse("pages:site", args=[site.slug]) if site else reverse("pages:home")

    def subtitle(self, site: HeritageSite | None) -> str:
        return _("Published and retracted damage reports, each backed by quoted sources.")

    def items(self, site: HeritageSite | None) -> QuerySet[DamageReport]:
        seen = public_reports() | Q(status=Status.RETRACTED, published_at__isnull=False)
        reports = DamageReport.objects.filter(seen).select_related("site", "monument")
        if site is not None:
            reports = reports.filter(site=site)
        return reports.order_by("-updated_at", "-pk")[:FEED_SIZE]

    def item_title(self, report: DamageReport) -> str:
        place = report.monument.name if report.monument else report.site.name
        if report.status == Status.RETRACTED:
            return _("Retracted: report %(id)s on %(place)s") % {"id": report.pk, "place": place}
        return f"{place}: {Extent(report.extent).label} ({report.occurred_display})"

    def item_description(self, report: DamageReport) -> str:
        if report.status == Status.RETRACTED:
            return _("This report was retracted by the curators: %(reason)s") % {
                "reason": report.retraction_reason
            }
        return report.summary

    def item_link(self, report: DamageReport) -> str:
        return reverse("pages:report", args=[report.pk])

    def item_guid(self, report: DamageReport) -> str:
        # One entry per report and state: a retraction is news of its own.
        return f"report-{report.pk}-{report.status}"

    def item_pubdate(self, report: DamageReport) -> datetime.datetime | None:
        return report.published_at

    def item_updateddate(self, report: DamageReport) -> datetime.datetime:
        return report.updated_at
