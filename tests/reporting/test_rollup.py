"""The province roll-up against the database: approved values only, the indicator's
rules, coverage and status, one transaction, the same figures twice, flat queries,
and runs coalesced after approvals."""

from decimal import Decimal

import pytest

from reporting import services
from reporting.choices import FigureStatus, RollupState
from reporting.models import ProvinceFigure, RollupRun
from reporting.rollup.services import compile_province_rollup, rollup_request, rollup_run
from tests.factories import AgencyFactory, IndicatorFactory, ReportingObligationFactory

from .world import figures, period, report

pytestmark = pytest.mark.django_db


def test_a_quarter_from_approved_values_only(world):
    report(
        world,
        0,
        1,
        {
            "RATE": {"numerator": 45, "denominator": 60},
            "ARTICLES": {"value": 3},
            "OPENDATA": {"is_done": True},
            "BUDGET": {"value": 2_500_000_000},
        },
    )
    report(
        world,
        1,
        1,
        {"RATE": {"numerator": 5, "denominator": 40}, "ARTICLES": {"value": 4}, "BUDGET": {"value": 100}},
    )
    report(
        world,
        2,
        1,
        {"RATE": {"numerator": 1000, "denominator": 1000}, "ARTICLES": {"value": 900}},
        approve=False,
    )
    compile_province_rollup(period=period(world, 1))
    result = figures(period(world, 1))
    rate = result["RATE"]
    assert (rate.value, rate.numerator, rate.denominator) == (50, 50, 100)  # not (75% + 12.5%) / 2
    assert (rate.approved_agencies, rate.required_agencies, rate.coverage) == (2, 3, Decimal(200) / 3)
    assert rate.status == FigureStatus.ON_TRACK and rate.target.value == 50
    assert result["ARTICLES"].value == 7
    assert result["OPENDATA"].value == 50 and result["OPENDATA"].status == FigureStatus.AT_RISK
    assert result["BUDGET"].value == 2_500_000_000  # the lead agency's figure, not the sum


def test_the_year_takes_a_stocks_latest_quarter_and_adds_a_flows(world):
    # Every agency reports Q1 (rate 1/4 each) and Q2 (3/4 each); only A0 writes articles: 6, then 9.
    for n in range(3):
        report(
            world,
            n,
            1,
            {"RATE": {"numerator": 1, "denominator": 4}, "ARTICLES": {"value": 6 if n == 0 else 0}},
        )
        report(
            world,
            n,
            2,
            {
                "RATE": {"numerator": 3, "denominator": 4, "note": "Cổng DVC mới"},
                "ARTICLES": {"value": 9 if n == 0 else 0},
            },
        )
    for quarter in (1, 2, None):
        compile_province_rollup(period=period(world, quarter))
    year = figures(period(world, None))
    # Stock: Q2's 9/12 = 75 % ≥ 50, on 6 of the year's 12 agency-quarters approved (50 %, the threshold).
    rate = year["RATE"]
    assert (rate.value, rate.numerator, rate.denominator, rate.status) == (75, 9, 12, FigureStatus.MET)
    assert (rate.approved_agencies, rate.required_agencies, rate.through_quarter) == (6, 12, 2)
    assert "6/12 báo cáo đã duyệt (50%)" in rate.basis and "số liệu mới đến quý II" in rate.basis
    assert year["ARTICLES"].value == 15 and year["ARTICLES"].status == FigureStatus.NOT_MET  # 6 + 9 < 20
    assert year["OPENDATA"].status == FigureStatus.NOT_MET  # nobody said yes: 0 % of 100
    q2 = figures(period(world, 2))["ARTICLES"]
    # The quarter's own 9; judged on the year to date 15 ≥ 20 × 2/4, resting on Q1 and Q2: 6 of 6 reports.
    assert (q2.value, q2.judged_value, q2.status) == (9, 15, FigureStatus.ON_TRACK)
    assert (q2.approved_agencies, q2.required_agencies) == (6, 6)
    assert figures(period(world, 3)) == {}


