"""The admin's history pages (django-simple-history), made safe for our rules."""

from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """Lists who changed what and when, and restores a former version. Restoring is a change:
    it needs the change permission on the object (simple-history asks only for the history
    permission), and runs in one transaction like the admin's own change form."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    @staticmethod
    def is_history_page(request: HttpRequest) -> bool:
        """Whether this request is for a "restore a former version" page."""
        match = request.resolver_match
        return bool(match and match.url_name and match.url_name.endswith("_simple_history"))
