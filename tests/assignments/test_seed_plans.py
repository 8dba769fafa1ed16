"""The seed plans as loaded: exact values from each plan, the agency tree, idempotence,
and a bad file loading nothing."""

import datetime
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command

from assignments.choices import AssignmentRole
from assignments.models import IndicatorAssignment, ReportingObligation, TaskAssignment
from assignments.seeds import SeedError
from assignments.services import SEED_DIRECTORY, seed_plans_load
from indicators.models import Agency, Indicator, Plan, Target, Task

pytestmark = pytest.mark.django_db

BG_DISTRICTS = {
    "BG.TPBG",
    "BG.HIEPHOA",
    "BG.LANGGIANG",
    "BG.LUCNAM",
    "BG.LUCNGAN",
    "BG.SONDONG",
    "BG.TANYEN",
    "BG.VIETYEN",
    "BG.YENDUNG",
    "BG.YENTHE",
}


@pytest.fixture
def loaded(db):
    return seed_plans_load()


def target(plan: str, indicator: str, year: int) -> Target:
    return Target.objects.get(plan__number=plan, indicator__code=indicator, year=year)


def agencies(plan: str, indicator: str, year: int, role: str) -> set[str]:
    return set(
        IndicatorAssignment.objects.filter(
            plan__number=plan, indicator__code=indicator, year=year, role=role
        ).values_list("agency__code", flat=True)
    )


def test_steering_committee_plan_2022_has_its_18_rows_and_every_role(loaded):
    plan = Plan.objects.get(number="KH-BCĐ 04/2022")
    assert plan.quarterly_due_day == 20 and plan.quarterly_compile_day == 25
    # 18 appendix rows; row II.7 states three figures (province, district, commune level).
    assert plan.targets.count() == 20
    assert set(plan.targets.values_list("year", flat=True)) == {2022}
    every_target_has_a_monitoring_lead = all(
        agencies(plan.number, t.indicator.code, 2022, AssignmentRole.MONITORING_LEAD)
        for t in plan.targets.select_related("indicator")
    )
    assert every_target_has_a_monitoring_lead

    smartphones = target(plan.number, "BG.HTS.SMARTPHONE", 2022)
    assert (smartphones.comparison, smartphones.value) == ("gte", Decimal("85"))
    assert smartphones.wording == "Tỷ lệ dân số có điện thoại thông minh đạt 85%"
    assert agencies(plan.number, "BG.HTS.SMARTPHONE", 2022, AssignmentRole.MONITORING_LEAD) == {"BG.STTTT"}
    assert agencies(plan.number, "BG.HTS.SMARTPHONE", 2022, AssignmentRole.LEAD) == {"BG.DNVT"}
    assert agencies(plan.number, "BG.HTS.SMARTPHONE", 2022, AssignmentRole.COORDINATING) == BG_DISTRICTS
    assert (
        IndicatorAssignment.objects.get(
            plan=plan, indicator__code="BG.HTS.SMARTPHONE", role=AssignmentRole.MONITORING_LEAD
        ).title
        == "Giám đốc Sở TT&TT"
    )

    online = target(plan.number, "BG.CQS.HSTRUCTUYEN", 2022)
    assert (online.comparison, online.value) == ("gte", Decimal("50"))
    assert agencies(plan.number, "BG.CQS.HSTRUCTUYEN", 2022, AssignmentRole.MONITORING_LEAD) == {"BG.VPUBND"}
    assert agencies(plan.number, "BG.CQS.HSTRUCTUYEN", 2022, AssignmentRole.COORDINATING) == {"BG.STTTT"}
    leads = agencies(plan.number, "BG.CQS.HSTRUCTUYEN", 2022, AssignmentRole.LEAD)
    assert BG_DISTRICTS <= leads and {"BG.SKHDT", "BG.STC", "BG.SYT"} <= leads

    invoices = target(plan.number, "BG.KTS.EINVOICE", 2022)
    assert (invoices.comparison, invoices.value) == ("eq", Decimal("100"))
    assert agencies(plan.number, "BG.KTS.EINVOICE", 2022, AssignmentRole.MONITORING_LEAD) == {"BG.STC"}
    assert agencies(plan.number, "BG.KTS.EINVOICE", 2022, AssignmentRole.LEAD) == {"BG.CT"}


