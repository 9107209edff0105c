from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "heritage.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        # Each app registers the kinds of job it owns in its jobs.py (sites.jobs: the World
        # Heritage List; reports.jobs: articles, releases); spreadsheets are shared by both.
        autodiscover_modules("jobs")
        import heritage.spreadsheet_import  # noqa: F401 - registers the spreadsheet kind
