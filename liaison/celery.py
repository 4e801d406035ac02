import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
# Every CELERY_* Django setting configures Celery; the beat schedule lives there too.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
