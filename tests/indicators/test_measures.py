"""The measure types (indicators.measures): each one's checks, display and combination
of agencies' values, with every expected figure worked out by hand in the test."""

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.choices import AgencyRollup, Comparison, MeasureType, TimeRollup
from indicators.measures import MEASURES, NO_DATA, Aggregates, Figure, Reported, measure_of, value_problems


def indicator(measure, rollup=None, *, scale=100, unit="", decimals=False, time=TimeRollup.STOCK):
    """A stand-in for an Indicator row: the measures read only these attributes."""
    rollup = rollup or sorted(MEASURES[measure].agency_rollups)[0]
    return SimpleNamespace(
        measure_type=measure,
        rollup_agencies=rollup,
        rollup_time=time,
        scale=scale,
        unit=unit,
        allows_decimals=decimals,
    )


RATE = indicator(MeasureType.RATE, AgencyRollup.RATIO_OF_SUMS, unit="%")
GB = indicator(MeasureType.RATIO, AgencyRollup.RATIO_OF_SUMS, scale=1, unit="GB/tháng/thuê bao")
IOT = indicator(MeasureType.RATIO, AgencyRollup.LEAD_VALUE, scale=100, unit="thiết bị/100 dân")
COUNT = indicator(MeasureType.COUNT, AgencyRollup.SUM, unit="tin, bài")
FREQUENCY = indicator(MeasureType.COUNT, AgencyRollup.MEAN, unit="lần/tuần", decimals=True)
AMOUNT = indicator(MeasureType.AMOUNT, AgencyRollup.SUM, unit="đồng")
CONNECTED = indicator(MeasureType.YES_NO, AgencyRollup.LEAD_VALUE, unit="có/không")
SHARE = indicator(MeasureType.YES_NO, AgencyRollup.SHARE_YES, unit="%")
MILESTONE = indicator(MeasureType.MILESTONE, AgencyRollup.LEAD_VALUE)
TEXT = indicator(MeasureType.TEXT, AgencyRollup.LEAD_VALUE)


@pytest.mark.parametrize(
    ("row", "reported", "problems"),
    [
        (RATE, Reported(), {"numerator": "Hãy nhập tử số.", "denominator": "Hãy nhập mẫu số."}),
        (
            RATE,
            Reported(numerator=D(70), denominator=D(60)),
            {"numerator": "Tử số không được lớn hơn mẫu số: tỷ lệ phải từ 0 đến 100%."},
        ),
        # 0/0: no case this quarter ("không phát sinh") is an answer, not a problem.
        (RATE, Reported(numerator=D(0), denominator=D(0)), {}),
        (
            RATE,
            Reported(numerator=D(5), denominator=D(0)),
            {"denominator": "Mẫu số bằng 0 thì tử số cũng phải bằng 0 (kỳ này không phát sinh)."},
        ),
        (RATE, Reported(numerator=D(-1), denominator=D(5)), {"numerator": "Tử số không được âm."}),
        (RATE, Reported(numerator=D(60), denominator=D(60)), {}),
        # A ratio is not bounded by its denominator: 28.000 GB over 2.000 subscribers.
        (GB, Reported(numerator=D(28000), denominator=D(2000)), {}),
        (GB, Reported(numerator=D(5), denominator=D(-2)), {"denominator": "Mẫu số không được âm."}),
        (COUNT, Reported(value=D(-3)), {"value": "Số lượng không được âm."}),
        (COUNT, Reported(value=D("12.5")), {"value": "Số lượng phải là số nguyên."}),
        (FREQUENCY, Reported(value=D("2.5")), {}),  # an average: "2,5 lần/tuần"
        (AMOUNT, Reported(value=D(-3)), {"value": "Số tiền không được âm."}),
        (AMOUNT, Reported(value=D("12.5")), {"value": "Số tiền tính bằng đồng, không có phần lẻ."}),
        (COUNT, Reported(value=D(0)), {}),
        (MILESTONE, Reported(is_done=True), {"done_on": "Hãy nhập ngày hoàn thành."}),
        (MILESTONE, Reported(is_done=False), {}),
        (CONNECTED, Reported(), {"is_done": "Hãy chọn Có hoặc Không."}),
        (TEXT, Reported(text="  "), {"text": "Hãy nhập nội dung."}),
    ],
)
def test_what_stops_a_value_from_being_submitted(row, reported, problems):
    assert value_problems(row, reported) == problems


