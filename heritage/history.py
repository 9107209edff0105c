"""The admin's history pages (django-simple-history), made safe for our rules and readable:
every row says what happened, values read as the forms show them, long texts are not cut."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, router, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import conditional_escape
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from heritage.admin_input import CheckedAddressAdmin, int_param


def change_reason(
    *,
    model: type[models.Model],
    adding: bool = False,
    changed: Iterable[str] = (),
    restored_from: datetime.datetime | None = None,
) -> str:
    """What a save did, for the history page: "created", "changed summary, extent" (the
    fields' names as the forms show them), "restored the version of 25 Nov 2026 17:26"."""
    if restored_from is not None:
        moment = timezone.localtime(restored_from)
        return f"restored the version of {moment.day} {moment:%b %Y %H:%M}"
    if adding:
        return "created"
    names = []
    for name in changed:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form's own field (a photo upload, a status change)
            continue
        if isinstance(field, models.Field):  # not a relation from another model
            names.append(str(field.verbose_name))
    return f"changed {', '.join(names)}" if names else ""


class ReadableChanges(HistoricalRecordContextHelper):
    """A change as a curator reads it: a choice's label ("In review", not "in_review"), a
    related record by its name, a long text whole rather than cut in the middle."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value in (None, ""):
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if field.is_relation and field.many_to_one:
            # simple-history gives the related record itself (or a DeletedObject saying it is
            # gone); a bare key only where asked for one.
            if not isinstance(value, int | str):
                return str(value)
            related = field.related_model._default_manager.filter(pk=value).first()
            return str(related) if related is not None else f"#{value} (deleted)"
        return super().prepare_delta_change_value(change, value)

    def stringify_delta_change_values(self, change, old, new):
        return self.escape(old), self.escape(new)

    @staticmethod
    def escape(value) -> str:
        return conditional_escape(str(value))


class HistoryAdmin(CheckedAddressAdmin, SimpleHistoryAdmin):
    """Lists who changed what and when, and restores a former version. Restoring is a change:
    it needs the change permission on the object (simple-history asks only for the history
    permission), and runs in one transaction like the admin's own change form. Every admin of
    ours is one (and so checks its date hierarchy's parameters)."""

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        if int_param(object_id) is None:  # "abc", "1.5", 20 digits: no such record
            raise Http404("No such record.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        if int_param(object_id) is None or int_param(version_id) is None:
            raise Http404("No such version.")
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        # The page is about the record, not its "historical" copy (breadcrumbs, links).
        extra_context = {**(extra_context or {}), "opts": self.model._meta}
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record):
        return ReadableChanges(self.model, historical_record)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        obj._change_reason = change_reason(
            model=self.model,
            adding=not change,
            changed=form.changed_data,
            restored_from=self.restored_version_date(request),
        )
        super().save_model(request, obj, form, change)

    @staticmethod
    def is_history_page(request: HttpRequest) -> bool:
        """Whether this request is for a "restore a former version" page."""
        match = request.resolver_match
        return bool(match and match.url_name and match.url_name.endswith("_simple_history"))

    def restored_version_date(self, request: HttpRequest) -> datetime.datetime | None:
        """When the version a "restore" page brings back was saved (one query), or None on
        other pages."""
        match = request.resolver_match
        if match is None or not self.is_history_page(request):
            return None
        _, version_id = match.args  # simple-history's (object, version)
        versions = self.model.history.filter(history_id=version_id)
        return versions.values_list("history_date", flat=True).first()
