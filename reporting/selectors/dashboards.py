"""Reads of the dashboards: the steering committee's overview, an indicator's trend
and drill-down, the agencies' punctuality, the DIC's desk and the yearly ranking.

Figures come from the roll-up (``ProvinceFigure``), never recomputed here; each
function runs a fixed number of queries whatever the number of indicators, agencies
or periods.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q

from assignments.choices import AssignmentRole
from assignments.models import IndicatorAssignment, ReportingObligation
from assignments.selectors import unassigned_count
from dti_portal.collation import vietnamese, vietnamese_key
from indicators.choices import AgencyKind, AgencyRollup, Frequency, MeasureType, TimeRollup
from indicators.formatting import format_number, with_unit
from indicators.measures import NO_DATA, Aggregates, Figure, Reported, as_shown
from indicators.models import Agency, AgencySuccession, Indicator, IndicatorContinuation, Pillar, Plan, Target

from .. import ranking
from ..choices import (
    SHOWN_STATUSES,
    UNJUDGED_STATUSES,
    Action,
    FigureStatus,
    ReminderKind,
    RollupState,
    SubmissionStatus,
    TaskStatus,
)
from ..models import (
    ChangeCount,
    Evidence,
    IndicatorValue,
    ProvinceFigure,
    ReminderLog,
    ReportingPeriod,
    RollupRun,
    Submission,
    SubmissionEvent,
    TaskProgress,
    no_longer_required_q,
    overdue_q,
)
from ..rollup import figures as rollup_figures
from ..rollup import rules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class StatusCount:
    """One shown status in a tally: how many figures, and their share of the tally's
    total in whole per cent (``percents``), ``offset`` the shares of the statuses
    before it (where its segment starts in a stacked bar)."""

    code: str
    label: StrOrPromise
    count: int
    percent: int
    offset: int


@dataclass(frozen=True)
class StatusTally:
    """Figures counted by ``shown_status``, every status of ``SHOWN_STATUSES`` in its
    order (zero included), and their total."""

    counts: list[StatusCount]
    total: int

    def count(self, code: str) -> int:
        return next((c.count for c in self.counts if c.code == code), 0)

    @property
    def present(self) -> list[StatusCount]:
        """The statuses with at least one figure: the bar's segments and its words."""
        return [c for c in self.counts if c.count]


def percents(counts: list[int]) -> list[int]:
    """Whole per cents of ``counts`` that add up to exactly 100 (all 0 for an empty
    total), by the largest remainder: each count first gets the floor of its exact
    share, then the per cents still missing go one each to the largest remainders,
    ties to the earlier count. A count of 0 always gets 0; a count above 0 may get 0
    when it is under 1 % of many."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    floors = [count * 100 // total for count in counts]
    remainders = [count * 100 % total for count in counts]
    missing = 100 - sum(floors)
    for index in sorted(range(len(counts)), key=lambda i: (-remainders[i], i))[:missing]:
        floors[index] += 1
    return floors


def status_tally(codes: list[str]) -> StatusTally:
    """The tally of figures whose ``shown_status`` codes are ``codes``. No query."""
    counted = Counter(codes)
    return _tally([counted.get(code, 0) for code, _label in SHOWN_STATUSES])


def tally_sum(tallies: list[StatusTally]) -> StatusTally:
    """Several tallies as one: the counts added status by status, the shares worked
    out again from the sums (never the shares added)."""
    return _tally([sum(tally.counts[i].count for tally in tallies) for i in range(len(SHOWN_STATUSES))])


def _tally(numbers: list[int]) -> StatusTally:
    counts, offset = [], 0
    for (code, label), number, share in zip(SHOWN_STATUSES, numbers, percents(numbers), strict=True):
        counts.append(StatusCount(code, label, number, share, offset))
        offset += share
    return StatusTally(counts, sum(numbers))


def worst_first_key(tally: StatusTally) -> tuple[Fraction, Fraction, Fraction]:
    """How a pillar ranks in the overview, worst first (sort ascending on this key):
    the larger its share of figures not met, then (on a tie) of figures at risk, then
    of figures without a verdict (``UNJUDGED_STATUSES``: too thinly covered or without
    a target, no figure yet, nobody assigned), the worse. Exact shares (fractions),
    never the rounded per cents; ties keep the pillars' own order."""
    total = tally.total or 1
    unjudged = sum(tally.count(code) for code in UNJUDGED_STATUSES)
    return (
        -Fraction(tally.count(FigureStatus.NOT_MET), total),
        -Fraction(tally.count(FigureStatus.AT_RISK), total),
        -Fraction(unjudged, total),
    )