def test_a_change_of_more_than_half_needs_a_note():
    # 16 against 10: (16 − 10) / 10 = 60 %.
    assert value_problems(COUNT, Reported(value=D(16)), previous=D(10)) == {
        "note": "Số liệu thay đổi 60% so với kỳ trước (10): hãy ghi giải trình."
    }
    assert value_problems(COUNT, Reported(value=D(15)), previous=D(10)) == {}  # 50 %: not more than half
    assert value_problems(COUNT, Reported(value=D(16), note="Mở thêm chuyên mục"), previous=D(10)) == {}


def test_a_previous_zero_asks_for_a_note_and_never_fails():
    # 0 then 5: the change has no percentage (it is not infinite, and nothing raises).
    assert value_problems(COUNT, Reported(value=D(5)), previous=D(0)) == {
        "note": "Kỳ trước là 0, kỳ này là 5: hãy ghi giải trình."
    }
    assert value_problems(COUNT, Reported(value=D(0)), previous=D(0)) == {}
    # A rate of 0/0 has no figure to compare: no note asked.
    assert value_problems(RATE, Reported(numerator=D(0), denominator=D(0)), previous=D(80)) == {}


def test_a_rate_is_compared_by_its_percentage_not_its_counts():
    # 450/600 = 75 % against 80 %: (80 − 75) / 80 = 6,25 %; against 40 %: 87,5 %.
    reported = Reported(numerator=D(450), denominator=D(600))
    assert value_problems(RATE, reported, previous=D(80)) == {}
    assert "note" in value_problems(RATE, reported, previous=D(40))


def test_a_ratio_is_compared_in_its_own_unit():
    # 30.000 GB / 2.000 subscribers = 15 GB; last quarter 14: 7 %, no note.
    assert value_problems(GB, Reported(numerator=D(30000), denominator=D(2000)), previous=D(14)) == {}


@pytest.mark.parametrize(
    ("row", "reported", "text"),
    [
        (RATE, Reported(numerator=D(45), denominator=D(60)), "45/60 (75%)"),
        (RATE, Reported(numerator=D(0), denominator=D(0)), "0/0 (không phát sinh)"),
        (GB, Reported(numerator=D(28000), denominator=D(2000)), "28.000/2.000 (14 GB/tháng/thuê bao)"),
        # 1.200 devices per 1.500 people × 100 = 80 per 100 people.
        (IOT, Reported(numerator=D(1200), denominator=D(1500)), "1.200/1.500 (80 thiết bị/100 dân)"),
        (FREQUENCY, Reported(value=D("2.5")), "2,5"),
        (AMOUNT, Reported(value=D(2000000000)), "2.000.000.000"),
        (CONNECTED, Reported(is_done=True), "Có"),
        (MILESTONE, Reported(is_done=True, done_on=date(2024, 3, 5)), "Đã hoàn thành 05/03/2024"),
        (TEXT, Reported(text="Đã ban hành"), "Đã ban hành"),
    ],
)
def test_a_value_reads_as_a_reader_writes_it(row, reported, text):
    assert measure_of(row).display(reported, indicator=row) == text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_one_displayer_writes_an_indicators_values_as_display_writes_each(language):
    """The API writes a page's values with one displayer per indicator (its words and
    dates read once): each value as ``display`` writes it, in the request's language."""
    from django.utils import translation

    days = [date(2024, 3, 5), date(2024, 3, 5), date(2025, 12, 31), None]
    cases = [
        (RATE, [Reported(numerator=D(n), denominator=D(d)) for n, d in [(45, 60), (0, 0), (2, 3), (7, 7)]]),
        (RATE, [Reported(numerator=None, denominator=D(5))]),
        (GB, [Reported(numerator=D("28000.5"), denominator=D(2000)), Reported()]),
        (FREQUENCY, [Reported(value=D("2.5")), Reported(value=D(-1234567)), Reported()]),
        (CONNECTED, [Reported(is_done=answer) for answer in (True, False, None, True)]),
        (MILESTONE, [Reported(is_done=True, done_on=day) for day in days]),
        (MILESTONE, [Reported(is_done=False, done_on=days[0]), Reported()]),
        (TEXT, [Reported(text="Đã ban hành"), Reported()]),
    ]
    with translation.override(language):
        for row, values in cases:
            displayer = measure_of(row).displayer(indicator=row)
            written = [displayer(reported) for reported in values]
            assert written == [measure_of(row).display(reported, indicator=row) for reported in values]


