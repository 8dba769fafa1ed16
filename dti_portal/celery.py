"""The portal's Celery application.

With ``CELERY_BROKER_URL`` unset the settings make tasks run eagerly, in-process, so
``make run`` needs no broker; with it set, a worker and beat run them from Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti_portal.settings.local")

app = Celery("dti_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
