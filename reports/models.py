"""Source articles, dated damage reports, and the citations (quotes) that tie them together."""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, router, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import MD5, Cast, Coalesce, Concat, Lower, NullIf, RowNumber, Trim
from django.db.models.query import BaseIterable
from django.utils import timezone
from simple_history.models import HistoricalRecords

from reports.archives import ARCHIVE_URL_HELP, read_archive_url, same_address
from reports.event_dates import EventDate, truncate
from reports.text import locate_quote, normalize_url, text_sha256
from reports.vocabularies import (
    AssessmentBasis,
    Certainty,
    DamageType,
    DatePrecision,
    Extent,
    Stance,
    Status,
)
from sites.models import AlternativeName, HeritageSite, Monument, language_validator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# Of a source article's address (also checked when an article is read from a saved page).
URL_MAX_LENGTH = 2000


class SourceArticleQuerySet(models.QuerySet["SourceArticle"]):
    def public(self) -> SourceArticleQuerySet:
        """Articles the public may see: those cited by at least one published report. An article
        only drafts cite would reveal work in progress."""
        return self.filter(Exists(Citation.objects.public().filter(article=OuterRef("pk"))))


class SourceArticle(models.Model):
    """A published text (news article, report, statement) that damage reports quote."""

    url = models.URLField(
        "URL",
        max_length=URL_MAX_LENGTH,
        blank=True,
        help_text="Where the article was published. Tracking parameters (utm_…) and #anchors "
        "are removed, so the same article is not recorded twice.",
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=255, blank=True, help_text="E.g. Reuters, ASOR.")
    author = models.CharField(max_length=255, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(
        max_length=16, default="en", validators=[language_validator], help_text="E.g. en, ar."
    )
    text = models.TextField(
        "full text",
        blank=True,
        help_text="The article's text. When present, every quote citing the article "
        "must be found in it.",
    )
    text_sha256 = models.CharField(
        "text SHA-256",
        max_length=64,
        blank=True,
        editable=False,
        help_text="Fingerprint of the normalised text, to spot the same article saved twice.",
    )
    retrieved_at = models.DateTimeField(
        null=True, blank=True, help_text="When the text was copied from its source."
    )
    archive_url = models.URLField(
        "archived copy",
        max_length=URL_MAX_LENGTH,
        blank=True,
        help_text="Where a web archive keeps a copy, should the page change or vanish: "
        + ARCHIVE_URL_HELP,
    )
    archived_at = models.DateTimeField(
        "archived at",
        null=True,
        blank=True,
        help_text="When the archived copy was made. Read from a Wayback (Memento) address "
        "when left empty.",
    )
    republished_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="republications",
        verbose_name="republished from",
        help_text="The original story when this is a reprint of it (an agency story carried "
        "by another outlet): both then count as one source, not two.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceArticleQuerySet.as_manager()
    history = HistoricalRecords()

    # Set by the pre_save signal (reports.signals), never columns.
    _public_change: bool
    _report_changes: list[tuple[int | None, str]]
    citation_total: int  # annotated by the admin's list

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            # One record per article: the normalised URL and the text fingerprint are unique
            # when known (an article typed from print has no URL).
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="reports_sourcearticle_unique_url",
                violation_error_message="An article with this URL is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["text_sha256"],
                condition=~Q(text_sha256=""),
                name="reports_sourcearticle_unique_text",
                violation_error_message="An article with exactly this text is already recorded.",
            ),
            models.CheckConstraint(
                condition=~Q(republished_from=F("pk")),
                name="reports_sourcearticle_not_republished_from_itself",
                violation_error_message="An article cannot be a reprint of itself.",
            ),
        ]
        indexes = [
            # Admin date hierarchy and API ordering by publication date.
            models.Index(fields=["published_on"], name="article_published_on_idx"),
            # The curators' to-do list: sources of published reports with no archived copy.
            models.Index(
                fields=["id"], name="article_not_archived_idx", condition=Q(archive_url="")
            ),
        ]

    def __str__(self) -> str:
        suffix = ", ".join(str(part) for part in (self.publisher, self.published_on) if part)
        return f"{self.title} ({suffix})" if suffix else self.title

    def save(self, *args, **kwargs) -> None:
        self.url = normalize_url(self.url)
        self.text_sha256 = text_sha256(self.text)
        self._read_archive_url()
        super().save(*args, **kwargs)

    def _read_archive_url(self) -> str | None:
        """Fill in `archived_at` from a Memento address; why the address is refused, if it
        is (not an archive's, or a copy of another page)."""
        self.archive_url = normalize_url(self.archive_url)
        if not self.archive_url:
            return None
        try:
            copy = read_archive_url(self.archive_url)
        except ValueError as error:
            return str(error)
        if copy.original and self.url and not same_address(copy.original, self.url):
            return (
                f"This archived copy is of another page ({copy.original}), not of the "
                "article's URL."
            )
        if self.archived_at is None:
            self.archived_at = copy.captured_at
        return None

    def clean(self) -> None:
        # Normalise before the uniqueness checks run, so duplicates are caught in the form.
        self.url = normalize_url(self.url)
        self.text_sha256 = text_sha256(self.text)
        errors: dict[str, str] = {}
        if message := future_date_error(self.published_on, "An article"):
            errors["published_on"] = message
        if message := self._read_archive_url():
            errors["archive_url"] = message
        if message := self._republication_error():
            errors["republished_from"] = message
        if self.pk is not None and self.text.strip():
            # Every quote of a report must stay findable in the text it cites.
            lost = [
                citation
                for citation in self.citations.select_related("report__site", "report__monument")
                if locate_quote(citation.quote, self.text) is None
            ]
            if lost:
                quoted = "; ".join(f"report {c.report_id} quotes “{c.quote[:80]}”" for c in lost)
                errors["text"] = (
                    f"This text no longer holds passages its citations quote ({quoted}): keep "
                    "them, or change those citations first."
                )
        if errors:
            raise ValidationError(errors)

    def _republication_error(self) -> str | None:
        """Why `republished_from` cannot be the original of this article: itself, a reprint
        (name the original it reprints instead) or an article others reprint already (which
        is itself an original). One query when set on a saved article."""
        original = self.republished_from if self.republished_from_id else None
        if original is None:
            return None
        if original.pk == self.pk:
            return "An article cannot be a reprint of itself."
        if original.republished_from_id is not None:
            return (
                f"That article is itself a reprint of “{original.republished_from}”: choose "
                "the original story."
            )
        if self.pk is not None and self.republications.exists():
            return (
                "Other articles are recorded as reprints of this one: it is an original, and "
                "cannot also be a reprint."
            )
        return None


def future_date_error(day: datetime.date | None, what: str) -> str | None:
    """Why `day` cannot be a date of something that has happened: it is after tomorrow (a day's
    margin for the world's time zones)."""
    if day is not None and day > timezone.localdate() + datetime.timedelta(days=1):
        return f"{what} cannot be dated in the future ({day:%d %B %Y})."
    return None


# Statuses of a report the public has seen: published, or published then retracted. Such a
# report is never deleted, and changes only through a reviewer.
SEEN_BY_PUBLIC = (Status.PUBLISHED, Status.RETRACTED)


