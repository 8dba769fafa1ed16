"""The province roll-up: when a period's figures are compiled and how they are stored.

What the figures are is ``figures`` (approved values → one figure per indicator and
period); the result replaces the period's figures in one transaction: a run killed
before it commits leaves the previous figures, and running twice writes the same
figures. An approval asks for its period, the later ones of its year and those of the
provinces that continue its province to be compiled again (``periods_affected_by``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from itertools import takewhile

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from indicators.models import AgencySuccession

from ..choices import RollupState, RollupTrigger, SubmissionStatus
from ..models import ChangeCount, ProvinceFigure, ReportingPeriod, RollupRun, Submission
from ..tasks import compile_rollup, enqueue_on_commit
from .figures import period_figures

__all__ = [
    "compile_province_rollup",
    "rollup_request",
    "rollup_run",
    "rollups_request_all",
    "rollups_sweep",
    "periods_affected_by",
]

# How long after its countdown a pending run's task may take to come before the sweeper
# enqueues it again.
SWEEP_MARGIN_SECONDS = 5 * 60


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


@transaction.atomic
def rollup_request(*, periods: list[ReportingPeriod], trigger: str) -> list[RollupRun]:
    """Ask for the periods' figures to be compiled soon. Coalesced: a period that
    already has a pending run gets no second one, so many approvals within
    ``ROLLUP_COALESCE_SECONDS`` make one run. The task is enqueued after commit.

    The periods are locked first, as a compilation locks its period while it reads: a
    run that is already reading makes this wait until it has committed (then a new
    run is pending for this change), and a run that starts reading after this lock
    waits for this transaction and reads its change. So an approval relying on a
    pending run is never left out of the figures by a run that had begun reading."""
    runs = []
    list(ReportingPeriod.objects.select_for_update().filter(pk__in=[p.pk for p in periods]).order_by("pk"))
    for period in periods:
        try:
            with transaction.atomic():
                run = RollupRun.objects.create(period=period, trigger=trigger)
        except IntegrityError:
            continue  # one is pending already: it will see this change too
        runs.append(run)
        enqueue_on_commit(compile_rollup, args=[run.pk], countdown=settings.ROLLUP_COALESCE_SECONDS)
    return runs


def rollups_sweep(*, now=None) -> dict[str, int]:
    """Take over the roll-ups nobody is carrying out:

    - a run still ``running`` after ``ROLLUP_LEASE_SECONDS`` (longer than the task's
      time limit) lost its worker: it is marked failed;
    - a period whose latest run failed (that one, or a database fault) is requested
      again, up to ``ROLLUP_MAX_ATTEMPTS`` failures in a row (then the DIC sees the
      error on the runs' page);
    - a pending run whose task has not come after its countdown and a margin (a lost
      message, an unreachable broker) is enqueued again.
    Safe to run at any time and twice at once (a run is claimed by one worker only)."""
    now = now or timezone.now()
    lease = now - timedelta(seconds=settings.ROLLUP_LEASE_SECONDS)
    abandoned = RollupRun.objects.filter(state=RollupState.RUNNING, started_at__lt=lease).update(
        state=RollupState.FAILED, finished_at=now, error="abandoned: its worker stopped before finishing"
    )
    history: dict[int, list[str]] = defaultdict(list)  # each period's recent runs, latest first
    for period_id, state in (
        RollupRun.objects.filter(requested_at__gte=now - timedelta(days=2))
        .order_by("period_id", "-requested_at", "-pk")
        .values_list("period_id", "state")
    ):
        history[period_id].append(state)
    again = [
        period_id
        for period_id, states in history.items()
        if 0 < _failures_in_a_row(states) < settings.ROLLUP_MAX_ATTEMPTS
    ]
    retried = []
    if again:
        retried = rollup_request(
            periods=list(ReportingPeriod.objects.filter(pk__in=again)), trigger=RollupTrigger.SWEEP
        )
    overdue = now - timedelta(seconds=settings.ROLLUP_COALESCE_SECONDS + SWEEP_MARGIN_SECONDS)
    lost = list(
        RollupRun.objects.filter(state=RollupState.PENDING, requested_at__lt=overdue).values_list(
            "pk", flat=True
        )
    )
    for run_id in lost:
        enqueue_on_commit(compile_rollup, args=[run_id])
    return {"rollups_abandoned": abandoned, "rollups_retried": len(retried), "rollups_enqueued": len(lost)}


def _failures_in_a_row(states: list[str]) -> int:
    """How many of a period's latest runs (latest first) failed, up to one that did not."""
    return len(list(takewhile(lambda state: state == RollupState.FAILED, states)))


def rollups_request_all(*, trigger: str = "nightly") -> list[RollupRun]:
    """The nightly run: every period of the current and the previous year."""
    year = timezone.localdate().year
    periods = ReportingPeriod.objects.filter(year__gte=year - 1).order_by("province_id", "year", "quarter")
    return rollup_request(periods=list(periods), trigger=trigger)


def rollup_run(*, run_id: int, retry_on: tuple[type[BaseException], ...] = ()) -> RollupRun | None:
    """Carry out a pending run. Safe to call twice: only the caller that moves it from
    pending to running compiles; the other returns None. A failure of a kind in
    ``retry_on`` (the task's passing failures: a lost database connection) leaves the
    run pending for the task's retry; any other marks it failed."""
    claimed = RollupRun.objects.filter(pk=run_id, state=RollupState.PENDING).update(
        state=RollupState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = RollupRun.objects.select_related("period").get(pk=run_id)
    return _compile(run, retry_on=retry_on)


def compile_province_rollup(*, period: ReportingPeriod, trigger: str = "manual") -> RollupRun:
    """Compile ``period``'s figures now (the command, tests). See the module docstring."""
    run = RollupRun.objects.create(
        period=period, trigger=trigger, state=RollupState.RUNNING, started_at=timezone.now()
    )
    return _compile(run)


def _compile(run: RollupRun, retry_on: tuple[type[BaseException], ...] = ()) -> RollupRun:
    try:
        with transaction.atomic():
            # One run of a period at a time (the button, a worker, the command): the
            # second waits for the first, then reads what it and any approval since
            # committed, so the figures never fall back to older ones.
            period = (
                ReportingPeriod.objects.select_for_update().only("pk", "province_id").get(pk=run.period_id)
            )
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
            # Last: the pages kept under the province's figures are drawn again once this
            # commits (ChangeCount), whichever run began first.
            ChangeCount.objects.add_one(ChangeCount.figures_changes(period.province_id))
    except BaseException as error:  # a time limit or a shutdown too: the run says so
        _record_failure(run, error, retry=isinstance(error, retry_on))
        raise
    return run


def _record_failure(run: RollupRun, error: BaseException, *, retry: bool) -> None:
    """A failed run is marked failed, or, for a failure the task retries, pending again
    (unless a request since made another run pending, which then covers this one)."""
    fields = {"error": repr(error)[:2000]}
    if retry:
        try:
            with transaction.atomic():
                RollupRun.objects.filter(pk=run.pk).update(
                    state=RollupState.PENDING, started_at=None, **fields
                )
            return
        except IntegrityError:
            pass
    RollupRun.objects.filter(pk=run.pk).update(state=RollupState.FAILED, finished_at=timezone.now(), **fields)
