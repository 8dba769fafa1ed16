"""``outliers.leaving_one_out``, which the review page keeps in the cache in place of
the period's figures, gives for every agency the very ``Spread`` (and so the very
verdicts) that ``outliers.spread`` gives over the other agencies' figures: the median
to its digits, the MAD and the mean deviation to their values, including where
figures tie in value but not in digits and where a sum of deviations must round."""

import random
from decimal import Decimal

import pytest

from reporting.outliers import MIN_POINTS, Spread, judged, leaving_one_out, outlier, spread

from .world import build_world, report, send_again

D = Decimal

POOLS = [
    ["0", "1", "2", "3"],  # many ties: a MAD of 0 and the mean deviation
    ["1", "1.0", "1.00", "2", "2.0", "0", "0.0"],  # equal values in other digits
    ["0", "1"],  # a yes/no measure
    ["1E+30", "1E-10", "3", "3.0000000000001", "12345678901234567890.123456789"],  # sums that round
    ["5"] * 8 + ["7", "1E-30", "99999999999999999999999999.9"],
]


def _verdict(value, **how):
    try:
        return (
            judged(value, how["against"], basis="peers")
            if "against" in how
            else outlier(value, how["others"], basis="peers")
        )
    except ArithmeticError as error:  # a score too long to round: the same error either way
        return type(error)


def _same(found: Spread | None, expected: Spread | None) -> bool:
    if found is None or expected is None:
        return found is expected
    return (found.points, str(found.median), found.mad, found.mean_deviation) == (
        expected.points,
        str(expected.median),
        expected.mad,
        expected.mean_deviation,
    )


def test_each_agencys_spread_is_the_spread_of_the_others_figures():
    rng = random.Random(20)
    for _ in range(600):
        pool = rng.choice([*POOLS, None])
        figures = {
            rng.randint(1, 10**6): D(rng.choice(pool))
            if pool
            else D(rng.randint(-999, 999)) / rng.choice([1, 3, 7])
            for _ in range(rng.randint(0, 13))
        }
        everyone, leaving_out = leaving_one_out(figures)
        values = list(figures.values())
        assert _same(everyone, spread(values) if len(values) >= MIN_POINTS else None)
        assert set(leaving_out) == set(figures)
        for agency, figure in figures.items():
            others = [other for who, other in figures.items() if who != agency]
            assert _same(leaving_out[agency], spread(others) if len(others) >= MIN_POINTS else None)
            for value in (figure, D(0), D("2.50"), D("-3.5"), D(10**6)):
                assert _verdict(value, against=leaving_out[agency]) == _verdict(value, others=others)


def test_equal_spreads_are_one_object_so_that_the_cache_holds_a_few():
    figures = {agency: D(agency % 2) for agency in range(300)}
    everyone, leaving_out = leaving_one_out(figures)
    assert len({id(found) for found in leaving_out.values()}) == 2
    assert everyone == Spread(300, D("0.5"), D("0.5"), D(0))


@pytest.mark.django_db
def test_the_peers_spreads_are_read_from_the_cache_and_follow_a_sending(
    province, dic, dic_user, django_assert_num_queries
):
    from reporting.selectors.submissions import peer_spreads

    world = build_world(province, dic_user, count=5)
    for n, articles in enumerate([40, 10, 12, 11, 13]):
        report(world, n, 1, {"ARTICLES": {"value": articles}}, approve=False)
    first = world["agencies"][0].submissions.select_related("period").get(period__quarter=1)
    indicators = {i.pk: i for i in world["indicators"].values()}
    articles = world["indicators"]["ARTICLES"].pk
    with django_assert_num_queries(2):  # the stamp, then the figures
        found = peer_spreads(submission=first, indicators=indicators)
    assert found[articles] == spread([D(10), D(12), D(11), D(13)])
    with django_assert_num_queries(1):  # the stamp only: the rest from the cache
        assert peer_spreads(submission=first, indicators=indicators) == found
    # A3's 11 is returned and sent again as 30: the others are now 10 12 13 30.
    send_again(world, 3, 1, {"ARTICLES": {"value": 30}}, reviewer=dic_user)
    assert peer_spreads(submission=first, indicators=indicators)[articles] == spread(
        [D(10), D(12), D(30), D(13)]
    )