@dataclass
class PillarFigures:
    pillar: Pillar
    figures: list[ProvinceFigure] = field(default_factory=list)
    tally: StatusTally = field(default_factory=lambda: status_tally([]))


@dataclass
class Overview:
    period: ReportingPeriod | None
    pillars: list[PillarFigures]  # worst first (``worst_first_key``)
    tally: StatusTally  # the pillars' tallies added up
    compiled_at: object | None

    unassigned_in_year: int = 0  # the year's indicators with a target and nobody to report them

    @property
    def total(self) -> int:
        return self.tally.total

    @property
    def counts(self) -> list[tuple[str, StrOrPromise, int]]:
        """(status, label, count) in ``SHOWN_STATUSES`` order, as the chart reads them."""
        return [(c.code, c.label, c.count) for c in self.tally.counts]


def overview(
    *, period: ReportingPeriod | None, pillar: Pillar | None = None, plan: Plan | None = None
) -> Overview:
    """The period's province figures by pillar, worst pillar first (``worst_first_key``),
    each pillar with its tally of ``shown_status`` (the status its rows show), and the
    province's tally: the pillars' added up. Two queries."""
    if period is None:
        return Overview(None, [], status_tally([]), None)
    figures = ProvinceFigure.objects.filter(period=period).select_related(
        "indicator__pillar", "target__plan", "period"
    )
    if pillar is not None:
        figures = figures.filter(indicator__pillar=pillar)
    if plan is not None:
        figures = figures.filter(
            indicator__in=Target.objects.filter(plan=plan, year=period.year).values("indicator_id")
        )
    rows = list(figures.order_by("indicator__pillar__order", "indicator__code"))
    unassigned = unassigned_count(province=period.province, year=period.year)
    groups: dict[int, PillarFigures] = {}
    for figure in rows:
        if figure.target is not None:
            figure.target.indicator = figure.indicator  # its display needs the unit
        groups.setdefault(figure.indicator.pillar_id, PillarFigures(figure.indicator.pillar)).figures.append(
            figure
        )
    for group in groups.values():
        group.tally = status_tally([f.shown_status[0] for f in group.figures])
    # sorted() is stable: pillars ranking alike stay in the plan's pillar order.
    pillars = sorted(groups.values(), key=lambda g: worst_first_key(g.tally))
    return Overview(
        period=period,
        pillars=pillars,
        tally=tally_sum([g.tally for g in pillars]),
        compiled_at=max((f.compiled_at for f in rows), default=None),
        unassigned_in_year=unassigned,
    )


def figures_stamp(*, province_ids: list[int]) -> tuple[int, ...]:
    """The state of these provinces' roll-up: their counts of committed compiles
    (``ChangeCount``), which every run moves when it commits, in whatever order runs
    that overlapped commit. One query."""
    return ChangeCount.objects.counts([ChangeCount.figures_changes(pk) for pk in sorted(province_ids)])


def approved_stamp() -> int:
    """The count of committed approvals and reopenings, which change which values are
    approved, any province's (``ChangeCount``). One query."""
    return ChangeCount.objects.counts([ChangeCount.APPROVED])[0]


@dataclass
class FormerColumn:
    """A province the shown one continues, with its period of the year (and quarter) shown."""

    province: Agency
    period: ReportingPeriod | None
    not_continued: int = 0  # its figures of that period that no indicator continues


@dataclass
class FormerRow:
    """One indicator of the shown province that continues others: its figure combined
    from theirs by its own rules, and their figures side by side (one cell a column)."""

    indicator: Indicator
    combined: ProvinceFigure
    cells: list[tuple[FormerColumn, list[ProvinceFigure]]]  # a column and its figures