def combine(row, data):
    return measure_of(row).combine(row.rollup_agencies, data, indicator=row)


def test_a_rate_is_the_ratio_of_sums_not_the_mean_of_percentages():
    # 1/1 (100 %) and 0/99 (0 %): the mean of percentages says 50 %, the province did 1/100 = 1 %.
    assert combine(RATE, Aggregates(numerator=D(1), denominator=D(100))) == Figure(D(1), D(1), D(100))


def test_several_lead_agencies_combine_by_the_measure_rule():
    # Two lead agencies, 30/50 and 45/100: (30 + 45) / (50 + 100) = 75/150 = 50 %
    # (taking the largest numerator and denominator, 45/100 = 45 %, is a figure nobody reported).
    lead_rate = indicator(MeasureType.RATE, AgencyRollup.LEAD_VALUE)
    assert combine(lead_rate, Aggregates(lead_numerator=D(75), lead_denominator=D(150))).value == 50
    # Counts of two leads, 7 and 5, add up to 12.
    lead_count = indicator(MeasureType.COUNT, AgencyRollup.LEAD_VALUE)
    assert combine(lead_count, Aggregates(total=D(99), lead_total=D(12))).value == 12
    # Yes/no: yes only when every lead agency says yes.
    assert combine(CONNECTED, Aggregates(lead_yes=2, lead_answered=2)) == Figure(D(1))
    assert combine(CONNECTED, Aggregates(lead_yes=1, lead_answered=2)) == Figure(D(0))
    assert combine(CONNECTED, Aggregates(yes=5, answered=5)) == NO_DATA  # no lead answered


def test_a_ratio_uses_its_scale_and_is_not_bounded_by_100():
    # 28.000 GB over 2.000 subscribers, per 1: 14 GB per subscriber.
    assert combine(GB, Aggregates(numerator=D(28000), denominator=D(2000))) == Figure(
        D(14), D(28000), D(2000)
    )
    # 1.950.000 devices over 1.500.000 people per 100: 130 per 100 people.
    assert combine(IOT, Aggregates(lead_numerator=D(1950000), lead_denominator=D(1500000))).value == 130


def test_counts_add_up_averages_are_means_and_answers_are_a_share_of_yes():
    assert combine(COUNT, Aggregates(total=D(42))).value == 42
    assert combine(FREQUENCY, Aggregates(mean=D("2.5"))).value == D("2.5")
    # 3 of 4 agencies answered yes: 75 %, kept as 3/4.
    assert combine(SHARE, Aggregates(yes=3, answered=4)) == Figure(D(75), D(3), D(4))
    assert combine(SHARE, Aggregates()) == NO_DATA
    assert combine(TEXT, Aggregates(total=D(1))) == NO_DATA


def test_no_approved_figure_is_no_data():
    assert combine(RATE, Aggregates()) == NO_DATA
    assert combine(RATE, Aggregates(numerator=D(0), denominator=D(0), not_applicable=3)) == NO_DATA
    assert combine(COUNT, Aggregates()) == NO_DATA