def test_plan_2663_targets_with_their_numbers(loaded):
    plan = Plan.objects.get(number="2663/KH-UBND")
    assert plan.issued_on == datetime.date(2022, 6, 11)
    assert (plan.quarterly_due_day, plan.quarterly_compile_day) == (25, 30)
    assert (plan.yearly_due, plan.yearly_compile) == ("12-20", "12-25")
    expected = {
        "BG.KTS.GRDP": ("gte", Decimal("20"), "KTS"),
        "BG.XHS.DIACHISO": ("eq", Decimal("100"), "XHS"),
        "BG.ATTT.CHITYLE": ("gte", Decimal("10"), "ATTT"),
        "BG.ATTT.KPDAOTAO": ("gte", Decimal("2000000000"), "ATTT"),
        "BG.KTS.CHIDAUTU": ("gte", Decimal("0.25"), "KTS"),
        "BG.KTS.ECONTRACT": ("gte", Decimal("80"), "KTS"),
        "BG.NTS.TINBAICONG": ("gte", Decimal("20"), "NTS"),
    }
    for code, (comparison, value, pillar) in expected.items():
        row = target(plan.number, code, 2022)
        assert (row.comparison, row.value, row.indicator.pillar.code) == (comparison, value, pillar), code
    assert Indicator.objects.get(code="BG.ATTT.KPDAOTAO").measure_type == "amount"
    # The same indicator carries the targets of two plans.
    assert target("KH-BCĐ 04/2022", "BG.KTS.ECONTRACT", 2022).value == Decimal("50")


def test_stttt_plan_tasks_and_long_range_targets(loaded):
    plan = Plan.objects.get(number="KH-STTTT 03/2022")
    assert plan.yearly_due == "10-10"
    numbers = list(plan.tasks.values_list("number", flat=True))
    assert numbers[0] == "1.1" and numbers[-1] == "3.1" and len(numbers) == 36
    first = plan.tasks.get(number="1.1")
    assert first.deadline_text == "10/2022" and first.deadline_date == datetime.date(2022, 10, 31)
    assert first.product == "Quy chế"
    roles = set(first.assignments.values_list("role", "agency__code"))
    assert roles == {
        (AssignmentRole.LEAD, "BG.STTTT.PCNTT"),
        (AssignmentRole.COORDINATING, "BG.STTTT.TTCNTT"),
    }
    assert plan.tasks.get(number="1.4").recurring
    assert set(plan.targets.values_list("year", flat=True)) == {2025, 2030}
    fibre = target(plan.number, "BG.HTS.FTTH", 2030)
    assert (fibre.comparison, fibre.value) == ("eq", Decimal("100"))
    # Sub-units sit under the department, which sits under the province.
    unit = Agency.objects.get(code="BG.STTTT.PCNTT")
    assert unit.parent.code == "BG.STTTT" and unit.province.code == "BG"


def test_thua_thien_hue_plan_2024(loaded):
    plan = Plan.objects.get(number="73/QĐ-BCĐ")
    assert plan.issued_on == datetime.date(2024, 5, 16)
    # 34 lettered targets in 5 groups; 2 đ) and 3 đ) state several figures each.
    assert plan.targets.count() == 37
    assert plan.targets.values("section").distinct().count() == 5
    assert plan.tasks.count() == 11
    assert plan.tasks.get(number="11").recurring
    departments = set(
        Agency.objects.filter(parent__code="TTH", kind="department").values_list("code", flat=True)
    )
    catalogue = target(plan.number, "TTH.DLS.DMCSDL", 2024)
    assert (catalogue.section, catalogue.comparison, catalogue.value) == (
        "1. Phát triển dữ liệu số",
        "eq",
        Decimal("100"),
    )
    # "100% sở, ngành, địa phương": every department and district must report it.
    leads = agencies(plan.number, "TTH.DLS.DMCSDL", 2024, AssignmentRole.LEAD)
    assert departments <= leads and "TTH.PHULOC" in leads
    assert Agency.objects.get(code="TTH.PHULOC").province.code == "TTH"


def test_obligations_follow_the_lead_agencies(loaded):
    assert ReportingObligation.objects.filter(
        indicator__code="BG.CQS.BAOCAO", year=2022, agency__code="BG.VPUBND"
    ).exists()
    # The telecom enterprises lead it but do not report themselves: the Sở TT&TT, which
    # collects their figures, reports it; they keep the lead role.
    assert list(
        ReportingObligation.objects.filter(indicator__code="BG.HTS.SMARTPHONE", year=2022).values_list(
            "agency__code", flat=True
        )
    ) == ["BG.STTTT"]
    assert IndicatorAssignment.objects.filter(
        indicator__code="BG.HTS.SMARTPHONE", year=2022, agency__code="BG.DNVT", role=AssignmentRole.LEAD
    ).exists()
    assert not ReportingObligation.objects.filter(agency__reported_by__isnull=False).exists()
    assert ReportingObligation.objects.filter(indicator__code="BG.CQS.HSTRUCTUYEN", year=2022).count() >= 10