def public_reports(prefix: str = "") -> Q:
    """The one definition of what the public may see: published reports only. `prefix` is the
    path to the report from another model ("report__" from a citation or a photo), so that
    their publicity is the report's."""
    return Q(**{f"{prefix}status": Status.PUBLISHED})


class DamageReportQuerySet(models.QuerySet["DamageReport"]):
    def public(self) -> DamageReportQuerySet:
        """Reports the public may see (public_reports)."""
        return self.filter(public_reports())

    def retracted_from_public(self) -> DamageReportQuerySet:
        """Reports the public saw and the curators withdrew: they answer "retracted" (410)
        and are listed as retractions, nothing else of them shown."""
        return self.filter(status=Status.RETRACTED, published_at__isnull=False)

    def for_api(self) -> QuerySet[DamageReport, ApiReportRow]:
        """Published reports as the public API shows them, each in one row (ApiReportRow, a
        tuple, not a model instance: building 100 instances took a fifth of a page's time):
        the site's and monument's columns joined in (`site_slug`, `monument_name`, …) and
        the citations and photos as JSON rows (`citation_rows`, `photo_rows`:
        report_parts_sql), instead of a query each for the citations and the photos."""
        parts = report_parts_sql(connection.vendor)
        rows = (
            self.public()
            .annotate(
                site_slug=F("site__slug"),
                site_name=F("site__name"),
                site_unesco_id=F("site__unesco_id"),
                monument_slug=F("monument__slug"),
                monument_name=F("monument__name"),
                monument_kind=F("monument__kind"),
                # Where it happened, for the CSV (reports.representations.report_place).
                site_latitude=F("site__latitude"),
                site_longitude=F("site__longitude"),
                site_location_is_sensitive=F("site__location_is_sensitive"),
                monument_latitude=F("monument__latitude"),
                monument_longitude=F("monument__longitude"),
                # SQL of our own (report_parts_sql), without a value from outside.
                citation_rows=RawSQL(parts["citation_rows"], ()),  # noqa: S611
                photo_rows=RawSQL(parts["photo_rows"], ()),  # noqa: S611
                # The citations' count and stances are in their rows (report_representation
                # reads them there); a subquery each cost a page of 100 reports 5 ms.
                **{name: corroboration()[name] for name in ("source_count",)},
            )
            .values_list(*ApiReportRow._fields)
        )
        # Filtering, ordering and slicing keep the iterable (Django's own values_list and
        # named tuples work the same way), so every read of these rows gives ApiReportRows.
        rows._iterable_class = ApiReportRows
        return cast("QuerySet[DamageReport, ApiReportRow]", rows)

    def for_api_one(self, pk: int) -> ApiReportRow | None:
        """The report `pk` as for_api() gives it, or None when the public may not see it. By
        a statement built once per process (the ORM took longer to build and compile it than
        the database to run it: a detail from 2.9 to ~2 ms)."""
        statement = _one_for_api_statement(connection.vendor)
        params = list(statement.params)
        params[statement.key_at] = pk
        database = connections[self.db]  # where public data is read (heritage.read_replicas)
        with database.cursor() as cursor:
            cursor.execute(statement.sql, params)
            row = cursor.fetchone()
        return None if row is None else ApiReportRow._make(statement.convert(row, database))

    def awaiting_review(self) -> DamageReportQuerySet:
        """Reports submitted for review, the longest waiting first."""
        return self.filter(status=Status.IN_REVIEW).order_by("submitted_at", "pk")

    def search(self, text: str) -> DamageReportQuerySet:
        """Reports matching every word of `text` (any case, anywhere in a word) in their
        summary, responsible party, external id, site name, monument name or one of the
        monument's other names. The one search of the admin and the API."""
        matching = self
        for word in text.casefold().split():
            # Both sides are case-folded by Python, so a case-sensitive match is the
            # case-insensitive search, whatever the database's own rules for case are.
            matching = matching.filter(search_text__contains=word)
        return matching

    def refresh_search_text(self) -> int:
        """Recompute `search_text` of these reports after a site, monument or other name
        changed; writes only the rows that differ (one UPDATE per 2,000). Returns how many
        changed. Renames call it once per transaction, on commit (DerivedDataChanges)."""
        changed = []
        reports = self.select_related("site", "monument").prefetch_related(
            "site__other_names", "monument__alternative_names"
        )
        for report in reports.order_by("pk").iterator(chunk_size=2000):
            words = report.search_words()
            if words != report.search_text:
                report.search_text = words
                changed.append(report)
        DamageReport.objects.bulk_update(changed, ["search_text"], batch_size=2000)
        return len(changed)

    def with_corroboration(self) -> DamageReportQuerySet:
        """Annotate, in the same query, how well each report is sourced (corroboration()):
        `citation_count`, `source_count` (independent sources supporting it) and `disputed`
        (a citation disputes it). Correlated subqueries, so that only the rows fetched are
        counted (a page), never the whole table."""
        return self.annotate(**corroboration())

    def with_sources(
        self, *, at_least: int | None = None, at_most: int | None = None
    ) -> DamageReportQuerySet:
        """Reports supported by at least, or at most, so many independent sources
        (corroboration)."""
        sources = self.alias(_sources=corroboration()["source_count"])
        if at_least is not None:
            sources = sources.filter(_sources__gte=at_least)
        if at_most is not None:
            sources = sources.filter(_sources__lte=at_most)
        return sources

    def disputed(self, disputed: bool = True) -> DamageReportQuerySet:
        """Reports a citation disputes (or, with False, none does)."""
        return self.alias(_disputed=corroboration()["disputed"]).filter(_disputed=disputed)


def independent_source() -> Case:
    """What makes a citation's source independent of another's, for a Citation queryset: its
    publisher (case-folded), that of the original story when the article is marked as a
    reprint of one (republished_from), or the article itself when no publisher is recorded.
    Three outlets carrying one agency story are one source; two stories of one publisher
    too."""

    text = models.TextField()

    def key(article: str) -> Coalesce:
        publisher = NullIf(Lower(Trim(f"{article}publisher")), Value(""), output_field=text)
        number = Concat(Value("#"), Cast(f"{article}id", text), output_field=text)
        return Coalesce(publisher, number, output_field=text)

    return Case(
        When(article__republished_from__isnull=False, then=key("article__republished_from__")),
        default=key("article__"),
        output_field=text,
    )


def corroboration() -> dict[str, Any]:
    """The one rule of corroboration, as annotations of a report queryset: `citation_count`
    (every citation), `source_count` (independent sources among the supporting citations:
    independent_source) and `disputed` (whether any citation disputes the report)."""
    citations = Citation.objects.filter(report=OuterRef("pk")).order_by().values("report")
    supporting = citations.filter(stance=Stance.SUPPORTS)
    return {
        "citation_count": Coalesce(Subquery(citations.annotate(n=Count("*")).values("n")), 0),
        "source_count": Coalesce(
            Subquery(
                supporting.annotate(n=Count(independent_source(), distinct=True)).values("n")
            ),
            0,
        ),
        "disputed": Exists(citations.filter(stance=Stance.DISPUTES)),
    }


