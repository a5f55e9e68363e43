"""The Celery application, configured from the Django settings (namespace CELERY)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration.settings")

app = Celery("integration")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