def test_a_year_resting_on_too_few_reports_gets_no_verdict(world):
    # Only A0 reports, Q1 and Q2: 2 of the year's 12 agency-quarters (16,7 % < 50 %).
    report(world, 0, 1, {"RATE": {"numerator": 1, "denominator": 4}})
    report(world, 0, 2, {"RATE": {"numerator": 3, "denominator": 4, "note": "Cổng DVC mới"}})
    compile_province_rollup(period=period(world, None))
    rate = figures(period(world, None))["RATE"]
    assert (rate.value, rate.approved_agencies, rate.required_agencies) == (75, 2, 12)
    assert rate.status == FigureStatus.INSUFFICIENT  # 75 % ≥ 50 would say "met" on a sixth of the data
    assert "2/12 báo cáo đã duyệt (17%)" in rate.basis and "dưới ngưỡng 50%" in rate.basis


def test_a_rate_of_zero_over_zero_is_an_answer_without_weight(world):
    # A0: 45/60; A1: no case this quarter (0/0); both approved. 45/60 = 75 %, 2 of 3 reports in.
    report(world, 0, 1, {"RATE": {"numerator": 45, "denominator": 60}})
    report(world, 1, 1, {"RATE": {"numerator": 0, "denominator": 0}})
    compile_province_rollup(period=period(world, 1))
    rate = figures(period(world, 1))["RATE"]
    assert (rate.value, rate.numerator, rate.denominator) == (75, 45, 60)
    assert (rate.approved_agencies, rate.required_agencies, rate.not_applicable_agencies) == (2, 3, 1)
    assert "1 báo cáo không phát sinh (0/0), không tính" in rate.basis


def test_no_approved_value_is_no_data(world):
    compile_province_rollup(period=period(world, 1))
    rate = figures(period(world, 1))["RATE"]
    assert (rate.value, rate.status, rate.approved_agencies, rate.required_agencies) == (
        None,
        "no_data",
        0,
        3,
    )


def test_running_twice_gives_the_same_figures(world):
    report(world, 0, 1, {"RATE": {"numerator": 2, "denominator": 3}})

    def snapshot():
        compile_province_rollup(period=period(world, 1))
        return sorted(
            ProvinceFigure.objects.values_list(
                "indicator__code",
                "value",
                "numerator",
                "denominator",
                "approved_agencies",
                "required_agencies",
                "status",
            )
        )

    assert snapshot() == snapshot()
    assert ProvinceFigure.objects.count() == 4


def test_a_run_killed_halfway_leaves_the_previous_figures(world, monkeypatch):
    report(world, 0, 1, {"ARTICLES": {"value": 5}})
    compile_province_rollup(period=period(world, 1))
    report(world, 1, 1, {"ARTICLES": {"value": 8}})

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(ProvinceFigure.objects, "bulk_create", killed)
    with pytest.raises(SystemExit):
        compile_province_rollup(period=period(world, 1))
    assert figures(period(world, 1))["ARTICLES"].value == 5
    assert RollupRun.objects.filter(state=RollupState.FAILED).count() == 1


