"""Which plan's target judges an indicator's year (``TargetQuerySet.judging``), the
DIC's choice of another, and the pages that show every plan's target and the judging one."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.choices import Comparison
from indicators.models import JudgingTarget, Target
from reporting import services
from reporting.models import ProvinceFigure, ReportingPeriod
from reporting.rollup.services import compile_province_rollup
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(province):
    """2663/KH-UBND: one figure for "2022 and the following years" (2022–2025), issued
    11/6/2022; the steering committee's plan for 2022 alone, issued earlier (1/3/2022);
    a third plan for 2022–2025 issued later (1/9/2022)."""
    ongoing = PlanFactory(
        province=province, number="2663/KH-UBND", year_from=2022, year_to=2025, issued_on=date(2022, 6, 11)
    )
    steering = PlanFactory(
        province=province, number="04/KH-BCĐ", year_from=2022, year_to=2022, issued_on=date(2022, 3, 1)
    )
    later = PlanFactory(
        province=province, number="99/KH-UBND", year_from=2022, year_to=2025, issued_on=date(2022, 9, 1)
    )
    indicator = IndicatorFactory(province=province, code="BG.CQS.HSTRUCTUYEN")
    targets = {
        "ongoing": TargetFactory(plan=ongoing, indicator=indicator, year=2022, value=Decimal(50)),
        "steering": TargetFactory(plan=steering, indicator=indicator, year=2022, value=Decimal(40)),
        "later": TargetFactory(plan=later, indicator=indicator, year=2022, value=Decimal(60)),
    }
    return indicator, targets


def test_a_plan_for_that_year_wins_over_one_for_several_years(plans, province):
    indicator, targets = plans
    # The steering committee's 2022 plan, though issued before the other two.
    assert Target.objects.judging(province_id=province.pk, year=2022)[indicator.pk] == targets["steering"]


def test_among_plans_of_equal_span_the_latest_issued_wins(plans, province):
    indicator, targets = plans
    targets["steering"].delete()
    assert Target.objects.judging(province_id=province.pk, year=2022)[indicator.pk] == targets["later"]


def test_the_dic_may_choose_another_plan(plans, province, dic_user):
    indicator, targets = plans
    JudgingTarget.objects.create(
        indicator=indicator, year=2022, target=targets["ongoing"], reason="Theo chỉ đạo"
    )
    assert Target.objects.judging(province_id=province.pk, year=2022)[indicator.pk] == targets["ongoing"]
    # The roll-up reads it: the 2022 figure is judged against 2663's 50 %.
    services.periods_open(province=province, year=2022, actor=dic_user)
    year = ReportingPeriod.objects.get(province=province, year=2022, quarter__isnull=True)
    compile_province_rollup(period=year)
    assert ProvinceFigure.objects.get(period=year, indicator=indicator).target == targets["ongoing"]


def test_a_choice_must_be_a_target_of_the_same_indicator_and_year(plans, province):
    indicator, targets = plans
    other = TargetFactory(plan=targets["ongoing"].plan, indicator=indicator, year=2023, value=Decimal(70))
    choice = JudgingTarget(indicator=indicator, year=2022, target=other)
    with pytest.raises(Exception, match="của chính chỉ tiêu và năm này"):
        choice.full_clean()


def test_the_pages_show_every_plans_target_and_the_one_that_judges(plans, client, dic_user, province):
    indicator, targets = plans
    client.force_login(dic_user)
    page = client.get(reverse("indicators:indicator-detail", args=[indicator.pk])).content.decode()
    assert page.count("dùng để đánh giá năm") == 1
    steering_row = page[page.index("04/KH-BCĐ") :]
    assert steering_row.index("dùng để đánh giá năm") < steering_row.index("</tr>")
    services.periods_open(province=province, year=2022, actor=dic_user)
    response = client.get(reverse("reporting:dashboard-indicator", args=[indicator.pk]), {"year": 2022})
    listed = [(t.plan.number, t.judges) for t in response.context["year_targets"]]
    assert listed == [("04/KH-BCĐ", True), ("99/KH-UBND", False), ("2663/KH-UBND", False)]
    html = response.content.decode()
    assert "≥ 40% · 04/KH-BCĐ" in html and "≥ 50% · 2663/KH-UBND" in html


def test_a_yes_no_target_reads_as_yes(province):
    from indicators.choices import AgencyRollup, MeasureType

    indicator = IndicatorFactory(
        province=province,
        measure_type=MeasureType.YES_NO,
        unit="có/không",
        rollup_agencies=AgencyRollup.LEAD_VALUE,
    )
    target = TargetFactory(
        plan=PlanFactory(province=province), indicator=indicator, comparison=Comparison.EQ, value=Decimal(1)
    )
    assert target.display == "= có"
