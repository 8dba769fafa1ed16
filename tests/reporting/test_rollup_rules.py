"""The roll-up arithmetic as pure functions, with hypothesis properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.choices import AgencyRollup, Comparison, MeasureType, TimeRollup
from reporting.calendar import reminder_due
from reporting.choices import FigureStatus
from reporting.rollup import NO_DATA, Aggregates, Figure, across_agencies, figure_status, meets, over_quarters

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
pairs = st.lists(
    st.tuples(amounts, st.decimals(min_value=1, max_value=10**9, places=2)).map(lambda t: (min(t[0], t[1]), t[1])),
    min_size=1, max_size=30,
)


def aggregates_of(pairs):
    return Aggregates(numerator=sum(n for n, _ in pairs), denominator=sum(d for _, d in pairs))


def test_a_rate_is_the_ratio_of_sums_not_the_mean_of_percentages():
    # 1/1 (100%) and 0/99 (0%): the mean of percentages says 50%, the province did 1%.
    figure = across_agencies(AgencyRollup.RATIO_OF_SUMS, MeasureType.RATE, aggregates_of([(1, 1), (0, 99)]))
    assert figure == Figure(Decimal(1), 1, 100)


@given(pairs)
def test_ratio_of_sums_lies_between_the_smallest_and_largest_agency_rate(pairs):
    figure = across_agencies(AgencyRollup.RATIO_OF_SUMS, MeasureType.RATE, aggregates_of(pairs))
    rates = [n * 100 / d for n, d in pairs]
    assert min(rates) - Decimal("1e-20") <= figure.value <= max(rates) + Decimal("1e-20")
    assert 0 <= figure.value <= 100


@given(pairs, st.randoms())
def test_ratio_of_sums_does_not_depend_on_the_order_of_agencies(pairs, random):
    shuffled = list(pairs)
    random.shuffle(shuffled)
    assert across_agencies(AgencyRollup.RATIO_OF_SUMS, MeasureType.RATE, aggregates_of(pairs)) == across_agencies(
        AgencyRollup.RATIO_OF_SUMS, MeasureType.RATE, aggregates_of(shuffled)
    )


def test_counts_and_amounts_add_up_and_yes_no_is_the_share_of_yes():
    assert across_agencies(AgencyRollup.SUM, MeasureType.COUNT, Aggregates(total=Decimal(42))).value == 42
    share = across_agencies(AgencyRollup.SHARE_YES, MeasureType.YES_NO, Aggregates(yes=3, answered=4))
    assert share.value == 75
    assert across_agencies(AgencyRollup.SHARE_YES, MeasureType.YES_NO, Aggregates()) == NO_DATA


def test_the_lead_agencys_value_is_taken_as_it_is():
    data = Aggregates(total=Decimal(99), lead_value=Decimal(7), lead_numerator=Decimal(3), lead_denominator=Decimal(4),
                      lead_is_done=True)
    assert across_agencies(AgencyRollup.LEAD_VALUE, MeasureType.COUNT, data).value == 7
    assert across_agencies(AgencyRollup.LEAD_VALUE, MeasureType.RATE, data).value == 75
    assert across_agencies(AgencyRollup.LEAD_VALUE, MeasureType.YES_NO, data).value == 100
    assert across_agencies(AgencyRollup.LEAD_VALUE, MeasureType.COUNT, Aggregates(total=Decimal(5))) == NO_DATA


def test_no_approved_figure_is_no_data():
    assert across_agencies(AgencyRollup.RATIO_OF_SUMS, MeasureType.RATE, Aggregates()) == NO_DATA
    assert across_agencies(AgencyRollup.SUM, MeasureType.COUNT, Aggregates()) == NO_DATA


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
    quarters = [Figure(Decimal(50), Decimal(1), Decimal(2)), NO_DATA, Figure(Decimal(100), Decimal(8), Decimal(8))]
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
        (Comparison.GTE, None, None, [100], [99]),  # a milestone with only a date: all done
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
    assert figure_status(Figure(Decimal(1)), final=True, comparison=None, target=None) == FigureStatus.NO_TARGET


def test_a_flow_is_on_track_when_its_year_to_date_reaches_the_share_of_the_target():
    # 20 articles a year: 10 by the end of Q2 is on track, 9 is at risk.
    kwargs = {"comparison": Comparison.GTE, "target": Decimal(20), "final": False, "time_rollup": TimeRollup.FLOW,
              "share_of_year": Decimal("0.5")}
    assert figure_status(Figure(Decimal(10)), **kwargs) == FigureStatus.ON_TRACK
    assert figure_status(Figure(Decimal(9)), **kwargs) == FigureStatus.AT_RISK


@pytest.mark.parametrize(
    ("today", "kind"),
    [("2024-03-13", "before"), ("2024-03-17", "before"), ("2024-03-19", "before"), ("2024-03-20", "due"),
     ("2024-03-23", "overdue"), ("2024-03-26", "overdue"), ("2024-03-14", None), ("2024-03-21", None),
     ("2024-03-24", None), ("2024-03-01", None)],
)
def test_reminder_days(today, kind):
    from datetime import date

    assert reminder_due(date(2024, 3, 20), date.fromisoformat(today), days_before=(7, 3, 1), overdue_every=3) == kind