def _format(date: datetime.date, precision: str) -> str:
    if precision == DatePrecision.YEAR:
        return f"{date.year}"
    if precision == DatePrecision.MONTH:
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


def occurred_text(
    on: datetime.date,
    on_precision: str,
    until: datetime.date | None,
    until_precision: str,
    on_approximate: bool = False,
    until_approximate: bool = False,
) -> str:
    """An event date as a person writes it: "30 August 2015", "May 2015", "about 20 June
    2015", "26 December 2016 – 10 January 2017"."""
    start = ("about " if on_approximate else "") + _format(on, on_precision)
    if until is None:
        return start
    end = _format(until, until_precision or DatePrecision.DAY)
    return f"{start} – {'about ' if until_approximate else ''}{end}"


class ConcurrentEditError(ValidationError):
    """Someone saved the report since this copy of it was read."""


CONCURRENT_EDIT_MESSAGE = (
    "Someone else saved this report while you were editing it. Nothing of yours is lost: your "
    "changes are still in this form. Open the report in a new tab to see theirs, then save "
    "yours again here if they still apply."
)

DUPLICATE_PHOTO_MESSAGE = "This photo is already attached to this report."

NO_CITATION_MESSAGE = (
    "A report can only be published when at least one source article supports it: "
    "add a citation with the quoted passage (stance: supports) first."
)