@dataclass
class Former:
    year: int
    quarter: int | None
    columns: list[FormerColumn]
    rows: list[FormerRow]
    without_data: int = 0  # indicators continued whose old provinces have no figure for the period


def former_overview(
    *, province: Agency, year: int, quarter: int | None, predecessor_ids: list[int]
) -> Former | None:
    """A year (or quarter) before ``province`` existed, from the provinces it continues:
    each predecessor's stored figures side by side and, for each indicator of
    ``province`` that continues theirs (``IndicatorContinuation``), their combination
    computed by the roll-up's own rules (``rollup.figures.period_figures`` over a
    period that is not stored). None when no predecessor has that period."""
    periods = {
        p.province_id: p
        for p in ReportingPeriod.objects.filter(province_id__in=predecessor_ids, year=year, quarter=quarter)
    }
    if not periods:
        return None
    provinces = Agency.objects.in_bulk(predecessor_ids)
    columns = [FormerColumn(provinces[pk], periods.get(pk)) for pk in predecessor_ids if pk in provinces]
    stored = list(
        ProvinceFigure.objects.filter(period__in=periods.values()).select_related(
            "indicator__pillar", "period", "target__plan"
        )
    )
    sources = IndicatorContinuation.objects.lineage(province_id=province.pk)
    continued_ids = {earlier.pk for earlier_list in sources.values() for earlier in earlier_list}
    for column in columns:
        column.not_continued = sum(
            1
            for f in stored
            if f.period.province_id == column.province.pk and f.indicator_id not in continued_ids
        )
    combined = [
        f
        for f in rollup_figures.period_figures(ReportingPeriod(province=province, year=year, quarter=quarter))
        if f.indicator_id in sources
    ]
    combined.sort(key=lambda f: (f.indicator.pillar.order, f.indicator.code))
    rows = []
    empty = 0
    for figure in combined:
        if figure.target is not None:
            figure.target.indicator = figure.indicator
        earlier_ids = {e.pk for e in sources[figure.indicator_id]}
        theirs = [f for f in stored if f.indicator_id in earlier_ids]
        if figure.value is None and all(f.value is None for f in theirs):
            empty += 1  # no old province has a figure: counted, not listed
            continue
        rows.append(
            FormerRow(
                figure.indicator,
                figure,
                [
                    (column, [f for f in theirs if f.period.province_id == column.province.pk])
                    for column in columns
                ],
            )
        )
    return Former(year, quarter, columns, rows, without_data=empty)


def predecessors_unreported(*, province: Agency, year: int) -> list[Agency]:
    """The provinces ``province`` continues that existed in ``year`` but have no period
    of it here (never run on this portal), when the year's figures combine theirs (a
    year before the province existed, or the year of the merger): those figures lack
    them, and the page must say so. A few queries."""
    first = AgencySuccession.objects.first_continued_on(province.pk)
    if first is None or year > first.year:
        return []
    if year < first.year and (province.exists_from is None or province.exists_from <= date(year, 12, 31)):
        return []  # the province reported that year alone: nothing of theirs is combined
    last_days = AgencySuccession.objects.predecessor_last_days(province.pk)
    existed = [pk for pk, until in last_days.items() if until >= date(year, 1, 1)]
    return list(Agency.objects.filter(pk__in=existed).exclude(reporting_periods__year=year).order_by("code"))


@dataclass
class TrendPoint:
    period: ReportingPeriod
    figure: ProvinceFigure | None
    target: Target | None
    charted: Decimal | None = None


