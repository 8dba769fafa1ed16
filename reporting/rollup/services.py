"""The province roll-up: when a period's figures are compiled and how they are stored.

What the figures are is ``figures`` (approved values → one figure per indicator and
period); the result replaces the period's figures in one transaction: a run killed
before it commits leaves the previous figures, and running twice writes the same
figures. An approval asks for its period, the later ones of its year and those of the
provinces that continue its province to be compiled again (``periods_affected_by``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from indicators.models import AgencySuccession

from ..choices import RollupState, SubmissionStatus
from ..models import ProvinceFigure, ReportingPeriod, RollupRun, Submission
from ..tasks import compile_rollup
from .figures import period_figures

__all__ = [
    "compile_province_rollup",
    "rollup_request",
    "rollup_run",
    "rollups_request_all",
    "periods_affected_by",
]


def periods_affected_by(period: ReportingPeriod) -> list[ReportingPeriod]:
    """A quarter's approval changes the quarter, the later quarters' year-to-date
    status and the year; the year's changes the year. Of its province, and of the
    provinces that continue it (the year of a merger combines both)."""
    provinces = [period.province_id, *AgencySuccession.objects.province_successors(period.province_id)]
    same_year = ReportingPeriod.objects.filter(province_id__in=provinces, year=period.year)
    if period.quarter is None:
        return list(same_year.filter(quarter__isnull=True).order_by("province_id"))
    return list(
        same_year.filter(Q(quarter__gte=period.quarter) | Q(quarter__isnull=True)).order_by(
            "province_id", F("quarter").asc(nulls_last=True)
        )
    )


def rollup_request(*, periods: list[ReportingPeriod], trigger: str) -> list[RollupRun]:
    """Ask for the periods' figures to be compiled soon. Coalesced: a period that
    already has a pending run gets no second one, so many approvals within
    ``ROLLUP_COALESCE_SECONDS`` make one run. The task is enqueued after commit."""
    runs = []
    # A pending run whose task never came (a lost message, a broker restarted before
    # it persisted) must not block the period for ever.
    stale = timezone.now() - timedelta(seconds=max(600, 5 * settings.ROLLUP_COALESCE_SECONDS))
    RollupRun.objects.filter(period__in=periods, state=RollupState.PENDING, requested_at__lt=stale).update(
        state=RollupState.FAILED, finished_at=timezone.now(), error="stale: its task never ran"
    )
    for period in periods:
        try:
            with transaction.atomic():
                run = RollupRun.objects.create(period=period, trigger=trigger)
        except IntegrityError:
            continue  # one is pending already: it will see this change too
        runs.append(run)
        compile_rollup.apply_async_on_commit(args=[run.pk], countdown=settings.ROLLUP_COALESCE_SECONDS)
    return runs


def rollups_request_all(*, trigger: str = "nightly") -> list[RollupRun]:
    """The nightly run: every period of the current and the previous year."""
    year = timezone.localdate().year
    periods = ReportingPeriod.objects.filter(year__gte=year - 1).order_by("province_id", "year", "quarter")
    return rollup_request(periods=list(periods), trigger=trigger)


def rollup_run(*, run_id: int) -> RollupRun | None:
    """Carry out a pending run. Safe to call twice: only the caller that moves it from
    pending to running compiles; the other returns None."""
    claimed = RollupRun.objects.filter(pk=run_id, state=RollupState.PENDING).update(
        state=RollupState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = RollupRun.objects.select_related("period").get(pk=run_id)
    return _compile(run)


def compile_province_rollup(*, period: ReportingPeriod, trigger: str = "manual") -> RollupRun:
    """Compile ``period``'s figures now (the command, tests). See the module docstring."""
    run = RollupRun.objects.create(
        period=period, trigger=trigger, state=RollupState.RUNNING, started_at=timezone.now()
    )
    return _compile(run)


def _compile(run: RollupRun) -> RollupRun:
    try:
        with transaction.atomic():
            # One run of a period at a time (the button, a worker, the command): the
            # second waits for the first, then reads what it and any approval since
            # committed, so the figures never fall back to older ones.
            ReportingPeriod.objects.select_for_update().only("pk").get(pk=run.period_id)
            figures = period_figures(run.period)
            counts = (
                Submission.objects.filter(period=run.period)
                .required(timezone.localdate())
                .aggregate(
                    approved=Count("pk", filter=Q(status=SubmissionStatus.APPROVED)), required=Count("pk")
                )
            )
            ProvinceFigure.objects.filter(period=run.period).delete()
            ProvinceFigure.objects.bulk_create(figures)
            run.state = RollupState.DONE
            run.finished_at = timezone.now()
            run.figure_count = len(figures)
            run.approved_submissions, run.required_submissions = counts["approved"], counts["required"]
            run.save()
    except BaseException as error:  # a time limit or a shutdown too: the run says so
        RollupRun.objects.filter(pk=run.pk).update(
            state=RollupState.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    return run
