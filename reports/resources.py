"""Spreadsheet columns (CSV, XLSX) for damage reports, for django-import-export.

An import never publishes: new reports arrive as drafts, and the status column is exported but
never read. A row with an `id` (as exported) changes that report; a row without one is matched
on the claim itself (site, monument, damage type, date, summary), so re-importing a file
changes nothing. Only the reports a curator may change in the admin and the public does not
see (drafts, in review, rejected) are changed; a row for a published or retracted report is
refused with a sentence saying so."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources, widgets

from heritage.spreadsheets import SpreadsheetResource
from reports.models import DamageReport
from reports.vocabularies import Status
from sites.models import Monument
from sites.resources import SiteSlugWidget, blanks_as_empty_text, require_site

# What the public sees changes only through a reviewer, in the admin.
EDITABLE_BY_IMPORT = (Status.DRAFT, Status.IN_REVIEW, Status.REJECTED)
CLAIM_COLUMNS = ["site", "monument", "damage_type", "occurred_on", "summary"]


class MonumentKeyWidget(widgets.Widget):
    """A monument as site slug / monument slug: "palmyra/temple-of-bel"; empty for the site."""

    def clean(self, value: Any, row=None, **kwargs) -> Monument | None:
        key = str(value or "").strip()
        if not key:
            return None
        monument = Monument.objects.with_key(key).first()
        if monument is None:
            raise ValueError(f"No monument {key!r}: write it as site-slug/monument-slug.")
        return monument

    def render(self, value: Any, obj=None, **kwargs) -> str:
        return value.key if value else ""


class DamageReportResource(SpreadsheetResource, resources.ModelResource):
    command_name = "reports"
    matched_on = (
        "reports are matched on their id (as exported) or, without one, on "
        + ", ".join(CLAIM_COLUMNS)
        + "."
    )
    id = fields.Field(attribute="id", column_name="id", readonly=True)
    site = fields.Field(attribute="site", column_name="site", widget=SiteSlugWidget())
    monument = fields.Field(
        attribute="monument", column_name="monument", widget=MonumentKeyWidget()
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        model = DamageReport
        # Matched by get_instance: on the id, or else on the claim (CLAIM_COLUMNS).
        import_id_fields = ["id"]
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

    def required_columns(self, headers: list[str]) -> list[str]:
        return [] if "id" in headers else CLAIM_COLUMNS

    def before_import_row(self, row, **kwargs) -> None:
        """The key columns are read before anything else: report all their errors at once."""
        super().before_import_row(row, **kwargs)
        blanks_as_empty_text(row)
        if report_id(row) is not None:
            return
        missing = [name for name in CLAIM_COLUMNS if name not in row]
        if missing:
            raise ValidationError(
                f"No id, and no {', '.join(missing)} column to find the report by: give the "
                "id of the report from an export, or every one of " + ", ".join(CLAIM_COLUMNS)
            )
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

    def get_instance(self, instance_loader, row) -> DamageReport | None:
        """The report of the row's id, or else the one making the same claim."""
        number = report_id(row)
        if number is not None:
            report = DamageReport.objects.filter(pk=number).first()
            if report is None:
                raise ValidationError(
                    {"id": [f"No report has the id {number}: leave id empty to add a report."]}
                )
            return report
        site = SiteSlugWidget().clean(row.get("site"))
        return DamageReport.objects.filter(
            site=site,
            monument=MonumentKeyWidget().clean(row.get("monument")),
            damage_type=row.get("damage_type"),
            occurred_on=widgets.DateWidget().clean(row.get("occurred_on")),
            summary=row.get("summary"),
        ).first()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk is not None and instance.status not in EDITABLE_BY_IMPORT:
            status = Status(instance.status).label.lower()
            errors[NON_FIELD_ERRORS] = [
                f"Report {instance.pk} is {status}: an import changes only drafts, reports in "
                "review and rejected reports, never what the public sees. A reviewer changes "
                "it in the admin."
            ]
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        user = kwargs.get("user")
        if instance.pk is None:
            instance.status = Status.DRAFT
            instance.created_by = user
        instance.updated_by = user


def report_id(row) -> int | None:
    """The row's report id, None when empty; a ValidationError when it is not an id."""
    value = row.get("id")
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or len(text) > 18:
        raise ValidationError(
            {"id": [f"{text!r} is not a report id: keep the id of an export, or leave it empty."]}
        )
    return int(text)