def indicator_trend(*, indicator: Indicator) -> list[TrendPoint]:
    """The indicator's province figure in every period of its province, quarters then
    the year, with the judging target of the year beside each. Four queries."""
    periods = list(
        ReportingPeriod.objects.filter(province_id=indicator.province_id).order_by(
            "year", F("quarter").asc(nulls_last=True)
        )
    )
    if indicator.frequency == Frequency.YEARLY:
        periods = [p for p in periods if p.quarter is None]
    by_pk = {p.pk: p for p in periods}
    figures: dict[int, ProvinceFigure] = {}
    for figure in ProvinceFigure.objects.filter(indicator=indicator, period__in=periods).select_related(
        "target__plan"
    ):
        figure.indicator, figure.period = indicator, by_pk[figure.period_id]
        figures[figure.period_id] = figure
    targets = Target.objects.judging_years(
        province_id=indicator.province_id, years={p.year for p in periods}, indicator_ids=[indicator.pk]
    )
    points = []
    for period in periods:
        found = figures.get(period.pk)
        # A compiled figure beside the target it was judged against; an uncompiled
        # period beside the target that would judge it now.
        target = found.target if found is not None else targets.get((period.year, indicator.pk))
        if target is not None:
            target.indicator = indicator
        # What the chart draws against the yearly target: the judged figure, which for
        # a flow's quarter is the year to date (the roll-up's, never re-added here).
        points.append(TrendPoint(period, found, target, found.judged_value if found else None))
    return points


def indicator_lineage(*, indicator: Indicator) -> tuple[list[Indicator], list[Indicator]]:
    """The indicators ``indicator`` continues (of provinces its province succeeds) and
    those that continue it (``IndicatorContinuation``), with their provinces. Two queries."""
    earlier = Indicator.objects.filter(continued_by__later=indicator).select_related("province")
    later = Indicator.objects.filter(continues__earlier=indicator).select_related("province")
    return list(earlier.order_by("province__code", "code")), list(later.order_by("province__code", "code"))


def indicator_values(*, indicator: Indicator, period: ReportingPeriod) -> list[IndicatorValue]:
    """Every agency's approved value of the indicator in the period, with its note and
    evidence; for the year of a quarterly indicator, those of the year's quarters.
    Three queries."""
    if period.quarter is None and indicator.frequency == Frequency.QUARTERLY:
        periods = ReportingPeriod.objects.filter(
            province_id=period.province_id, year=period.year, quarter__isnull=False
        )
    else:
        periods = ReportingPeriod.objects.filter(pk=period.pk)
    return list(
        IndicatorValue.objects.filter(
            indicator=indicator, submission__period__in=periods, submission__status=SubmissionStatus.APPROVED
        )
        .select_related("submission__agency", "submission__period", "indicator")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
        .order_by(
            "submission__period__quarter", "submission__agency__kind", vietnamese("submission__agency__name")
        )
    )


@dataclass(frozen=True)
class ComparedValue:
    """One agency's approved value in the comparison: its own figure in the
    indicator's unit (a rate's numerator / denominator × 100, as its value displays
    it) and the length of its bar in % of the axis."""

    value: IndicatorValue
    figure: Decimal
    width: Decimal


@dataclass(frozen=True)
class ComparisonMark:
    """A level drawn across the agencies' bars, at ``at`` % of the axis, with its text."""

    level: Decimal
    at: Decimal
    text: str


@dataclass
class AgencyComparison:
    """The agencies' approved values of one period side by side, highest first."""

    period: ReportingPeriod
    rows: list[ComparedValue]
    not_applicable: list[IndicatorValue]  # a rate's 0/0 ("không phát sinh"): no bar
    axis_max: Decimal
    axis_label: str  # the axis's end as the page writes it: "100%", "1.200 tin"
    unit: str
    province: ComparisonMark | None  # the province figure, where it is one agency's kind of figure
    target: ComparisonMark | None  # the judging target's level, where an agency's figure compares
    province_total: str = ""  # a sum's province figure: the total of the bars, not a mark
    latest_of_year: bool = False  # the year of a quarterly indicator: its latest quarter compared


