"""Exports of the ministry's workbook: small ones answer the request at once, large ones
run as a Celery task that records its progress on an ``ExportJob``."""

from __future__ import annotations

import tempfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.utils import timezone, translation

from ..choices import RollupState
from ..models import ExportJob, ReportingPeriod
from ..tasks import enqueue_on_commit, export_ministry
from .report import ministry_report
from .workbook import ministry_workbook

__all__ = ["export_job_request", "export_job_run", "exports_sweep"]


def export_job_request(*, period: ReportingPeriod, actor: User) -> ExportJob:
    """Queue a background export of ``period`` for ``actor`` (after commit)."""
    _release_abandoned(period=period, requested_by=actor)
    # A refresh or a double click must not start the same export twice.
    running = ExportJob.objects.filter(
        period=period, requested_by=actor, state__in=[RollupState.PENDING, RollupState.RUNNING]
    ).first()
    if running is not None:
        if running.state == RollupState.PENDING:
            enqueue_on_commit(export_ministry, args=[running.pk])  # its task may be lost: taken once
        return running
    job = ExportJob.objects.create(period=period, requested_by=actor)
    enqueue_on_commit(export_ministry, args=[job.pk])
    return job


def _release_abandoned(**filters) -> int:
    """Jobs still running after ``EXPORT_LEASE_SECONDS`` lost their worker: pending
    again, to be written from the start (never handed back as if alive)."""
    expired = timezone.now() - timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
    return ExportJob.objects.filter(state=RollupState.RUNNING, started_at__lt=expired, **filters).update(
        state=RollupState.PENDING, started_at=None, done=0, error="abandoned: its worker stopped"
    )


def exports_sweep() -> dict[str, int]:
    """Jobs a dead worker left running are released, and every pending job older than a
    few minutes (its task lost, or the broker was unreachable) is enqueued again."""
    released = _release_abandoned()
    waiting = list(
        ExportJob.objects.filter(
            state=RollupState.PENDING, created_at__lt=timezone.now() - timedelta(minutes=5)
        ).values_list("pk", flat=True)
    )
    for job_id in waiting:
        enqueue_on_commit(export_ministry, args=[job_id])
    return {"exports_released": released, "exports_enqueued": len(waiting)}


def export_job_run(*, job_id: int, retry_on: tuple[type[BaseException], ...] = ()) -> ExportJob | None:
    """Write the job's workbook to a temporary file, then store it. Safe to call twice:
    only the call that moves the job from pending to running writes. A failure of a
    kind in ``retry_on`` (the caller's retry policy: the task's passing failures) leaves
    the job pending for the retry; any other marks it failed."""
    if not ExportJob.objects.filter(pk=job_id, state=RollupState.PENDING).update(
        state=RollupState.RUNNING, started_at=timezone.now()
    ):
        return None
    job = ExportJob.objects.select_related("period__province").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryFile() as handle:
            report = ministry_report(period=job.period)
            ExportJob.objects.filter(pk=job.pk).update(total=report.value_count)
            ministry_workbook(report, handle, progress=progress)
            handle.seek(0)
            job.file.save(
                f"bao-cao-bo-{job.period.province.code}-{job.period.code}.xlsx", File(handle), save=False
            )
    except BaseException as error:
        state = RollupState.PENDING if isinstance(error, retry_on) else RollupState.FAILED
        ExportJob.objects.filter(pk=job.pk).update(
            state=state, error=repr(error)[:2000], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name, state=RollupState.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
