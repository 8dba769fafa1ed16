"""The provisional DTI score: pure arithmetic over plain values, no database.

A component's points come from the province's figure by its rule; a main indicator's
points are the sum of its components'; the index is the points over the framework's
maximum, on the ministry's 0–1 scale. Components with no figure score nothing and
are listed as missing; components the ministry measures itself are not the
province's to enter and are left out of the provisional total (and of its maximum),
so the index says how the province stands on what it reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
POINTS = Decimal("0.01")
INDEX = Decimal("0.0001")


def component_points(
    *,
    rule: str,
    max_points: Decimal,
    figure: Decimal | None = None,
    target: Decimal | None = None,
    thresholds: Sequence[Sequence] = (),
    is_done: bool | None = None,
    lower_is_better: bool = False,
) -> Decimal | None:
    """The points a figure earns, between 0 and ``max_points``; None without a figure
    (or, for a share of the target, without a positive target).

    - ``share_of_target``: ``max_points`` × min(1, figure / target), or, when a lower
      figure is better (e.g. late files), min(1, target / figure);
    - ``thresholds``: ``max_points`` × the share of the best threshold reached,
      ``thresholds`` being [[level, share], …] (any order): a figure at or above the
      level, at or below it when lower is better;
    - ``yes_no``: all the points for yes, none for no (``is_done``, or a figure of 1/0).
    """
    if rule == "yes_no":
        answer = is_done if is_done is not None else (None if figure is None else figure >= ONE)
        if answer is None:
            return None
        return max_points if answer else ZERO
    if figure is None:
        return None
    figure = Decimal(figure)
    if rule == "share_of_target":
        if target is None or target <= ZERO:
            return None
        if lower_is_better:
            share = ONE if figure <= target else Decimal(target) / figure
        else:
            share = min(ONE, max(ZERO, figure / Decimal(target)))
    elif rule == "thresholds":
        reached = [
            Decimal(str(share))
            for level, share in thresholds
            if (figure <= Decimal(str(level)) if lower_is_better else figure >= Decimal(str(level)))
        ]
        share = min(ONE, max(reached, default=ZERO))
    else:
        raise ValueError(f"unknown scoring rule {rule!r}")
    return (max_points * share).quantize(POINTS, rounding=ROUND_HALF_UP)


def mean_points(points: Sequence[Decimal | None]) -> Decimal | None:
    """A component scored from several plan indicators gets the mean of their points
    (those without a figure left out); None when none has one."""
    earned = [p for p in points if p is not None]
    if not earned:
        return None
    return (sum(earned, ZERO) / len(earned)).quantize(POINTS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ComponentScore:
    code: str
    main_code: str
    max_points: Decimal
    points: Decimal | None  # None: no figure
    measured_by_ministry: bool = False

    @property
    def lost(self) -> Decimal:
        """How far from full points (all of them when there is no figure)."""
        return self.max_points - (self.points or ZERO)


@dataclass(frozen=True)
class MainScore:
    code: str
    max_points: Decimal
    points: Decimal
    scored_max: Decimal  # the maximum of the components the province reports


@dataclass(frozen=True)
class Score:
    mains: list[MainScore]
    points: Decimal
    maximum: Decimal  # Σ the maximum of the components the province reports: what the index rests on
    index: Decimal | None  # points / maximum, 0–1; None when nothing the province reports is scored

    @property
    def lost(self) -> Decimal:
        return self.maximum - self.points


def score(components: Iterable[ComponentScore], mains: Iterable[tuple[str, Decimal]]) -> Score:
    """Sum the components' points per main indicator (``mains``: code and maximum, in
    order) and into the index: the points over the maximum of the components the
    province reports (a component without a figure scores nothing, as with the
    ministry); the page says over how many of the framework's points that is.
    Ministry-measured components count in neither the points nor the maximum."""
    components = [c for c in components if not c.measured_by_ministry]
    main_scores = []
    for code, max_points in mains:
        own = [c for c in components if c.main_code == code]
        main_scores.append(
            MainScore(
                code=code,
                max_points=max_points,
                points=sum((c.points or ZERO for c in own), ZERO),
                scored_max=sum((c.max_points for c in own), ZERO),
            )
        )
    points = sum((m.points for m in main_scores), ZERO)
    maximum = sum((m.scored_max for m in main_scores), ZERO)
    index = (points / maximum).quantize(INDEX, rounding=ROUND_HALF_UP) if maximum else None
    return Score(mains=main_scores, points=points, maximum=maximum, index=index)


def differences(provisional: dict[str, Decimal | None], published: dict[str, Decimal]) -> dict[str, Decimal]:
    """Published minus provisional points, per component code the ministry published
    that has provisional points (without them there is nothing to compare)."""
    return {
        code: points - mine
        for code, points in published.items()
        if (mine := provisional.get(code)) is not None
    }