class DamageReport(models.Model):
    """A dated, sourced claim that something happened to a monument, or to a whole site when
    the source does not say which monument. One report per source claim: several reports may
    describe one event, and sources may disagree."""

    site = models.ForeignKey(HeritageSite, on_delete=models.PROTECT, related_name="damage_reports")
    monument = models.ForeignKey(
        Monument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="damage_reports",
        help_text="Leave empty when the source speaks of the site as a whole.",
    )
    occurred_on = models.DateField(
        "occurred on (or from)",
        help_text="When the damage happened, or the start of the period it happened in. "
        "For a month or a year, any day in it will do.",
    )
    occurred_on_precision = models.CharField(
        "precision",
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text='How much of the date is known: "May 2015" is month precision.',
    )
    occurred_on_approximate = models.BooleanField(
        "approximate",
        default=False,
        help_text='The source gives the date as approximate ("around 20 June", "about ten '
        'days ago"): it may be a day, a month or a year either way, at its precision.',
    )
    occurred_until = models.DateField(
        "occurred until",
        null=True,
        blank=True,
        help_text="The end of the period, when the source gives a range "
        "(e.g. between 26 December 2016 and 10 January 2017).",
    )
    occurred_until_precision = models.CharField(
        "precision of the end",
        max_length=8,
        choices=DatePrecision.choices,
        blank=True,
        help_text="Defaults to the precision of the start.",
    )
    occurred_until_approximate = models.BooleanField(
        "end approximate", default=False, help_text="The end of the period is approximate."
    )
    occurred_earliest = models.DateField(
        editable=False,
        help_text="The first day the damage may have happened on: the start, a unit of its "
        "precision earlier when approximate. Derived on save.",
    )
    occurred_latest = models.DateField(
        editable=False,
        help_text="The last day the damage may have happened on: the end of the period, "
        "or of the month or year when that is all that is known (a unit later when "
        "approximate). Derived on save.",
    )
    observed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the damage was observed (e.g. the date of satellite imagery), "
        "if it differs from when it happened.",
    )
    damage_type = models.CharField(max_length=32, choices=DamageType.choices)
    extent = models.CharField(max_length=16, choices=Extent.choices, default=Extent.UNKNOWN)
    certainty = models.CharField(
        max_length=16,
        choices=Certainty.choices,
        default=Certainty.MEDIUM,
        help_text="How sure the source is (EAMENA scale).",
    )
    assessment_basis = models.CharField(
        max_length=32, choices=AssessmentBasis.choices, default=AssessmentBasis.NEWS_REPORT
    )
    responsible_party = models.CharField(
        max_length=255,
        blank=True,
        help_text="Who caused the damage, as the source says: ISIL, SARG, opposition forces, "
        "Russian air strikes, unknown…",
    )
    summary = models.TextField(help_text="What happened, in one or two sentences.")
    external_id = models.CharField(
        "external id",
        max_length=64,
        blank=True,
        help_text="Another database's reference, e.g. an ASOR incident number (SHI 15-0155).",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    search_text = models.TextField(
        default="",
        editable=False,
        help_text="What search looks in, kept up to date on every save (see search_words).",
    )
    submitted_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was last submitted for review."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the curators withdrew it: what the public is told, and what orders retractions
    # (a later edit of the retracted report moves updated_at, not this).
    retracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    retraction_reason = models.TextField(
        blank=True, help_text="Required when a published report is retracted."
    )
    curator_notes = models.TextField(
        blank=True, help_text="Private to curators: never shown to the public."
    )
    proposal_confidence = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the report was proposed from an article: how sure the ingestion "
        "was, from 0 to 1.",
    )
    proposal_matches = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The words of the article that made the ingestion propose this report.",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Incremented by every save, so that two curators cannot silently overwrite "
        "each other's edits.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="damage_reports_created",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="damage_reports_updated",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DamageReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    # Set on some instances only, never columns: annotations (with_corroboration), the
    # pre_save signal's verdict (reports.signals), and what django-simple-history writes into
    # the next history row (reports.services). (The public API reads rows: ApiReportRow.)
    citation_count: int
    source_count: int
    disputed: bool
    _public_change: bool
    _report_changes: list[tuple[int | None, str]]
    _history_user: User
    _change_reason: str

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        permissions = [
            ("review_damagereport", "Can publish, reject and retract damage reports"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True) | Q(occurred_until__gte=F("occurred_on")),
                name="reports_damagereport_period_in_order",
                violation_error_message="The end of the period cannot be before its start.",
            ),
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True, occurred_until_precision="")
                | (Q(occurred_until__isnull=False) & ~Q(occurred_until_precision="")),
                name="reports_damagereport_end_has_precision",
                violation_error_message="The end of the period needs a precision.",
            ),
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=False) | Q(occurred_until_approximate=False),
                name="reports_damagereport_approximate_end_exists",
                violation_error_message="Only the end of a period can be approximate.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.RETRACTED) | ~Q(retraction_reason=""),
                name="reports_damagereport_retraction_has_reason",
                violation_error_message="Say why the report is retracted.",
            ),
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="reports_damagereport_summary_not_empty",
                violation_error_message="Write a summary of what happened.",
            ),
        ]
        indexes = [
            # Public lists: published reports, newest event first (the API's keyset order).
            models.Index(
                fields=["status", "-occurred_on", "-id"], name="report_status_occurred_idx"
            ),
            # The admin's default order, newest event first.
            models.Index(fields=["-occurred_on", "-id"], name="report_occurred_idx"),
            # A site's and a monument's condition timeline.
            models.Index(fields=["site", "occurred_on"], name="report_site_occurred_idx"),
            models.Index(fields=["monument", "occurred_on"], name="report_monument_occurred_idx"),
            # A site's published reports by extent (sites_with_report_counts), index-only.
            models.Index(
                fields=["site", "status", "extent"], name="report_site_status_extent_idx"
            ),
            # "occurred_after" filters on the latest possible date, "occurred_before" and
            # "occurred" (an EDTF interval) on the earliest too.
            models.Index(fields=["occurred_latest"], name="report_occurred_latest_idx"),
            models.Index(fields=["occurred_earliest"], name="report_occurred_earliest_idx"),
            # Admin and API filters.
            models.Index(fields=["damage_type"], name="report_damage_type_idx"),
            models.Index(fields=["extent"], name="report_extent_idx"),
            # Each monument's current condition (monuments_with_condition, current_conditions):
            # its latest published report stating an extent, first in this index; covering
            # on PostgreSQL, so the whole map's conditions are one index-only scan.
            models.Index(
                F("monument"),
                F("occurred_latest").desc(),
                F("published_at").desc(),
                F("id").desc(),
                name="report_condition_idx",
                condition=Q(status=Status.PUBLISHED) & ~Q(extent=Extent.UNKNOWN),
                include=["extent", "site"],
            ),
            # Published reports of a damage type, newest event first: the API's and the
            # search page's commonest filter (a rare type walked the whole status index).
            models.Index(
                F("damage_type"),
                F("occurred_on").desc(),
                F("id").desc(),
                name="report_published_type_idx",
                condition=Q(status=Status.PUBLISHED),
            ),
            # The latest publications (the home page; the API's ordering=-published_at).
            models.Index(
                fields=["status", "-published_at", "-id"], name="report_status_published_idx"
            ),
            # The latest retractions (the home page).
            models.Index(
                fields=["status", "-retracted_at", "-id"], name="report_status_retracted_idx"
            ),
            # The Atom feeds: the latest public changes, a publication or a retraction.
            models.Index(
                Coalesce("retracted_at", "published_at").desc(),
                F("id").desc(),
                name="report_public_change_idx",
                condition=Q(published_at__isnull=False),  # drafts never were public
            ),
        ]

    def __str__(self) -> str:
        place = self.monument.name if self.monument is not None else self.site.name
        return f"{place}: {self.get_damage_type_display().lower()}, {self.occurred_display}"

    def save(self, *args, **kwargs) -> None:
        # Rules that no code path may skip, not only the forms: the monument belongs to the
        # site, and nothing is published without a quote behind it.
        self._normalise_dates()
        if message := self._monument_site_error():
            raise ValidationError({"monument": message})
        if self.is_public and not self.has_supporting_citation():
            raise ValidationError(NO_CITATION_MESSAGE)
        self.search_text = self.search_words()
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        # Optimistic locking: the next version, written only if nobody took it meanwhile (the
        # condition is in the save's own UPDATE: see _do_update).
        self._version_read = self.version
        self.version += 1
        try:
            with transaction.atomic():  # a savepoint: a refused save leaves the rest usable
                super().save(*args, **kwargs)
        except ConcurrentEditError:
            self.version = self._version_read
            raise
        finally:
            del self._version_read

    def _do_update(self, base_qs: QuerySet, *args: Any, **kwargs: Any) -> Any:
        """Django's UPDATE of a save, on the condition that the row still has the version this
        copy was read at: one statement for the edit and the lock, or ConcurrentEditError."""
        version_read = getattr(self, "_version_read", None)
        if version_read is not None:
            base_qs = base_qs.filter(version=version_read)
        updated = super()._do_update(base_qs, *args, **kwargs)
        if version_read is not None and not updated:
            raise ConcurrentEditError(CONCURRENT_EDIT_MESSAGE)
        return updated

    def search_words(
        self, other_names: Iterable[str] | None = None, site_names: Iterable[str] | None = None
    ) -> str:
        """Everything search matches, in one column: the summary, responsible party and
        external id, the names of the site and the monument, and their other names (in any
        language: a search for تدمر finds Palmyra's reports).
        Case-folded. One trigram index over it answers a search of several words with one
        index scan, where matching each word in five tables took seconds at 200,000 reports.
        `other_names` (the monument's) and `site_names`, when the caller knows them, save
        looking them up."""
        parts = [self.summary, self.responsible_party, self.external_id, self.site.name]
        if site_names is None:
            site_names = [other.name for other in self.site.other_names.all()]
        parts.extend(site_names)
        if (monument := self.monument) is not None:
            parts.append(monument.name)
            if other_names is None:
                other_names = [other.name for other in monument.alternative_names.all()]
            parts.extend(other_names)
        return "\n".join(part for part in parts if part).casefold()

    @property
    def is_public(self) -> bool:
        """Whether the public may see this report now (public_reports, for one report)."""
        return self.status == Status.PUBLISHED

    @property
    def seen_by_public(self) -> bool:
        """Whether the public has seen this report: published, or retracted since."""
        return self.status in SEEN_BY_PUBLIC

    def delete(self, *args, **kwargs):
        if self.seen_by_public:
            raise ValidationError(
                "A report the public has seen is never deleted: retract it instead."
            )
        for photo in self.evidence.all():  # one by one, so that their files go too
            photo.delete()
        return super().delete(*args, **kwargs)

    @property
    def occurred_display(self) -> str:
        return occurred_text(
            self.occurred_on,
            self.occurred_on_precision,
            self.occurred_until,
            self.occurred_until_precision,
            self.occurred_on_approximate,
            self.occurred_until_approximate,
        )

    @property
    def event_date(self) -> EventDate:
        return EventDate(
            self.occurred_on,
            self.occurred_on_precision,
            self.occurred_on_approximate,
            self.occurred_until,
            self.occurred_until_precision,
            self.occurred_until_approximate,
        )

    @property
    def occurred_edtf(self) -> str:
        """When it happened, in EDTF (reports.event_dates)."""
        return self.event_date.edtf

    def set_event_date(self, date: EventDate) -> None:
        """Record `date` (e.g. parsed from EDTF) in the report's date fields."""
        self.occurred_on, self.occurred_on_precision = date.on, date.on_precision
        self.occurred_on_approximate = date.on_approximate
        self.occurred_until, self.occurred_until_precision = date.until, date.until_precision
        self.occurred_until_approximate = date.until_approximate

    def _normalise_dates(self) -> None:
        if self.occurred_on:
            self.occurred_on = truncate(self.occurred_on, self.occurred_on_precision)
        if self.occurred_until:
            self.occurred_until_precision = (
                self.occurred_until_precision or self.occurred_on_precision
            )
            self.occurred_until = truncate(self.occurred_until, self.occurred_until_precision)
        else:
            self.occurred_until_precision = ""
            self.occurred_until_approximate = False
        if self.occurred_on:
            self.occurred_earliest, self.occurred_latest = self.event_date.span()

    def _monument_site_error(self) -> str | None:
        monument = self.monument if self.monument_id and self.site_id else None
        if monument is not None and monument.site_id != self.site_id:
            return (
                f"{monument.name} is in {monument.site.name}, not in "
                f"{self.site.name}. Choose a monument of {self.site.name}, or change the site."
            )
        return None

    def clean(self) -> None:
        self._normalise_dates()
        errors: dict[str, str] = {}
        if message := self._monument_site_error():
            errors["monument"] = message
        if self.occurred_on and self.occurred_until and self.occurred_until < self.occurred_on:
            errors["occurred_until"] = "The end of the period cannot be before its start."
        if self.status == Status.RETRACTED and not self.retraction_reason.strip():
            errors["retraction_reason"] = "Say why the report is retracted."
        for name, what in [
            ("occurred_on", "Damage"),
            ("occurred_until", "The end of the period"),
            ("observed_on", "An observation"),
        ]:
            if message := future_date_error(getattr(self, name), what):
                errors[name] = message
        if errors:
            raise ValidationError(errors)

    def has_supporting_citation(self) -> bool:
        """Whether at least one citation supports this report (one query). Disputing and
        context citations do not back a publication."""
        return self.pk is not None and self.citations.filter(stance=Stance.SUPPORTS).exists()


