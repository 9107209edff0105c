"""The OpenAPI description of damage reports, their citations, photos and sources, and of the
report-derived parts of sites and monuments (counts by extent, current condition, timeline).
The shapes themselves are made by reports/representations.py; these serializers only document
them and hand over to those functions. tests/heritage/test_api_schema.py checks every demo
record against the document."""

from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.api.schema import ApiLinkField, ShapeSerializer, made_by
from reports.models import Citation, DamageReport, Evidence, PublicChange, SourceArticle
from reports.representations import (
    change_representation,
    citing_report,
    monument_compact,
    monument_detail,
    monument_with_condition,
    photo_representation,
    report_representation,
    report_summary,
    site_detail,
    site_with_counts,
    source_representation,
)
from reports.vocabularies import Extent
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
    "occurred_on_approximate": {
        "help_text": "The source gives the date (the start) as approximate: it may be a "
        "unit of its precision either way."
    },
    "occurred_until_approximate": {"help_text": "The end of the period is approximate."},
    "occurred_earliest": {
        "help_text": "The first day it may have happened on (the start, earlier when "
        "approximate): what the `occurred` filter compares."
    },
    "occurred_latest": {"help_text": "The last day it may have happened on."},
}

OCCURRED_EDTF_HELP = (
    "The event date in the Library of Congress Extended Date/Time Format (EDTF): "
    '"2015-05", "2015-06-20~" (approximate), "2016-12-26/2017-01-10" (a period).'
)


class OriginalStorySerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True, help_text="The original story's headline.")
    publisher = serializers.CharField(read_only=True, help_text="Who published it first.")
    source_url = serializers.CharField(read_only=True, help_text="Where it was published.")


class ReportSummarySerializer(ShapeSerializer, serializers.ModelSerializer):
    """A report in a timeline or a list of citing reports."""

    represent = made_by(report_summary)
    url = ApiLinkField()
    occurred = serializers.CharField(
        read_only=True,
        help_text='The event date as a person writes it, e.g. "May 2015".',
    )
    occurred_edtf = serializers.CharField(read_only=True, help_text=OCCURRED_EDTF_HELP)

    class Meta:
        model = DamageReport
        fields = [
            "url",
            "id",
            "occurred",
            "occurred_edtf",
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

    url = ApiLinkField()
    source_url = serializers.CharField(
        read_only=True, help_text="Where the article was published."
    )
    archive_url = serializers.CharField(
        read_only=True,
        help_text="Where a web archive keeps a copy (Wayback/Memento, archive.today, "
        "Perma.cc), empty when none is recorded yet.",
    )
    republished_from = OriginalStorySerializer(
        read_only=True,
        allow_null=True,
        help_text="The story this article reprints (e.g. an agency story carried by another "
        "outlet), when the curators marked it so: both count as one source.",
    )

    class Meta:
        model = SourceArticle
        fields = [
            "url",
            "id",
            "title",
            "publisher",
            "author",
            "published_on",
            "source_url",
            "archive_url",
            "archived_at",
            "republished_from",
        ]
        extra_kwargs = {
            "archived_at": {"help_text": "When the archived copy was made, if known."},
            "id": {"help_text": "The article's number."},
            "title": {"help_text": "The article's headline."},
            "author": {"help_text": "The author, when known."},
            "publisher": {"help_text": "Who published the article."},
            "published_on": {"help_text": "Publication date (ISO 8601)."},
        }


class EvidenceSerializer(ShapeSerializer, serializers.ModelSerializer):
    represent = made_by(photo_representation)
    image = serializers.URLField(
        read_only=True, help_text="The photo, at most 1600 pixels a side."
    )
    thumbnail = serializers.URLField(read_only=True, help_text="The photo, at most 320 pixels.")

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


class CitationSerializer(serializers.ModelSerializer):
    article = ArticleLinkSerializer(read_only=True, help_text="The article quoted.")

    class Meta:
        model = Citation
        fields = ["article", "quote", "location", "stance"]
        extra_kwargs = {
            "stance": {
                "help_text": "supports: the passage backs the claim; disputes: it denies or "
                "contradicts it; context: neither."
            }
        }


class ReportListSerializer(serializers.ListSerializer):
    def to_representation(self, reports: Any) -> list[dict]:
        child = cast(ReportSerializer, self.child)
        return [child.to_representation(report) for report in reports]


class ReportSerializer(ShapeSerializer, serializers.ModelSerializer):
    represent = made_by(report_representation)
    url = ApiLinkField()
    site = SiteLinkSerializer(read_only=True, help_text="The site the report is about.")
    monument = MonumentLinkSerializer(
        read_only=True,
        allow_null=True,
        help_text="The monument, or null when the source speaks of the whole site.",
    )
    occurred = serializers.CharField(
        read_only=True,
        help_text='The event date as a person writes it, e.g. "May 2015 – 27 March 2016".',
    )
    occurred_edtf = serializers.CharField(read_only=True, help_text=OCCURRED_EDTF_HELP)
    citation_count = serializers.IntegerField(
        read_only=True, help_text="How many passages are cited, whatever their stance."
    )
    source_count = serializers.IntegerField(
        read_only=True,
        help_text="How many independent sources support the report: distinct publishers, "
        "a reprint counting as its original story.",
    )
    single_source = serializers.BooleanField(
        read_only=True, help_text="Only one independent source supports the report."
    )
    disputed = serializers.BooleanField(
        read_only=True, help_text="A cited source denies or contradicts the report."
    )
    eamena_disturbance_cause = serializers.CharField(
        read_only=True, help_text="The damage type in EAMENA's Disturbance Cause Type list."
    )
    eamena_damage_severity = serializers.CharField(
        read_only=True, help_text="The extent in EAMENA's Overall Damage Severity list."
    )
    unosat_damage_class = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The extent as a UNOSAT damage class, where one applies.",
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
            "occurred_edtf",
            "occurred_on",
            "occurred_on_precision",
            "occurred_on_approximate",
            "occurred_until",
            "occurred_until_precision",
            "occurred_until_approximate",
            "occurred_earliest",
            "occurred_latest",
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
            "citation_count",
            "source_count",
            "single_source",
            "disputed",
            "citations",
            "evidence",
        ]
        extra_kwargs = REPORT_FIELDS_HELP
        list_serializer_class = ReportListSerializer


