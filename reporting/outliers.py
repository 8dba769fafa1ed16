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

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

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


def modified_z(value: Decimal, others: list[Decimal]) -> Decimal | None:
    """The modified z-score of ``value`` against ``others`` (at least one); None where
    every one of ``others`` is equal (then any other value stands out)."""
    middle = Decimal(median(others))
    deviations = [abs(other - middle) for other in others]
    mad = Decimal(median(deviations))
    if mad:
        return CONSISTENCY * (value - middle) / mad
    mean_deviation = sum(deviations, Decimal(0)) / len(deviations)
    if mean_deviation:
        return (value - middle) / (MEAN_AD * mean_deviation)
    return None


def outlier(value: Decimal | None, others: list[Decimal], *, basis: str) -> Outlier | None:
    """``value`` flagged against ``others``, or None: too few figures to judge (fewer
    than ``MIN_POINTS``), or not beyond ``THRESHOLD``."""
    if value is None or len(others) < MIN_POINTS:
        return None
    score = modified_z(value, others)
    middle = Decimal(median(others))
    if score is None:
        return Outlier(basis, len(others), middle, None, value > middle) if value != middle else None
    if abs(score) <= THRESHOLD:
        return None
    return Outlier(basis, len(others), middle, score.quantize(Decimal("0.1")), value > middle)