class CitationQuerySet(models.QuerySet["Citation"]):
    def public(self) -> CitationQuerySet:
        """Citations of the reports the public may see."""
        return self.filter(public_reports("report__"))


class Citation(models.Model):
    """A quoted passage of a source article about a damage report: supporting it (the usual
    case), disputing it (the source denies or contradicts the claim), or giving context."""

    report = models.ForeignKey(DamageReport, on_delete=models.CASCADE, related_name="citations")
    article = models.ForeignKey(SourceArticle, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(
        help_text="The passage of the article about the report, copied exactly."
    )
    stance = models.CharField(
        max_length=16,
        choices=Stance.choices,
        default=Stance.SUPPORTS,
        help_text="Supports: the passage backs the claim. Disputes: it denies or contradicts "
        "it (the report then shows as disputed). Context: neither.",
    )
    location = models.CharField(
        max_length=255,
        blank=True,
        help_text='Where the quote is, e.g. "page 3". Filled in as "paragraph N" when the '
        "article's text is recorded.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="reports_citation_quote_not_empty",
                violation_error_message="Quote the passage that supports the report.",
            ),
            # The same quote of the same article once per report. Hashed, because a long quote
            # would not fit a B-tree index entry on PostgreSQL.
            models.UniqueConstraint(
                F("report"),
                F("article"),
                MD5("quote"),
                name="reports_citation_unique_quote",
                violation_error_message="This report already cites this passage of the article.",
            ),
        ]
        indexes = [
            # Whether a report is disputed (corroboration): without it PostgreSQL scanned every
            # citation for the disputing ones, 40 ms of a page of 100 reports at 300,000.
            models.Index(
                fields=["report"],
                name="citation_disputes_idx",
                condition=Q(stance=Stance.DISPUTES),
            ),
        ]

    def __str__(self) -> str:
        # No quotation marks: the admin's messages put their own around a record's name.
        return self.quote if len(self.quote) <= 80 else self.quote[:79] + "…"

    def save(self, *args, **kwargs) -> None:
        self.quote = self.quote.strip()
        if error := self._leaving_error():
            raise ValidationError(error)
        super().save(*args, **kwargs)

    def _leaving_error(self) -> dict[str, str] | None:
        """Why this citation may not move to another report or stop supporting its own: it
        is the only support of a published report, which would be left unsourced (one query,
        two when it is)."""
        if self._state.adding or self.pk is None:
            return None
        before = Citation.objects.filter(pk=self.pk).select_related("report").first()
        if before is None or before.stance != Stance.SUPPORTS:
            return None
        if before.report_id != self.report_id and before.is_only_support_of_published_report():
            return {
                "report": "This is the only supporting citation of a published report: it "
                "cannot move to another report. Cite the article again on the other report "
                "instead."
            }
        if self.stance != Stance.SUPPORTS and before.is_only_support_of_published_report():
            return {
                "stance": "This is the only citation supporting a published report, which "
                "needs one: add a supporting citation first, or retract the report."
            }
        return None

    def clean(self) -> None:
        self.quote = self.quote.strip()
        if not self.quote:
            raise ValidationError({"quote": "Quote the passage that supports the report."})
        if error := self._leaving_error():
            raise ValidationError(error)
        if self.article_id and self.article.text.strip():
            where = locate_quote(self.quote, self.article.text)
            if where is None:
                raise ValidationError(
                    {
                        "quote": "This passage is not in the article's text. Copy it exactly "
                        "as the article has it, so that readers can find it."
                    }
                )
            self.location = self.location or where

    def delete(self, *args, **kwargs):
        if self.stance == Stance.SUPPORTS and self.is_only_support_of_published_report():
            raise ValidationError(
                "This is the only citation supporting a published report: add another "
                "supporting citation or retract the report first."
            )
        return super().delete(*args, **kwargs)

    def is_only_support_of_published_report(self) -> bool:
        """Whether the report is published and no other citation supports it."""
        others = self.report.citations.exclude(pk=self.pk).filter(stance=Stance.SUPPORTS)
        return self.report.is_public and not others.exists()


class Proposal(models.Model):
    """What an article's ingestion proposed: one record per (article, place, damage type),
    kept whatever a curator then does with the draft (edits it, submits it, merges or discards
    it), so that ingesting the article again never proposes the same thing twice."""

    article = models.ForeignKey(SourceArticle, on_delete=models.CASCADE, related_name="proposals")
    site = models.ForeignKey(HeritageSite, on_delete=models.CASCADE, related_name="+")
    monument = models.ForeignKey(
        Monument, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    damage_type = models.CharField(max_length=32, choices=DamageType.choices)
    report = models.ForeignKey(
        DamageReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The draft proposed, while it exists (a curator may have changed it since).",
    )
    merged_into = models.ForeignKey(
        DamageReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The report the proposal's citations went to, if it was merged.",
    )
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    discarded_at = models.DateTimeField(
        null=True, blank=True, help_text="When a curator discarded or merged the draft."
    )

    class Meta:
        constraints = [
            # One record of each proposal: what ingest_article looks up before proposing.
            models.UniqueConstraint(
                fields=["article", "site", "damage_type"],
                condition=Q(monument__isnull=True),
                name="proposal_site_unique",
            ),
            models.UniqueConstraint(
                fields=["article", "monument", "damage_type"],
                condition=Q(monument__isnull=False),
                name="proposal_monument_unique",
            ),
        ]

    def __str__(self) -> str:
        where = self.monument.name if self.monument else self.site.name
        return f"{where}, {self.get_damage_type_display()} (from article {self.article_id})"


class Evidence(models.Model):
    """A photograph backing a report. Its files live in Django's storage under content-hash
    names: the original (re-encoded without metadata), a web size and a thumbnail. They are
    served only through `evidence_file`, publicly once the report is published."""

    class Licence(models.TextChoices):
        CC_BY = "cc-by-4.0", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
        CC0 = "cc0-1.0", "CC0 1.0 (public domain dedication)"
        PUBLIC_DOMAIN = "public-domain", "Public domain"
        PERMISSION = "with-permission", "All rights reserved, used with permission"

    report = models.ForeignKey(DamageReport, on_delete=models.CASCADE, related_name="evidence")
    monument = models.ForeignKey(
        Monument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="What the photo shows, if not the report's own monument.",
    )
    caption = models.TextField(help_text="What the photo shows, and when.")
    credit = models.CharField(max_length=255, help_text="Photographer or agency.")
    licence = models.CharField(max_length=32, choices=Licence.choices)
    taken_on = models.DateField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "photo evidence"
        verbose_name_plural = "photo evidence"
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "sha256"],
                name="reports_evidence_unique_photo_per_report",
                violation_error_message=DUPLICATE_PHOTO_MESSAGE,
            ),
        ]
        indexes = [
            # Deleting a photo asks whether another report still uses the same files.
            models.Index(fields=["sha256"], name="evidence_sha256_idx"),
        ]

    def __str__(self) -> str:
        return self.caption if len(self.caption) <= 60 else self.caption[:59] + "…"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        monument = self.monument if self.monument_id and self.report_id else None
        if monument is not None and monument.site_id != self.report.site_id:
            errors["monument"] = f"{monument.name} is not in {self.report.site.name}."
        if message := future_date_error(self.taken_on, "A photo"):
            errors["taken_on"] = message
        if errors:
            raise ValidationError(errors)

    def file_name(self, variant: str) -> str:
        """The storage name of the original, "web" or "thumbnail" file."""
        if variant == "original":
            return f"evidence/{self.sha256}.{self.extension}"
        return f"evidence/{self.sha256}-{variant}.jpg"

    def file_names(self) -> list[str]:
        return [self.file_name(variant) for variant in EVIDENCE_VARIANTS]

    def is_public(self) -> bool:
        return self.report.is_public

    def delete(self, *args, **kwargs):
        """Delete the row, and its files once that has committed, unless another row (of
        another report) still uses the same photo by then."""
        content = (self.sha256, self.extension)
        result = super().delete(*args, **kwargs)
        transaction.on_commit(
            functools.partial(evidence_files_remove_if_unused, *content), robust=True
        )
        return result