def agency_comparison(
    *, indicator: Indicator, values: list[IndicatorValue], trend: list[TrendPoint]
) -> AgencyComparison | None:
    """The agencies' approved values of ``values`` (``indicator_values``) as bars, each
    agency's own figure as its value displays it (a rate as its numerator over its
    denominator, never added to another's), with the province figure and the year's
    judging target (from ``trend``, the roll-up's) marked where an agency's figure is
    of their kind: not for a sum (the province's is the total of the bars; its target
    too), nor a flow count's yearly target against one quarter. For the year of a
    quarterly indicator (values of several quarters), its latest quarter's. None for
    answers and text (no figure to draw) or no value. No query."""
    if not values:
        return None
    period = max((v.submission.period for v in values), key=lambda p: p.quarter or 0)
    latest_of_year = len({v.submission.period_id for v in values}) > 1
    measure = indicator.measure
    figured: list[tuple[IndicatorValue, Decimal]] = []
    not_applicable = []
    for value in values:
        if value.submission.period_id != period.pk:
            continue
        own = measure.own_figure(Reported.of(value), indicator=indicator)
        if own is not None:
            figured.append((value, own))
        elif measure.not_applicable(Reported.of(value)):
            not_applicable.append(value)
    if not figured:
        return None
    point = next((p for p in trend if p.period.pk == period.pk), None)
    figure = point.figure if point else None
    target = point.target if point else None
    summed = indicator.rollup_agencies == AgencyRollup.SUM
    quarter_of_flow = (
        period.quarter is not None
        and indicator.rollup_time == TimeRollup.FLOW
        and indicator.measure_type in (MeasureType.COUNT, MeasureType.AMOUNT)
    )
    province_level = None if summed or figure is None else figure.value
    target_level = None if summed or quarter_of_flow or target is None else target.value
    if indicator.measure_type == MeasureType.RATE:
        axis = Decimal(100)  # a rate is read against 0-100 %
    else:
        levels = [own for _v, own in figured] + [x for x in (province_level, target_level) if x is not None]
        axis = max(levels) if max(levels) > 0 else Decimal(1)

    def at(level: Decimal) -> Decimal:
        return min(level * 100 / axis, Decimal(100)).quantize(Decimal("0.1"))

    figured.sort(key=lambda pair: (-pair[1], vietnamese_key(pair[0].submission.agency.name)))
    return AgencyComparison(
        period=period,
        rows=[ComparedValue(value, own, at(own)) for value, own in figured],
        not_applicable=not_applicable,
        axis_max=axis,
        axis_label=with_unit(format_number(as_shown(axis)), indicator.unit),
        unit=indicator.unit,
        province=ComparisonMark(province_level, at(province_level), figure.display)
        if province_level is not None and figure is not None
        else None,
        target=ComparisonMark(target_level, at(target_level), target.display)
        if target_level is not None and target is not None
        else None,
        province_total=figure.display if summed and figure is not None and figure.value is not None else "",
        latest_of_year=latest_of_year,
    )


def on_time(submission, today: date) -> bool | None:
    """For a report whose due date has passed: sent by it (True) or not (False, late
    or not sent); None for one not yet due, which does not count."""
    due = submission.deadline
    if due >= today or not submission.is_required(today):
        return None  # not due yet (counted once its due date has passed), or no longer required
    return submission.days_late == 0  # never sent (None) or sent late: not on time


@dataclass
class AgencyPunctuality:
    agency: Agency
    due: int = 0
    on_time: int = 0
    overdue: list = field(default_factory=list)
    returned: int = 0
    sent_late: int = 0  # reports first sent after their due date
    most_days_late: int = 0

    @property
    def rate(self) -> Decimal | None:
        return ranking.share(self.on_time, self.due)


def agency_punctuality(*, province: Agency, year: int, today: date) -> list[AgencyPunctuality]:
    """Per agency: reports due, sent on time, sent late (and the most days late), overdue
    now, times returned. Two queries."""
    submissions = (
        Submission.objects.filter(period__province=province, period__year=year)
        .select_related("agency", "period")
        .with_first_sent()
    )
    returns = Counter(
        SubmissionEvent.objects.filter(
            submission__period__province=province, submission__period__year=year, action=Action.RETURN
        ).values_list("submission__agency_id", flat=True)
    )
    rows: dict[int, AgencyPunctuality] = {}
    for submission in submissions:
        row = rows.setdefault(submission.agency_id, AgencyPunctuality(submission.agency))
        sent = on_time(submission, today)
        if sent is not None:
            row.due += 1
            row.on_time += sent
        if submission.is_overdue(today):
            row.overdue.append(submission)
        if submission.days_late:
            row.sent_late += 1
            row.most_days_late = max(row.most_days_late, submission.days_late)
    for agency_id, count in returns.items():
        if agency_id in rows:
            rows[agency_id].returned = count
    return sorted(
        rows.values(),
        key=lambda r: (r.rate if r.rate is not None else Decimal(101), vietnamese_key(r.agency.name)),
    )


