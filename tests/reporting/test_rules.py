"""The pure rules: a period's dates from the plans' calendars, a task's check, and numbers
typed the Vietnamese way (a value's checks: tests/indicators/test_measures.py)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.formatting import parse_number
from reporting.calendar import Calendar, period_dates
from reporting.validation import task_problems

DEFAULT = Calendar(20, 25, "12-15", "12-20")
PLAN_2663 = Calendar(25, 30, "12-20", "12-25")
PLAN_BCD = Calendar(20, 25, "", "")


def test_a_quarter_is_due_on_the_plans_day_of_its_last_month():
    dates = period_dates(2024, 1, [PLAN_2663], DEFAULT)
    assert (dates.opens_on, dates.due_on, dates.compile_on) == (
        date(2024, 1, 1),
        date(2024, 3, 25),
        date(2024, 3, 30),
    )


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


def test_a_late_task_needs_a_reason():
    assert task_problems("late", "") == {"note": "Nhiệm vụ chậm tiến độ: hãy ghi lý do."}
    assert task_problems("late", "Chờ kinh phí") == {}
    assert task_problems("done", "") == {}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234,5", "1234.5"),
        ("2.000.000", "2000000"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("0.25", "0.25"),
        (" 75 ", "75"),
        ("-3", "-3"),
        ("1 000", "1000"),
        ("1.000", "1000"),
        ("-1.234,5", "-1234.5"),
        # English marks where both appear, or commas that group by three
        ("1,234.5", "1234.5"),
        ("1,234,567", "1234567"),
    ],
)
def test_numbers_typed_the_vietnamese_way(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize(
    "text", ["abc", "1,2,3", "NaN", "Infinity", "", "1.23.4", "1,234.5.6", "1.2,3.4", "12,34.5"]
)
def test_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)
