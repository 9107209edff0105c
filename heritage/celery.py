"""The Celery application that runs jobs (heritage/jobs/) when CELERY_BROKER_URL is set:
`celery -A heritage worker` (`make worker`). Its settings are Django's CELERY_* settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")

app = Celery("heritage")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The tasks modules of the installed apps: heritage.jobs.tasks.
app.autodiscover_tasks()
