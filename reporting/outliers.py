"""Figures a reviewer should look at twice: the modified z-score (Iglewicz and Hoaglin,
one of DHIS2's outlier methods), robust to the outliers it looks for and usable on the
few points a province has.

A figure is compared with two sets of the same indicator's figures in the same unit:
the agency's own in earlier periods (history), and the other agencies' in the same
period (peers). Against a set of at least ``MIN_POINTS`` figures, its score is
0.6745 × (figure − median) / MAD, MAD being the median absolute deviation; where more
than half the figures are equal (MAD 0), the mean absolute deviation stands in for it
(× 1.2533); where every figure is equal, any other figure stands out. A score beyond
``THRESHOLD`` (3.5) flags the figure, and the flag says what it rests on: which set,
how many figures, their median. Pure: figures in, verdicts out.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal, Rounded, localcontext
from statistics import median
from typing import NamedTuple

# A figure "far from the target" reaches less than this share of its target level
# (``Measure.share_of_target``: 40 against "≥ 85" is 47 %; 9 against a ceiling "≤ 4"
# is 44 %).
FAR_FROM_TARGET = Decimal("0.5")
MIN_POINTS = 4
THRESHOLD = Decimal("3.5")
CONSISTENCY = Decimal("0.6745")  # the MAD of a normal distribution, in standard deviations
MEAN_AD = Decimal("1.2533")  # the same for the mean absolute deviation (√(π/2))


@dataclass(frozen=True)
class Outlier:
    basis: str  # "history" (the agency's earlier periods) or "peers" (other agencies, same period)
    points: int  # how many figures it was compared with
    median: Decimal
    score: Decimal | None  # None where every figure compared with was equal
    high: bool  # above the median (else below)


class Spread(NamedTuple):
    """What a figure is judged against (``spread``): how many figures, their median,
    their MAD and, only where the MAD is 0, their mean absolute deviation (else 0).
    Kept apart from the figures so that the review page can keep it in the cache in
    place of 300 figures (``leaving_one_out``)."""

    points: int
    median: Decimal
    mad: Decimal
    mean_deviation: Decimal


def spread(others: list[Decimal]) -> Spread:
    """The ``Spread`` of ``others`` (at least one)."""
    middle = Decimal(median(others))
    deviations = [abs(other - middle) for other in others]
    mad = Decimal(median(deviations))
    mean_deviation = Decimal(0) if mad else sum(deviations, Decimal(0)) / len(deviations)
    return Spread(len(others), middle, mad, mean_deviation)


def score(value: Decimal, against: Spread) -> Decimal | None:
    """The modified z-score of ``value`` against figures of this ``Spread``; None where
    every one of them is equal (then any other value stands out)."""
    if against.mad:
        return CONSISTENCY * (value - against.median) / against.mad
    if against.mean_deviation:
        return (value - against.median) / (MEAN_AD * against.mean_deviation)
    return None


def modified_z(value: Decimal, others: list[Decimal]) -> Decimal | None:
    """The modified z-score of ``value`` against ``others`` (at least one); None where
    every one of ``others`` is equal (then any other value stands out)."""
    return score(value, spread(others))


def outlier(value: Decimal | None, others: list[Decimal], *, basis: str) -> Outlier | None:
    """``value`` flagged against ``others``, or None: too few figures to judge (fewer
    than ``MIN_POINTS``), or not beyond ``THRESHOLD``."""
    if value is None or len(others) < MIN_POINTS:
        return None
    return judged(value, spread(others), basis=basis)


def judged(value: Decimal | None, against: Spread | None, *, basis: str) -> Outlier | None:
    """``outlier`` from the ``Spread`` of the figures (None: fewer than ``MIN_POINTS``)."""
    if value is None or against is None or against.points < MIN_POINTS:
        return None
    middle = against.median
    found = score(value, against)
    if found is None:
        return Outlier(basis, against.points, middle, None, value > middle) if value != middle else None
    if abs(found) <= THRESHOLD:
        return None
    return Outlier(basis, against.points, middle, found.quantize(Decimal("0.1")), value > middle)


def leaving_one_out(figures: dict[int, Decimal]) -> tuple[Spread | None, dict[int, Spread | None]]:
    """The ``spread`` of ``figures`` (the other agencies' of a period, by agency id) as
    each agency's figure is judged against them: of every figure for an agency that
    has none among them, and of the others for each agency that has one, None where
    fewer than ``MIN_POINTS`` figures are left. Equal to ``spread`` of the list less
    the agency's figure (in the dict's order), field for field, the median even in
    its digits ("1.0" or "1"), found in one sort and a few bisections rather than one
    sort per agency: the median of all but one figure is one of the three in the
    middle of them all, and so is the median of their deviations from it. Spreads
    that are equal share one object, so that a pickle of the result is a few spreads
    and a map of small numbers."""
    agencies = list(figures)
    values = list(figures.values())
    order = sorted(range(len(values)), key=values.__getitem__)  # stable, as ``median``'s sort
    ordered = [values[i] for i in order]
    rank = {agencies[i]: position for position, i in enumerate(order)}
    shared: dict[tuple, Spread] = {}
    deviations_from: dict[Decimal, tuple[list[Decimal], Decimal | None]] = {}

    def middle_of(at, count: int) -> Decimal:
        # ``statistics.median`` of a sorted sequence of ``count`` read through ``at``.
        half = count // 2
        return at(half) if count % 2 else (at(half - 1) + at(half)) / 2

    def deviations(middle: Decimal) -> tuple[list[Decimal], Decimal | None]:
        # All figures' deviations from ``middle``, sorted, and their sum where it is
        # exact in any order and any part (None where a sum had to round).
        if middle not in deviations_from:
            found = [abs(value - middle) for value in values]
            deviations_from[middle] = (sorted(found), _unrounded(lambda: sum(found, Decimal(0))))
        return deviations_from[middle]

    def without(removed: int | None) -> Spread | None:
        count = len(ordered) - (removed is not None)
        if count < MIN_POINTS:
            return None
        if removed is None:
            middle = Decimal(middle_of(ordered.__getitem__, count))
        else:
            middle = Decimal(middle_of(lambda k: ordered[k + (k >= removed)], count))
        spread_all, total = deviations(middle)
        if removed is None:
            mad = Decimal(middle_of(spread_all.__getitem__, count))
            own = Decimal(0)
        else:
            own = abs(ordered[removed] - middle)
            skip = bisect_left(spread_all, own)
            mad = Decimal(middle_of(lambda k: spread_all[k + (k >= skip)], count))
        mean_deviation = Decimal(0)
        if not mad:
            # The deviations of all the figures add up without rounding, so do those of
            # any of them in any order (none is negative): the others' sum is the total
            # less the agency's own. Else add them as ``spread`` does, in its order.
            others_sum = _unrounded(lambda: total - own) if total is not None else None
            if others_sum is None:
                skipped = order[removed] if removed is not None else len(values)
                others = values[:skipped] + values[skipped + 1 :]
                others_sum = sum([abs(value - middle) for value in others], Decimal(0))
            mean_deviation = others_sum / count
        found = Spread(count, middle, mad, mean_deviation)
        return shared.setdefault((count, str(middle), str(mad), str(mean_deviation)), found)

    return without(None), {agency: without(rank[agency]) for agency in agencies}


def _unrounded(operation) -> Decimal | None:
    """``operation``'s result in the current context, or None where it had to round."""
    with localcontext() as context:
        context.traps[Rounded] = True
        try:
            return operation()
        except Rounded:
            return None