EVIDENCE_VARIANTS = ("original", "web", "thumbnail")

# The first key of the PostgreSQL advisory locks on a photo's content (ours, arbitrary).
EVIDENCE_LOCK_SPACE = 16_001


def evidence_content_lock(sha256: str) -> None:
    """Hold until the transaction ends the lock on one photo's content, so that storing a
    photo (are its files there? then write them if not, and its row) and removing a content's
    files (does a row use it? then delete them) never interleave: without it, a photo stored
    while another report's copy is being deleted could lose its files. On PostgreSQL an
    advisory lock per content; on SQLite a writing transaction already holds the database's
    one write lock (transaction_mode IMMEDIATE, heritage.settings)."""
    if connection.vendor == "postgresql":
        key = int(sha256[:8], 16) - 2**31  # PostgreSQL's int4
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [EVIDENCE_LOCK_SPACE, key])


def evidence_files_remove_if_unused(sha256: str, extension: str) -> bool:
    """Delete a photo content's files unless a row uses it: after a photo's deletion has
    committed, or after a save that wrote them failed. Returns whether they were deleted. A
    database error is raised (the caller knows what else to do); a storage error is logged,
    the files left behind named, and the error not raised: it must not mask what failed
    before, nor a deletion that has committed."""
    with transaction.atomic():
        evidence_content_lock(sha256)
        if Evidence.objects.filter(sha256=sha256).exists():
            return False
        names = Evidence(sha256=sha256, extension=extension).file_names()
        for name in names:
            try:
                default_storage.delete(name)
            except Exception:
                logger.exception("Could not delete the unused photo file %s", name)
        return True


def monuments_with_condition(monuments: QuerySet[Monument]) -> QuerySet[Monument]:
    """Annotate each monument's current condition, from its latest published report that
    states an extent (a later report of unknown extent, such as misuse, does not erase a known
    state): `condition` (an Extent value or None), `condition_since` and `condition_report_id`."""
    latest = (
        DamageReport.objects.public()
        .filter(monument=OuterRef("pk"))
        .exclude(extent=Extent.UNKNOWN)
        .order_by("-occurred_latest", "-published_at", "-pk")
    )
    return monuments.annotate(
        condition=Subquery(latest.values("extent")[:1]),
        condition_since=Subquery(latest.values("occurred_on")[:1]),
        condition_report_id=Subquery(latest.values("pk")[:1]),
    )


def current_conditions() -> QuerySet[DamageReport, tuple[int, int, str]]:
    """(site id, monument id, extent) of every monument's current condition, by the rule of
    monuments_with_condition (the extent of its latest published report that states one), for
    all monuments in one statement: the latest of each monument by a window over
    report_condition_idx (the home page's map: 20,000 monuments in ~25 ms where a subquery per
    monument took 450)."""
    latest_first = Window(
        RowNumber(),
        partition_by=[F("monument_id")],
        order_by=[F("occurred_latest").desc(), F("published_at").desc(), F("pk").desc()],
    )
    return (
        DamageReport.objects.public()
        .filter(monument__isnull=False)
        .exclude(extent=Extent.UNKNOWN)
        .annotate(rank=latest_first)
        .filter(rank=1)
        .order_by()  # any order: without the default one, PostgreSQL reads the index in its own
        .values_list("site_id", "monument_id", "extent")
    )


# From least to worst: how conditions compare (a site's worst monument colours it on a map).
SEVERITY: list[str] = [Extent.NONE, Extent.MINOR, Extent.MODERATE, Extent.SEVERE, Extent.DESTROYED]


def worst_conditions_by_site() -> dict[int, str]:
    """{site id: the worst current condition among its monuments}, for sites with any: the
    database ranks and groups current_conditions(), a row per site back, not per monument."""
    conditions = current_conditions()
    sql, params = conditions.query.sql_with_params()
    rank = " ".join(f"WHEN '{extent}' THEN {i}" for i, extent in enumerate(SEVERITY))
    grouped = (
        f"SELECT site_id, MAX(CASE extent {rank} END) FROM ({sql}) conditions GROUP BY site_id"  # noqa: S608 (our own SQL)
    )
    with connections[conditions.db].cursor() as cursor:
        cursor.execute(grouped, params)
        return {site_id: SEVERITY[worst] for site_id, worst in cursor.fetchall()}


def sites_with_report_counts(sites: QuerySet[HeritageSite]) -> QuerySet[HeritageSite]:
    """Annotate `published_<extent>` counts of each site's published reports. Correlated
    subqueries, so that only the sites of the page are counted (a GROUP BY over every report
    took 5.6 s for a page of sites at 200,000 reports)."""
    published = DamageReport.objects.public().filter(site=OuterRef("pk")).order_by()

    def count(extent: str) -> Coalesce:
        per_site = published.filter(extent=extent).values("site").annotate(n=Count("*"))
        return Coalesce(Subquery(per_site.values("n")), 0)

    return sites.annotate(**{f"published_{extent}": count(extent) for extent in Extent.values})


# What the public API shows of each citation and photo of a report, in this order: the JSON
# rows of DamageReportQuerySet.for_api (reports.representations reads them). `o` is the
# original story of an article marked as a reprint.
CITATION_ROW = ["c.article_id", "a.title", "a.publisher", "a.author", "a.published_on", "a.url"]
CITATION_ROW += ["a.archive_url", "a.archived_at", "o.title", "o.publisher", "o.url"]
CITATION_ROW += ["c.quote", "c.location", "c.stance"]
PHOTO_ROW = ["e.id", "e.caption", "e.credit", "e.licence", "e.taken_on", "e.width", "e.height"]


