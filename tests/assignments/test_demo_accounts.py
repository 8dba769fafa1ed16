"""The demo accounts (issue 19): one per role and province, and a second data-entry
account of the agency whose reports hold the kinds of figure the first's do not
(counts and amounts first), so that a visitor can try each."""

import pytest

from assignments.services import demo_accounts_create
from indicators.choices import AgencyRollup, MeasureType, TimeRollup
from tests.factories import AgencyFactory, IndicatorFactory, ReportingObligationFactory

pytestmark = pytest.mark.django_db


def obliged(agency, measure, across, over):
    indicator = IndicatorFactory(
        province=agency.province, measure_type=measure, rollup_agencies=across, rollup_time=over
    )
    ReportingObligationFactory(indicator=indicator, agency=agency, year=2024)


def test_a_second_staff_account_reports_what_the_first_does_not(province, other_province):
    office = AgencyFactory(parent=province, code="BG.VPUBND", name="Văn phòng UBND tỉnh")
    radio = AgencyFactory(parent=province, code="BG.DPTTH", name="Đài Phát thanh và Truyền hình tỉnh")
    same = AgencyFactory(parent=province, code="BG.SCT", name="Sở Công Thương")
    obliged(office, MeasureType.RATE, AgencyRollup.RATIO_OF_SUMS, TimeRollup.STOCK)
    obliged(same, MeasureType.RATE, AgencyRollup.RATIO_OF_SUMS, TimeRollup.STOCK)
    obliged(radio, MeasureType.COUNT, AgencyRollup.SUM, TimeRollup.FLOW)
    hue_office = AgencyFactory(parent=other_province, code="TTH.VPUBND")
    obliged(hue_office, MeasureType.RATE, AgencyRollup.RATIO_OF_SUMS, TimeRollup.STOCK)

    accounts = {account.username: account.agency for account in demo_accounts_create()}
    assert accounts["bg_staff"] == office and accounts["bg_staff2"] == radio
    assert "tth_staff2" not in accounts  # no agency there reports another kind of figure


def test_the_second_staff_account_reports_the_amounts_nobody_is_named_for(province):
    from decimal import Decimal

    from assignments.models import ReportingObligation
    from tests.factories import PlanFactory, TargetFactory

    office = AgencyFactory(parent=province, code="BG.VPUBND", name="Văn phòng UBND tỉnh")
    radio = AgencyFactory(parent=province, code="BG.DPTTH", name="Đài Phát thanh và Truyền hình tỉnh")
    AgencyFactory(parent=province, code="BG.STTTT", name="Sở Thông tin và Truyền thông")
    obliged(office, MeasureType.RATE, AgencyRollup.RATIO_OF_SUMS, TimeRollup.STOCK)
    obliged(radio, MeasureType.COUNT, AgencyRollup.SUM, TimeRollup.FLOW)
    plan = PlanFactory(province=province, year_from=2024, year_to=2024)
    budget = IndicatorFactory(
        province=province, measure_type=MeasureType.AMOUNT, rollup_agencies=AgencyRollup.SUM, unit="đồng"
    )
    TargetFactory(plan=plan, indicator=budget, year=2024, value=Decimal(2_000_000_000))

    demo_accounts_create()
    demo_accounts_create()  # idempotent
    assert list(ReportingObligation.objects.filter(indicator=budget).values_list("agency__code", "year")) == [
        ("BG.DPTTH", 2024)
    ]
