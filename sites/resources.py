"""Spreadsheet columns (CSV, XLSX) for sites and monuments, for django-import-export.
Rows are matched on natural keys, so re-importing a file changes nothing: sites on their
UNESCO id, monuments on site slug + monument slug. What every resource shares (formula-safe
text, finite numbers, column checks) is heritage.spreadsheets.SpreadsheetResource."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from import_export import fields, resources, widgets

from heritage.spreadsheets import SpreadsheetResource
from sites.models import AlternativeName, HeritageSite, Monument


class CountriesWidget(widgets.Widget):
    """Countries as comma-separated ISO codes: "SY" or "AR,BE,FR"."""

    def clean(self, value: Any, row=None, **kwargs) -> list[str]:
        return [code.strip().upper() for code in str(value or "").split(",") if code.strip()]

    def render(self, value: Any, obj=None, **kwargs) -> str:
        return ",".join(country.code for country in value or [])


class NamesWidget(widgets.Widget):
    """Alternative names separated by semicolons."""

    def clean(self, value: Any, row=None, **kwargs) -> list[str]:
        return [name.strip() for name in str(value or "").split(";") if name.strip()]

    def render(self, value: Any, obj=None, **kwargs) -> str:
        if value is None or value.instance.pk is None:  # a monument not saved yet has none
            return ""
        return "; ".join(alias.name for alias in value.all())


class SiteSlugWidget(widgets.ForeignKeyWidget):
    """A site by its slug; an unknown slug is an error in that row's site column."""

    def __init__(self) -> None:
        super().__init__(HeritageSite, field="slug")

    def clean(self, value: Any, row=None, **kwargs) -> HeritageSite | None:
        try:
            return super().clean(value, row, **kwargs)
        except HeritageSite.DoesNotExist:
            raise ValueError(f"No site with the slug {value!r}.") from None


def require_site(row) -> None:
    """The site column is part of the row's key: an unknown one is that row's error."""
    slug = str(row.get("site") or "").strip()
    if not HeritageSite.objects.filter(slug=slug).exists():
        raise ValidationError({"site": [f"No site with the slug {slug!r}."]})


def blanks_as_empty_text(row) -> None:
    """Spreadsheet cells left empty come back as None; our text fields want ""."""
    for key, value in list(row.items()):
        if value is None:
            row[key] = ""


class HeritageSiteResource(SpreadsheetResource, resources.ModelResource):
    command_name = "sites"
    matched_on = "sites are matched on their UNESCO id."
    countries = fields.Field(
        attribute="countries", column_name="countries", widget=CountriesWidget()
    )

    class Meta:
        model = HeritageSite
        import_id_fields = ["unesco_id"]
        fields = [
            "unesco_id",
            "name",
            "slug",
            "countries",
            "region",
            "category",
            "criteria",
            "year_inscribed",
            "in_danger_since",
            "latitude",
            "longitude",
            "location_is_sensitive",
            "description",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        blanks_as_empty_text(row)
        if not str(row.get("unesco_id") or "").strip():
            raise ValidationError("unesco_id is empty: imported sites are matched on it.")
        if not str(row.get("slug") or "").strip():
            row["slug"] = slugify(row.get("name") or "")[:100]


class MonumentResource(SpreadsheetResource, resources.ModelResource):
    command_name = "monuments"
    matched_on = "monuments are matched on their site and slug."
    site = fields.Field(attribute="site", column_name="site", widget=SiteSlugWidget())
    alternative_names = fields.Field(
        attribute="alternative_names", column_name="alternative_names", widget=NamesWidget()
    )

    class Meta:
        model = Monument
        import_id_fields = ["site", "slug"]
        fields = [
            "site",
            "slug",
            "name",
            "kind",
            "alternative_names",
            "period",
            "latitude",
            "longitude",
            "current_location",
            "wikidata_id",
            "description",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        blanks_as_empty_text(row)
        require_site(row)
        if not str(row.get("slug") or "").strip():
            row["slug"] = slugify(row.get("name") or "")[:100]

    def import_field(self, field, instance, row, is_m2m=False, **kwargs) -> None:
        # Alternative names are rows of their own: set after the monument is saved.
        if field.attribute == "alternative_names":
            # Without the column, a sheet leaves the names as they are.
            if field.column_name in row:
                instance.imported_names = field.clean(row, **kwargs)
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        names = NamesWidget().clean(row.get("alternative_names"))
        if original and original.pk and "alternative_names" in row:
            current = sorted(original.alternative_names.values_list("name", flat=True))
            if current != sorted(names):
                return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs) -> None:
        if not hasattr(instance, "imported_names"):
            return
        wanted = set(instance.imported_names)
        instance.alternative_names.exclude(name__in=wanted).delete()
        for name in wanted - set(instance.alternative_names.values_list("name", flat=True)):
            AlternativeName.objects.create(monument=instance, name=name)
