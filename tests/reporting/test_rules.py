"""The pure rules: a period's dates from the plans' calendars, the checks of a figure,
and numbers typed the Vietnamese way."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.choices import MeasureType
from reporting.calendar import Calendar, period_dates
from reporting.forms import parse_number
from reporting.validation import Figure, figure_problems, relative_change, task_problems

DEFAULT = Calendar(20, 25, "12-15", "12-20")
PLAN_2663 = Calendar(25, 30, "12-20", "12-25")
PLAN_BCD = Calendar(20, 25, "", "")


def test_a_quarter_is_due_on_the_plans_day_of_its_last_month():
    dates = period_dates(2024, 1, [PLAN_2663], DEFAULT)
    assert (dates.opens_on, dates.due_on, dates.compile_on) == (date(2024, 1, 1), date(2024, 3, 25), date(2024, 3, 30))


def test_the_strictest_plan_sets_the_due_date():
    dates = period_dates(2022, 2, [PLAN_2663, PLAN_BCD], DEFAULT)
    assert (dates.due_on, dates.compile_on) == (date(2022, 6, 20), date(2022, 6, 25))


def test_a_day_beyond_the_month_end_falls_on_its_last_day():
    assert period_dates(2024, 2, [Calendar(31, 31)], DEFAULT).due_on == date(2024, 6, 30)


def test_the_year_uses_the_yearly_rule_and_a_province_without_one_the_default():
    assert period_dates(2024, None, [PLAN_2663], DEFAULT).due_on == date(2024, 12, 20)
    assert period_dates(2024, None, [], DEFAULT).due_on == date(2024, 12, 15)
    assert period_dates(2024, 3, [], DEFAULT).due_on == date(2024, 9, 20)


@given(st.integers(2000, 2100), st.sampled_from([1, 2, 3, 4, None]), st.integers(1, 31), st.integers(1, 31))
def test_dates_are_always_ordered(year, quarter, due_day, compile_day):
    dates = period_dates(year, quarter, [Calendar(due_day, compile_day, "10-10", "01-05")], DEFAULT)
    assert dates.opens_on <= dates.due_on <= dates.compile_on


@pytest.mark.parametrize(
    ("measure", "figure", "problems"),
    [
        (MeasureType.RATE, Figure(), {"numerator": "Hãy nhập tử số.", "denominator": "Hãy nhập mẫu số."}),
        (MeasureType.RATE, Figure(numerator=Decimal(70), denominator=Decimal(60)),
         {"numerator": "Tử số không được lớn hơn mẫu số: tỷ lệ phải từ 0 đến 100%."}),
        (MeasureType.RATE, Figure(numerator=Decimal(0), denominator=Decimal(0)), {"denominator": "Mẫu số phải lớn hơn 0."}),
        (MeasureType.RATE, Figure(numerator=Decimal(-1), denominator=Decimal(5)), {"numerator": "Tử số không được âm."}),
        (MeasureType.RATE, Figure(numerator=Decimal(60), denominator=Decimal(60)), {}),
        (MeasureType.COUNT, Figure(value=Decimal(-3)), {"value": "Số lượng không được âm."}),
        (MeasureType.AMOUNT, Figure(value=Decimal(-3)), {"value": "Số tiền không được âm."}),
        (MeasureType.COUNT, Figure(value=Decimal(0)), {}),
        (MeasureType.MILESTONE, Figure(is_done=True), {"done_on": "Hãy nhập ngày hoàn thành."}),
        (MeasureType.MILESTONE, Figure(is_done=False), {}),
        (MeasureType.YES_NO, Figure(), {"is_done": "Hãy chọn Có hoặc Không."}),
        (MeasureType.TEXT, Figure(text="  "), {"text": "Hãy nhập nội dung."}),
    ],
)
def test_figure_problems(measure, figure, problems):
    assert figure_problems(measure, figure) == problems


def test_a_change_of_more_than_half_needs_a_note():
    figure = Figure(value=Decimal(16))
    assert figure_problems(MeasureType.COUNT, figure, previous=Decimal(10)) == {
        "note": "Số liệu thay đổi 60% so với kỳ trước (10): hãy ghi giải trình."
    }
    assert figure_problems(MeasureType.COUNT, Figure(value=Decimal(15)), previous=Decimal(10)) == {}
    assert figure_problems(MeasureType.COUNT, Figure(value=Decimal(16), note="Mở thêm chuyên mục"), previous=Decimal(10)) == {}


def test_a_rate_is_compared_by_its_percentage_not_its_counts():
    # 450/600 = 75% against 40/50 = 80%: the counts grew tenfold, the rate barely moved.
    figure = Figure(numerator=Decimal(450), denominator=Decimal(600))
    assert figure_problems(MeasureType.RATE, figure, previous=Decimal(80)) == {}
    assert "note" in figure_problems(MeasureType.RATE, figure, previous=Decimal(40))


def test_relative_change_from_zero():
    assert relative_change(Decimal(0), Decimal(0)) is None
    assert relative_change(Decimal(0), Decimal(1)) > 1
    assert relative_change(None, Decimal(1)) is None


def test_a_late_task_needs_a_reason():
    assert task_problems("late", "") == {"note": "Nhiệm vụ chậm tiến độ: hãy ghi lý do."}
    assert task_problems("late", "Chờ kinh phí") == {}
    assert task_problems("done", "") == {}


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.234,5", "1234.5"), ("2.000.000", "2000000"), ("12,5", "12.5"), ("12.5", "12.5"), ("0.25", "0.25"),
     (" 75 ", "75"), ("-3", "-3"), ("1 000", "1000"), ("1.000", "1000"), ("-1.234,5", "-1234.5"),
     # English marks where both appear, or commas that group by three
     ("1,234.5", "1234.5"), ("1,234,567", "1234567")],
)
def test_numbers_typed_the_vietnamese_way(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "NaN", "Infinity", "", "1.23.4", "1,234.5.6", "1.2,3.4", "12,34.5"])
def test_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_a_count_is_a_whole_number():
    assert figure_problems(MeasureType.COUNT, Figure(value=Decimal("12.5"))) == {"value": "Số lượng phải là số nguyên."}
    assert figure_problems(MeasureType.AMOUNT, Figure(value=Decimal("12.5"))) == {}
