import re
from functools import partial
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, QuerySet
from django.db.models.expressions import Combinable
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from import_export.admin import ImportExportModelAdmin

from heritage.admin_input import CheckedAddressAdmin, int_param, year_param
from heritage.history import HistoryAdmin
from heritage.spreadsheet_admin import SpreadsheetImportAdminMixin
from reports.event_dates import EDTF_HELP, EdtfError, EventDate, parse_edtf
from reports.images import CleanImage, ImageRejected, clean_uploaded_file
from reports.ingest import IngestError, ingest_article
from reports.ingest.forms import ArticleForm
from reports.models import (
    CONCURRENT_EDIT_MESSAGE,
    DUPLICATE_PHOTO_MESSAGE,
    NO_CITATION_MESSAGE,
    SEEN_BY_PUBLIC,
    Citation,
    DamageReport,
    DamageReportQuerySet,
    Evidence,
    SourceArticle,
    SourceArticleQuerySet,
)
from reports.resources import DamageReportResource
from reports.services import (
    ACTION_LABELS,
    evidence_attach,
    evidence_files_kept_if_saved,
    is_reviewer,
    proposal_discard,
    proposal_merge,
    report_next_statuses,
    report_save,
    report_transition,
    transition_error,
)
from reports.text import comparable
from reports.vocabularies import Stance, Status
from sites.admin import MonumentAdmin, SiteCountryFilter, SiteFilter
from sites.models import HeritageSite, Monument


class CitationInlineFormSet(BaseInlineFormSet):
    """Checks what only the whole set of citations can tell: a published report (or one this
    save publishes: `publishing`) keeps at least one, and the same passage is not quoted
    twice."""

    def __init__(self, *args, publishing: bool = False, **kwargs) -> None:
        self.publishing = publishing
        super().__init__(*args, **kwargs)

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
        publishing = self.publishing or self.instance.is_public
        supporting = [form for form in kept if form.cleaned_data.get("stance") == Stance.SUPPORTS]
        if publishing and not supporting:
            raise ValidationError(NO_CITATION_MESSAGE)


class CitationInline(admin.StackedInline):
    model = Citation
    formset = CitationInlineFormSet
    fields = ["article", "stance", "quote", "location"]
    autocomplete_fields = ["article"]
    extra = 1
    min_num = 0


class EvidenceForm(forms.ModelForm):
    """A photo with its caption, credit and licence. The file is checked and cleaned here
    (reports.images), so a bad file is a form error and nothing is written. A new photo is
    stored when the form is saved (see `save`)."""

    upload = forms.FileField(
        label="Photo",
        required=False,
        help_text="JPEG, PNG or WebP, at most 20 MB. Location and camera data are removed.",
    )

    class Meta:
        model = Evidence
        fields = ["upload", "caption", "credit", "licence", "taken_on", "monument"]

    clean_image: CleanImage | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        upload = cleaned.get("upload")
        if self.instance.pk is None and upload is None:
            raise ValidationError({"upload": "Choose the photo to upload."})
        if upload is not None:
            if self.instance.pk is not None:
                raise ValidationError(
                    {"upload": "A photo's file cannot be replaced: add a new photo instead."}
                )
            try:
                self.clean_image = clean_uploaded_file(upload)
            except ImageRejected as error:
                raise ValidationError({"upload": str(error)}) from None
            # A new report (its photos added with it) has none yet.
            report = cleaned.get("report") or getattr(self.instance, "report", None)
            if report is not None and report.pk is not None:
                if report.evidence.filter(sha256=self.clean_image.sha256).exists():
                    raise ValidationError({"upload": DUPLICATE_PHOTO_MESSAGE})
        return cleaned

    def validate_unique(self) -> None:
        # A new photo's hash is known only once its file is read (see clean): the database's
        # unique check runs in evidence_attach.
        if self.instance.pk is not None:
            super().validate_unique()

    def save(self, commit: bool = True) -> Evidence:
        """Saves even when `commit` is false: a new photo's files and row are written
        together by evidence_attach (the admin then saves nothing more)."""
        if self.instance.pk is not None:
            return super().save(commit)
        if self.clean_image is None:  # clean() reads the file of every new photo
            raise ValueError("A new photo's form is saved only once it is valid.")
        self.instance = evidence_attach(
            report=self.cleaned_data.get("report") or self.instance.report,
            image=self.clean_image,
            caption=self.cleaned_data["caption"],
            credit=self.cleaned_data["credit"],
            licence=self.cleaned_data["licence"],
            taken_on=self.cleaned_data.get("taken_on"),
            monument=self.cleaned_data.get("monument"),
        )
        # No many-to-many fields. Django's own save(commit=False) sets this attribute too.
        self.save_m2m = lambda: None  # type: ignore[method-assign]
        return self.instance


