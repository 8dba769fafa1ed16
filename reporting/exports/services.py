"""Exports of the ministry's workbook: small ones answer the request at once, large ones
run as a Celery task that records its progress on an ``ExportJob``."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.utils import timezone, translation

from ..choices import RollupState
from ..models import ExportJob, ReportingPeriod
from ..tasks import export_ministry
from .report import ministry_report
from .workbook import ministry_workbook

__all__ = ["export_job_request", "export_job_run"]


def export_job_request(*, period: ReportingPeriod, actor: User) -> ExportJob:
    """Queue a background export of ``period`` for ``actor`` (after commit)."""
    # A refresh or a double click must not start the same export twice.
    running = ExportJob.objects.filter(
        period=period, requested_by=actor, state__in=[RollupState.PENDING, RollupState.RUNNING]
    ).first()
    if running is not None:
        return running
    job = ExportJob.objects.create(period=period, requested_by=actor)
    export_ministry.delay_on_commit(job.pk)
    return job


def export_job_run(*, job_id: int, retry_on: tuple[type[BaseException], ...] = ()) -> ExportJob | None:
    """Write the job's workbook to a temporary file, then store it. Safe to call twice:
    only the call that moves the job from pending to running writes. A failure of a
    kind in ``retry_on`` (the caller's retry policy: the task's passing failures) leaves
    the job pending for the retry; any other marks it failed."""
    if not ExportJob.objects.filter(pk=job_id, state=RollupState.PENDING).update(state=RollupState.RUNNING):
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
