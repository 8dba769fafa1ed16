"""The roll-up arithmetic as pure functions, with hypothesis properties."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.choices import AgencyRollup, Comparison, MeasureType, TimeRollup
from indicators.measures import NO_DATA, Aggregates, Figure
from reporting.calendar import reminder_due
from reporting.choices import FigureStatus
from reporting.rollup.rules import (
    across_agencies,
    coverage,
    figure_status,
    meets,
    over_quarters,
)

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
pairs = st.lists(
    st.tuples(amounts, st.decimals(min_value=1, max_value=10**9, places=2)).map(
        lambda t: (min(t[0], t[1]), t[1])
    ),
    min_size=1,
    max_size=30,
)


def aggregates_of(pairs):
    return Aggregates(numerator=sum(n for n, _ in pairs), denominator=sum(d for _, d in pairs))


RATE = SimpleNamespace(
    measure_type=MeasureType.RATE, rollup_agencies=AgencyRollup.RATIO_OF_SUMS, scale=100, unit="%"
)


@given(pairs)
def test_ratio_of_sums_lies_between_the_smallest_and_largest_agency_rate(pairs):
    figure = across_agencies(RATE, aggregates_of(pairs))
    rates = [n * 100 / d for n, d in pairs]
    assert min(rates) - Decimal("1e-20") <= figure.value <= max(rates) + Decimal("1e-20")
    assert 0 <= figure.value <= 100


quarter_figures = st.lists(st.one_of(st.just(NO_DATA), amounts.map(Figure)), min_size=4, max_size=4)


@given(quarter_figures)
def test_a_stock_takes_the_latest_quarter_with_data(quarters):
    with_data = [q for q in quarters if q.has_data]
    assert over_quarters(TimeRollup.STOCK, quarters) == (with_data[-1] if with_data else NO_DATA)


@given(quarter_figures)
def test_a_flow_adds_the_quarters(quarters):
    with_data = [q.value for q in quarters if q.has_data]
    result = over_quarters(TimeRollup.FLOW, quarters)
    assert result == (Figure(sum(with_data)) if with_data else NO_DATA)


def test_a_flow_rate_over_the_year_is_again_a_ratio_of_sums():
    quarters = [
        Figure(Decimal(50), Decimal(1), Decimal(2)),
        NO_DATA,
        Figure(Decimal(100), Decimal(8), Decimal(8)),
    ]
    assert over_quarters(TimeRollup.FLOW, quarters) == Figure(Decimal(90), Decimal(9), Decimal(10))


@pytest.mark.parametrize(
    ("comparison", "target", "upper", "met", "not_met"),
    [
        (Comparison.GTE, 50, None, [50, 51], [49.99]),
        (Comparison.GT, 90, None, [90.01], [90, 89]),
        (Comparison.EQ, 100, None, [100], [99.9]),
        (Comparison.LTE, 5, None, [5, 0], [5.1]),
        (Comparison.LT, 5, None, [4.9], [5]),
        (Comparison.BETWEEN, 75, 100, [75, 88, 100], [74.9, 100.1]),
    ],
)
def test_every_comparison(comparison, target, upper, met, not_met):
    def d(x):
        return None if x is None else Decimal(str(x))

    for value in met:
        assert meets(comparison, d(value), d(target), d(upper)), value
    for value in not_met:
        assert not meets(comparison, d(value), d(target), d(upper)), value


def test_status_of_the_year_and_of_an_earlier_quarter():
    kwargs = {"comparison": Comparison.GTE, "target": Decimal(80)}
    assert figure_status(Figure(Decimal(85)), final=True, **kwargs) == FigureStatus.MET
    assert figure_status(Figure(Decimal(70)), final=True, **kwargs) == FigureStatus.NOT_MET
    assert figure_status(Figure(Decimal(85)), final=False, **kwargs) == FigureStatus.ON_TRACK
    assert figure_status(Figure(Decimal(70)), final=False, **kwargs) == FigureStatus.AT_RISK
    assert figure_status(NO_DATA, final=True, **kwargs) == FigureStatus.NO_DATA
    # Without a target there is no verdict, only "not enough to judge".
    assert (
        figure_status(Figure(Decimal(1)), final=True, comparison=None, target=None)
        == FigureStatus.INSUFFICIENT
    )


def test_a_figure_below_the_coverage_threshold_gets_no_verdict():
    # 4 of 10 reports approved (40 %) under a 50 % threshold: neither met nor not met.
    kwargs = {"comparison": Comparison.GTE, "target": Decimal(80), "threshold": Decimal(50), "final": True}
    assert figure_status(Figure(Decimal(85)), covered=Decimal(40), **kwargs) == FigureStatus.INSUFFICIENT
    assert figure_status(Figure(Decimal(70)), covered=Decimal(40), **kwargs) == FigureStatus.INSUFFICIENT
    assert figure_status(Figure(Decimal(85)), covered=Decimal(50), **kwargs) == FigureStatus.MET
    assert figure_status(NO_DATA, covered=Decimal(40), **kwargs) == FigureStatus.NO_DATA


@given(st.integers(0, 300), st.integers(0, 300), st.integers(0, 100))
def test_coverage_and_the_threshold(approved, extra, threshold):
    required = approved + extra
    covered = coverage(approved, required)
    if required == 0:
        assert covered is None
        return
    assert 0 <= covered <= 100
    assert (covered == 100) == (extra == 0)
    status = figure_status(
        Figure(Decimal(85)),
        comparison=Comparison.GTE,
        target=Decimal(80),
        final=True,
        covered=covered,
        threshold=Decimal(threshold),
    )
    # A verdict exactly when approved / required ≥ threshold %, i.e. 100 × approved ≥ threshold × required.
    assert (status == FigureStatus.MET) == (100 * approved >= threshold * required)
    assert status in (FigureStatus.MET, FigureStatus.INSUFFICIENT)


def test_a_flow_is_on_track_when_its_year_to_date_reaches_the_share_of_the_target():
    # 20 articles a year: 10 by the end of Q2 is on track, 9 is at risk.
    kwargs = {
        "comparison": Comparison.GTE,
        "target": Decimal(20),
        "final": False,
        "time_rollup": TimeRollup.FLOW,
        "share_of_year": Decimal("0.5"),
    }
    assert figure_status(Figure(Decimal(10)), **kwargs) == FigureStatus.ON_TRACK
    assert figure_status(Figure(Decimal(9)), **kwargs) == FigureStatus.AT_RISK


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        ("2024-03-13", "before"),
        ("2024-03-17", "before"),
        ("2024-03-19", "before"),
        ("2024-03-20", "due"),
        ("2024-03-23", "overdue"),
        ("2024-03-26", "overdue"),
        ("2024-03-14", None),
        ("2024-03-21", None),
        ("2024-03-24", None),
        ("2024-03-01", None),
    ],
)
def test_reminder_days(today, kind):
    from datetime import date

    assert (
        reminder_due(date(2024, 3, 20), date.fromisoformat(today), days_before=(7, 3, 1), overdue_every=3)
        == kind
    )


def test_a_figure_is_judged_as_it_is_shown():
    # 99.999 / 200.000 = 49,9995 % is shown "50 %" (two decimals, half up): beside "≥ 50 %" it is met.
    shown_fifty = Figure(Decimal(99999) * 100 / Decimal(200000))
    assert (
        figure_status(shown_fifty, comparison=Comparison.GTE, target=Decimal(50), final=True)
        == FigureStatus.MET
    )
    # 49,994 % is shown "49,99 %": not met.
    assert (
        figure_status(Figure(Decimal("49.994")), comparison=Comparison.GTE, target=Decimal(50), final=True)
        == FigureStatus.NOT_MET
    )


def test_a_milestone_counts_only_if_done_by_the_targets_date():
    from datetime import date

    # "Quy chế … trong tháng 10/2024": done on 15 November is not met, on 1 October it is.
    kwargs = {
        "comparison": Comparison.GTE,
        "target": Decimal(1),
        "final": True,
        "deadline": date(2024, 10, 31),
    }
    assert figure_status(Figure(Decimal(1), done_by=date(2024, 11, 15)), **kwargs) == FigureStatus.NOT_MET
    assert figure_status(Figure(Decimal(1), done_by=date(2024, 10, 1)), **kwargs) == FigureStatus.MET
    assert figure_status(Figure(Decimal(1), done_by=date(2024, 11, 15)), **(kwargs | {"final": False})) == (
        FigureStatus.AT_RISK
    )
