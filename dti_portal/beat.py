"""The beat's scheduler: django-celery-beat's, reading every periodic task.

django-celery-beat 2.9.0 loads only the crontab tasks whose hour lies within two hours
of the present one, to spare a database of thousands of tasks. For the portal's handful
that window does harm: a beat started at 11:00 (after a day down, a deployment, a
restart) does not see the 08:00 reminders or the 01:00 roll-up at all, and the missed
run happens only when its hour comes near again, the next day. Reading every task, a
task whose last run is older than its latest scheduled time is due at once: beat
catches up each missed crontab job once when it starts (Celery's
``beat_cron_starting_deadline`` is left unset, so however long it was down).
"""

from django.db.models import Q
from django_celery_beat import schedulers


class DatabaseScheduler(schedulers.DatabaseScheduler):
    def _get_crontab_exclude_query(self) -> Q:
        return Q(pk__in=[])  # exclude no crontab task
