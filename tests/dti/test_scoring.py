"""The provisional DTI score's arithmetic (dti.scoring), alone."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dti import scoring
from dti.scoring import ComponentScore, component_points, differences, score

D = Decimal
points_st = st.decimals(min_value=0, max_value=200, places=2)
figure_st = st.decimals(min_value=0, max_value=10_000, places=2)
target_st = st.decimals(min_value=D("0.01"), max_value=10_000, places=2)


def test_share_of_target():
    assert component_points(rule="share_of_target", max_points=D(10), figure=D(45), target=D(90)) == D("5.00")
    assert component_points(rule="share_of_target", max_points=D(10), figure=D(120), target=D(90)) == D(
        "10.00"
    )
    assert component_points(rule="share_of_target", max_points=D(10), figure=None, target=D(90)) is None
    assert component_points(rule="share_of_target", max_points=D(10), figure=D(5), target=None) is None


def test_thresholds_take_the_highest_reached():
    steps = [[5, 0.25], [10, 0.5], [15, 0.75], [20, 1]]
    assert component_points(rule="thresholds", max_points=D(20), figure=D("4.9"), thresholds=steps) == D(
        "0.00"
    )
    assert component_points(rule="thresholds", max_points=D(20), figure=D(12), thresholds=steps) == D("10.00")
    assert component_points(rule="thresholds", max_points=D(20), figure=D(30), thresholds=steps[::-1]) == D(
        "20.00"
    )


def test_yes_no():
    assert component_points(rule="yes_no", max_points=D(8), is_done=True) == D(8)
    assert component_points(rule="yes_no", max_points=D(8), figure=D(0)) == D(0)
    assert component_points(rule="yes_no", max_points=D(8)) is None


def test_an_unknown_rule_is_an_error():
    with pytest.raises(ValueError):
        component_points(rule="guess", max_points=D(1), figure=D(1))


@given(points_st, figure_st, target_st)
def test_points_stay_between_zero_and_the_maximum(max_points, figure, target):
    earned = component_points(rule="share_of_target", max_points=max_points, figure=figure, target=target)
    assert D(0) <= earned <= max_points


@given(points_st, figure_st, figure_st, target_st)
def test_more_of_the_figure_never_earns_fewer_points(max_points, a, b, target):
    low, high = sorted((a, b))
    assert component_points(
        rule="share_of_target", max_points=max_points, figure=low, target=target
    ) <= component_points(rule="share_of_target", max_points=max_points, figure=high, target=target)


def test_lower_is_better():
    late = {"rule": "share_of_target", "max_points": D(40), "target": D(5), "lower_is_better": True}
    assert component_points(figure=D(4), **late) == D(40)  # under the ceiling: all the points
    assert component_points(figure=D(10), **late) == D(20)  # twice the ceiling: half
    assert component_points(figure=D(0), **late) == D(40)
    steps = {
        "rule": "thresholds",
        "max_points": D(10),
        "thresholds": [[10, 0.5], [5, 1]],
        "lower_is_better": True,
    }
    assert [component_points(figure=D(f), **steps) for f in (4, 7, 12)] == [D(10), D(5), D(0)]


@given(points_st, figure_st, figure_st, target_st)
def test_when_lower_is_better_less_never_earns_fewer_points(max_points, a, b, target):
    low, high = sorted((a, b))
    points = [
        component_points(
            rule="share_of_target", max_points=max_points, figure=f, target=target, lower_is_better=True
        )
        for f in (low, high)
    ]
    assert max_points >= points[0] >= points[1] >= D(0)


components_st = st.lists(
    st.builds(
        ComponentScore,
        code=st.text(min_size=1, max_size=4),
        main_code=st.sampled_from(["NTS", "CQS", "KTS"]),
        max_points=points_st,
        points=st.one_of(st.none(), points_st),
        measured_by_ministry=st.booleans(),
    ).filter(lambda c: c.points is None or c.points <= c.max_points),
    max_size=30,
)
MAINS = [("NTS", D(100)), ("CQS", D(200)), ("KTS", D(150))]


@given(components_st)
def test_the_index_is_the_sum_over_the_maximum_on_a_0_to_1_scale(components):
    result = score(components, MAINS)
    assert (result.index is None) == (result.maximum == 0)  # nothing scored: no index, not a zero
    assert result.index is None or D(0) <= result.index <= D(1)
    assert result.points == sum(m.points for m in result.mains)
    assert result.maximum == sum(c.max_points for c in components if not c.measured_by_ministry)
    assert result.points <= result.maximum
    assert result.lost == result.maximum - result.points


def test_ministry_measured_components_are_left_out():
    result = score(
        [
            ComponentScore("CQS.1", "CQS", D(50), D(50), measured_by_ministry=True),
            ComponentScore("CQS.2", "CQS", D(50), D(25)),
            ComponentScore("NTS.1", "NTS", D(100), None),
        ],
        MAINS,
    )
    assert (result.points, result.maximum, result.index) == (D(25), D(150), D("0.1667"))
    assert [m.points for m in result.mains] == [D(0), D(25), D(0)]


def test_differences_with_the_published_score():
    # B has no provisional points: nothing to set its published points against.
    assert differences({"A": D(5), "B": None}, {"A": D(7), "B": D(2)}) == {"A": D(2)}


def test_the_mean_of_several_indicators_rounds_half_up_and_skips_the_missing():
    assert scoring.mean_points([Decimal("12.34"), Decimal("12.35")]) == Decimal("12.35")  # 12.345
    assert scoring.mean_points([Decimal(10), None]) == Decimal("10.00")
    assert scoring.mean_points([None, None]) is None and scoring.mean_points([]) is None


@given(st.lists(st.one_of(st.none(), points_st), max_size=6))
def test_the_mean_stays_between_the_least_and_the_most(points):
    earned = [p for p in points if p is not None]
    mean = scoring.mean_points(points)
    assert (mean is None) == (not earned)
    if earned:
        assert min(earned) <= mean <= max(earned)  # points have two decimals: the mean rounds within
