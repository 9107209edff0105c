from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Damage reports and sources"

    def ready(self) -> None:
        from reports import signals  # noqa: F401 - connects the receivers
