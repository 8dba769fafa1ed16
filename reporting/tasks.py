"""Celery tasks of the reporting app. Each is thin (ids in, one service call), safe to
run twice, retried with backoff and jitter on passing failures (SMTP, the database, the
network) at most 5 times, and time-limited. The retry policy lives here.

Services import these tasks and enqueue them on commit; a task imports its service
inside its body (services → tasks, never the reverse at import time)."""

from __future__ import annotations

import logging
from datetime import datetime
from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from .choices import RollupTrigger

logger = logging.getLogger(__name__)

PASSING_FAILURES = (SMTPException, ConnectionError, TimeoutError, OperationalError, InterfaceError)
RETRY = {
    "autoretry_for": PASSING_FAILURES,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


def enqueue_on_commit(task, *, args: list, countdown: int | None = None) -> None:
    """Enqueue ``task`` once the transaction commits. What needs doing is already in the
    database (a pending run or export, an unsent notification), so a broker that cannot
    be reached is logged, never raised: the committed approval stands, its user sees
    success, and ``sweep_background_work`` enqueues the work again."""

    def enqueue() -> None:
        try:
            task.apply_async(args=args, countdown=countdown)
        except Exception:
            logger.warning("Could not enqueue %s%r; the sweeper will", task.name, tuple(args), exc_info=True)

    transaction.on_commit(enqueue)


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def send_event_email(event_id: int) -> int:
    """Email the people notified of one workflow step (``notifications.event_email_send``)."""
    from .notifications import event_email_send

    return event_email_send(event_id=event_id)


@shared_task(bind=True, **RETRY, soft_time_limit=10 * 60, time_limit=12 * 60)
def send_reminders(self, today: str | None = None) -> dict:
    """Today's reminders and digests. The task id is the run id, so a retry sends
    what this run claimed and nothing twice (``services.reminders_send``)."""
    from .services import reminders_send

    day = datetime.fromisoformat(today).date() if today else timezone.localdate()
    run = self.request.id or "eager"
    report = reminders_send(today=day, run=run)
    return {"claimed": len(report.claimed), "sent": report.sent}


@shared_task(**RETRY, soft_time_limit=20 * 60, time_limit=25 * 60)
def compile_rollup(run_id: int) -> int | None:
    """Carry out one requested roll-up run (``rollup.services.rollup_run``); a run already
    taken by another worker is left to it."""
    from .rollup.services import rollup_run

    run = rollup_run(run_id=run_id, retry_on=PASSING_FAILURES)
    return run.figure_count if run else None


@shared_task(**RETRY, soft_time_limit=5 * 60, time_limit=6 * 60)
def compile_rollups_nightly() -> int:
    """Request a run of every period of this year and last (``rollup.services.rollups_request_all``)."""
    from .rollup.services import rollups_request_all

    return len(rollups_request_all(trigger=RollupTrigger.NIGHTLY))


@shared_task(**RETRY, soft_time_limit=30 * 60, time_limit=35 * 60)
def export_ministry(job_id: int) -> int | None:
    """Write a requested ministry workbook (``exports.services.export_job_run``)."""
    from .exports.services import export_job_run

    job = export_job_run(job_id=job_id, retry_on=PASSING_FAILURES)
    return job.pk if job else None


@shared_task(**RETRY, soft_time_limit=4 * 60, time_limit=5 * 60)
def sweep_background_work() -> dict:
    """Every few minutes: take over the work a dead worker or an unreachable broker
    left behind (``rollup.services.rollups_sweep``, ``exports.services.exports_sweep``,
    ``services.event_emails_sweep``)."""
    from .exports.services import exports_sweep
    from .rollup.services import rollups_sweep
    from .services import event_emails_sweep

    return {**rollups_sweep(), **exports_sweep(), **event_emails_sweep()}