def test_the_number_of_queries_does_not_grow_with_indicators_or_agencies(
    world, django_assert_max_num_queries
):
    report(world, 0, 1, {"RATE": {"numerator": 2, "denominator": 3}})
    with django_assert_max_num_queries(30) as small:
        compile_province_rollup(period=period(world, None))
    province = world["province"]
    for n in range(10):
        indicator = IndicatorFactory(province=province, code=f"MORE{n}")
        for agency in [*world["agencies"], *(AgencyFactory(parent=province) for _ in range(3))]:
            ReportingObligationFactory(indicator=indicator, agency=agency, year=2024)
    services.periods_open(province=province, year=2024, actor=world["dic_user"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        compile_province_rollup(period=period(world, None))
    assert ProvinceFigure.objects.filter(period=period(world, None)).count() == 14


def test_the_lead_agencies_values_are_read_only_for_a_figure_that_is_the_leads(
    world, django_assert_max_num_queries, django_assert_num_queries
):
    """BUDGET is the only indicator whose figure is the lead agency's: with it, the roll-up
    reads the leads' values in a second grouped query; made a sum, it does not."""
    report(world, 0, 1, {"BUDGET": {"value": 3_000_000_000}, "ARTICLES": {"value": 4}})
    with django_assert_max_num_queries(30) as with_lead:
        compile_province_rollup(period=period(world, 1))
    budget = world["indicators"]["BUDGET"]
    budget.rollup_agencies = "sum"
    budget.save()
    with django_assert_num_queries(len(with_lead.captured_queries) - 1) as without:
        compile_province_rollup(period=period(world, 1))
    assert not any("UNION" in query["sql"] for query in without.captured_queries)
    assert figures(period(world, 1))["BUDGET"].value == 3_000_000_000  # A0's alone, as a sum too


def test_many_approvals_make_one_run(world, django_capture_on_commit_callbacks):
    q1 = period(world, 1)
    with django_capture_on_commit_callbacks() as callbacks:
        first = rollup_request(periods=[q1], trigger="approval")
        second = rollup_request(periods=[q1], trigger="approval")
    assert len(first) == 1 and second == [] and len(callbacks) == 1
    run = first[0]
    assert rollup_run(run_id=run.pk).state == RollupState.DONE
    assert rollup_run(run_id=run.pk) is None  # a second delivery does nothing
    assert len(rollup_request(periods=[q1], trigger="approval")) == 1  # the next change asks again


def test_an_approval_compiles_its_quarter_and_year(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(world, 0, 2, {"ARTICLES": {"value": 11}})
    assert figures(period(world, 2))["ARTICLES"].value == 11
    assert figures(period(world, None))["ARTICLES"].value == 11
    assert set(RollupRun.objects.values_list("state", flat=True)) == {RollupState.DONE}


def test_the_command_compiles_a_period(world, capsys):
    from django.core.management import call_command

    report(world, 0, 1, {"ARTICLES": {"value": 4}})
    call_command("compile_rollup", "--period", "2024-Q1")
    assert "BG 2024-Q1: 4 figures, 1/3 submissions approved" in capsys.readouterr().out
    assert figures(period(world, 1))["ARTICLES"].value == 4


def test_the_dic_compiles_a_period_from_its_page(client, world, django_capture_on_commit_callbacks):
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        report(world, 0, 1, {"ARTICLES": {"value": 4}})
    ProvinceFigure.objects.all().delete()
    client.force_login(world["dic_user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:period-compile", args=[period(world, 1).pk]), follow=True)
    assert "Đã tổng hợp số liệu Quý I/2024 lúc" in response.content.decode()
    assert figures(period(world, 1))["ARTICLES"].value == 4
    page = client.get(reverse("reporting:period-list")).content.decode()
    assert "tổng hợp ngay" in page


def test_a_pending_run_whose_task_never_came_is_enqueued_again_by_the_sweeper(
    world, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from reporting.rollup.services import rollups_sweep

    q1 = period(world, 1)
    (lost,) = rollup_request(periods=[q1], trigger="approval")  # its task never comes
    assert rollup_request(periods=[q1], trigger="approval") == []  # coalesced into it
    assert rollups_sweep()["rollups_enqueued"] == 0  # its countdown is not over
    RollupRun.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert rollups_sweep()["rollups_enqueued"] == 1
    assert RollupRun.objects.get(pk=lost.pk).state == RollupState.DONE


def test_several_lead_agencies_combine_by_the_rate_rule(world):
    """Two lead agencies of a rate: 30/50 and 45/100 make (30 + 45) / (50 + 100) = 50 %, not
    the largest numerator over the largest denominator (45/100 = 45 %), a figure nobody
    reported. The third agency (not a lead) reports 100/100 and is not counted."""
    from assignments.choices import AssignmentRole
    from tests.factories import IndicatorAssignmentFactory

    rate = world["indicators"]["RATE"]
    rate.rollup_agencies = "lead_value"
    rate.save()
    plan = rate.targets.get().plan
    for agency in world["agencies"][:2]:
        IndicatorAssignmentFactory(
            plan=plan, indicator=rate, year=2024, agency=agency, role=AssignmentRole.LEAD
        )
    report(world, 0, 1, {"RATE": {"numerator": 30, "denominator": 50}})
    report(world, 1, 1, {"RATE": {"numerator": 45, "denominator": 100}})
    report(world, 2, 1, {"RATE": {"numerator": 100, "denominator": 100}})
    compile_province_rollup(period=period(world, 1))
    figure = figures(period(world, 1))["RATE"]
    assert (figure.value, figure.numerator, figure.denominator) == (50, 75, 150)
    assert figure.display == "50% (75/150)"


def test_a_lead_agencys_figure_rests_on_the_lead_agencies_reports(world):
    """BUDGET is the lead A0's figure: A0's approved 3 tỷ is the whole figure, 1 of 1
    lead report (100 %), whatever A1 and A2 (not leads) have not sent."""
    report(world, 0, 1, {"BUDGET": {"value": 3_000_000_000}})
    compile_province_rollup(period=period(world, 1))
    budget = figures(period(world, 1))["BUDGET"]
    assert (budget.value, budget.approved_agencies, budget.required_agencies) == (3_000_000_000, 1, 1)
    assert budget.status == FigureStatus.ON_TRACK  # ≥ 2 tỷ, judged on the lead's complete report


def test_several_leads_answer_yes_only_once_every_lead_has(world):
    """OPENDATA made a lead-answer indicator with two leads, A0 and A1; A2 is not a lead."""
    from assignments.choices import AssignmentRole
    from tests.factories import IndicatorAssignmentFactory

    opendata = world["indicators"]["OPENDATA"]
    opendata.rollup_agencies = "lead_value"
    opendata.save()
    plan = opendata.targets.get().plan
    for agency in world["agencies"][:2]:
        IndicatorAssignmentFactory(
            plan=plan, indicator=opendata, year=2024, agency=agency, role=AssignmentRole.LEAD
        )
    # A0 says yes; A1 has not sent; A2 (no lead) says no: no figure yet, 1 of 2 lead reports.
    report(world, 0, 1, {"OPENDATA": {"is_done": True}})
    report(world, 2, 1, {"OPENDATA": {"is_done": False}})
    compile_province_rollup(period=period(world, 1))
    figure = figures(period(world, 1))["OPENDATA"]
    assert (figure.value, figure.status, figure.approved_agencies, figure.required_agencies) == (
        None,
        FigureStatus.NO_DATA,
        1,
        2,
    )
    # A1 says no: the province's answer is "Không".
    report(world, 1, 1, {"OPENDATA": {"is_done": False}})
    compile_province_rollup(period=period(world, 1))
    figure = figures(period(world, 1))["OPENDATA"]
    assert (figure.value, figure.display, figure.approved_agencies) == (0, "Không", 2)


def test_a_quarter_where_every_agency_had_no_case_says_so(world):
    for n in range(3):
        report(world, n, 1, {"RATE": {"numerator": 0, "denominator": 0}})
    compile_province_rollup(period=period(world, 1))
    rate = figures(period(world, 1))["RATE"]
    assert (rate.value, rate.status, rate.not_applicable_agencies) == (None, FigureStatus.NO_DATA, 3)
    assert rate.basis == "Dựa trên 3/3 báo cáo đã duyệt (100%); 3 báo cáo không phát sinh (0/0), không tính"


def test_the_command_compiles_every_period_after_an_upgrade(world):
    from django.core.management import call_command

    from reporting.models import ReportingPeriod

    report(world, 0, 2, {"ARTICLES": {"value": 4}})
    call_command("compile_rollup", "--all")
    # Every period of the province (four quarters and the year), each once.
    assert RollupRun.objects.filter(state=RollupState.DONE).count() == ReportingPeriod.objects.count() == 5
    assert figures(period(world, None))["ARTICLES"].value == 4