TASK_ORDER: list[str] = [TaskStatus.LATE, TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE]


def task_progress(
    *, province: Agency, year: int, up_to_quarter: int | None = None, approved_only: bool = False
) -> list[TaskProgress]:
    """Each led task's latest reported progress in the year (up to a quarter if given;
    from approved reports only if asked), late ones first. One query."""
    rows = TaskProgress.objects.filter(submission__period__province=province, submission__period__year=year)
    if up_to_quarter is not None:
        rows = rows.filter(submission__period__quarter__lte=up_to_quarter)
    if approved_only:
        rows = rows.filter(submission__status=SubmissionStatus.APPROVED)
    rows = (
        rows.exclude(submission__last_saved_at__isnull=True)
        .select_related("task__plan", "submission__agency", "submission__period")
        .order_by("task_id", "submission__agency_id", F("submission__period__quarter").desc(nulls_first=True))
    )
    latest: dict[tuple[int, int], TaskProgress] = {}
    for row in rows:
        latest.setdefault((row.task_id, row.submission.agency_id), row)
    return sorted(
        latest.values(), key=lambda r: (TASK_ORDER.index(r.status), r.task.plan.number, r.task.sort_key)
    )


@dataclass
class DicDesk:
    workload: dict
    reminders: list[tuple[str, StrOrPromise, int, int]]  # kind, label, decided, sent (last 30 days)
    runs: list[RollupRun]
    coverage: list[RollupRun]  # the latest finished run of each period


def dic_desk(*, province: Agency, year: int, today: date) -> DicDesk:
    """The DIC's desk: reports by status, reminders of the last 30 days, the last
    roll-up runs and each period's coverage. Four queries."""
    workload = (
        Submission.objects.filter(period__province=province, period__year=year)
        .with_deadline()
        .aggregate(
            submitted=Count("pk", filter=Q(status=SubmissionStatus.SUBMITTED)),
            returned=Count("pk", filter=Q(status=SubmissionStatus.RETURNED)),
            approved=Count("pk", filter=Q(status=SubmissionStatus.APPROVED)),
            draft=Count("pk", filter=Q(status=SubmissionStatus.DRAFT)),
            overdue=Count("pk", filter=overdue_q(today)),
            total=Count("pk", filter=~no_longer_required_q(today)),
        )
    )
    counts: dict[str, tuple[int, int]] = {
        kind: (decided, sent)
        for kind, decided, sent in ReminderLog.objects.filter(
            province=province, day__gte=today - timedelta(days=30)
        )
        .values("kind")
        .annotate(decided=Count("pk"), sent=Count("pk", filter=Q(sent_at__isnull=False)))
        .values_list("kind", "decided", "sent")
    }
    reminders: list[tuple[str, StrOrPromise, int, int]] = [
        (k.value, k.label, *counts.get(k.value, (0, 0))) for k in ReminderKind
    ]
    runs = list(
        RollupRun.objects.filter(period__province=province)
        .select_related("period")
        .order_by("-requested_at", "-pk")[:8]
    )
    coverage = list(
        RollupRun.objects.filter(period__province=province, period__year=year, state=RollupState.DONE)
        .select_related("period")
        .order_by("period__quarter", "-finished_at")
    )
    latest: dict[int, RollupRun] = {}
    for run in coverage:
        latest.setdefault(run.period_id, run)
    ordered = sorted(latest.values(), key=lambda r: (r.period.quarter is None, r.period.quarter or 0))
    return DicDesk(workload=workload, reminders=reminders, runs=runs, coverage=ordered)


