"""The roll-up's arithmetic, as pure functions over plain values.

Across agencies the indicator's measure type combines the approved values
(``indicators.measures``: a rate or a ratio is Σ numerators / Σ denominators, never a
mean of percentages; counts and amounts add up; answers give the share of yes).
Over the year (``TimeRollup``): a stock takes the latest quarter with data, a flow adds
the quarters (a quotient adds its numerators and its denominators). A figure is judged
against its target only when enough of the reports it rests on are approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from indicators.choices import AgencyRollup, Comparison, TimeRollup
from indicators.measures import NO_DATA, Aggregates, Figure, as_shown, measure_of, quotient

from ..choices import FigureStatus

__all__ = [
    "across_agencies",
    "coverage",
    "figure_status",
    "meets",
    "over_quarters",
]

HUNDRED = Decimal(100)


def across_agencies(indicator, data: Aggregates) -> Figure:
    """The province figure of one period from its agencies' approved values, by the
    indicator's measure type and roll-up across agencies."""
    return measure_of(indicator).combine(indicator.rollup_agencies, data, indicator=indicator)


def over_quarters(rule: str, quarters: Sequence[Figure], *, scale: int | Decimal = 100) -> Figure:
    """The figure of several quarters from theirs, in quarter order (missing quarters
    as ``NO_DATA``): a stock's latest with data; a flow's sum, or for a quotient the
    sum of its numerators over the sum of its denominators (times ``scale``)."""
    with_data = [q for q in quarters if q.has_data]
    if not with_data:
        return NO_DATA
    if rule == TimeRollup.STOCK:
        return with_data[-1]
    if rule == TimeRollup.FLOW:
        pairs = [
            (q.numerator, q.denominator)
            for q in with_data
            if q.numerator is not None and q.denominator is not None
        ]
        if len(pairs) == len(with_data):
            numerator = sum((n for n, _d in pairs), Decimal(0))
            denominator = sum((d for _n, d in pairs), Decimal(0))
            return Figure(quotient(numerator, denominator, scale), numerator, denominator)
        return Figure(sum((q.value for q in with_data if q.value is not None), Decimal(0)))
    raise ValueError(f"unknown roll-up over time {rule!r}")


def meets(comparison: str, figure: Decimal, value: Decimal, upper: Decimal | None = None) -> bool:
    """Whether ``figure`` satisfies the target ``comparison value`` (``value – upper``)."""
    if comparison == Comparison.GTE:
        return figure >= value
    if comparison == Comparison.GT:
        return figure > value
    if comparison == Comparison.EQ:
        return figure == value
    if comparison == Comparison.LTE:
        return figure <= value
    if comparison == Comparison.LT:
        return figure < value
    if comparison == Comparison.BETWEEN:
        return upper is not None and value <= figure <= upper
    raise ValueError(f"unknown comparison {comparison!r}")


def figure_status(
    figure: Figure,
    *,
    comparison: str | None,
    target: Decimal | None,
    upper: Decimal | None = None,
    final: bool,
    share_of_year: Decimal = Decimal(1),
    time_rollup: str = TimeRollup.STOCK,
    covered: Decimal | None = HUNDRED,
    threshold: Decimal = Decimal(0),
    deadline: date | None = None,
) -> FigureStatus:
    """Met or not met for a year (or its last quarter); on track or at risk for an
    earlier quarter. Not judged at all (``INSUFFICIENT``) without a target, or when
    the share of required reports approved (``covered``, %) is below ``threshold``.
    A flow's year-to-date figure is compared with the share of the yearly target the
    quarters so far should have reached (``share_of_year``). ``target`` is the level
    to reach: for a target that is only a date, the measure's "done", which counts only
    if it was done by that date (``deadline``, against the figure's ``done_by``)."""
    if figure.value is None:
        return FigureStatus.NO_DATA
    if comparison is None or target is None or covered is None or covered < threshold:
        return FigureStatus.INSUFFICIENT
    value = as_shown(figure.value)  # judged as shown beside the status
    late = deadline is not None and figure.done_by is not None and figure.done_by > deadline
    if final:
        return (
            FigureStatus.MET if meets(comparison, value, target, upper) and not late else FigureStatus.NOT_MET
        )
    if (
        time_rollup == TimeRollup.FLOW
        and figure.denominator is None
        and comparison in (Comparison.GTE, Comparison.GT, Comparison.BETWEEN)
    ):
        on_track = value >= target * share_of_year
    else:
        on_track = meets(comparison, value, target, upper)
    return FigureStatus.ON_TRACK if on_track and not late else FigureStatus.AT_RISK


def coverage(approved: int, required: int) -> Decimal | None:
    """The share of required reports that are approved, in %; None when none is required."""
    return Decimal(approved) * HUNDRED / required if required else None


def judged_alone(indicator, *, is_lead: bool, leads: int) -> bool:
    """Whether one agency's own figure can be held against the province's target: a
    quotient, a mean or a share can; a sum cannot (the target is the province total); a
    lead agency's value only for a lead, and with several leads (``leads``) only a
    quotient (their numerators and denominators are added: a ratio of sums), since
    their counts and amounts are added up."""
    if indicator.rollup_agencies == AgencyRollup.SUM:
        return False
    if indicator.rollup_agencies == AgencyRollup.LEAD_VALUE:
        return is_lead and (leads <= 1 or indicator.is_quotient)
    return True
