"""The public pages' addresses (heritage/urls.py mounts them under each language: /, /ar/)."""

from django.urls import path

from heritage.api.access import read_only_view
from reports import pages
from reports.feeds import ReportsFeed

app_name = "pages"

urlpatterns = [
    path("", read_only_view(pages.home), name="home"),
    path("sites/", read_only_view(pages.site_list), name="sites"),
    path("sites/<slug:slug>/", read_only_view(pages.site_page), name="site"),
    path(
        "sites/<slug:site_slug>/<slug:slug>/",
        read_only_view(pages.monument_page),
        name="monument",
    ),
    path("reports/<int:pk>/", read_only_view(pages.report_page), name="report"),
    path("sources/<int:pk>/", read_only_view(pages.source_page), name="source"),
    path("search/", read_only_view(pages.search), name="search"),
    path("releases/", read_only_view(pages.releases), name="releases"),
    path(
        "releases/<str:name>/<str:file>",
        read_only_view(pages.release_download),
        name="release-file",
    ),
    path("feeds/reports.atom", read_only_view(ReportsFeed()), name="feed"),
    path("feeds/sites/<slug:slug>.atom", read_only_view(ReportsFeed()), name="site-feed"),
]
