from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django_countries import countries
from import_export.admin import ImportExportModelAdmin

from heritage.admin_input import int_param
from heritage.history import HistoryAdmin
from heritage.spreadsheet_admin import SpreadsheetImportAdminMixin
from sites.models import AlternativeName, HeritageSite, Monument, SiteName
from sites.resources import HeritageSiteResource, MonumentResource


class CountryFilter(admin.SimpleListFilter):
    """Filter by one country of a site, offering only the countries that have sites."""

    title = "country"
    parameter_name = "country"
    # Path from the filtered model to HeritageSite.countries; subclasses point it elsewhere.
    field_path = "countries"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        # values_list gives the stored text: comma-separated codes such as "AR,BE,FR".
        codes = {
            code
            for value in HeritageSite.objects.values_list("countries", flat=True).distinct()
            for code in value.split(",")
            if code
        }
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # Countries are stored as comma-separated two-letter codes, so a code can only match
        # itself.
        if code := self.value():
            return queryset.filter(**{f"{self.field_path}__contains": code.upper()})
        return queryset


class SiteCountryFilter(CountryFilter):
    """The country filter for models that belong to a site (monuments, reports)."""

    field_path = "site__countries"


class SiteFilter(admin.SimpleListFilter):
    """Filter by site, for models that belong to one (monuments, reports). Lists the sites
    that have rows while there are few sites; beyond that, a list of a thousand links costs
    more than the page itself (measured: 90 ms of query and 100 ms of template at 1,000
    sites), so only the chosen site is listed: search finds sites by name, and
    `?site=<id>` links to one site's rows."""

    title = "site"
    parameter_name = "site"
    LISTED_UP_TO = 50

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        sites = HeritageSite.objects.order_by("name")
        if sites.count() <= self.LISTED_UP_TO:
            rows = model_admin.model.objects.filter(site=OuterRef("pk"))
            sites = sites.filter(Exists(rows))
        elif (chosen := int_param(self.value())) is not None:
            sites = sites.filter(pk=chosen)
        else:
            return []
        return [(str(pk), name) for pk, name in sites.values_list("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            if int_param(self.value()) is None:
                raise IncorrectLookupParameters("A site is chosen by its number.")
            return queryset.filter(site_id=int_param(self.value()))
        return queryset


class InDangerFilter(admin.SimpleListFilter):
    title = "on the danger list"
    parameter_name = "in_danger"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", "In danger"), ("no", "Not in danger")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(in_danger_since__isnull=self.value() == "no")
        return queryset


class MonumentInline(admin.TabularInline):
    model = Monument
    fields = ["name", "slug", "kind", "period"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0
    show_change_link = True


class SiteNameInline(admin.TabularInline):
    model = SiteName
    extra = 1
    verbose_name = "name in another language"
    verbose_name_plural = "names in other languages (pages in that language show them first)"


# import-export's stubs declare `model` and `change_list_template` unlike ModelAdmin's (their
# own ImportExportModelAdmin ignores the same conflict), here and on the other spreadsheet admins.
@admin.register(HeritageSite)
class HeritageSiteAdmin(  # type: ignore[misc]
    SpreadsheetImportAdminMixin, ImportExportModelAdmin, HistoryAdmin
):
    resource_classes = [HeritageSiteResource]
    list_display = [
        "name",
        "unesco_id",
        "country_names",
        "category",
        "year_inscribed",
        "in_danger_since",
        "monument_count",
        "location_is_sensitive",
    ]
    list_filter = [InDangerFilter, "category", "region", CountryFilter, "location_is_sensitive"]
    search_fields = ["name", "slug", "=unesco_id", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SiteNameInline, MonumentInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "unesco_id", "category", "criteria"]}),
        ("World Heritage status", {"fields": ["year_inscribed", "in_danger_since"]}),
        (
            "Where",
            {"fields": ["countries", "region", "latitude", "longitude", "location_is_sensitive"]},
        ),
        (None, {"fields": ["description"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # An aggregate drops the model's default ordering; autocomplete pages need one.
        return (
            super()
            .get_queryset(request)
            .annotate(monument_total=Count("monuments"))
            .order_by(*HeritageSite._meta.ordering or ())
        )

    @admin.display(description="countries")
    def country_names(self, site: HeritageSite) -> str:
        # Countries, not str: django-countries' stubs type the field as CharField's str.
        return ", ".join(country.name for country in site.countries)  # type: ignore[attr-defined]

    @admin.display(description="monuments", ordering="monument_total")
    def monument_count(self, site: HeritageSite) -> int:
        return site.monument_total


class AlternativeNameInline(admin.TabularInline):
    model = AlternativeName
    extra = 1
    verbose_name = "alternative name"
    verbose_name_plural = "alternative names (used to recognise the monument in articles)"


# Registered by reports/admin.py, which adds the monument's reports (`sites` never imports
# `reports`).
class MonumentAdmin(  # type: ignore[misc]
    SpreadsheetImportAdminMixin, ImportExportModelAdmin, HistoryAdmin
):
    resource_classes = [MonumentResource]
    list_display = ["name", "site", "kind", "period", "other_names"]
    list_filter = ["kind", SiteCountryFilter, SiteFilter]
    list_select_related = ["site"]
    search_fields = ["name", "alternative_names__name", "site__name", "=wikidata_id"]
    autocomplete_fields = ["site"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AlternativeNameInline]
    fieldsets = [
        (None, {"fields": ["site", "name", "slug", "kind", "period", "wikidata_id"]}),
        ("Where", {"fields": ["latitude", "longitude", "current_location"]}),
        (None, {"fields": ["description"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("alternative_names")

    @admin.display(description="also known as")
    def other_names(self, monument: Monument) -> str:
        return "; ".join(alias.name for alias in monument.alternative_names.all())


@admin.register(AlternativeName)
class AlternativeNameAdmin(HistoryAdmin):
    list_display = ["name", "monument"]
    list_select_related = ["monument__site"]
    search_fields = ["name", "monument__name"]
    autocomplete_fields = ["monument"]
