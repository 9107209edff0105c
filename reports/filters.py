"""Filters of the public API over damage reports and source articles."""

import datetime
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.request import Request

from heritage.api.filtering import StrictBooleanFilter, StrictSearchFilter
from reports.event_dates import EDTF_HELP, EdtfError, parse_edtf_span
from reports.models import DamageReport, DamageReportQuerySet, PublicChange, SourceArticle
from reports.vocabularies import Certainty, DamageType, Extent
from sites.filters import CountryFilter, InDangerFilter, UnescoIdFilter
from sites.models import HeritageSite, Monument


class MonumentKeyField(forms.CharField):
    def clean(self, value: Any) -> Monument | None:
        key = super().clean(value).strip()
        if not key:
            return None
        monument = Monument.objects.with_key(key).first()
        if monument is None:
            raise forms.ValidationError(
                gettext(
                    "No such monument: give site slug / monument slug, e.g. palmyra/temple-of-bel."
                )
            )
        return monument


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^[-\w]+/[-\w]+$",
        "description": "A monument's key: site slug / monument slug.",
    }
)
class MonumentKeyFilter(django_filters.Filter):
    field_class = MonumentKeyField

    def filter(self, queryset: QuerySet, value: Monument | None) -> QuerySet:
        return queryset if value is None else queryset.filter(monument=value)


class EdtfSpanField(forms.CharField):
    def clean(self, value: Any) -> tuple[Any, Any] | None:
        text = super().clean(value).strip()
        if not text:
            return None
        try:
            return parse_edtf_span(text)
        except EdtfError as error:
            # As a parameter: django-filter formats messages with %, and the reason quotes
            # the client's text, which may hold a % of its own.
            raise forms.ValidationError("%(reason)s", params={"reason": str(error)}) from None


@extend_schema_field(
    {
        "type": "string",
        "description": "An EDTF date or interval; either end of an interval may be open "
        "(`2015-05/..`, `../2016`).",
        "example": "2015-08/2016",
    }
)
class OccurredFilter(django_filters.Filter):
    """Reports whose span (the first to the last day the damage may have happened on,
    approximation included) overlaps the EDTF date or interval given."""

    field_class = EdtfSpanField

    def filter(self, queryset: QuerySet, value: tuple[Any, Any] | None) -> QuerySet:
        if value is None:
            return queryset
        first, last = value
        if first is not None:
            queryset = queryset.filter(occurred_latest__gte=first)
        if last is not None:
            queryset = queryset.filter(occurred_earliest__lte=last)
        return queryset


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 1,
        "maximum": 1000,
        "description": "Reports supported by at least this many independent sources "
        "(distinct publishers; a reprint counts as its original).",
    }
)
class MinSourcesFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def filter(self, queryset: QuerySet, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return cast(DamageReportQuerySet, queryset).with_sources(at_least=value)


@extend_schema_field(
    {
        "type": "boolean",
        "description": "true: only reports a cited source disputes; false: only undisputed ones.",
    }
)
class DisputedFilter(StrictBooleanFilter):
    def filter(self, queryset: QuerySet, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return cast(DamageReportQuerySet, queryset).disputed(value)


class ReportFilter(django_filters.FilterSet):
    # Labels for the search page's form (reports.pages.search); help texts for the API's.
    site = django_filters.ModelChoiceFilter(
        queryset=HeritageSite.objects.order_by("name"),
        to_field_name="slug",
        label=_("Site"),
        help_text="A site's slug.",
    )
    monument = MonumentKeyFilter(label=_("Monument (site/monument)"))
    country = CountryFilter(field_name="site__countries", label=_("Country (ISO code)"))
    kind = django_filters.ChoiceFilter(
        field_name="monument__kind",
        choices=Monument.Kind.choices,
        label=_("Kind of monument"),
        help_text="Kind of monument.",
    )
    damage_type = django_filters.MultipleChoiceFilter(
        choices=DamageType.choices,
        label=_("Damage type"),
        help_text="Damage type; repeat for any of several.",
    )
    extent = django_filters.MultipleChoiceFilter(
        choices=Extent.choices, label=_("Extent"), help_text="Extent; repeat for any of several."
    )
    certainty = django_filters.MultipleChoiceFilter(
        choices=Certainty.choices,
        label=_("Certainty"),
        help_text="Certainty; repeat for any of several.",
    )
    occurred_after = django_filters.DateFilter(
        label=_("From (YYYY-MM-DD)"),
        field_name="occurred_latest",
        lookup_expr="gte",
        help_text="Reports of damage that may have happened on or after this date "
        "(the period, at its precision, reaches it).",
    )
    occurred_before = django_filters.DateFilter(
        label=_("Until (YYYY-MM-DD)"),
        field_name="occurred_earliest",
        lookup_expr="lte",
        help_text="Reports of damage that may have happened on or before this date.",
    )
    occurred = OccurredFilter(
        label=_("When (EDTF, e.g. 2015-08 or 2015/2016)"),
        help_text="Reports of damage that may have happened within this EDTF date or "
        "interval (their span overlaps it). " + EDTF_HELP,
    )
    min_sources = MinSourcesFilter(
        label=_("At least this many independent sources"),
        min_value=1,
        max_value=1000,
        help_text="Reports supported by at least this many independent sources (distinct "
        "publishers; a reprint counts as its original).",
    )
    disputed = DisputedFilter(
        label=_("Disputed"),
        help_text="true: only reports a cited source disputes; false: only undisputed ones.",
    )
    in_danger = InDangerFilter(field_name="site__in_danger_since", label=_("In danger"))
    unesco_id = UnescoIdFilter(field_name="site__unesco_id", label=_("UNESCO id"))

    class Meta:
        model = DamageReport
        fields = [
            "site",
            "monument",
            "country",
            "kind",
            "damage_type",
            "extent",
            "certainty",
            "occurred_after",
            "occurred_before",
            "occurred",
            "min_sources",
            "disputed",
            "in_danger",
            "unesco_id",
        ]


class SourceFilter(django_filters.FilterSet):
    language = django_filters.CharFilter(help_text="Language code, e.g. en.")
    publisher = django_filters.CharFilter(
        lookup_expr="iexact", help_text="Publisher name (any case)."
    )
    published_after = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after."
    )
    published_before = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before."
    )

    class Meta:
        model = SourceArticle
        fields = ["language", "publisher", "published_after", "published_before"]


class MomentField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment that the database can hold, in UTC: one whose UTC time is past year
    9999 or before year 1 is refused, not a 500, and one at an offset PostgreSQL does not take
    (beyond ±15:59, which Python's allow) is the same moment in UTC."""

    def clean(self, value: Any) -> Any:
        moment = super().clean(value)
        if moment is not None:
            try:
                moment = moment.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                message = gettext("Enter a moment between years 1 and 9999.")
                raise forms.ValidationError(message) from None
        return moment


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class ChangeFilter(django_filters.FilterSet):
    since = MomentFilter(
        field_name="at",
        lookup_expr="gte",
        help_text="Changes made at or after this moment (ISO 8601, e.g. "
        "2016-03-27T00:00:00Z; without a time zone, UTC). Follow `next` from there on.",
    )

    class Meta:
        model = PublicChange
        fields = ["since"]


class ReportSearchFilter(StrictSearchFilter):
    """`search` over reports: DamageReport.objects.search, the admin's search too."""

    search_description = (
        "Words to find (any case, anywhere in a word), each in the summary, the responsible "
        "party, the external id, the site's or monument's name or any other name of the "
        "monument."
    )

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        # The views that use this filter list DamageReport.objects.
        return cast(DamageReportQuerySet, queryset).search(self.search_text(request))