class EvidenceInlineFormSet(BaseInlineFormSet):
    """Refuses the same new photo twice in one save."""

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            image = getattr(form, "clean_image", None)
            if image is None or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            if image.sha256 in seen:
                form.add_error("upload", "The same photo is added twice in this save.")
            seen.add(image.sha256)


def thumbnail_tag(evidence: Evidence | None) -> str:
    if evidence is None or evidence.pk is None:
        return "—"
    url = reverse("evidence-file", args=[evidence.pk, "thumbnail"])
    return format_html('<img src="{}" alt="{}" style="max-height:80px">', url, evidence.caption)


class EvidenceInline(admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    formset = EvidenceInlineFormSet
    fields = ["preview", "upload", "caption", "credit", "licence", "taken_on", "monument"]
    readonly_fields = ["preview"]
    autocomplete_fields = ["monument"]
    extra = 0
    verbose_name = "photo"
    verbose_name_plural = "photo evidence"

    @admin.display(description="thumbnail")
    def preview(self, evidence: Evidence) -> str:
        return thumbnail_tag(evidence)


def marked(text: str, words: list[str]) -> SafeString:
    """The text, escaped, with each of the words marked wherever it stands (any case)."""
    words = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


class ProposalFilter(admin.SimpleListFilter):
    title = "origin"
    parameter_name = "proposed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", "Proposed from an article"), ("no", "Written by a curator")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(proposal_confidence__isnull=self.value() == "no")
        return queryset


