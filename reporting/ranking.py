"""The yearly ranking of agencies (Thừa Thiên Huế plan 2024, task 11; Bắc Giang
STTTT plan 1.7), as pure functions.

An agency's score, 0 to 100, is the weighted mean of three shares (in %):
- targets: of the targets of indicators it must report and whose target its own
  figure can be held against (rates, means, shares; a lead agency's value for the
  lead only; never a province-wide sum), the share its own year figure meets;
- timeliness: of its reports whose due date has passed, the share first sent by it;
- tasks: of the task lines in its reports of the year, the share its latest sent
  report says done, never having said late.
The weights are ``settings.RANKING_WEIGHTS``. A share an agency has nothing for (no
target, no report due, no task) is left out and the other weights count in full,
so it is neither rewarded nor punished for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dti_portal.collation import vietnamese_key


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in %, or None when there is nothing to count."""
    return Decimal(part) * 100 / whole if whole else None


def score(shares: dict[str, Decimal | None], weights: dict[str, Decimal]) -> Decimal | None:
    """The weighted mean of the shares that exist, rounded to 0.01; None if none does."""
    present = {name: value for name, value in shares.items() if value is not None and weights.get(name)}
    weight = {name: Decimal(str(weights[name])) for name in present}
    total_weight = sum(weight.values(), Decimal(0))
    if not total_weight:
        return None
    weighted = sum((weight[name] * value for name, value in present.items()), Decimal(0))
    return (weighted / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Standing:
    agency: object
    shares: dict[str, Decimal | None]
    score: Decimal | None
    rank: int | None = None
    counts: dict | None = None


def rank(standings: Iterable[Standing]) -> list[Standing]:
    """Highest score first; equal scores share a rank (1, 2, 2, 4); agencies with no
    score come last, unranked. Ties are listed by name."""
    scored = sorted(
        (s for s in standings if s.score is not None),
        key=lambda s: (-(s.score or Decimal(0)), vietnamese_key(str(s.agency))),
    )
    unscored = sorted((s for s in standings if s.score is None), key=lambda s: vietnamese_key(str(s.agency)))
    previous, position = None, 0
    for index, standing in enumerate(scored, start=1):
        if standing.score != previous:
            position, previous = index, standing.score
        standing.rank = position
    return scored + unscored
