"""What the province's figures are: the approved reports of a period, aggregated by
two grouped queries over its values (and, for the year or a flow's year to date, its
quarters'), combined by the pure functions of ``rules``. Reads only: the roll-up
(``services``) stores what this computes, and a merged province's dashboard shows what
it computes for the years before the province existed.

A province that continues others (a merger, ``AgencySuccession``) takes, for every
quarter that began while they existed, their reports of the indicators its own
continue (``IndicatorContinuation``), combined by its own indicator's rules: the year
of a merger adds the old provinces' quarters to the new one's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from assignments.choices import AssignmentRole
from assignments.models import IndicatorAssignment, ReportingObligation
from indicators.choices import AgencyRollup, Frequency, TimeRollup
from indicators.measures import NO_DATA, Aggregates, Figure
from indicators.models import Agency, AgencySuccession, Indicator, IndicatorContinuation, Target

from ..calendar import first_day, last_day
from ..choices import SubmissionStatus
from ..models import IndicatorValue, ProvinceFigure, ReportingPeriod, no_longer_required_q
from . import rules

__all__ = ["period_figures"]

# What the approved values of one indicator in one period add up to (``Aggregates``):
# a quotient's parts only where both were given, and its 0/0s; a number's sum, mean and
# count; the yes and the answered, and the latest day done among the yes.
QUOTIENT_PAIR = Q(numerator__isnull=False, denominator__isnull=False)
DONE = Q(is_done=True)
SUMS = {
    "agg_reports": Count("id"),
    "agg_numerator": Sum("numerator", filter=QUOTIENT_PAIR),
    "agg_denominator": Sum("denominator", filter=QUOTIENT_PAIR),
    "agg_not_applicable": Count("id", filter=Q(numerator=0, denominator=0)),
    "agg_total": Sum("value"),
    "agg_mean": Avg("value"),
    "agg_counted": Count("value"),
    "agg_yes": Count("id", filter=DONE),
    "agg_answered": Count("id", filter=Q(is_done__isnull=False)),
    "agg_latest_done": Max("done_on", filter=DONE),
}


def _quarter_aggregates(
    periods: list[ReportingPeriod], today: date, *, led: set[int]
) -> dict[tuple[int, int], _Entry]:
    """(indicator id, period id) → its approved aggregates and its approved and required
    reports: two grouped queries (``_by_status``) over the values of ``periods``, one
    over every value and one over the lead agencies' values (``_lead_values``) of the
    indicators in ``led``: those whose figure is the lead's (``AgencyRollup.LEAD_VALUE``)
    and those they continue. No other figure reads the ``lead_*`` aggregates, which stay
    empty for them; with none in ``led``, the second query is not made.

    The lead test filters the second query. Repeated inside the aggregates of a single
    query it made the planner estimate that query at millions and spend most of a second
    compiling it (JIT) for every province and period, several times the aggregation
    itself."""
    if not periods:
        return {}
    # An ended agency's unapproved reports are no longer required: not counted at all.
    grouped = (
        IndicatorValue.objects.filter(submission__period__in=periods)
        .exclude(no_longer_required_q(today, "submission__"))
        .values("indicator_id", "submission__period_id", "submission__status")
        .annotate(**SUMS)
        .order_by()
    )
    with transaction.atomic(savepoint=False):
        _aggregate_in_memory()
        every = _by_status(grouped)
        leads = _by_status(grouped.filter(pk__in=_lead_values(periods, led))) if led else {}
    result = {}
    for key, (required, row) in every.items():
        lead_required, lead = leads.get(key, (0, {}))
        data = Aggregates(
            numerator=row.get("agg_numerator"),
            denominator=row.get("agg_denominator"),
            total=row.get("agg_total"),
            mean=Decimal(row["agg_mean"]) if row.get("agg_mean") is not None else None,
            yes=row.get("agg_yes", 0),
            answered=row.get("agg_answered", 0),
            not_applicable=row.get("agg_not_applicable", 0),
            lead_total=lead.get("agg_total"),
            lead_numerator=lead.get("agg_numerator"),
            lead_denominator=lead.get("agg_denominator"),
            lead_yes=lead.get("agg_yes", 0),
            lead_answered=lead.get("agg_answered", 0),
            lead_required=lead_required,
            latest_done=row.get("agg_latest_done"),
            lead_latest_done=lead.get("agg_latest_done"),
            counted=row.get("agg_counted", 0),
        )
        result[key] = _Entry(
            data,
            row.get("agg_reports", 0),
            required,
            row.get("agg_not_applicable", 0),
            lead.get("agg_reports", 0),
            lead_required,
            lead.get("agg_not_applicable", 0),
        )
    return result


def _by_status(grouped: QuerySet) -> dict[tuple[int, int], tuple[int, dict]]:
    """(indicator id, period id) → how many values there are, and the ``SUMS`` of the
    approved ones ({} when none is), from ``grouped``: values grouped by indicator, period
    and the report's status, so that every status counts, only the approved group's sums
    are read, and no sum tests the status of each value."""
    found: dict[tuple[int, int], tuple[int, dict]] = {}
    for row in grouped:
        key = (row["indicator_id"], row["submission__period_id"])
        reports, approved = found.get(key, (0, {}))
        if row["submission__status"] == SubmissionStatus.APPROVED:
            approved = row
        found[key] = (reports + row["agg_reports"], approved)
    return found


def _lead_values(periods: list[ReportingPeriod], indicator_ids: set[int]) -> QuerySet:
    """The ids of the lead agencies' values of the indicators ``indicator_ids`` among
    those of ``periods`` (of one year): a lead's own report, and the report of the
    collector that holds the obligation on behalf of a lead that does not report itself.

    Two subqueries, united, each of which the database answers from the few leads'
    assignments through the unique agency-period and report-indicator indexes. One test
    "own or held" made it test each of the periods' values instead: a second pass over
    all of them, dearer than the first query."""
    year = periods[0].year
    leads = IndicatorAssignment.objects.filter(
        year=year, role=AssignmentRole.LEAD, indicator_id__in=indicator_ids
    )
    reported = IndicatorValue.objects.filter(submission__period__in=periods).order_by()
    own = leads.filter(agency_id=OuterRef("submission__agency_id"), indicator_id=OuterRef("indicator_id"))
    held = ReportingObligation.objects.filter(
        Exists(leads.filter(agency_id=OuterRef("on_behalf_of_id"), indicator_id=OuterRef("indicator_id"))),
        agency_id=OuterRef("submission__agency_id"),
        indicator_id=OuterRef("indicator_id"),
        year=year,
    )
    return reported.filter(Exists(own)).values("pk").union(reported.filter(Exists(held)).values("pk"))


def _aggregate_in_memory() -> None:
    """Let PostgreSQL aggregate in a hash table for the rest of the transaction. Not
    knowing that a province's values fall into a few hundred indicators and periods, it
    estimates a group per value, too many for the default memory of a query, and sorts
    them all first instead (on disk for a province's year): more than half of the time
    of the query over every value. The groups are few: the memory is never used."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")


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

    def __add__(self, other: _Entry) -> _Entry:
        return _Entry(
            self.data + other.data,
            self.approved + other.approved,
            self.required + other.required,
            self.not_applicable + other.not_applicable,
            self.lead_approved + other.lead_approved,
            self.lead_required + other.lead_required,
            self.lead_not_applicable + other.lead_not_applicable,
        )

    def rests_on(self, rule: str) -> tuple[int, int, int]:
        """(approved, required, 0/0) of the reports the figure is made from: the lead
        agencies' for "lead value" (another agency's report changes nothing in it)."""
        if rule == AgencyRollup.LEAD_VALUE:
            return self.lead_approved, self.lead_required, self.lead_not_applicable
        return self.approved, self.required, self.not_applicable