@pytest.mark.parametrize(
    ("row", "value", "numerator", "denominator", "text"),
    [
        (RATE, D(75), D(45), D(60), "75% (45/60)"),
        (GB, D(14), D(28000), D(2000), "14 GB/tháng/thuê bao (28.000/2.000)"),
        (AMOUNT, D(2000000000), None, None, "2.000.000.000 đồng"),
        (CONNECTED, D(1), None, None, "Có"),
        (CONNECTED, D(0), None, None, "Không"),
        (SHARE, D(75), D(3), D(4), "75% (3/4 đơn vị)"),
        (RATE, None, None, None, "—"),
    ],
)
def test_a_province_figure_reads_with_its_unit(row, value, numerator, denominator, text):
    assert measure_of(row).figure_display(value, numerator, denominator, indicator=row) == text


def test_a_yes_no_target_reads_and_judges_as_yes_or_no():
    target = SimpleNamespace(comparison=Comparison.EQ, value=D(1), upper_value=None, target_date=None)
    assert measure_of(CONNECTED).target_display(target, indicator=CONNECTED) == "= có"
    # A yes is 1 against the target 1; no share of the target (never 10.000 %).
    assert measure_of(CONNECTED).share_of_target(D(1), target, indicator=CONNECTED) is None
    assert measure_of(CONNECTED).is_yes(D(1), indicator=CONNECTED) is True
    assert measure_of(SHARE).is_yes(D(75), indicator=SHARE) is False
    assert measure_of(CONNECTED).result_cell(D(1), indicator=CONNECTED) == "Có"
    share_target = SimpleNamespace(comparison=Comparison.EQ, value=D(100), upper_value=None, target_date=None)
    assert measure_of(SHARE).target_display(share_target, indicator=SHARE) == "= 100%"


def test_the_share_of_a_target():
    def target(comparison, value, upper=None):
        return SimpleNamespace(
            comparison=comparison,
            value=None if value is None else D(value),
            upper_value=upper,
            target_date=None,
        )

    def share(row, value, *args):
        return measure_of(row).share_of_target(
            None if value is None else D(value), target(*args), indicator=row
        )

    # 90 % against "≥ 100 %": 0,9; a ratio of 14 GB against "≥ 27 GB": 14/27.
    assert share(RATE, 90, Comparison.GTE, 100) == D("0.9")
    assert share(GB, 14, Comparison.GTE, 27) == D(14) / D(27)
    # A ceiling: 2 against "≤ 4" goes twice as far as asked (2), 8 half as far (0,5).
    assert share(COUNT, 2, Comparison.LTE, 4) == 2 and share(COUNT, 8, Comparison.LT, 4) == D("0.5")
    # Nothing to say: no figure, a target of 0, a range, a date, 0 against a ceiling, a lead's yes/no.
    assert share(RATE, None, Comparison.GTE, 100) is None
    assert share(RATE, 90, Comparison.GTE, 0) is None
    assert share(RATE, 90, Comparison.BETWEEN, 75, D(100)) is None
    assert share(MILESTONE, 1, Comparison.GTE, None) is None
    assert share(COUNT, 0, Comparison.LTE, 4) is None
    assert share(CONNECTED, 1, Comparison.EQ, 1) is None
    assert share(SHARE, 75, Comparison.EQ, 100) == D("0.75")


def test_each_measure_allows_only_the_rollups_it_can_compute():
    assert AgencyRollup.MEAN not in MEASURES[MeasureType.RATE].agency_rollups
    assert AgencyRollup.MEAN not in MEASURES[MeasureType.RATIO].agency_rollups
    assert TimeRollup.FLOW not in MEASURES[MeasureType.YES_NO].time_rollups
    assert set(MEASURES) == set(MeasureType.values)
    for measure in MEASURES.values():
        assert set(measure.fields) <= {"value", "numerator", "denominator", "is_done", "done_on", "text"}
        assert set(measure.labels) == set(measure.fields)