def report_parts_sql(vendor: str) -> dict[str, str]:
    """For each report row, its citations (with their articles) and its photos in the order
    they were added, as the text of a JSON array of rows (CITATION_ROW, PHOTO_ROW), `[]` for
    none. The same JSON from PostgreSQL and SQLite (dates as ISO text, nulls as null):
    tests/reports/test_api.py checks it on each."""
    report = f'"{DamageReport._meta.db_table}"."id"'
    parts = {
        "citation_rows": (
            CITATION_ROW,
            f"{Citation._meta.db_table} c JOIN {SourceArticle._meta.db_table} a "
            f"ON a.id = c.article_id LEFT JOIN {SourceArticle._meta.db_table} o "
            f"ON o.id = a.republished_from_id WHERE c.report_id = {report}",
            "c.id",
        ),
        "photo_rows": (
            PHOTO_ROW,
            f"{Evidence._meta.db_table} e WHERE e.report_id = {report}",
            "e.id",
        ),
    }
    if vendor == "postgresql":
        template = (
            "(SELECT COALESCE(json_agg(json_build_array({row}) ORDER BY {order})::text, '[]') "
            "FROM {rows})"
        )
    else:  # SQLite aggregates rows in the order its subquery gives them
        template = (
            "(SELECT json_group_array(json_array({names})) "
            "FROM (SELECT {aliased} FROM {rows} ORDER BY {order}))"
        )
    return {
        name: template.format(
            row=", ".join(row),
            aliased=", ".join(f"{column} AS {column.replace('.', '_')}" for column in row),
            names=", ".join(column.replace(".", "_") for column in row),
            rows=rows,
            order=order,
        )
        for name, (row, rows, order) in parts.items()
    }


class ApiReportRow(NamedTuple):
    """A published report as DamageReport.objects.for_api() reads it: the columns the public
    API shows, then those it joins in of the site and monument, then the citations and
    photos as JSON text (report_parts_sql). In the order of the statement's columns (the
    report's own, then the annotations in the order for_api makes them: checked on every
    read, by ApiReportRows)."""

    id: int
    occurred_on: datetime.date
    occurred_on_precision: str
    occurred_on_approximate: bool
    occurred_until: datetime.date | None
    occurred_until_precision: str
    occurred_until_approximate: bool
    occurred_earliest: datetime.date
    occurred_latest: datetime.date
    observed_on: datetime.date | None
    damage_type: str
    extent: str
    certainty: str
    assessment_basis: str
    responsible_party: str
    summary: str
    external_id: str
    published_at: datetime.datetime | None
    updated_at: datetime.datetime
    site_slug: str
    site_name: str
    site_unesco_id: int | None
    monument_slug: str | None
    monument_name: str | None
    monument_kind: str | None
    site_latitude: Decimal | None
    site_longitude: Decimal | None
    site_location_is_sensitive: bool
    monument_latitude: Decimal | None
    monument_longitude: Decimal | None
    citation_rows: str | None
    photo_rows: str | None
    source_count: int

    @property
    def event_date(self) -> EventDate:
        return EventDate(
            self.occurred_on,
            self.occurred_on_precision,
            self.occurred_on_approximate,
            self.occurred_until,
            self.occurred_until_precision,
            self.occurred_until_approximate,
        )

    @property
    def occurred_display(self) -> str:
        return occurred_text(
            self.occurred_on,
            self.occurred_on_precision,
            self.occurred_until,
            self.occurred_until_precision,
            self.occurred_on_approximate,
            self.occurred_until_approximate,
        )


class ApiReportRows(BaseIterable):
    """The rows of a for_api() queryset as ApiReportRows (its values_list's tuples, named)."""

    def __iter__(self) -> Iterator[ApiReportRow]:
        query = self.queryset.query
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        if names != ApiReportRow._fields:
            raise TypeError(f"for_api() selects {names}, not ApiReportRow's columns")
        compiler = query.get_compiler(self.queryset.db)
        rows = compiler.results_iter(chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size)
        return map(ApiReportRow._make, rows)


class CompiledStatement(NamedTuple):
    """A query compiled once per process: its SQL, its parameters with the slot of the one
    that changes (`key_at`), and its columns' expressions, whose conversions of what the
    driver returns (SQLite gives dates as text, for one) are asked of the connection in use."""

    sql: str
    params: list[Any]
    key_at: int
    columns: list[Any]

    def convert(self, row: tuple[Any, ...], on: Any) -> list[Any]:
        values = list(row)
        for position, expression in enumerate(self.columns):
            functions = on.ops.get_db_converters(expression) + expression.get_db_converters(on)
            for function in functions:
                values[position] = function(values[position], expression, on)
        return values


@functools.cache
def _one_for_api_statement(vendor: str) -> CompiledStatement:
    """DamageReport.objects.for_api().filter(pk=…) compiled (`vendor` only files it under the
    database in use): the ORM builds and compiles it once, not for every detail. (Compiling
    needs a connection; the statement keeps no part of it.)"""
    marker = -(2**62) + 12345  # a key no report has, to find its place among the parameters
    queryset = DamageReport.objects.for_api().filter(pk=marker)
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    columns = [column[0] for column in compiler.select[: compiler.col_count]]
    return CompiledStatement(sql, list(params), list(params).index(marker), columns)


