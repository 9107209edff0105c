from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from heritage import api
from heritage.favicon import favicon
from heritage.health import healthz
from heritage.rest import read_only_view
from reports.views import evidence_file

admin.site.site_header = "Heritage damage tracker"
admin.site.site_title = "Heritage damage tracker"
admin.site.index_title = "Curation"

urlpatterns = [
    path("healthz", read_only_view(healthz), name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # heritage/api.py's urlpatterns is inferred as list[object] until it is annotated.
    path("api/v1/", include((api.urlpatterns, "api"))),  # type: ignore[arg-type]
    path("evidence/<int:pk>/<slug:variant>/", evidence_file, name="evidence-file"),
    # Until public pages exist, the front door is the API's documentation.
    path("", RedirectView.as_view(pattern_name="api:docs", permanent=False)),
]

handler404 = api.not_found
handler500 = api.server_error