def test_loading_twice_changes_nothing(loaded):
    counts = [model.objects.count() for model in (Agency, Indicator, Plan, Target, Task, TaskAssignment)]
    history = Target.history.count() + Agency.history.count()
    again = seed_plans_load()
    assert not again.changed
    assert [
        model.objects.count() for model in (Agency, Indicator, Plan, Target, Task, TaskAssignment)
    ] == counts
    assert Target.history.count() + Agency.history.count() == history


def test_a_changed_value_is_updated_in_place(loaded, tmp_path):
    directory = tmp_path / "plans"
    shutil.copytree(SEED_DIRECTORY, directory)
    path = directory / "10_bac_giang.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "wording: Tỷ lệ dân số có điện thoại thông minh đạt 85%",
            "wording: Tỷ lệ dân số có điện thoại thông minh đạt 85% (sửa)",
        ),
        encoding="utf-8",
    )
    report = seed_plans_load(directory=directory)
    assert dict(report.updated) == {"Target": 1} and not report.created


def test_a_bad_file_loads_nothing_and_lists_every_problem(db, tmp_path):
    directory = tmp_path / "plans"
    shutil.copytree(SEED_DIRECTORY, directory)
    (directory / "99_bad.yaml").write_text(
        "plans:\n"
        "  - number: 'X/KH'\n    province: BG\n    title: T\n    issuer: I\n    year_from: 2024\n    year_to: 2024\n"
        "    targets:\n"
        "      - {indicator: BG.NOPE, year: 2024, comparison: gte, value: 1}\n"
        "      - {indicator: BG.KTS.GRDP, year: 2024, comparison: between, value: 9, upper_value: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError) as error:
        seed_plans_load(directory=directory)
    assert len(error.value.details) == 2
    assert "BG.NOPE" in error.value.details[0]
    assert Agency.objects.count() == 0 and Plan.objects.count() == 0


def test_the_command_reports_no_change_the_second_time(db, capsys):
    call_command("load_seed_plans")
    call_command("load_seed_plans")
    assert "không có thay đổi" in capsys.readouterr().out


GROUPS = """
agencies:
- {code: ZZ, name: UBND tỉnh Thử, kind: province, parent: null}
- {code: ZZ.H1, name: UBND huyện Một, kind: district, parent: ZZ, exists_until: 2025-06-30}
- {code: ZZ.H1.X1, name: UBND xã Một, kind: commune, parent: ZZ.H1}
- {code: ZZ.X2, name: UBND xã Hai, kind: commune, parent: ZZ, exists_from: 2025-07-01}
- {code: ZZ.X0, name: UBND xã Cũ, kind: commune, parent: ZZ, exists_until: 2021-12-31}
- {code: ZZ.SYT, name: Sở Y tế, kind: department, parent: ZZ}
- {code: ZZ.SYT.P, name: Phòng Nghiệp vụ, kind: department, parent: ZZ.SYT}
indicators:
- {code: ZZ.CQS.DVC, province: ZZ, name: Số dịch vụ công, pillar: CQS, unit: dịch vụ,
   measure_type: count, rollup_agencies: sum, rollup_time: flow}
plans:
- number: 1/KH-ZZ
  province: ZZ
  title: Kế hoạch thử
  issuer: UBND tỉnh Thử
  year_from: 2022
  year_to: 2026
  targets:
  - {indicator: ZZ.CQS.DVC, year: 2025, comparison: gte, value: 10, lead: ["@communes"], coordinating: ["@districts"],
     monitoring_lead: null}
  - {indicator: ZZ.CQS.DVC, year: 2026, comparison: gte, value: 12, lead: ["@departments"]}
"""


def test_a_group_names_the_agencies_of_its_kind_at_any_depth_that_exist_in_the_plans_years(db, tmp_path):
    """@communes: the commune under a district (X1) and the one under the province from
    July 2025 (X2); not the one that ended in 2021, before the plan's years 2022-2026."""
    directory = tmp_path / "plans"
    shutil.copytree(SEED_DIRECTORY, directory)
    (directory / "99_groups.yaml").write_text(GROUPS, encoding="utf-8")
    seed_plans_load(directory=directory)
    assert agencies("1/KH-ZZ", "ZZ.CQS.DVC", 2025, AssignmentRole.LEAD) == {"ZZ.H1.X1", "ZZ.X2"}
    assert agencies("1/KH-ZZ", "ZZ.CQS.DVC", 2025, AssignmentRole.COORDINATING) == {"ZZ.H1"}
    assert Agency.objects.get(code="ZZ.H1").exists_until == datetime.date(2025, 6, 30)
    # @departments: the province's departments, not a department's own sub-units.
    assert agencies("1/KH-ZZ", "ZZ.CQS.DVC", 2026, AssignmentRole.LEAD) == {"ZZ.SYT"}
