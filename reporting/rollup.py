"""The roll-up's arithmetic, as pure functions over plain values.

Across agencies (``AgencyRollup``): a rate is the sum of numerators over the sum of
denominators, never the mean of percentages; counts and amounts add up; "lead value"
takes the lead agency's figure; yes-no (and milestones) give the share of yes.
Over the year (``TimeRollup``): a stock takes the latest quarter with data, a flow
adds the quarters. A figure is compared with its target by the target's comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from indicators.choices import AgencyRollup, Comparison, MeasureType, TimeRollup

from .choices import FigureStatus

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Aggregates:
    """What the database sums up for one indicator in one period, over approved values.

    ``lead_*`` are the lead agency's own fields; ``answered`` counts yes-no answers and
    ``yes`` the yes among them; ``reporting`` counts approved values with a figure."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    total: Decimal | None = None
    mean: Decimal | None = None
    yes: int = 0
    answered: int = 0
    reporting: int = 0
    lead_value: Decimal | None = None
    lead_numerator: Decimal | None = None
    lead_denominator: Decimal | None = None
    lead_is_done: bool | None = None


@dataclass(frozen=True)
class Figure:
    """A province figure: ``value`` (a rate's or a share's percentage, a count, an
    amount), with a rate's numerator and denominator kept beside it."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def has_data(self) -> bool:
        return self.value is not None


NO_DATA = Figure(None)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return numerator * HUNDRED / denominator


def across_agencies(rule: str, measure: str, data: Aggregates) -> Figure:
    """The province figure of one period from its agencies' approved values."""
    if rule == AgencyRollup.RATIO_OF_SUMS:
        return Figure(ratio(data.numerator, data.denominator), data.numerator, data.denominator)
    if rule == AgencyRollup.SUM:
        return Figure(data.total)
    if rule == AgencyRollup.MEAN:
        return Figure(data.mean)
    if rule == AgencyRollup.SHARE_YES:
        return Figure(Decimal(data.yes) * HUNDRED / data.answered if data.answered else None)
    if rule == AgencyRollup.LEAD_VALUE:
        if measure == MeasureType.RATE:
            return Figure(ratio(data.lead_numerator, data.lead_denominator), data.lead_numerator, data.lead_denominator)
        if measure in (MeasureType.YES_NO, MeasureType.MILESTONE):
            return NO_DATA if data.lead_is_done is None else Figure(HUNDRED if data.lead_is_done else Decimal(0))
        return Figure(data.lead_value)
    raise ValueError(f"unknown roll-up {rule!r}")


def over_quarters(rule: str, quarters: Sequence[Figure]) -> Figure:
    """The year's figure from its quarters' figures, in quarter order (missing
    quarters as ``NO_DATA``)."""
    with_data = [q for q in quarters if q.has_data]
    if not with_data:
        return NO_DATA
    if rule == TimeRollup.STOCK:
        return with_data[-1]
    if rule == TimeRollup.FLOW:
        if all(q.denominator is not None for q in with_data):
            numerator = sum((q.numerator for q in with_data), Decimal(0))
            denominator = sum((q.denominator for q in with_data), Decimal(0))
            return Figure(ratio(numerator, denominator), numerator, denominator)
        return Figure(sum((q.value for q in with_data), Decimal(0)))
    raise ValueError(f"unknown roll-up over time {rule!r}")


def meets(comparison: str, figure: Decimal, value: Decimal | None, upper: Decimal | None = None) -> bool:
    """Whether ``figure`` satisfies the target ``comparison value`` (``value – upper``)."""
    if value is None:
        # A target with only a date (a milestone): met when everything is done.
        return figure >= HUNDRED
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
        return value <= figure <= upper
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
) -> FigureStatus:
    """Met or not met for a year (or its last quarter); on track or at risk for an
    earlier quarter. A flow's year-to-date figure is compared with the share of the
    yearly target the quarters so far should have reached (``share_of_year``)."""
    if not figure.has_data:
        return FigureStatus.NO_DATA
    if comparison is None:
        return FigureStatus.NO_TARGET
    if final:
        return FigureStatus.MET if meets(comparison, figure.value, target, upper) else FigureStatus.NOT_MET
    if (
        time_rollup == TimeRollup.FLOW
        and target is not None
        and figure.denominator is None
        and comparison in (Comparison.GTE, Comparison.GT, Comparison.BETWEEN)
    ):
        on_track = figure.value >= target * share_of_year
    else:
        on_track = meets(comparison, figure.value, target, upper)
    return FigureStatus.ON_TRACK if on_track else FigureStatus.AT_RISK


def coverage(approved: int, required: int) -> Decimal | None:
    """The share of agencies that must report whose figures are approved, in %."""
    return Decimal(approved) * HUNDRED / required if required else None