# -- properties of the ratio -----------------------------------------------------------

positive = st.decimals(min_value=D(1), max_value=D(10**9), places=2, allow_nan=False, allow_infinity=False)
non_negative = st.decimals(
    min_value=D(0), max_value=D(10**9), places=2, allow_nan=False, allow_infinity=False
)
agency_pairs = st.lists(st.tuples(non_negative, positive), min_size=1, max_size=30)
scales = st.sampled_from([1, 100, 1000])


def ratio_of(pairs, scale):
    row = indicator(MeasureType.RATIO, AgencyRollup.RATIO_OF_SUMS, scale=scale)
    return combine(row, Aggregates(numerator=sum(n for n, _ in pairs), denominator=sum(d for _, d in pairs)))


@given(agency_pairs, scales)
def test_a_ratio_of_sums_lies_between_the_smallest_and_largest_agency_ratio(pairs, scale):
    own = [n * scale / d for n, d in pairs]
    figure = ratio_of(pairs, scale).value
    assert min(own) - D("1e-15") <= figure <= max(own) + D("1e-15")


@given(agency_pairs, st.randoms())
def test_a_ratio_does_not_depend_on_the_order_of_agencies(pairs, random):
    shuffled = list(pairs)
    random.shuffle(shuffled)
    assert ratio_of(pairs, 1) == ratio_of(shuffled, 1)


@given(agency_pairs)
def test_a_ratio_scales_linearly_and_keeps_its_parts(pairs):
    per_one, per_thousand = ratio_of(pairs, 1), ratio_of(pairs, 1000)
    assert abs(per_thousand.value - per_one.value * 1000) <= D("1e-12") * max(1, per_thousand.value)
    assert (per_one.numerator, per_one.denominator) == (per_thousand.numerator, per_thousand.denominator)


@given(positive, positive)
def test_a_ratio_may_exceed_100_where_a_rate_may_not(numerator, denominator):
    assert value_problems(GB, Reported(numerator=numerator, denominator=denominator)) == {}
    rate_problems = value_problems(RATE, Reported(numerator=numerator, denominator=denominator))
    assert bool(rate_problems) == (numerator > denominator)


PER_YEAR = indicator(MeasureType.RATIO, AgencyRollup.RATIO_OF_SUMS, scale=100, unit="%/năm")


def test_every_percentage_is_written_with_the_sign_attached():
    """Vietnamese usage, as the plans write it ("100% sở, ngành", "≥ 50%"): no space
    before the per cent sign, wherever the portal writes a percentage; other units keep
    their space."""
    from indicators.templatetags.portal import share_percent, signed_percent
    from reporting.templatetags.reporting import percent_of

    def target(comparison, value, upper=None):
        return SimpleNamespace(comparison=comparison, value=value, upper_value=upper, target_date=None)

    rate = measure_of(RATE)
    assert rate.display(Reported(numerator=D(45), denominator=D(60)), indicator=RATE) == "45/60 (75%)"
    assert rate.figure_display(D("78.21"), None, None, indicator=RATE) == "78,21%"
    assert rate.target_display(target(Comparison.GTE, D(50)), indicator=RATE) == "≥ 50%"
    assert rate.target_display(target(Comparison.BETWEEN, D(75), D(100)), indicator=RATE) == "75 – 100%"
    assert measure_of(PER_YEAR).target_display(target(Comparison.GTE, D(5)), indicator=PER_YEAR) == "≥ 5%/năm"
    assert measure_of(COUNT).target_display(target(Comparison.GTE, D(20)), indicator=COUNT) == "≥ 20 tin, bài"
    assert (
        measure_of(AMOUNT).figure_display(D(2000000000), None, None, indicator=AMOUNT) == "2.000.000.000 đồng"
    )
    assert signed_percent(D("0.125")) == "+12,5%"
    assert signed_percent(D("-0.1")) == "−10%"
    assert share_percent(D("0.4706")) == "47,1%"
    assert percent_of(2, 3) == "67%"