class PublicDataVersion(models.Model):
    """One row whose number grows whenever anything the public API shows may have changed.
    The API files its cached answers under it, so a publication, a retraction or a renamed
    site shows at once, in every server process (see heritage.api.answer_cache)."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"public data version {self.number}"

    @classmethod
    def current(cls, using: str | None = None) -> int:
        """The number, read where public data is read (`using` unless given): for a public
        request on a replica, that replica's, which numbers the rows it holds (a lagging
        replica's answers are filed under its older number, never under the primary's)."""
        # Read on every API request: plain SQL, which costs a third of what the ORM's
        # building of the same query did.
        with connections[using or router.db_for_read(cls)].cursor() as cursor:
            cursor.execute(f"SELECT number FROM {cls._meta.db_table} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls) -> None:
        """Count a change, once the transaction making it commits: answers computed before
        that moment see the old data and stay filed under the old number. Once per
        transaction, however many rows it changes (DerivedDataChanges)."""
        DerivedDataChanges.record()

    @classmethod
    def _increment(cls) -> None:
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1)
            cls.objects.filter(pk=1).update(number=F("number") + 1)


class PublicChange(models.Model):
    """One change the public saw happen to a report: its publication, a change to what it
    shows (its fields, citations, photos, sources, or the names of its site and monument),
    or its retraction. The change feed (/api/v1/changes/) lists them, so that a mirror stays
    in sync without re-reading everything.

    Written in the transaction making the change (a crash loses neither or both); numbered
    once that transaction has committed, with the public data version it made (`sequence`).
    Numbers are taken under the version row's lock, so they grow in the order the changes
    became visible: a reader that has seen number N has seen every change numbered up to N,
    and one still unnumbered is never listed. (Numbering by time or by id would let a
    change committed late slip behind a reader's position.)"""

    class Action(models.TextChoices):
        PUBLISHED = "published", "Published"
        CHANGED = "changed", "Changed"
        RETRACTED = "retracted", "Retracted"

    # A report the public saw is never deleted (DamageReport.delete); a draft has no changes.
    report = models.ForeignKey(DamageReport, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    sequence = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["sequence", "id"]
        indexes = [
            # The feed's keyset order.
            models.Index(fields=["sequence", "id"], name="change_sequence_idx"),
            # `since`: the changes from a moment on.
            models.Index(fields=["at"], name="change_at_idx"),
            # The changes still to number, found at each commit.
            models.Index(
                fields=["id"], name="change_unnumbered_idx", condition=Q(sequence__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} {self.action} at {self.at:%Y-%m-%d %H:%M:%S}"


def public_data_version() -> int:
    """settings.API_DATA_VERSION: the number cached API answers are filed under."""
    return PublicDataVersion.current()


class DerivedDataChanges:
    """What a transaction changed that derived data follows: whether anything the public sees
    changed (PublicDataVersion), and the sites and monuments whose names changed (reports copy
    them, and the monument's other names, into `search_text`). Signals record into the
    transaction's one instance (record); once it commits, the instance refreshes those
    reports in one pass and moves the public data version once, in one transaction.

    Nothing on rollback: Django drops an on-commit callback registered in a transaction or
    savepoint that rolls back (the next change then registers a new one). Names recorded in a
    rolled-back savepoint into an instance registered before it are refreshed for nothing,
    which writes no row."""

    def __init__(self) -> None:
        self.site_ids: set[int] = set()
        self.monument_ids: set[int] = set()
        self.changed_reports: set[int] = set()  # with a PublicChange written already
        self.applied = False  # tests run on-commit callbacks, then leave them in the list

    @classmethod
    def record(
        cls,
        *,
        site_id: int | None = None,
        monument_ids: Iterable[int] = (),
        report_changes: Iterable[tuple[int, str]] = (),
    ) -> None:
        """Count a public change, the site or monuments it renamed and what happened to
        which reports (`report_changes`: (report id, PublicChange.Action), written at once,
        in the transaction) in the current transaction's changes; outside a transaction,
        apply it at once. A report changed again in the same transaction is listed once,
        unless it is published or retracted."""
        pending = transaction.get_connection().run_on_commit
        changes = next(
            (c for _, c, *_ in pending if isinstance(c, DerivedDataChanges) and not c.applied),
            None,
        )
        registered = changes is not None
        changes = changes or cls()
        if site_id is not None:
            changes.site_ids.add(site_id)
        changes.monument_ids.update(monument_ids)
        changes.write_report_changes(report_changes)
        if not registered:
            transaction.on_commit(changes)  # at once when not in a transaction

    def write_report_changes(self, report_changes: Iterable[tuple[int, str]]) -> None:
        rows = []
        for report_id, action in report_changes:
            if action == PublicChange.Action.CHANGED and report_id in self.changed_reports:
                continue
            self.changed_reports.add(report_id)
            rows.append(PublicChange(report_id=report_id, action=action))
        PublicChange.objects.bulk_create(rows, batch_size=2000)

    def __call__(self) -> None:
        self.applied = True
        with transaction.atomic():
            if self.site_ids or self.monument_ids:
                renamed = DamageReport.objects.filter(
                    Q(site__in=self.site_ids) | Q(monument__in=self.monument_ids)
                )
                renamed.refresh_search_text()
                published = renamed.public().values_list("pk", flat=True)
                self.write_report_changes(
                    (pk, PublicChange.Action.CHANGED) for pk in published.iterator()
                )
            # The version row's lock, held to the end of this transaction, orders the numbers.
            PublicDataVersion._increment()
            PublicChange.objects.filter(sequence__isnull=True).update(
                sequence=PublicDataVersion.current(using=DEFAULT_DB_ALIAS)
            )


def name_changes(instance: HeritageSite | Monument, update_fields: Iterable[str] | None) -> bool:
    """Whether saving this site or monument changes its name (one query, none for a new
    one or a save of other fields)."""
    if instance.pk is None or (update_fields is not None and "name" not in update_fields):
        return False
    manager = type(instance)._base_manager
    before = manager.filter(pk=instance.pk).values_list("name", flat=True).first()
    return before != instance.name


def renamed_monuments(other_name: AlternativeName) -> set[int]:
    """The monuments whose names saving this alternative name changes: its own when it is
    new, or when its name or monument changes, and the one it leaves (one query, none for a
    new one)."""
    if other_name.pk is None:
        return {other_name.monument_id}
    manager = type(other_name)._base_manager
    before = manager.filter(pk=other_name.pk).values_list("monument_id", "name").first()
    if before == (other_name.monument_id, other_name.name):
        return set()
    return {other_name.monument_id, *(before[:1] if before else ())}


def report_public_change(report: DamageReport) -> tuple[bool, str | None]:
    """What saving this report changes for the public: whether anything it sees (the report
    is, or was until this save, published or retracted: drafts and reports in review are not
    public), and what the change feed lists (a PublicChange.Action, or None). One query for
    a saved report, none for a new one."""
    before = None
    if report.pk is not None:
        before = DamageReport.objects.filter(pk=report.pk).values_list("status", flat=True).first()
    was_public, is_public = before == Status.PUBLISHED, report.is_public
    action: str | None
    if is_public:
        action = PublicChange.Action.CHANGED if was_public else PublicChange.Action.PUBLISHED
    else:
        action = PublicChange.Action.RETRACTED if was_public else None
    return report.seen_by_public or before in SEEN_BY_PUBLIC, action


def part_public_changes(part: Citation | Evidence) -> tuple[bool, list[int]]:
    """What saving or deleting this citation or photo changes for the public: whether
    anything it sees (its report, or the one it moves from, is or was published), and the
    published reports it changes, for the change feed (one query)."""
    of_report = Q(pk=part.report_id)
    if part.pk is not None:
        related = "citations" if isinstance(part, Citation) else "evidence"
        of_report |= Q(**{related: part.pk})
    seen = DamageReport.objects.filter(of_report, status__in=SEEN_BY_PUBLIC)
    statuses = dict(seen.values_list("pk", "status"))
    return bool(statuses), [pk for pk, status in statuses.items() if status == Status.PUBLISHED]


def article_public_changes(article: SourceArticle) -> tuple[bool, list[int]]:
    """What saving this article changes for the public: whether anything it sees (a report
    seen by the public cites it, or cites a reprint of it: its reprints show their
    original), and the published reports it changes, for the change feed (one query, none
    for a new article)."""
    if article.pk is None:
        return False, []
    citing = Q(citations__article=article.pk) | Q(citations__article__republished_from=article.pk)
    seen = DamageReport.objects.filter(citing, status__in=SEEN_BY_PUBLIC).distinct()
    statuses = dict(seen.values_list("pk", "status"))
    return bool(statuses), [pk for pk, status in statuses.items() if status == Status.PUBLISHED]