class ReportKeySerializer(serializers.Serializer):
    url = ApiLinkField()
    id = serializers.IntegerField(read_only=True, help_text="The report's number.")


class ChangeSerializer(ShapeSerializer, serializers.ModelSerializer):
    """One change the public saw: a report published, changed or retracted."""

    represent = made_by(change_representation)
    url = ApiLinkField()
    report = ReportKeySerializer(
        read_only=True,
        help_text="The report. Re-read it when published or changed; once retracted, its "
        "address answers 410 and a mirror should drop it.",
    )

    class Meta:
        model = PublicChange
        fields = ["url", "id", "report", "action", "at"]
        extra_kwargs = {
            "id": {"help_text": "The change's number."},
            "action": {
                "help_text": "published, changed (its fields, citations, photos, sources, or "
                "the names of its site or monument) or retracted."
            },
            "at": {"help_text": "When it happened."},
        }


class CitingReportSerializer(ShapeSerializer, serializers.ModelSerializer):
    """One published report citing an article, with the passage it quotes."""

    represent = made_by(citing_report)
    report = ReportSummarySerializer(read_only=True, help_text="The citing report.")
    site = SiteLinkSerializer(read_only=True, help_text="Its site.")
    monument = MonumentLinkSerializer(read_only=True, allow_null=True, help_text="Its monument.")

    class Meta:
        model = Citation
        fields = ["report", "site", "monument", "quote", "location", "stance"]


class SourceSerializer(ShapeSerializer, ArticleLinkSerializer):
    represent = made_by(source_representation)
    cited_by = CitingReportSerializer(
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


class MonumentWithConditionSerializer(MonumentConditionMixin, MonumentSerializer):
    represent = made_by(monument_with_condition)
    condition_report = serializers.URLField(
        read_only=True, allow_null=True, help_text="The report the condition comes from."
    )

    class Meta(MonumentSerializer.Meta):
        fields = [
            *MonumentSerializer.Meta.fields,
            "condition",
            "condition_since",
            "condition_report",
        ]


class MonumentDetailSerializer(MonumentWithConditionSerializer):
    represent = made_by(monument_detail)
    timeline = ReportSummarySerializer(
        many=True,
        read_only=True,
        help_text="The monument's published reports, oldest event first.",
    )

    class Meta(MonumentWithConditionSerializer.Meta):
        fields = [*MonumentWithConditionSerializer.Meta.fields, "timeline"]


class MonumentCompactSerializer(MonumentConditionMixin, MonumentLinkSerializer):
    represent = made_by(monument_compact)

    class Meta(MonumentLinkSerializer.Meta):
        fields = [*MonumentLinkSerializer.Meta.fields, "condition", "condition_since"]


@extend_schema_field(
    {
        "type": "object",
        "properties": {extent: {"type": "integer"} for extent in Extent.values},
        "required": list(Extent.values),
    }
)
class ExtentCountsField(serializers.DictField):
    """Documents a count for each extent."""


class SiteWithCountsSerializer(SiteSerializer):
    represent = made_by(site_with_counts)
    published_reports = ExtentCountsField(
        read_only=True, help_text="Number of published reports on the site, by extent."
    )

    class Meta(SiteSerializer.Meta):
        fields = [*SiteSerializer.Meta.fields, "published_reports"]


class SiteDetailSerializer(SiteWithCountsSerializer):
    represent = made_by(site_detail)
    monuments = MonumentCompactSerializer(
        many=True, read_only=True, help_text="The site's monuments and their condition."
    )

    class Meta(SiteWithCountsSerializer.Meta):
        fields = [*SiteWithCountsSerializer.Meta.fields, "monuments"]