RANKED_KINDS = [AgencyKind.DEPARTMENT, AgencyKind.DISTRICT, AgencyKind.COMMUNE]


def yearly_ranking(*, province: Agency, year: int, today: date) -> dict[str, list[ranking.Standing]]:
    """The ranking of departments, districts and communes for ``year`` (see
    ``reporting.ranking`` for the formula). Seven queries."""
    # Ranked: the agencies that exist at the end of the year (today, for this year).
    agencies = {
        a.pk: a
        for a in Agency.objects.filter(
            province=province, kind__in=RANKED_KINDS, is_active=True, reported_by__isnull=True
        ).existing(min(today, date(year, 12, 31)))
    }
    # A figure a collector enters on behalf of a body that does not report itself is
    # the body's: it does not judge the collector.
    obligations = set(
        ReportingObligation.objects.filter(
            agency_id__in=list(agencies), year=year, on_behalf_of__isnull=True
        ).values_list("agency_id", "indicator_id")
    )
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={i for _a, i in obligations})}
    targets = Target.objects.judging(province_id=province.pk, year=year, indicator_ids=list(indicators))
    # (agency, indicator) → {quarter or None: value}
    values: dict[tuple[int, int], dict[int | None, IndicatorValue]] = defaultdict(dict)
    for value in IndicatorValue.objects.filter(
        submission__agency_id__in=list(agencies),
        submission__period__province=province,
        submission__period__year=year,
        submission__status=SubmissionStatus.APPROVED,
    ).select_related("submission__period"):
        values[(value.submission.agency_id, value.indicator_id)][value.submission.period.quarter] = value
    leads, lead_counts = set(), Counter[int]()
    for agency_id, indicator_id in IndicatorAssignment.objects.filter(
        indicator_id__in=list(indicators), year=year, role=AssignmentRole.LEAD
    ).values_list("agency_id", "indicator_id"):
        leads.add((agency_id, indicator_id))
        lead_counts[indicator_id] += 1
    met, counted = Counter[int](), Counter[int]()
    for agency_id, indicator_id in obligations:
        target = targets.get(indicator_id)
        if target is None or not rules.judged_alone(
            indicators[indicator_id],
            is_lead=(agency_id, indicator_id) in leads,
            leads=lead_counts[indicator_id],
        ):
            continue
        own = values.get((agency_id, indicator_id), {})
        measure = indicators[indicator_id].measure
        if own and all(measure.not_applicable(Reported.of(v)) for v in own.values()):
            continue  # no case all year ("không phát sinh"): nothing to hold against the target
        counted[agency_id] += 1
        figure = _agency_year_figure(indicators[indicator_id], own)
        level = (
            target.value
            if target.value is not None
            else indicators[indicator_id].measure.yes_level(indicator=indicators[indicator_id])
        )
        if figure.value is not None and rules.meets(
            target.comparison, as_shown(figure.value), level, target.upper_value
        ):
            met[agency_id] += 1

    due, sent_on_time = Counter[int](), Counter[int]()
    for submission in (
        Submission.objects.filter(agency_id__in=list(agencies), period__province=province, period__year=year)
        .select_related("period", "agency")
        .with_first_sent()
    ):
        sent = on_time(submission, today)
        if sent is not None:
            due[submission.agency_id] += 1
            sent_on_time[submission.agency_id] += sent

    # Every task line the year's reports hold counts; only sent reports say what was done.
    progress: dict[tuple[int, int], list[str | None]] = defaultdict(list)
    for agency_id, task_id, status, sent_at in (
        TaskProgress.objects.filter(
            submission__agency_id__in=list(agencies),
            submission__period__year=year,
            submission__period__province=province,
        )
        .order_by(F("submission__period__quarter").asc(nulls_last=True))
        .values_list("submission__agency_id", "task_id", "status", "submission__submitted_at")
    ):
        progress[(agency_id, task_id)].append(status if sent_at is not None else None)
    tasks_total, tasks_done = Counter[int](), Counter[int]()
    for (agency_id, _task_id), statuses in progress.items():
        reported = [s for s in statuses if s is not None]
        tasks_total[agency_id] += 1
        tasks_done[agency_id] += (
            bool(reported) and reported[-1] == TaskStatus.DONE and TaskStatus.LATE not in reported
        )

    weights = settings.RANKING_WEIGHTS
    standings: dict[str, list[ranking.Standing]] = {kind.value: [] for kind in RANKED_KINDS}
    for agency_id, agency in agencies.items():
        if not (counted[agency_id] or due[agency_id] or tasks_total[agency_id]):
            continue  # nothing to rank it on this year
        shares = {
            "targets": ranking.share(met[agency_id], counted[agency_id]),
            "timeliness": ranking.share(sent_on_time[agency_id], due[agency_id]),
            "tasks": ranking.share(tasks_done[agency_id], tasks_total[agency_id]),
        }
        standings[agency.kind].append(
            ranking.Standing(
                agency=agency,
                shares=shares,
                score=ranking.score(shares, weights),
                counts={
                    "targets": (met[agency_id], counted[agency_id]),
                    "timeliness": (sent_on_time[agency_id], due[agency_id]),
                    "tasks": (tasks_done[agency_id], tasks_total[agency_id]),
                },
            )
        )
    return {kind: ranking.rank(rows) for kind, rows in standings.items() if rows}


