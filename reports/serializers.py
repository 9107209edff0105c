"""Public representations of damage reports, their citations and sources, and the report-derived
parts of sites and monuments (counts by extent, current condition, timeline). Every queryset
behind them starts from `.public()`: nothing unpublished reaches these serializers."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.api.dates import iso_date, iso_datetime
from heritage.api.links import ApiLinkField, api_link
from reports.models import (
    Citation,
    DamageReport,
    Evidence,
    SourceArticle,
    attach_api_citations,
)
from reports.vocabularies import (
    EAMENA_DAMAGE_SEVERITY,
    EAMENA_DISTURBANCE_CAUSE,
    UNOSAT_DAMAGE_CLASS,
    Extent,
)
from sites.models import monument_key
from sites.serializers import (
    MonumentLinkSerializer,
    MonumentSerializer,
    SiteLinkSerializer,
    SiteSerializer,
)

# Descriptions of report fields, for every serializer that shows a report (and the schema).
REPORT_FIELDS_HELP = {
    "id": {"help_text": "The report's number."},
    "damage_type": {"help_text": "The cause of the damage (EAMENA-compatible)."},
    "extent": {"help_text": "How severe the damage is."},
    "certainty": {"help_text": "How sure the source is (EAMENA scale)."},
    "assessment_basis": {"help_text": "What the assessment rests on."},
    "published_at": {"help_text": "When curators published the report."},
    "updated_at": {"help_text": "When the report last changed."},
    "occurred_on": {"help_text": "When it happened, or the start of the period (ISO 8601)."},
    "occurred_on_precision": {
        "help_text": "How much of `occurred_on` is known: day, month (the date is the 1st) or "
        "year (the date is 1 January)."
    },
    "occurred_until": {"help_text": "The end of the period, when the source gives a range."},
    "occurred_until_precision": {"help_text": "How much of `occurred_until` is known."},
}


class ReportSummarySerializer(serializers.ModelSerializer):
    """A report in a timeline or a list of citing reports."""

    url = ApiLinkField("api:report-detail")
    occurred = serializers.CharField(
        source="occurred_display",
        read_only=True,
        help_text='The event date as a person writes it, e.g. "May 2015".',
    )

    class Meta:
        model = DamageReport
        fields = [
            "url",
            "id",
            "occurred",
            "occurred_on",
            "occurred_on_precision",
            "occurred_until",
            "occurred_until_precision",
            "damage_type",
            "extent",
            "certainty",
            "summary",
        ]
        extra_kwargs = REPORT_FIELDS_HELP


class ArticleLinkSerializer(serializers.ModelSerializer):
    """A source article as a citation refers to it."""

    url = ApiLinkField("api:source-detail")
    source_url = serializers.CharField(
        source="url", read_only=True, help_text="Where the article was published."
    )

    class Meta:
        model = SourceArticle
        fields = ["url", "id", "title", "publisher", "author", "published_on", "source_url"]
        extra_kwargs = {
            "id": {"help_text": "The article's number."},
            "title": {"help_text": "The article's headline."},
            "author": {"help_text": "The author, when known."},
            "publisher": {"help_text": "Who published the article."},
            "published_on": {"help_text": "Publication date (ISO 8601)."},
        }


class EvidenceSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField(help_text="The photo, at most 1600 pixels a side.")
    thumbnail = serializers.SerializerMethodField(help_text="The photo, at most 320 pixels.")

    class Meta:
        model = Evidence
        fields = [
            "image",
            "thumbnail",
            "caption",
            "credit",
            "licence",
            "taken_on",
            "width",
            "height",
        ]
        extra_kwargs = {
            "taken_on": {"help_text": "When the photo was taken, if known."},
            "width": {"help_text": "Width of the full-size photo, in pixels."},
            "height": {"help_text": "Height of the full-size photo, in pixels."},
            "licence": {"help_text": "Under which terms the photo may be reused."},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_image(self, evidence: Evidence) -> str:
        return self._url(evidence, "web")

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail(self, evidence: Evidence) -> str:
        return self._url(evidence, "thumbnail")

    def _url(self, evidence: Evidence, variant: str) -> str:
        path = reverse("evidence-file", args=[evidence.pk, variant])
        return self.context["request"].build_absolute_uri(path)


class CitationSerializer(serializers.ModelSerializer):
    article = ArticleLinkSerializer(read_only=True, help_text="The article quoted.")

    class Meta:
        model = Citation
        fields = ["article", "quote", "location"]


def _citation(request, row: tuple) -> dict:
    """A row of attach_api_citations as CitationSerializer shows it."""
    _, article_id, title, publisher, author, published_on, url, quote, location = row
    return {
        "article": {
            "url": api_link(request, "api:source-detail", article_id),
            "id": article_id,
            "title": title,
            "publisher": publisher,
            "author": author,
            "published_on": iso_date(published_on),
            "source_url": url,
        },
        "quote": quote,
        "location": location,
    }


class ReportListSerializer(serializers.ListSerializer):
    def to_representation(self, reports) -> list[dict]:
        reports = list(reports)
        attach_api_citations(reports)  # two queries for the page
        return [self.child.to_representation(report) for report in reports]


class ReportSerializer(serializers.ModelSerializer):
    url = ApiLinkField("api:report-detail")
    site = SiteLinkSerializer(read_only=True, help_text="The site the report is about.")
    monument = MonumentLinkSerializer(
        read_only=True,
        allow_null=True,
        help_text="The monument, or null when the source speaks of the whole site.",
    )
    occurred = serializers.CharField(
        source="occurred_display",
        read_only=True,
        help_text='The event date as a person writes it, e.g. "May 2015 – 27 March 2016".',
    )
    eamena_disturbance_cause = serializers.SerializerMethodField(
        help_text="The damage type in EAMENA's Disturbance Cause Type list."
    )
    eamena_damage_severity = serializers.SerializerMethodField(
        help_text="The extent in EAMENA's Overall Damage Severity list."
    )
    unosat_damage_class = serializers.SerializerMethodField(
        help_text="The extent as a UNOSAT damage class, where one applies."
    )
    citations = CitationSerializer(
        many=True, read_only=True, help_text="The quoted passages that back the report."
    )
    evidence = EvidenceSerializer(
        many=True, read_only=True, help_text="Photographs backing the report."
    )

    class Meta:
        model = DamageReport
        fields = [
            "url",
            "id",
            "site",
            "monument",
            "occurred",
            "occurred_on",
            "occurred_on_precision",
            "occurred_until",
            "occurred_until_precision",
            "observed_on",
            "damage_type",
            "eamena_disturbance_cause",
            "extent",
            "eamena_damage_severity",
            "unosat_damage_class",
            "certainty",
            "assessment_basis",
            "responsible_party",
            "summary",
            "external_id",
            "published_at",
            "updated_at",
            "citations",
            "evidence",
        ]
        extra_kwargs = REPORT_FIELDS_HELP
        list_serializer_class = ReportListSerializer

    @cached_property
    def time_zone(self) -> datetime.tzinfo:
        return timezone.get_current_timezone()

    def to_representation(self, report: DamageReport) -> dict:
        """For reports from DamageReport.objects.for_api(): what the fields above give,
        written out. DRF's generic path builds every nested field object anew for each
        report and took three quarters of a page's time; tests/reports/test_api.py checks
        that both give the same for every report of the demo."""
        if not hasattr(report, "api_citations"):
            attach_api_citations([report])
        request = self.context["request"]
        site_slug, monument_slug = report.site_slug, report.monument_slug
        key = monument_key(site_slug, monument_slug)
        photos = report.api_photos
        return {
            "url": api_link(request, "api:report-detail", report.pk),
            "id": report.pk,
            "site": {
                "url": api_link(request, "api:site-detail", site_slug),
                "slug": site_slug,
                "name": report.site_name,
                "unesco_id": report.site_unesco_id,
            },
            "monument": None
            if monument_slug is None
            else {
                "url": api_link(request, "api:monument-detail", key),
                "key": key,
                "slug": monument_slug,
                "name": report.monument_name,
                "kind": report.monument_kind,
            },
            "occurred": report.occurred_display,
            "occurred_on": iso_date(report.occurred_on),
            "occurred_on_precision": report.occurred_on_precision,
            "occurred_until": iso_date(report.occurred_until),
            "occurred_until_precision": report.occurred_until_precision,
            "observed_on": iso_date(report.observed_on),
            "damage_type": report.damage_type,
            "eamena_disturbance_cause": EAMENA_DISTURBANCE_CAUSE[report.damage_type],
            "extent": report.extent,
            "eamena_damage_severity": EAMENA_DAMAGE_SEVERITY[report.extent],
            "unosat_damage_class": UNOSAT_DAMAGE_CLASS.get(report.extent),
            "certainty": report.certainty,
            "assessment_basis": report.assessment_basis,
            "responsible_party": report.responsible_party,
            "summary": report.summary,
            "external_id": report.external_id,
            "published_at": iso_datetime(report.published_at, self.time_zone),
            "updated_at": iso_datetime(report.updated_at, self.time_zone),
            "citations": [_citation(request, row) for row in report.api_citations],
            "evidence": EvidenceSerializer(photos, many=True, context=self.context).data
            if photos
            else [],
        }

    @extend_schema_field(OpenApiTypes.STR)
    def get_eamena_disturbance_cause(self, report: DamageReport) -> str:
        return EAMENA_DISTURBANCE_CAUSE[report.damage_type]

    @extend_schema_field(OpenApiTypes.STR)
    def get_eamena_damage_severity(self, report: DamageReport) -> str:
        return EAMENA_DAMAGE_SEVERITY[report.extent]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_unosat_damage_class(self, report: DamageReport) -> str | None:
        return UNOSAT_DAMAGE_CLASS.get(report.extent)


class CitingReportSerializer(serializers.ModelSerializer):
    """One published report citing an article, with the passage it quotes."""

    report = ReportSummarySerializer(read_only=True, help_text="The citing report.")
    site = SiteLinkSerializer(source="report.site", read_only=True, help_text="Its site.")
    monument = MonumentLinkSerializer(
        source="report.monument", read_only=True, allow_null=True, help_text="Its monument."
    )

    class Meta:
        model = Citation
        fields = ["report", "site", "monument", "quote", "location"]


class SourceSerializer(ArticleLinkSerializer):
    cited_by = CitingReportSerializer(
        source="public_citations",
        many=True,
        read_only=True,
        help_text="The published reports that cite this article, with their quotes. The "
        "article's full text is not republished.",
    )

    class Meta(ArticleLinkSerializer.Meta):
        fields = [*ArticleLinkSerializer.Meta.fields, "language", "cited_by"]
        extra_kwargs = {
            **ArticleLinkSerializer.Meta.extra_kwargs,
            "language": {"help_text": "Language code, e.g. en."},
        }


class MonumentConditionMixin(serializers.Serializer):
    condition = serializers.ChoiceField(
        choices=Extent.choices,
        read_only=True,
        allow_null=True,
        help_text="Current condition: the extent of the latest published report that states "
        "one. Null when no report does.",
    )
    condition_since = serializers.DateField(
        read_only=True, allow_null=True, help_text="When the condition was reported to begin."
    )
    condition_report = serializers.SerializerMethodField(
        help_text="The report the condition comes from."
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_condition_report(self, monument) -> str | None:
        if monument.condition_report_id is None:
            return None
        path = reverse("api:report-detail", args=[monument.condition_report_id])
        return self.context["request"].build_absolute_uri(path)


class MonumentWithConditionSerializer(MonumentConditionMixin, MonumentSerializer):
    class Meta(MonumentSerializer.Meta):
        fields = [
            *MonumentSerializer.Meta.fields,
            "condition",
            "condition_since",
            "condition_report",
        ]


class MonumentDetailSerializer(MonumentWithConditionSerializer):
    timeline = ReportSummarySerializer(
        source="public_reports",
        many=True,
        read_only=True,
        help_text="The monument's published reports, oldest event first.",
    )

    class Meta(MonumentWithConditionSerializer.Meta):
        fields = [*MonumentWithConditionSerializer.Meta.fields, "timeline"]


class MonumentCompactSerializer(MonumentConditionMixin, MonumentLinkSerializer):
    class Meta(MonumentLinkSerializer.Meta):
        fields = [*MonumentLinkSerializer.Meta.fields, "condition", "condition_since"]


class SiteWithCountsSerializer(SiteSerializer):
    published_reports = serializers.SerializerMethodField(
        help_text="Number of published reports on the site, by extent."
    )

    class Meta(SiteSerializer.Meta):
        fields = [*SiteSerializer.Meta.fields, "published_reports"]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {extent: {"type": "integer"} for extent in Extent.values},
            "required": list(Extent.values),
        }
    )
    def get_published_reports(self, site) -> dict[str, int]:
        return {extent: getattr(site, f"published_{extent}") for extent in Extent.values}

    def to_representation(self, site) -> dict:
        return {
            **super().to_representation(site),
            "published_reports": self.get_published_reports(site),
        }


class SiteDetailSerializer(SiteWithCountsSerializer):
    monuments = MonumentCompactSerializer(
        many=True, read_only=True, help_text="The site's monuments and their condition."
    )

    class Meta(SiteWithCountsSerializer.Meta):
        fields = [*SiteWithCountsSerializer.Meta.fields, "monuments"]

    def to_representation(self, site) -> dict:
        monuments = self.fields["monuments"].to_representation(site.monuments.all())
        return {**super().to_representation(site), "monuments": monuments}


REPORT_CSV_COLUMNS = [
    "id",
    "url",
    "site",
    "site_unesco_id",
    "monument",
    "monument_kind",
    "latitude",
    "longitude",
    "coordinates_coarsened",
    "occurred",
    "occurred_on",
    "occurred_on_precision",
    "occurred_until",
    "occurred_until_precision",
    "observed_on",
    "damage_type",
    "eamena_disturbance_cause",
    "extent",
    "eamena_damage_severity",
    "certainty",
    "assessment_basis",
    "responsible_party",
    "summary",
    "external_id",
    "published_at",
    "sources",
    "quotes",
]


def report_csv_row(report: DamageReport, request) -> list:
    """One CSV row; the place's coordinates are the monument's, else the site's, as public."""
    place = report.monument if report.monument and report.monument.has_coordinates else report.site
    point = place.public_coordinates()
    citations = report.ordered_citations
    return [
        report.pk,
        request.build_absolute_uri(reverse("api:report-detail", args=[report.pk])),
        report.site.name,
        report.site.unesco_id or "",
        report.monument.name if report.monument else "",
        report.monument.kind if report.monument else "",
        point[0] if point else "",
        point[1] if point else "",
        "true" if place.location_is_coarsened else "false",
        report.occurred_display,
        report.occurred_on.isoformat(),
        report.occurred_on_precision,
        report.occurred_until.isoformat() if report.occurred_until else "",
        report.occurred_until_precision,
        report.observed_on.isoformat() if report.observed_on else "",
        report.damage_type,
        EAMENA_DISTURBANCE_CAUSE[report.damage_type],
        report.extent,
        EAMENA_DAMAGE_SEVERITY[report.extent],
        report.certainty,
        report.assessment_basis,
        report.responsible_party,
        report.summary,
        report.external_id,
        report.published_at.isoformat() if report.published_at else "",
        " | ".join(
            f"{c.article.title} ({c.article.url})" if c.article.url else c.article.title
            for c in citations
        ),
        " | ".join(c.quote for c in citations),
    ]
