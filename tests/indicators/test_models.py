"""The catalogue's rules, held by the database and by ``clean()``."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from indicators.choices import AgencyKind, AgencyRollup, Comparison, MeasureType
from indicators.formatting import format_number, quarter_name
from indicators.models import Agency, Indicator, task_sort_key
from tests.factories import (
    AgencyFactory,
    IndicatorFactory,
    PlanFactory,
    TargetFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def assert_integrity_error(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_agency_tree_sets_province_at_any_depth(province):
    department = AgencyFactory(parent=province)
    unit = AgencyFactory(parent=department)
    assert department.province == province
    assert unit.province == province
    assert province.province_id is None
    assert set(Agency.objects.for_province(province.pk)) == {province, department, unit}


def test_only_a_province_is_a_root(province):
    assert_integrity_error(lambda: Agency.objects.create(code="X", name="Sở lạc", kind=AgencyKind.DEPARTMENT))
    assert_integrity_error(
        lambda: Agency.objects.create(code="Y", name="Tỉnh con", kind=AgencyKind.PROVINCE, parent=province)
    )


def test_agency_tree_refuses_a_cycle(province):
    department = AgencyFactory(parent=province)
    unit = AgencyFactory(parent=department)
    department.parent = unit
    with pytest.raises(ValidationError):
        department.clean()


def test_agency_codes_are_unique(province):
    AgencyFactory(parent=province, code="BG.SYT")
    assert_integrity_error(lambda: AgencyFactory(parent=province, code="BG.SYT"))


def test_indicator_code_is_unique_within_a_province_only(province, other_province):
    IndicatorFactory(province=province, code="CQS.DVC")
    IndicatorFactory(province=other_province, code="CQS.DVC")
    assert_integrity_error(lambda: IndicatorFactory(province=province, code="CQS.DVC"))


def test_one_target_per_indicator_plan_and_year():
    target = TargetFactory()
    TargetFactory(plan=target.plan, indicator=target.indicator, year=2025)
    assert_integrity_error(
        lambda: TargetFactory(plan=target.plan, indicator=target.indicator, year=target.year)
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"comparison": Comparison.BETWEEN, "value": Decimal(100), "upper_value": Decimal(75)},
        {"comparison": Comparison.BETWEEN, "value": Decimal(75), "upper_value": None},
        {"comparison": Comparison.GTE, "value": Decimal(75), "upper_value": Decimal(100)},
        {"comparison": Comparison.GTE, "value": None, "target_date": None},
        {"year": 1999},
    ],
)
def test_target_values_must_be_consistent(fields):
    assert_integrity_error(lambda: TargetFactory(**fields))


def test_a_range_target_reads_as_written():
    target = TargetFactory(
        comparison=Comparison.BETWEEN,
        value=Decimal(75),
        upper_value=Decimal(100),
        indicator__unit="thiết bị/100 dân",
    )
    assert target.display == "75 – 100 thiết bị/100 dân"


def test_target_and_plan_must_share_a_province(province, other_province):
    target = TargetFactory.build(
        plan=PlanFactory(province=province), indicator=IndicatorFactory(province=other_province)
    )
    with pytest.raises(ValidationError):
        target.clean()


@pytest.mark.parametrize(
    ("measure", "fields"),
    [
        # A mean of agencies' rates is not the province's rate (and showed "no data" for ever).
        (MeasureType.RATE, {"rollup_agencies": AgencyRollup.MEAN}),
        (MeasureType.RATIO, {"rollup_agencies": AgencyRollup.MEAN, "scale": 1}),
        (MeasureType.YES_NO, {"rollup_agencies": AgencyRollup.SHARE_YES, "rollup_time": "flow"}),
        (MeasureType.TEXT, {"rollup_agencies": AgencyRollup.SUM}),
        # A percentage is per 100; another scale is a ratio.
        (MeasureType.RATE, {"rollup_agencies": AgencyRollup.RATIO_OF_SUMS, "scale": 1}),
        (MeasureType.RATIO, {"rollup_agencies": AgencyRollup.RATIO_OF_SUMS, "scale": 7}),
    ],
)
def test_the_database_refuses_a_rollup_or_scale_the_measure_cannot_compute(measure, fields):
    assert_integrity_error(lambda: IndicatorFactory(measure_type=measure, **fields))


def test_the_model_says_why_in_vietnamese(province):
    indicator = IndicatorFactory.build(
        province=province,
        measure_type=MeasureType.RATE,
        rollup_agencies=AgencyRollup.MEAN,
        pillar=IndicatorFactory().pillar,
    )
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert "Cách tổng hợp giữa các đơn vị không dùng được cho loại số liệu này." in str(refused.value)


def test_rollup_must_fit_the_measure_type():
    assert_integrity_error(
        lambda: IndicatorFactory(measure_type=MeasureType.COUNT, rollup_agencies=AgencyRollup.RATIO_OF_SUMS)
    )
    assert_integrity_error(
        lambda: IndicatorFactory(measure_type=MeasureType.RATE, rollup_agencies=AgencyRollup.SHARE_YES)
    )
    IndicatorFactory(measure_type=MeasureType.COUNT, rollup_agencies=AgencyRollup.SUM, unit="tin, bài")


def test_plan_years_and_due_days_are_valid():
    assert_integrity_error(lambda: PlanFactory(year_from=2025, year_to=2022))
    assert_integrity_error(lambda: PlanFactory(quarterly_due_day=32))
    plan = PlanFactory.build(yearly_due="13-40")
    with pytest.raises(ValidationError):
        plan.clean()


def test_task_numbers_are_unique_in_a_plan_and_sort_numerically():
    task = TaskFactory(number="1.9")
    TaskFactory(plan=task.plan, number="1.10")
    assert_integrity_error(lambda: TaskFactory(plan=task.plan, number="1.9"))
    assert [t.number for t in task.plan.tasks.all()] == ["1.9", "1.10"]
    assert task_sort_key("1.10") > task_sort_key("1.9")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("2000000000"), "2.000.000.000"),
        (Decimal("0.25"), "0,25"),
        (Decimal("85.0000"), "85"),
        (Decimal("-1234.5"), "-1.234,5"),
        (None, ""),
    ],
)
def test_numbers_are_written_the_vietnamese_way(value, text):
    assert format_number(value) == text


def test_quarter_names_use_roman_numerals():
    assert quarter_name(1, 2024) == "Quý I/2024"
    assert quarter_name(4, 2025) == "Quý IV/2025"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_measure_type_reads_as_djangos_display_wrote_it(language):
    """``Indicator.get_measure_type_display`` looks one label up where Django's translated
    them all: the same words, and a stored value that is not a choice as it is."""
    field = Indicator._meta.get_field("measure_type")
    with translation.override(language):
        for value in [*MeasureType.values, "retired"]:
            indicator = Indicator(measure_type=value)
            assert indicator.get_measure_type_display() == indicator._get_FIELD_display(field)
        assert Indicator(measure_type=MeasureType.RATE).get_measure_type_display() == (
            "Tỷ lệ % (tử số / mẫu số)" if language == "vi" else "Rate % (numerator / denominator)"
        )