def _agency_year_figure(indicator: Indicator, by_quarter: dict) -> Figure:
    """One agency's own year figure: its yearly value, or its quarters combined by the
    indicator's rule over time, each combined as if it were the only (and lead) agency."""

    def own(value):
        if value is None:
            return NO_DATA
        return rules.across_agencies(indicator, Aggregates.of_one(Reported.of(value)))

    if indicator.frequency == Frequency.YEARLY:
        return own(by_quarter.get(None))
    return rules.over_quarters(
        indicator.rollup_time, [own(by_quarter.get(q)) for q in (1, 2, 3, 4)], scale=indicator.scale
    )


@dataclass
class OwnIndicatorRow:
    indicator: Indicator
    target: Target | None
    quarters: list  # the approved value of each quarter (IndicatorValue or None), Q1 to Q4
    year: IndicatorValue | None  # the approved yearly report's value


@dataclass
class OwnFigures:
    """An agency's own year, as its staff read it: its indicators with the judging
    target and its approved figures by quarter, and its place in the yearly ranking
    (the same ``yearly_ranking`` the steering committee reads)."""

    rows: list[OwnIndicatorRow]
    standing: ranking.Standing | None
    ranked: int  # how many agencies of its kind are ranked


def own_figures(*, agency: Agency, year: int, today: date) -> OwnFigures:
    province = agency.province or agency  # a province's own staff: the province itself
    indicator_ids = list(
        ReportingObligation.objects.filter(agency=agency, year=year).values_list("indicator_id", flat=True)
    )
    indicators = (
        Indicator.objects.filter(pk__in=indicator_ids)
        .select_related("pillar")
        .order_by("pillar__order", "code")
    )
    targets = Target.objects.judging(province_id=province.pk, year=year, indicator_ids=indicator_ids)
    approved: dict[tuple[int, int | None], IndicatorValue] = {}
    for value in IndicatorValue.objects.filter(
        submission__agency=agency,
        submission__period__year=year,
        submission__status=SubmissionStatus.APPROVED,
        indicator_id__in=indicator_ids,
    ).select_related("indicator", "submission__period"):
        approved[(value.indicator_id, value.submission.period.quarter)] = value
    rows = [
        OwnIndicatorRow(
            indicator=indicator,
            target=targets.get(indicator.pk),
            quarters=[approved.get((indicator.pk, quarter)) for quarter in (1, 2, 3, 4)],
            year=approved.get((indicator.pk, None)),
        )
        for indicator in indicators
    ]
    standings = yearly_ranking(province=province, year=year, today=today).get(agency.kind, [])
    standing = next((s for s in standings if s.agency == agency), None)
    return OwnFigures(rows=rows, standing=standing, ranked=sum(s.rank is not None for s in standings))
