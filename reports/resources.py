"""Spreadsheet columns (CSV, XLSX) for damage reports, for django-import-export.

An import never publishes: new reports arrive as drafts, the status column is exported but
never read, and a row matching a report that is in review, published or retracted is refused.
Rows are matched on the claim itself (site, monument, damage type, date, summary), so
re-importing a file changes nothing."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources, widgets

from reports.models import DamageReport
from reports.vocabularies import Status
from sites.models import Monument
from sites.resources import SiteSlugWidget, blanks_as_empty_text, require_site

EDITABLE_BY_IMPORT = (Status.DRAFT, Status.REJECTED)


class MonumentKeyWidget(widgets.Widget):
    """A monument as site slug / monument slug: "palmyra/temple-of-bel"; empty for the site."""

    def clean(self, value: Any, row=None, **kwargs) -> Monument | None:
        key = str(value or "").strip()
        if not key:
            return None
        site_slug, _, slug = key.partition("/")
        monument = Monument.objects.filter(site__slug=site_slug, slug=slug).first()
        if monument is None:
            raise ValueError(f"No monument {key!r}: write it as site-slug/monument-slug.")
        return monument

    def render(self, value: Any, obj=None, **kwargs) -> str:
        return value.key if value else ""


class DamageReportResource(resources.ModelResource):
    site = fields.Field(attribute="site", column_name="site", widget=SiteSlugWidget())
    monument = fields.Field(
        attribute="monument", column_name="monument", widget=MonumentKeyWidget()
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        model = DamageReport
        import_id_fields = ["site", "monument", "damage_type", "occurred_on", "summary"]
        fields = [
            "id",
            "status",
            "site",
            "monument",
            "occurred_on",
            "occurred_on_precision",
            "occurred_until",
            "occurred_until_precision",
            "observed_on",
            "damage_type",
            "extent",
            "certainty",
            "assessment_basis",
            "responsible_party",
            "summary",
            "external_id",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row, **kwargs) -> None:
        """The key columns are read before anything else: report all their errors at once."""
        blanks_as_empty_text(row)
        errors = {}
        try:
            require_site(row)
        except ValidationError as error:
            errors.update(error.message_dict)
        try:
            MonumentKeyWidget().clean(row.get("monument"))
        except ValueError as error:
            errors["monument"] = [str(error)]
        try:
            widgets.DateWidget().clean(row.get("occurred_on"))
        except ValueError:
            errors["occurred_on"] = ["Write the date as YYYY-MM-DD, e.g. 2015-08-30."]
        if errors:
            raise ValidationError(errors)

    def get_import_fields(self) -> list:
        # The id is exported for reference; rows are matched on the claim, not on it.
        return [field for field in super().get_import_fields() if field.column_name != "id"]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk is not None and instance.status not in EDITABLE_BY_IMPORT:
            status = Status(instance.status).label.lower()
            errors[NON_FIELD_ERRORS] = [
                f"This report is {status}: only drafts and rejected reports are updated by an "
                "import. Change it in the admin instead."
            ]
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        user = kwargs.get("user")
        if instance.pk is None:
            instance.status = Status.DRAFT
            instance.created_by = user
        instance.updated_by = user
