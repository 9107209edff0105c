from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from reports.models import NO_CITATION_MESSAGE, Citation, DamageReport, SourceArticle
from reports.services import report_publish
from reports.text import comparable
from reports.vocabularies import Status
from sites.admin import MonumentAdmin, SiteCountryFilter
from sites.models import Monument


class CitationInlineFormSet(BaseInlineFormSet):
    """Checks what only the whole set of citations can tell: a published report keeps at least
    one, and the same passage is not quoted twice."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("article")
        ]
        seen: set[tuple[int, str]] = set()
        for form in kept:
            key = (form.cleaned_data["article"].pk, comparable(form.cleaned_data.get("quote", "")))
            if key in seen:
                raise ValidationError("The same passage of the same article is cited twice.")
            seen.add(key)
        if self.instance.status == Status.PUBLISHED and not kept:
            raise ValidationError(NO_CITATION_MESSAGE)


class CitationInline(admin.StackedInline):
    model = Citation
    formset = CitationInlineFormSet
    fields = ["article", "quote", "location"]
    autocomplete_fields = ["article"]
    extra = 1
    min_num = 0


@admin.register(DamageReport)
class DamageReportAdmin(admin.ModelAdmin):
    list_display = [
        "short_summary",
        "site",
        "monument_name",
        "occurred",
        "damage_type",
        "extent",
        "status",
        "source_count",
    ]
    list_filter = [
        "status",
        "damage_type",
        "extent",
        "certainty",
        "assessment_basis",
        SiteCountryFilter,
        ("site", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["site", "monument"]
    search_fields = [
        "summary",
        "site__name",
        "monument__name",
        "monument__alternative_names__name",
        "responsible_party",
        "=external_id",
    ]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["site", "monument"]
    readonly_fields = ["published_at", "created_by", "created_at", "updated_by", "updated_at"]
    inlines = [CitationInline]
    actions = ["publish_selected"]
    fieldsets = [
        (None, {"fields": ["site", "monument", "damage_type", "extent", "summary"]}),
        (
            "When",
            {
                "fields": [
                    ("occurred_on", "occurred_on_precision"),
                    ("occurred_until", "occurred_until_precision"),
                    "observed_on",
                ]
            },
        ),
        (
            "Assessment",
            {"fields": ["certainty", "assessment_basis", "responsible_party", "external_id"]},
        ),
        ("Status", {"fields": ["status", "retraction_reason", "published_at"]}),
        ("Private to curators", {"fields": ["curator_notes"]}),
        (
            "Record",
            {
                "fields": ["created_by", "created_at", "updated_by", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_source_count()

    def get_ordering(self, request: HttpRequest) -> list[str]:
        # The review queue is worked oldest first; other lists show the newest events first.
        if request.GET.get("status__exact") == Status.IN_REVIEW:
            return DamageReport.objects.awaiting_review().query.order_by
        return super().get_ordering(request)

    @admin.display(description="summary")
    def short_summary(self, report: DamageReport) -> str:
        return report.summary if len(report.summary) <= 60 else report.summary[:59] + "…"

    @admin.display(description="monument", ordering="monument__name", empty_value="(whole site)")
    def monument_name(self, report: DamageReport) -> str | None:
        return report.monument.name if report.monument_id else None

    @admin.display(description="occurred", ordering="occurred_on")
    def occurred(self, report: DamageReport) -> str:
        return report.occurred_display

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, report: DamageReport) -> int:
        return report.source_count

    def save_model(self, request: HttpRequest, report: DamageReport, form, change: bool) -> None:
        if not change:
            report.created_by = request.user
        report.updated_by = request.user
        # The citations are saved after the report: publish only once they are in, through the
        # same service as everywhere else.
        if report.status == Status.PUBLISHED and form.initial.get("status") != Status.PUBLISHED:
            report.status = form.initial.get("status", Status.DRAFT)
        super().save_model(request, report, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        report = form.instance
        if (
            form.cleaned_data.get("status") == Status.PUBLISHED
            and report.status != Status.PUBLISHED
        ):
            report_publish(report=report, by=request.user)

    @admin.action(description="Publish selected reports")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        published, refused = 0, []
        for report in queryset.select_related("site", "monument"):
            if report.status == Status.PUBLISHED:
                continue
            try:
                report_publish(report=report, by=request.user)
                published += 1
            except ValidationError as error:
                refused.append(f"{report}: {' '.join(error.messages)}")
        self.message_user(request, f"{published} report(s) published.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not published — {line}", messages.WARNING)


class CitationOfArticleInline(admin.TabularInline):
    """Which reports quote this article (read-only: citations are edited on the report)."""

    model = Citation
    fields = ["report", "quote", "location"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "cited by these reports"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("report__site", "report__monument")


@admin.register(SourceArticle)
class SourceArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "language", "citation_count"]
    list_filter = ["language", "publisher"]
    search_fields = ["title", "publisher", "author", "url", "text"]
    date_hierarchy = "published_on"
    readonly_fields = ["text_sha256", "created_at", "updated_at"]
    inlines = [CitationOfArticleInline]
    # A URL typed without its scheme is taken as https, as browsers do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "url", "publisher", "author", "published_on", "language"]}),
        (None, {"fields": ["text"]}),
        (
            "Record",
            {
                "fields": ["retrieved_at", "text_sha256", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, article: SourceArticle) -> int:
        return article.citation_total


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report", "article", "location"]
    list_select_related = ["report__site", "report__monument", "article"]
    search_fields = ["quote", "article__title", "report__summary"]
    autocomplete_fields = ["report", "article"]

    def has_delete_permission(self, request: HttpRequest, obj: Citation | None = None) -> bool:
        # A published report never loses its last source (see Citation.delete).
        if obj is not None and obj.is_only_support_of_published_report():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict:
        # Bulk deletion would bypass the per-citation check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class DamageReportOfMonumentInline(admin.TabularInline):
    """The monument's reports, newest event first, each linking to its page."""

    model = DamageReport
    fk_name = "monument"
    fields = ["occurred", "damage_type", "extent", "status", "summary"]
    readonly_fields = fields
    ordering = ["-occurred_on"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "damage reports"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="occurred")
    def occurred(self, report: DamageReport) -> str:
        return report.occurred_display

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("site", "monument")


# `sites` never imports `reports`, so the monument page gains its reports here instead.
admin.site.unregister(Monument)


@admin.register(Monument)
class MonumentWithReportsAdmin(MonumentAdmin):
    inlines = [*MonumentAdmin.inlines, DamageReportOfMonumentInline]
