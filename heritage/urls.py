from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from heritage.api import errors
from heritage.api import urls as api_urls
from heritage.api.access import read_only_view
from heritage.favicon import favicon
from heritage.health import healthz
from reports import urls as page_urls
from reports.views import evidence_file

admin.site.site_header = _("Heritage damage tracker")
admin.site.site_title = _("Heritage damage tracker")
admin.site.index_title = _("Curation")

urlpatterns = [
    path("healthz", read_only_view(healthz), name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urls.urlpatterns, "api"))),
    path("evidence/<int:pk>/<slug:variant>/", evidence_file, name="evidence-file"),
]
# The public pages: English at /, Arabic at /ar/.
urlpatterns += i18n_patterns(path("", include(page_urls)), prefix_default_language=False)

handler400 = errors.bad_request
handler404 = errors.not_found
handler500 = errors.server_error