def period_figures(period: ReportingPeriod) -> list[ProvinceFigure]:
    """The figures of ``period``, not saved. ``period`` may be unsaved: a quarter or a
    year of a province before it existed, whose figures are all its predecessors'
    (a dashboard's earlier years of a merged province)."""
    slots = _slots(period)
    read = [p for periods in slots.values() for p in periods]
    indicators = list(Indicator.objects.filter(province_id=period.province_id).select_related("pillar"))
    continued = _continued(period.province_id, slots)
    led = {
        source.pk
        for indicator in indicators
        if indicator.rollup_agencies == AgencyRollup.LEAD_VALUE
        for source in (indicator, *continued.get(indicator.pk, []))
    }
    aggregates = _quarter_aggregates(read, timezone.localdate(), led=led)
    targets = Target.objects.judging(province_id=period.province_id, year=period.year)
    threshold = Decimal(settings.ROLLUP_COVERAGE_THRESHOLD)
    now = timezone.now()
    figures = []
    for indicator in indicators:
        if period.quarter is not None and indicator.frequency != Frequency.QUARTERLY:
            continue
        sources = continued.get(indicator.pk, [])
        entries = {
            slot: _slot_entry(indicator, sources, periods, aggregates) for slot, periods in slots.items()
        }
        figures.append(
            _indicator_figure(indicator, period, entries, targets.get(indicator.pk), threshold, now)
        )
    return figures


