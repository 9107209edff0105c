from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Heritage damage tracker"
admin.site.site_title = "Heritage damage tracker"
admin.site.index_title = "Curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Until the public pages exist, the front door is the curators' admin.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
