"""The province roll-up: approved values → one figure per indicator and period.

The aggregation is two grouped queries over the period's values (and, for the year or a
flow's year-to-date, its quarters'): every value, and the lead agencies' approved ones.
The arithmetic is the pure functions of ``rules``, and the result replaces the
period's figures in one transaction: a run killed before it commits leaves the
previous figures, and running twice writes the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone

from assignments.choices import AssignmentRole
from assignments.models import IndicatorAssignment
from indicators.choices import AgencyRollup, Frequency, TimeRollup
from indicators.measures import NO_DATA, Aggregates, Figure
from indicators.models import Indicator, Target

from ..choices import RollupState, SubmissionStatus
from ..models import (
    IndicatorValue,
    ProvinceFigure,
    ReportingPeriod,
    RollupRun,
    Submission,
    no_longer_required_q,
)
from ..tasks import compile_rollup
from . import rules

__all__ = [
    "compile_province_rollup",
    "rollup_request",
    "rollup_run",
    "rollups_request_all",
    "periods_affected_by",
]

APPROVED = Q(submission__status=SubmissionStatus.APPROVED)


def periods_affected_by(period: ReportingPeriod) -> list[ReportingPeriod]:
    """A quarter's approval changes the quarter, the later quarters' year-to-date
    status and the year; the year's changes the year."""
    same_year = ReportingPeriod.objects.filter(province_id=period.province_id, year=period.year)
    if period.quarter is None:
        return list(same_year.filter(quarter__isnull=True))
    return list(same_year.filter(Q(quarter__gte=period.quarter) | Q(quarter__isnull=True)))


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
            figures, counts = _figures(run.period)
            ProvinceFigure.objects.filter(period=run.period).delete()
            ProvinceFigure.objects.bulk_create(figures)
            run.state = RollupState.DONE
            run.finished_at = timezone.now()
            run.figure_count = len(figures)
            run.approved_submissions, run.required_submissions = counts
            run.save()
    except BaseException as error:  # a time limit or a shutdown too: the run says so
        RollupRun.objects.filter(pk=run.pk).update(
            state=RollupState.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    return run


def _quarter_aggregates(periods: list[ReportingPeriod], today: date) -> dict[tuple[int, int], _Entry]:
    """(indicator id, period id) → its approved aggregates and its approved and required
    reports: two grouped queries over the values of ``periods``, one over every value
    and one over the lead agencies' approved values.

    The lead test is a subquery: as a filter of the second query PostgreSQL runs it as
    one semi-join. Repeated inside five aggregates of a single query it made the planner
    estimate that query at millions and spend most of a second compiling it (JIT) for
    every province and period, several times the aggregation itself."""
    if not periods:
        return {}
    year = periods[0].year
    # An ended agency's unapproved reports are no longer required: not counted at all.
    values = IndicatorValue.objects.filter(submission__period__in=periods).exclude(
        no_longer_required_q(today, "submission__")
    )
    quotient_pair = Q(numerator__isnull=False, denominator__isnull=False)
    rows = (
        values.values("indicator_id", "submission__period_id")
        .annotate(
            agg_required=Count("id"),
            agg_approved=Count("id", filter=APPROVED),
            agg_numerator=Sum("numerator", filter=APPROVED & quotient_pair),
            agg_denominator=Sum("denominator", filter=APPROVED & quotient_pair),
            agg_not_applicable=Count("id", filter=APPROVED & Q(numerator=0, denominator=0)),
            agg_total=Sum("value", filter=APPROVED),
            agg_mean=Avg("value", filter=APPROVED),
            agg_yes=Count("id", filter=APPROVED & Q(is_done=True)),
            agg_answered=Count("id", filter=APPROVED & Q(is_done__isnull=False)),
            agg_latest_done=Max("done_on", filter=APPROVED & Q(is_done=True)),
        )
        .order_by()
    )
    lead_rows = (
        values.filter(
            Exists(
                IndicatorAssignment.objects.filter(
                    indicator_id=OuterRef("indicator_id"),
                    agency_id=OuterRef("submission__agency_id"),
                    year=year,
                    role=AssignmentRole.LEAD,
                )
            )
        )
        .values("indicator_id", "submission__period_id")
        .annotate(
            lead_required=Count("id"),
            lead_approved=Count("id", filter=APPROVED),
            lead_total=Sum("value", filter=APPROVED),
            lead_numerator=Sum("numerator", filter=APPROVED & quotient_pair),
            lead_denominator=Sum("denominator", filter=APPROVED & quotient_pair),
            lead_not_applicable=Count("id", filter=APPROVED & Q(numerator=0, denominator=0)),
            lead_yes=Count("id", filter=APPROVED & Q(is_done=True)),
            lead_answered=Count("id", filter=APPROVED & Q(is_done__isnull=False)),
            lead_latest_done=Max("done_on", filter=APPROVED & Q(is_done=True)),
        )
        .order_by()
    )
    leads: dict[tuple[int, int], dict] = {
        (row["indicator_id"], row["submission__period_id"]): dict(row) for row in lead_rows
    }
    result = {}
    for row in rows:
        key = (row["indicator_id"], row["submission__period_id"])
        lead = leads.get(key, {})
        data = Aggregates(
            numerator=row["agg_numerator"],
            denominator=row["agg_denominator"],
            total=row["agg_total"],
            mean=Decimal(row["agg_mean"]) if row["agg_mean"] is not None else None,
            yes=row["agg_yes"],
            answered=row["agg_answered"],
            not_applicable=row["agg_not_applicable"],
            lead_total=lead.get("lead_total"),
            lead_numerator=lead.get("lead_numerator"),
            lead_denominator=lead.get("lead_denominator"),
            lead_yes=lead.get("lead_yes", 0),
            lead_answered=lead.get("lead_answered", 0),
            lead_required=lead.get("lead_required", 0),
            latest_done=row["agg_latest_done"],
            lead_latest_done=lead.get("lead_latest_done"),
        )
        result[key] = _Entry(
            data,
            row["agg_approved"],
            row["agg_required"],
            row["agg_not_applicable"],
            lead.get("lead_approved", 0),
            lead.get("lead_required", 0),
            lead.get("lead_not_applicable", 0),
        )
    return result


@dataclass(frozen=True)
class _Entry:
    """One indicator's period: its aggregates, and the reports it rests on, of every
    agency that must report it and of its lead agencies alone."""

    data: Aggregates
    approved: int
    required: int
    not_applicable: int
    lead_approved: int
    lead_required: int
    lead_not_applicable: int

    def rests_on(self, rule: str) -> tuple[int, int, int]:
        """(approved, required, 0/0) of the reports the figure is made from: the lead
        agencies' for "lead value" (another agency's report changes nothing in it)."""
        if rule == AgencyRollup.LEAD_VALUE:
            return self.lead_approved, self.lead_required, self.lead_not_applicable
        return self.approved, self.required, self.not_applicable


def _figures(period: ReportingPeriod) -> tuple[list[ProvinceFigure], tuple[int, int]]:
    """The period's figures, not yet saved, and its (approved, required) submissions."""
    year_periods = {
        p.quarter: p for p in ReportingPeriod.objects.filter(province_id=period.province_id, year=period.year)
    }
    quarters = [
        year_periods[q]
        for q in (1, 2, 3, 4)
        if q in year_periods and (period.quarter is None or q <= period.quarter)
    ]
    read = quarters + ([period] if period.quarter is None else [])
    today = timezone.localdate()
    aggregates = _quarter_aggregates(read, today)
    indicators = list(Indicator.objects.filter(province_id=period.province_id))
    targets = Target.objects.judging(province_id=period.province_id, year=period.year)
    threshold = Decimal(settings.ROLLUP_COVERAGE_THRESHOLD)
    now = timezone.now()
    figures = [
        _indicator_figure(indicator, period, quarters, aggregates, targets.get(indicator.pk), threshold, now)
        for indicator in indicators
        if period.quarter is None or indicator.frequency == Frequency.QUARTERLY
    ]
    counts = (
        Submission.objects.filter(period=period)
        .required(today)
        .aggregate(approved=Count("pk", filter=Q(status=SubmissionStatus.APPROVED)), required=Count("pk"))
    )
    return figures, (counts["approved"], counts["required"])


def _indicator_figure(indicator, period, quarters, aggregates, target, threshold, now) -> ProvinceFigure:
    """One indicator's figure for ``period`` from the grouped ``aggregates``.

    - the figure: a quarter's own; for the year, a yearly indicator's own or a
      quarterly one's quarters combined (stock: the latest with data; flow: their sum);
    - the judged figure: a flow's year to date in a quarter, else the figure;
    - the coverage: approved over required reports of every period the judged figure
      rests on (for a quarterly indicator's year, agency-quarters), and the latest
      quarter with data (``through_quarter``)."""
    scale = indicator.scale

    def figure_of(entry: _Entry | None) -> Figure:
        return NO_DATA if entry is None else rules.across_agencies(indicator, entry.data)

    if period.quarter is None and indicator.frequency == Frequency.YEARLY:
        entries = [aggregates.get((indicator.pk, period.pk))]
        figure = judged = figure_of(entries[0])
        through = None
    else:
        in_year = [(p.quarter, aggregates.get((indicator.pk, p.pk))) for p in quarters]
        if period.quarter is None:
            figure = rules.over_quarters(
                indicator.rollup_time, [figure_of(e) for _q, e in in_year], scale=scale
            )
            judged, rested = figure, in_year
        else:
            figure = figure_of(in_year[-1][1]) if quarters and quarters[-1].pk == period.pk else NO_DATA
            if indicator.rollup_time == TimeRollup.FLOW:
                judged = rules.over_quarters(
                    TimeRollup.FLOW, [figure_of(e) for _q, e in in_year], scale=scale
                )
                rested = in_year
            else:
                judged, rested = figure, in_year[-1:]
        entries = [e for _q, e in rested]
        through = max((q for q, e in rested if figure_of(e).has_data), default=None)
    counts = [e.rests_on(indicator.rollup_agencies) for e in entries if e]
    approved, required, not_applicable = (sum(c[i] for c in counts) for i in range(3))
    status = rules.figure_status(
        judged,
        comparison=target.comparison if target else None,
        target=_level(indicator, target),
        upper=target.upper_value if target else None,
        final=period.quarter in (None, 4),
        share_of_year=Decimal(period.quarter or 4) / 4,
        time_rollup=indicator.rollup_time,
        covered=rules.coverage(approved, required),
        threshold=threshold,
        deadline=target.target_date if target else None,
    )
    return ProvinceFigure(
        period=period,
        indicator=indicator,
        value=_round(figure.value, 6),
        numerator=figure.numerator,
        denominator=figure.denominator,
        judged_value=_round(judged.value, 6),
        judged_numerator=judged.numerator,
        judged_denominator=judged.denominator,
        approved_agencies=approved,
        required_agencies=required,
        not_applicable_agencies=not_applicable,
        through_quarter=through,
        target=target,
        status=status,
        compiled_at=now,
    )


def _level(indicator, target) -> Decimal | None:
    """The level a target asks for: its value, or for a target that is only a date
    (a milestone) the measure's "done"."""
    if target is None:
        return None
    if target.value is None:
        return indicator.measure.yes_level(indicator=indicator)
    return target.value


def _round(value: Decimal | None, places: int) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(1).scaleb(-places))