def _slots(period: ReportingPeriod) -> dict[int | None, list[ReportingPeriod]]:
    """Each quarter up to ``period``'s (and for a year, the year itself: None) → the
    periods whose reports make it: the province's own and, for a province that
    continues others (a merger), theirs of the same year and quarter:

    - only for a period the province did not exist in, or one that ends on or after it
      first continued them (the year of a merger): a quarter it reported alone before
      absorbing a neighbour keeps its own figure;
    - a quarter only if it began while they still existed (a quarter the merger falls in
      combines both), a year only if it ended before they did (their yearly report then
      covers all of it, never beside the new province's)."""
    wanted: list[int | None] = [q for q in (1, 2, 3, 4) if period.quarter is None or q <= period.quarter]
    if period.quarter is None:
        wanted.append(None)
    last_days = AgencySuccession.objects.predecessor_last_days(period.province_id)
    if last_days and not _takes_predecessors(period):
        last_days = {}
    found = ReportingPeriod.objects.filter(
        year=period.year, province_id__in=[period.province_id, *last_days]
    ).order_by("province__code")
    slots: dict[int | None, list[ReportingPeriod]] = {}
    for other in found:
        if other.quarter not in wanted:
            continue
        if other.province_id != period.province_id:
            until = last_days[other.province_id]
            if first_day(other.year, other.quarter) > until:
                continue  # a period of an old province after its end
            if other.quarter is None and last_day(other.year, None) > until:
                continue  # its yearly report of a year it did not finish
        slots.setdefault(other.quarter, []).append(other)
    return {slot: slots[slot] for slot in wanted if slot in slots}


def _takes_predecessors(period: ReportingPeriod) -> bool:
    """Whether ``period`` of a province that continues others reads their reports:
    the province did not exist by its end, or it ends on or after the first day the
    province continued them."""
    ends = last_day(period.year, period.quarter)
    founded = Agency.objects.filter(pk=period.province_id).values_list("exists_from", flat=True).first()
    if founded is not None and ends < founded:
        return True
    first = AgencySuccession.objects.first_continued_on(period.province_id)
    return first is not None and ends >= first


def _continued(province_id: int, slots) -> dict[int, list[Indicator]]:
    """The province's indicators → every indicator they continue (``lineage``); not
    asked when every period read is the province's own."""
    if all(p.province_id == province_id for periods in slots.values() for p in periods):
        return {}
    return IndicatorContinuation.objects.lineage(province_id=province_id)


def _slot_entry(indicator, sources, periods, aggregates) -> _Entry | None:
    """The indicator's entry in one slot: its own period's, or the sum over the
    predecessors' periods of the indicators it continues there."""
    entries = [
        entry
        for p in periods
        for source in ([indicator] if p.province_id == indicator.province_id else sources)
        if source.province_id == p.province_id and (entry := aggregates.get((source.pk, p.pk))) is not None
    ]
    if not entries:
        return None
    total = entries[0]
    for entry in entries[1:]:
        total = total + entry
    return total


def _indicator_figure(indicator, period, entries, target, threshold, now) -> ProvinceFigure:
    """One indicator's figure for ``period`` from its ``entries`` (quarter, or None for
    the year's own reports → its aggregates; ``_slots``).

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
        rested: list[tuple[int | None, _Entry | None]] = [(None, entries.get(None))]
        figure = judged = figure_of(rested[0][1])
        through = None
    else:
        in_year = [(q, entry) for q, entry in entries.items() if q is not None]
        if period.quarter is None:
            figure = rules.over_quarters(
                indicator.rollup_time, [figure_of(e) for _q, e in in_year], scale=scale
            )
            judged, rested = figure, in_year
        else:
            figure = figure_of(entries.get(period.quarter))
            if indicator.rollup_time == TimeRollup.FLOW:
                judged = rules.over_quarters(
                    TimeRollup.FLOW, [figure_of(e) for _q, e in in_year], scale=scale
                )
                rested = in_year
            else:
                rested = in_year[-1:] if in_year and in_year[-1][0] == period.quarter else []
                judged = figure
        through = max((q for q, e in rested if q is not None and figure_of(e).has_data), default=None)
    rested_entries = [e for _q, e in rested]
    counts = [e.rests_on(indicator.rollup_agencies) for e in rested_entries if e]
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