class CorroborationFilter(admin.SimpleListFilter):
    """How well reports are sourced (reports.models.corroboration): the published reports
    resting on one source are the curators' first check."""

    title = "corroboration"
    parameter_name = "corroboration"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("one-source", "Published on one source"),
            ("several", "Two or more independent sources"),
            ("disputed", "Disputed"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        reports = cast(DamageReportQuerySet, queryset)
        if self.value() == "one-source":
            return reports.public().with_sources(at_most=1)
        if self.value() == "several":
            return reports.with_sources(at_least=2)
        if self.value() == "disputed":
            return reports.disputed()
        return queryset


class ArchivedCopyFilter(admin.SimpleListFilter):
    """The curators' to-do list of archiving: published reports citing a source whose page
    has no archived copy yet (pages vanish; an archived copy keeps the claim checkable)."""

    title = "archived copies"
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("missing", "Published, a source not archived yet")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "missing":
            unarchived = Citation.objects.filter(report=OuterRef("pk"), article__archive_url="")
            return cast(DamageReportQuerySet, queryset).public().filter(Exists(unarchived))
        return queryset


class OccurredYearFilter(admin.SimpleListFilter):
    """The year the damage occurred (or began), newest first. Replaces a date hierarchy,
    whose two queries over every matching report cost 100 ms at 200,000 reports: the years
    offered come from the index's first and last dates."""

    title = "year occurred"
    parameter_name = "occurred"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        span = DamageReport.objects.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
        if span["first"] is None:
            return []
        years = range(span["last"].year, span["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            if year_param(self.value()) is None:
                raise IncorrectLookupParameters("Choose a year from the list.")
            return queryset.filter(occurred_on__year=year_param(self.value()))
        return queryset


STATUS_AND_PROVENANCE = [
    "status",
    "submitted_at",
    "published_at",
    "retraction_reason",
    "created_by",
    "created_at",
]


class DamageReportAdminForm(forms.ModelForm):
    """The report form, with a status change limited to what this curator may do, and the
    version the curator started from (to refuse overwriting someone else's save)."""

    transition = forms.ChoiceField(
        label="Change status",
        required=False,
        help_text="Applied when you save, after your edits and citations.",
    )
    transition_reason = forms.CharField(
        label="Reason for retraction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to retract a published report.",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    occurred_edtf = forms.CharField(
        label="or in EDTF",
        required=False,
        max_length=64,
        help_text="Type the date in EDTF instead of the fields above, if you prefer: it fills "
        "them in. " + EDTF_HELP,
    )

    # Set by DamageReportAdmin.get_form for the curator at hand.
    user: User | AnonymousUser | None = None

    class Meta:
        model = DamageReport
        fields = [
            "site",
            "monument",
            "damage_type",
            "extent",
            "summary",
            "occurred_on",
            "occurred_on_precision",
            "occurred_on_approximate",
            "occurred_until",
            "occurred_until_precision",
            "occurred_until_approximate",
            "observed_on",
            "certainty",
            "assessment_basis",
            "responsible_party",
            "external_id",
            "curator_notes",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "transition" in self.fields:  # not on a "restore a former version" page
            choices = report_next_statuses(report=self.instance, user=self.user)
            transition = cast(forms.ChoiceField, self.fields["transition"])
            transition.choices = [("", "— keep the status —")] + [
                (status, ACTION_LABELS[status]) for status in choices
            ]
        if self.instance.pk:
            # The version in the database now, not the instance's: a history page restoring an
            # old version also starts from the current one.
            self.fields["base_version"].initial = self.current_version()
            self.fields["occurred_edtf"].initial = self.instance.occurred_edtf
        if "occurred_on" in self.fields:
            # Either the date fields or the EDTF box: checked in clean().
            self.fields["occurred_on"].required = False

    def current_version(self, lock: bool = False) -> int | None:
        """The report's version in the database; locked until the admin's transaction ends
        when `lock`, so that no save slips in between this check and ours."""
        rows = DamageReport.objects.filter(pk=self.instance.pk)
        if lock:
            rows = rows.select_for_update()
        return rows.values_list("version", flat=True).first()

    def clean_occurred_edtf(self) -> EventDate | None:
        """The date typed in EDTF, when the curator typed or changed it (the box shows the
        report's date: left as it was, the date fields decide)."""
        if "occurred_edtf" not in self.changed_data:
            return None
        text = self.cleaned_data.get("occurred_edtf", "")
        if not text.strip():
            return None
        try:
            return parse_edtf(text)
        except EdtfError as error:
            raise ValidationError(str(error)) from None

    def _apply_edtf(self, cleaned: dict[str, Any]) -> None:
        date = cleaned.get("occurred_edtf")
        if date is None:
            if "occurred_on" in self.fields and not cleaned.get("occurred_on"):
                if not self.has_error("occurred_edtf") and not self.has_error("occurred_on"):
                    self.add_error("occurred_on", "Give the date, here or in EDTF below.")
            return
        cleaned.update(
            occurred_on=date.on,
            occurred_on_precision=date.on_precision,
            occurred_on_approximate=date.on_approximate,
            occurred_until=date.until,
            occurred_until_precision=date.until_precision,
            occurred_until_approximate=date.until_approximate,
        )
        for name in ("occurred_on", "occurred_until"):
            if self.has_error(name):  # the EDTF date replaces what was typed there
                del self.errors[name]
        self.instance.set_event_date(date)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self._apply_edtf(cleaned)
        if self.instance.pk:
            current = self.current_version(lock=True)
            if cleaned.get("base_version") != current:
                raise ValidationError(CONCURRENT_EDIT_MESSAGE)
            self.instance.version = current
        to = cleaned.get("transition")
        if to and not self.has_error("transition_reason"):  # its own error says what is wrong
            reason = cleaned.get("transition_reason", "")
            error = transition_error(report=self.instance, to=to, user=self.user, reason=reason)
            # Citations are checked with the inline forms, which may be adding the first.
            if error and error.code != "citation":
                raise ValidationError({"transition": error})
        return cleaned


@admin.register(DamageReport)
class DamageReportAdmin(  # type: ignore[misc]  # import-export's stubs: see sites.admin
    SpreadsheetImportAdminMixin, ImportExportModelAdmin, HistoryAdmin
):
    resource_classes = [DamageReportResource]
    form = DamageReportAdminForm
    list_display = [
        "short_summary",
        "site",
        "monument_name",
        "occurred",
        "damage_type",
        "extent",
        "status",
        "sources",
    ]
    list_filter = [
        "status",
        CorroborationFilter,
        ArchivedCopyFilter,
        ProposalFilter,
        "damage_type",
        "extent",
        "certainty",
        "assessment_basis",
        SiteCountryFilter,
        SiteFilter,
        OccurredYearFilter,
    ]
    list_select_related = ["site", "monument"]
    # Searched by DamageReport.objects.search (see get_search_results); this only turns the
    # search box on.
    search_fields = ["summary"]
    search_help_text = (
        "Finds every word in the summary, responsible party, site, monument or any of its "
        "other names, or the external id."
    )
    autocomplete_fields = ["site", "monument"]
    readonly_fields = [
        "status",
        "retraction_reason",
        "submitted_at",
        "published_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "version",
        "proposal_confidence",
        "why_proposed",
        "proposed_from",
    ]
    inlines = [CitationInline, EvidenceInline]
    actions = [
        "submit_selected",
        "publish_selected",
        "reject_selected",
        "merge_proposal",
        "discard_proposals",
    ]
    # ModelAdmin's stubs make it a ClassVar, import-export's an instance variable.
    change_list_template = "admin/reports/damagereport/change_list.html"  # type: ignore[misc]

    class Media:
        js = ["admin/js/jquery.init.js", "reports/narrow-monuments.js"]
        css = {"all": ["reports/proposals.css"]}

    # "12 results (200,000 total)" costs a second count of the whole table on every page.
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["site", "monument", "damage_type", "extent", "summary"]}),
        (
            "When",
            {
                "fields": [
                    ("occurred_on", "occurred_on_precision", "occurred_on_approximate"),
                    ("occurred_until", "occurred_until_precision", "occurred_until_approximate"),
                    "occurred_edtf",
                    "observed_on",
                ]
            },
        ),
        (
            "Assessment",
            {"fields": ["certainty", "assessment_basis", "responsible_party", "external_id"]},
        ),
        (
            "Status",
            {
                "fields": [
                    "status",
                    "transition",
                    "transition_reason",
                    "retraction_reason",
                    "submitted_at",
                    "published_at",
                    "base_version",
                ]
            },
        ),
        ("Private to curators", {"fields": ["curator_notes"]}),
        (
            "Record",
            {
                "fields": ["created_by", "created_at", "updated_by", "updated_at", "version"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # An aggregate drops the model's default ordering; autocomplete pages need one.
        reports = cast(DamageReportQuerySet, super().get_queryset(request))
        reports = reports.with_corroboration().order_by(*DamageReport._meta.ordering or ())
        if request.GET.get(ProposalFilter.parameter_name) == "yes":
            quotes = Citation.objects.only("report_id", "quote").order_by("pk")
            reports = reports.prefetch_related(Prefetch("citations", queryset=quotes))
        return reports

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """The one report search (summary, responsible party, site, monument and alternative
        names, external id), which needs no DISTINCT. The report box of a citation's or a
        photo's page offers only the reports this curator may add them to."""
        if autocomplete_for(request, "report"):
            queryset = reports_open_to(request.user, queryset)
        return cast(DamageReportQuerySet, queryset).search(search_term), False

    def get_ordering(
        self, request: HttpRequest
    ) -> list[str | Combinable] | tuple[str | Combinable, ...]:
        # The review queue is worked oldest first; other lists show the newest events first.
        if request.GET.get("status__exact") == Status.IN_REVIEW:
            # Query.order_by is a tuple already: tuple() only tells the types so.
            return tuple(DamageReport.objects.awaiting_review().query.order_by)
        return super().get_ordering(request)

    @admin.display(description="summary")
    def short_summary(self, report: DamageReport) -> str:
        return report.summary if len(report.summary) <= 60 else report.summary[:59] + "…"

    @admin.display(description="monument", ordering="monument__name", empty_value="(whole site)")
    def monument_name(self, report: DamageReport) -> str | None:
        return report.monument.name if report.monument is not None else None

    @admin.display(description="occurred", ordering="occurred_on")
    def occurred(self, report: DamageReport) -> str:
        return report.occurred_display

    @admin.display(description="sources", ordering="source_count")
    def sources(self, report: DamageReport) -> str:
        """Independent sources, flagged when a published report rests on one, or disputed."""
        flags = []
        if report.is_public and report.source_count <= 1:
            flags.append("one source")
        if report.disputed:
            flags.append("disputed")
        count = str(report.source_count)
        return f"{count} ({', '.join(flags)})" if flags else count

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.proposal_confidence is not None:
            fieldsets.insert(
                0,
                (
                    "Proposed from an article: check it, then submit, merge or discard",
                    {"fields": ["proposed_from", "why_proposed", "proposal_confidence"]},
                ),
            )
        hidden = set()
        status = obj.status if obj is not None else Status.DRAFT
        if obj is None or not obj.is_public:
            hidden.add("transition_reason")  # only a retraction, of a public report, needs one
        if status != Status.RETRACTED:
            hidden.add("retraction_reason")
        if self.is_history_page(request):
            # Restoring a former version restores its content, never its status (and the page
            # saves no citations, which a status change may need).
            hidden |= {"transition", "transition_reason"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    @admin.display(description="why proposed")
    def why_proposed(self, report: DamageReport) -> str:
        return "; ".join(report.proposal_matches) or "—"

    @admin.display(description="from the article")
    def proposed_from(self, report: DamageReport) -> str:
        """The sentences the proposal came from, the words that made it marked: the curator
        decides without opening the article."""
        words = [w for match in report.proposal_matches for w in match.split("; ") if w]
        return (
            format_html_join(
                mark_safe("<br>"),  # noqa: S308 - a constant
                '<q class="proposal-quote">{}</q>',
                ((marked(citation.quote, words),) for citation in report.citations.all()),
            )
            or "—"
        )

    def get_list_display(self, request: HttpRequest) -> Any:
        # The review of proposals: each draft's sentences beside it.
        columns = list(self.list_display)
        if request.GET.get(ProposalFilter.parameter_name) == "yes":
            columns.insert(1, "proposed_from")
        return columns

    def get_urls(self) -> list:
        ingest = path(
            "ingest/",
            self.admin_site.admin_view(self.ingest_view),
            name="reports_damagereport_ingest",
        )
        return [ingest, *super().get_urls()]

    def ingest_view(self, request: HttpRequest) -> HttpResponse:
        """The "Ingest article" page: read an article and propose drafts from it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                result = ingest_article(
                    data=upload.read() if upload else data["text"],
                    url=data["url"],
                    title=data["title"],
                    publisher=data["publisher"],
                    published_on=data["published_on"],
                    language=data["language"] or "en",
                    by=curator(request),
                )
            except IngestError as error:
                form.add_error("file" if upload else "text", str(error))
            else:
                for message in result.messages:
                    self.message_user(request, message, messages.INFO)
                self.message_user(
                    request,
                    f"{len(result.proposals)} draft report(s) proposed from “"
                    f"{result.article.title}”; {result.already_proposed} had been proposed "
                    "before.",
                    messages.SUCCESS,
                )
                changelist = reverse("admin:reports_damagereport_changelist")
                return HttpResponseRedirect(f"{changelist}?proposed=yes&status__exact=draft")
        context = {
            **self.admin_site.each_context(request),
            "title": "Ingest an article",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reports/damagereport/ingest.html", context)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = cast(type[DamageReportAdminForm], super().get_form(request, obj, change, **kwargs))
        form.user = request.user  # a class made for this request, so this is not shared
        if self.is_history_page(request):
            form.base_fields.pop("transition", None)
            form.base_fields.pop("transition_reason", None)
        return form

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # What the public sees changes only through a reviewer; editors may still view it.
        if obj is not None and obj.seen_by_public:
            if not is_reviewer(request.user):
                return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A published report is retracted, never deleted, whoever asks.
        if obj is not None and obj.seen_by_public:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict:
        # Bulk deletion would bypass the per-report rule above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not is_reviewer(request.user):
            actions.pop("publish_selected", None)
            actions.pop("reject_selected", None)
        return actions

    def changeform_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with evidence_files_kept_if_saved():
            return super().changeform_view(request, *args, **kwargs)

    def get_formset_kwargs(self, request: HttpRequest, obj, inline, prefix: str) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CitationInline):
            # Asked for, and so checked here; whether this curator may publish, the report's
            # own form says.
            kwargs["publishing"] = request.POST.get("transition") == Status.PUBLISHED
        return kwargs

    def save_model(self, request: HttpRequest, report: DamageReport, form, change: bool) -> None:
        """Only a "restore a former version" page saves here (it has no inline forms): the
        change form saves the report with its citations and photos in save_related."""
        if change and self.is_history_page(request):
            # A former version brings back its content; status and provenance stay current.
            current = DamageReport.objects.get(pk=report.pk)
            for field in STATUS_AND_PROVENANCE:
                setattr(report, field, getattr(current, field))
            report_save(
                report=report,
                by=curator(request),
                restored_from=self.restored_version_date(request),
                validated=True,
            )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """The curator's edits, citations, photos and status change, in one write of the
        report (reports.services.report_save)."""
        report_save(
            report=form.instance,
            by=curator(request),
            to=form.cleaned_data.get("transition") or None,
            reason=form.cleaned_data.get("transition_reason", ""),
            changed=form.changed_data,
            save_parts=partial(super().save_related, request, form, formsets, change),
            validated=True,
        )

    def _bulk_transition(self, request: HttpRequest, queryset: QuerySet, to: str) -> None:
        """Apply one transition to each selected report; say what changed and what was refused
        and why."""
        changed, refused = 0, []
        for report in queryset.select_related("site", "monument"):
            try:
                report_transition(report=report, to=to, by=curator(request))
                changed += 1
            except ValidationError as error:
                refused.append(f"{report}: {' '.join(error.messages)}")
        verb = Status(to).label.lower()
        self.message_user(request, f"{changed} report(s) now {verb}.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"{len(refused)} report(s) refused: " + " | ".join(refused),
                messages.WARNING,
            )

    @admin.action(description="Submit selected reports for review")
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk_transition(request, queryset, Status.IN_REVIEW)

    @admin.action(description="Publish selected reports", permissions=["review"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk_transition(request, queryset, Status.PUBLISHED)

    @admin.action(description="Reject selected reports", permissions=["review"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk_transition(request, queryset, Status.REJECTED)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return is_reviewer(request.user)

    @admin.action(description="Discard selected proposals", permissions=["change"])
    def discard_proposals(self, request: HttpRequest, queryset: QuerySet) -> None:
        discarded, refused = 0, []
        for report in queryset:
            try:
                proposal_discard(report=report, by=curator(request))
                discarded += 1
            except ValidationError as error:
                refused.append(f"{report}: {' '.join(error.messages)}")
        self.message_user(request, f"{discarded} proposal(s) discarded.", messages.SUCCESS)
        if refused:
            self.message_user(request, "Kept: " + " | ".join(refused), messages.WARNING)

    @admin.action(
        description=(
            "Merge the selected proposal into the other selected report (of two proposals, "
            "the newer into the older)"
        ),
        permissions=["change"],
    )
    def merge_proposal(self, request: HttpRequest, queryset: QuerySet) -> None:
        reports = list(queryset)
        proposals = [r for r in reports if r.proposal_confidence is not None]
        if len(reports) != 2 or not proposals:
            self.message_user(
                request,
                f"You selected {len(reports)} report(s)"
                + (", none of them proposed from an article" if not proposals else "")
                + ". Select two: a proposal, and the report to merge it into.",
                messages.ERROR,
            )
            return
        # With two proposals, the older one is kept.
        proposal, into = sorted(reports, key=lambda r: (r.proposal_confidence is None, -r.pk))
        try:
            added = proposal_merge(proposal=proposal, into=into, by=curator(request))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request, f"Merged into “{into}”: {added} citation(s) added.", messages.SUCCESS
        )


class ReadOnlyForm(forms.ModelForm):
    """A form that only shows its record: never validated against the record's rules (which
    speak of fields it does not have) and never saved."""

    def _post_clean(self) -> None:
        pass

    def has_changed(self) -> bool:
        return False


class CitationOfArticleInline(admin.TabularInline):
    """Which reports quote this article (read-only: citations are edited on the report)."""

    model = Citation
    form = ReadOnlyForm
    fields = ("report", "stance", "quote", "location")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "cited by these reports"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("report__site", "report__monument")


class ArticleArchiveFilter(admin.SimpleListFilter):
    """Sources to archive: cited by a published report, with no archived copy yet."""

    title = "archived copy"
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("missing", "Missing, cited by a published report"),
            ("yes", "Archived"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "missing":
            articles = cast(SourceArticleQuerySet, queryset)
            return articles.public().filter(archive_url="")
        if self.value() == "yes":
            return queryset.exclude(archive_url="")
        return queryset


@admin.register(SourceArticle)
class SourceArticleAdmin(HistoryAdmin):
    list_display = [
        "title",
        "publisher",
        "published_on",
        "language",
        "citation_count",
        "archived",
    ]
    list_filter = [ArticleArchiveFilter, "language", "publisher"]
    search_fields = ["title", "publisher", "author", "url", "text"]
    date_hierarchy = "published_on"
    readonly_fields = ["text_sha256", "created_at", "updated_at"]
    autocomplete_fields = ["republished_from"]
    list_select_related = ["republished_from"]
    inlines = [CitationOfArticleInline]
    # A URL typed without its scheme is taken as https, as browsers do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "url", "publisher", "author", "published_on", "language"]}),
        ("Archived copy", {"fields": ["archive_url", "archived_at"]}),
        ("Reprint", {"fields": ["republished_from"]}),
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
        return (
            super()
            .get_queryset(request)
            .annotate(citation_total=Count("citations"))
            .order_by(*SourceArticle._meta.ordering or ())
        )

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, article: SourceArticle) -> int:
        return article.citation_total

    @admin.display(description="archived", boolean=True, ordering="archive_url")
    def archived(self, article: SourceArticle) -> bool:
        return bool(article.archive_url)


def curator(request: HttpRequest) -> User:
    """The signed-in user of an admin page (the admin lets no one else in), as the user
    that reports.services records."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


def autocomplete_for(request: HttpRequest, field_name: str) -> bool:
    """Whether this request is an admin autocomplete filling a `field_name` box."""
    match = request.resolver_match
    return bool(match and match.url_name == "autocomplete") and (
        request.GET.get("field_name") == field_name
    )


def reports_open_to(user, reports: QuerySet) -> QuerySet:
    """The reports `user` may add citations and photos to: a reviewer, any; an editor, none
    the public sees (published or retracted)."""
    if is_reviewer(user):
        return reports
    return reports.exclude(status__in=SEEN_BY_PUBLIC)


class PartOfReportAdmin(HistoryAdmin):
    """Citations and photos are part of their report: what the public sees (a published or
    retracted report's parts) changes only through a reviewer, as the report itself does."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and not self.report_is_editable(request, obj.report):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and not self.report_is_editable(request, obj.report):
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def report_is_editable(request: HttpRequest, report: DamageReport) -> bool:
        return not report.seen_by_public or is_reviewer(request.user)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "report" in form.base_fields:
            # Nor may an editor add a part to a report the public sees.
            field = cast(forms.ModelChoiceField, form.base_fields["report"])
            if field.queryset is not None:  # a model form's foreign key always has one
                field.queryset = reports_open_to(request.user, field.queryset)
        return form


@admin.register(Citation)
class CitationAdmin(PartOfReportAdmin):
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


@admin.register(Evidence)
class EvidenceAdmin(PartOfReportAdmin):
    form = EvidenceForm

    class Media:
        js = ["admin/js/jquery.init.js", "reports/narrow-monuments.js"]

    list_display = ["preview", "caption", "report", "credit", "licence", "taken_on"]
    list_filter = ["licence"]
    list_select_related = ["report__site", "report__monument"]
    search_fields = ["caption", "credit", "report__summary"]
    autocomplete_fields = ["report", "monument"]
    readonly_fields = ["preview", "width", "height", "sha256", "created_at"]
    fields = [
        "preview",
        "report",
        "upload",
        "caption",
        "credit",
        "licence",
        "taken_on",
        "monument",
        "width",
        "height",
        "sha256",
        "created_at",
    ]

    @admin.display(description="thumbnail")
    def preview(self, evidence: Evidence) -> str:
        return thumbnail_tag(evidence)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "report" in form.base_fields:
            form.base_fields["report"].required = True
        return form

    def changeform_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with evidence_files_kept_if_saved():
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, evidence: Evidence, form, change: bool) -> None:
        if change:  # a new photo was stored by EvidenceForm.save
            super().save_model(request, evidence, form, change)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for evidence in queryset:  # one by one, so that their files go too
            evidence.delete()


class DamageReportOfMonumentInline(admin.TabularInline):
    """The monument's reports, newest event first, each linking to its page."""

    model = DamageReport
    form = ReadOnlyForm
    fk_name = "monument"
    fields = ("occurred", "damage_type", "extent", "status", "summary")
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


# The monument admin (sites/admin.py) with the monument's reports, which `sites` cannot import.
class MonumentWithReportsForm(forms.ModelForm):
    """The monument's form, which knows its reports: a monument they are about cannot move to
    another site (each report names its site too), said on the site field."""

    def clean_site(self) -> HeritageSite:
        site = self.cleaned_data["site"]
        monument = self.instance
        if monument.pk is not None and site is not None and site.pk != monument.site_id:
            reports = DamageReport.objects.filter(monument=monument).count()
            if reports:
                raise ValidationError(
                    f"{reports} damage report{'s' if reports > 1 else ''} about this monument "
                    f"name {monument.site.name} as their site: it cannot move to another site. "
                    "Record the monument again in the other site if it is a different one."
                )
        return site


@admin.register(Monument)
class MonumentWithReportsAdmin(MonumentAdmin):
    form = MonumentWithReportsForm
    inlines = [*MonumentAdmin.inlines, DamageReportOfMonumentInline]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """A monument box offers the monuments of the site chosen on the same page: the
        report's site field, or the site of the report a photo belongs to (sent by
        narrow-monuments.js)."""
        if autocomplete_for(request, "monument"):
            site, report = int_param(request.GET.get("site")), int_param(request.GET.get("report"))
            if site is not None:
                queryset = queryset.filter(site_id=site)
            elif report is not None:
                queryset = queryset.filter(site__damage_reports=report)
        return super().get_search_results(request, queryset, search_term)


# Django's own pages for accounts and roles, with the same checks of hand-typed addresses as
# every other page here (a key beyond 64 bits in `?id__in=` was a 500 on SQLite).
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class CuratorAccountAdmin(CheckedAddressAdmin, UserAdmin):
    pass


@admin.register(Group)
class RoleAdmin(CheckedAddressAdmin, GroupAdmin):
    pass
