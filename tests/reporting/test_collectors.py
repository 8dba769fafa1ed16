"""Bodies that do not report themselves (the province's enterprises, households, bank
branches): their collector enters their figures; they have no reports, reminders or
rank, and the completeness grid and overdue counts leave them out."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assignments.choices import AssignmentRole, Role
from assignments.models import IndicatorAssignment, ReportingObligation
from assignments.services import obligations_assign
from dti_portal.errors import DomainError, PermissionDenied
from indicators.choices import AgencyKind
from reporting import services
from reporting.models import Submission, TaskProgress
from reporting.rollup.services import compile_province_rollup
from reporting.selectors import dashboards
from reporting.selectors.submissions import completeness_grid
from tests.factories import AgencyFactory, TaskAssignmentFactory, TaskFactory, make_user

from .world import figures, period, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(world):
    """The province's enterprises, lead of RATE (beside the agencies) and of BUDGET (in
    A0's place) and, before they are marked, obliged to report both themselves."""
    province = world["province"]
    body = AgencyFactory(
        parent=province, code="BG.DN", name="Các doanh nghiệp trên địa bàn tỉnh", kind=AgencyKind.ENTERPRISE
    )
    budget = world["indicators"]["BUDGET"]
    lead = IndicatorAssignment.objects.get(indicator=budget, role=AssignmentRole.LEAD)
    lead.agency = body
    lead.save()
    obligations_assign(
        indicators=[world["indicators"]["RATE"]],
        agencies=[body],
        year=2024,
        actor=world["dic_user"],
        role=AssignmentRole.LEAD,
    )
    obligations_assign(indicators=[budget], agencies=[body], year=2024, actor=world["dic_user"])
    for quarter in (1, 2, 3, 4):
        services.submissions_prepare(period=period(world, quarter))
    return body


@pytest.fixture
def collector(world, department):
    """A department of the province (BG.SKHDT) that reports nothing of its own yet."""
    return department


def collector_reports(world, collector, figures: dict) -> None:
    """The collector's staff enter ``figures`` ({code: fields}) in its Q1 report and
    send it; the DIC approves it."""
    staff = make_user(Role.DEPARTMENT_STAFF, collector, username="canbo_khdt")
    q1 = Submission.objects.get(agency=collector, period__year=2024, period__quarter=1)
    rows = {v.indicator.code: v.pk for v in q1.values.select_related("indicator")}
    values = {rows[code]: fields for code, fields in figures.items()}
    saved = services.submission_save(submission=q1, actor=staff, version=q1.version, values=values)
    services.submission_submit(submission=saved, actor=staff)
    services.submission_approve(submission=saved, actor=world["dic_user"])


def test_marking_a_body_moves_its_obligations_and_untouched_reports_to_its_collector(world, body, collector):
    assert Submission.objects.filter(agency=body).count() == 4  # Q1-Q4: two quarterly indicators, no task

    result = services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])

    assert (result.moved_years, result.kept_years, result.reports_removed) == ([2024], [], 4)
    body.refresh_from_db()
    assert body.reported_by == collector and not body.reports_itself
    assert not ReportingObligation.objects.filter(agency=body).exists()
    assert not Submission.objects.filter(agency=body).exists()
    assert set(
        ReportingObligation.objects.filter(agency=collector).values_list("indicator__code", flat=True)
    ) == {
        "RATE",
        "BUDGET",
    }
    q1 = Submission.objects.get(agency=collector, period__year=2024, period__quarter=1)
    assert sorted(q1.values.values_list("indicator__code", flat=True)) == ["BUDGET", "RATE"]
    # It keeps its role: the lead of BUDGET is still the enterprises.
    assert IndicatorAssignment.objects.get(indicator__code="BUDGET", role=AssignmentRole.LEAD).agency == body
    assert body.history.first().history_user == world["dic_user"]


def test_the_collectors_figure_is_the_lead_bodys_in_the_roll_up(world, body, collector):
    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    collector_reports(
        world, collector, {"RATE": {"numerator": 30, "denominator": 40}, "BUDGET": {"value": 2_400_000_000}}
    )
    report(world, 0, 1, {"RATE": {"numerator": 45, "denominator": 60}, "BUDGET": {"value": 3_000_000_000}})

    compile_province_rollup(period=period(world, 1))
    result = figures(period(world, 1))
    # BUDGET is the lead's figure: the enterprises', as their collector entered it (A0,
    # no longer lead, does not count), on 1 lead report of 1.
    budget = result["BUDGET"]
    assert budget.value == Decimal("2400000000")
    assert (budget.approved_agencies, budget.required_agencies) == (1, 1)
    # RATE: (45 + 30) / (60 + 40) = 75 %, on 2 of the 4 reports required (A0, A1, A2, the collector).
    rate = result["RATE"]
    assert (rate.value, rate.numerator, rate.denominator) == (75, 75, 100)
    assert (rate.approved_agencies, rate.required_agencies) == (2, 4)


def test_a_body_has_no_rank_and_its_figures_do_not_judge_its_collector(world, body, collector):
    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    collector_reports(
        world, collector, {"RATE": {"numerator": 40, "denominator": 40}, "BUDGET": {"value": 1}}
    )

    standings = dashboards.yearly_ranking(province=world["province"], year=2024, today=date(2024, 5, 1))
    ranked = {s.agency.code: s for rows in standings.values() for s in rows}
    assert "BG.DN" not in ranked
    # The collector is ranked on sending its report, not on the enterprises' targets.
    assert ranked["BG.SKHDT"].counts["targets"] == (0, 0)


def test_the_completeness_grid_and_overdue_reports_leave_a_body_out(world, body, collector, client):
    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    _periods, rows = completeness_grid(
        user=world["dic_user"], province_id=world["province"].pk, year=2024, today=date(2024, 6, 1)
    )
    assert "BG.DN" not in {row.agency.code for row in rows}
    assert "BG.SKHDT" in {row.agency.code for row in rows}
    assert not Submission.objects.filter(agency=body).overdue(date(2024, 12, 31)).exists()


def test_a_year_the_body_began_reporting_stays_as_it_is(world, body, collector):
    staff = make_user(Role.DEPARTMENT_STAFF, body, username="canbo_dn")
    q1 = Submission.objects.get(agency=body, period__year=2024, period__quarter=1)
    rate = q1.values.get(indicator__code="RATE")
    services.submission_save(
        submission=q1, actor=staff, version=q1.version, values={rate.pk: {"numerator": 1, "denominator": 2}}
    )

    result = services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])

    assert (result.moved_years, result.kept_years, result.reports_removed) == ([], [2024], 0)
    assert ReportingObligation.objects.filter(agency=body, year=2024).count() == 2
    assert Submission.objects.filter(agency=body).count() == 4
    assert not ReportingObligation.objects.filter(agency=collector).exists()
    assert q1.values.get(indicator__code="RATE").numerator == 1


def test_assigning_a_body_gives_the_obligation_to_its_collector_and_the_role_to_the_body(world, collector):
    body = AgencyFactory(
        parent=world["province"], code="BG.HKD", kind=AgencyKind.ENTERPRISE, reported_by=collector
    )
    result = obligations_assign(
        indicators=[world["indicators"]["ARTICLES"]],
        agencies=[body],
        year=2024,
        actor=world["dic_user"],
        role=AssignmentRole.LEAD,
    )
    assert result.created == [(world["indicators"]["ARTICLES"].pk, collector.pk)]
    assert ReportingObligation.objects.get(agency=collector).on_behalf_of == body
    assert not ReportingObligation.objects.filter(agency=body).exists()
    assert IndicatorAssignment.objects.filter(
        agency=body, indicator__code="ARTICLES", role=AssignmentRole.LEAD
    ).exists()


def test_a_task_led_by_a_body_is_reported_by_its_collector(world, collector):
    body = AgencyFactory(
        parent=world["province"], code="BG.DNVT", kind=AgencyKind.ENTERPRISE, reported_by=collector
    )
    plan = IndicatorAssignment.objects.filter(indicator__code="BUDGET").first().plan
    task = TaskFactory(plan=plan, number="9", year_from=2024, year_to=2024)
    TaskAssignmentFactory(task=task, agency=body)
    services.submissions_prepare(period=period(world, 2))
    assert not Submission.objects.filter(agency=body).exists()
    assert TaskProgress.objects.filter(
        task=task, submission__agency=collector, submission__period__quarter=2
    ).exists()


def test_who_may_mark_a_body_and_what_collector_is_refused(
    world, body, collector, staff_user, other_province
):
    with pytest.raises(PermissionDenied):
        services.agency_collector_set(agency=body, collector=collector, actor=staff_user)
    elsewhere = AgencyFactory(parent=other_province, code="TTH.X1")
    with pytest.raises(DomainError, match="cùng tỉnh"):
        services.agency_collector_set(agency=body, collector=elsewhere, actor=world["dic_user"])
    households = AgencyFactory(
        parent=world["province"], code="BG.HKD", kind=AgencyKind.ENTERPRISE, reported_by=collector
    )
    with pytest.raises(DomainError, match="cũng không tự báo cáo"):
        services.agency_collector_set(agency=body, collector=households, actor=world["dic_user"])
    with pytest.raises(DomainError, match="đang nhập số liệu cho đối tượng khác"):
        services.agency_collector_set(
            agency=collector, collector=world["agencies"][0], actor=world["dic_user"]
        )
    closed = AgencyFactory(parent=world["province"], code="BG.OLD", is_active=False)
    with pytest.raises(DomainError, match="ngừng hoạt động"):
        services.agency_collector_set(agency=body, collector=closed, actor=world["dic_user"])
    body.refresh_from_db()
    assert body.reported_by is None and ReportingObligation.objects.filter(agency=body).count() == 2


def test_the_admin_marks_a_body_through_the_service(world, body, collector, client):
    client.force_login(world["dic_user"])
    url = reverse("admin:indicators_agency_change", args=[body.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Số liệu do cơ quan nhập" in page.content.decode()
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {
        "reported_by": collector.pk,
        "successions-TOTAL_FORMS": 0,
        "successions-INITIAL_FORMS": 0,
    }
    answer = client.post(url, data, follow=True)
    assert answer.status_code == 200, answer.content.decode()[:2000]
    text = answer.content.decode()
    assert f"Số liệu của {body.label} do {collector.label} nhập: đã chuyển nghĩa vụ báo cáo năm 2024." in text
    body.refresh_from_db()
    assert body.reported_by == collector
    assert not ReportingObligation.objects.filter(agency=body).exists()


def test_the_agency_pages_say_who_enters_a_bodys_figures(world, body, collector, client):
    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    client.force_login(world["dic_user"])
    text = client.get(reverse("indicators:agency-detail", args=[body.pk])).content.decode()
    assert "Không tự báo cáo: số liệu do" in text
    assert f'<a href="{collector.get_absolute_url()}">{collector.label}</a> thu thập và nhập' in text
    text = client.get(reverse("indicators:agency-detail", args=[collector.pk])).content.decode()
    assert f'Thu thập, nhập số liệu cho: <a href="{body.get_absolute_url()}">{body.label}</a>' in text


def test_the_collectors_report_says_whose_figure_it_enters(world, body, collector, client):
    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    q1 = Submission.objects.get(agency=collector, period__year=2024, period__quarter=1)
    client.force_login(make_user(Role.DEPARTMENT_STAFF, collector, username="canbo_khdt"))
    for name in ("reporting:submission-edit", "reporting:submission-detail"):
        text = client.get(reverse(name, args=[q1.pk])).content.decode()
        # BUDGET and RATE: the enterprises lead both.
        assert text.count(f"Số liệu của {body.label} (đơn vị không tự báo cáo)") == 2, name


def test_a_kept_year_counts_the_lead_once(world, body, collector):
    # The enterprises began their Q1 report before being marked: 2024 stays theirs. The
    # collector (BG.SKHDT) reports BUDGET for itself too: its 1 billion is not the lead's.
    body_staff = make_user(Role.DEPARTMENT_STAFF, body, username="canbo_dn")
    q1 = Submission.objects.get(agency=body, period__year=2024, period__quarter=1)
    rows = {v.indicator.code: v.pk for v in q1.values.select_related("indicator")}
    saved = services.submission_save(
        submission=q1, actor=body_staff, version=q1.version, values={rows["BUDGET"]: {"value": 2_400_000_000}}
    )
    result = services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    assert result.kept_years == [2024]
    services.obligations_assign_and_prepare(
        indicators=[world["indicators"]["BUDGET"]], agencies=[collector], year=2024, actor=world["dic_user"]
    )
    saved = services.submission_save(
        submission=saved,
        actor=body_staff,
        version=saved.version,
        values={rows["BUDGET"]: {"value": 2_400_000_000}, rows["RATE"]: {"numerator": 1, "denominator": 2}},
    )
    services.submission_submit(submission=saved, actor=body_staff)
    services.submission_approve(submission=saved, actor=world["dic_user"])
    collector_reports(world, collector, {"BUDGET": {"value": 1_000_000_000}})

    compile_province_rollup(period=period(world, 1))
    budget = figures(period(world, 1))["BUDGET"]
    assert budget.value == Decimal("2400000000")  # not 3.4 billion
    assert (budget.approved_agencies, budget.required_agencies) == (1, 1)


def test_another_collector_takes_the_obligations_and_the_lead_value_follows(world, body, collector):
    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    other = AgencyFactory(parent=world["province"], code="BG.SCT", name="Sở Công Thương")

    result = services.agency_collector_set(agency=body, collector=other, actor=world["dic_user"])

    assert (result.moved_years, result.kept_years) == ([2024], [])
    assert not ReportingObligation.objects.filter(agency=collector).exists()
    assert set(
        ReportingObligation.objects.filter(agency=other).values_list("indicator__code", "on_behalf_of__code")
    ) == {("RATE", "BG.DN"), ("BUDGET", "BG.DN")}
    # The former collector's Q1 draft no longer holds the rows; the new one's does.
    q1 = Submission.objects.get(agency=collector, period__year=2024, period__quarter=1)
    assert not q1.values.exists()
    collector_reports(
        world, other, {"BUDGET": {"value": 2_400_000_000}, "RATE": {"numerator": 1, "denominator": 2}}
    )
    compile_province_rollup(period=period(world, 1))
    assert figures(period(world, 1))["BUDGET"].value == Decimal("2400000000")


def test_a_body_that_reports_itself_again_gets_its_obligations_back(world, body, collector):
    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])

    result = services.agency_collector_set(agency=body, collector=None, actor=world["dic_user"])

    assert result.moved_years == [2024]
    assert not ReportingObligation.objects.filter(agency=collector).exists()
    assert ReportingObligation.objects.filter(agency=body, on_behalf_of__isnull=True).count() == 2
    assert Submission.objects.filter(agency=body).count() == 4  # the open quarters, prepared again


def test_a_collector_that_reports_the_indicator_itself_is_refused(world, body):
    # A1 reports RATE and BUDGET for itself: one report cannot hold its figure and the
    # enterprises' for the same indicator.
    with pytest.raises(DomainError, match="đã báo cáo chỉ tiêu"):
        services.agency_collector_set(agency=body, collector=world["agencies"][1], actor=world["dic_user"])
    body.refresh_from_db()
    assert body.reported_by is None
    assert ReportingObligation.objects.filter(agency=body).count() == 2


def test_the_admin_and_imports_cannot_oblige_a_body_itself(world, collector):
    from django.core.exceptions import ValidationError

    body = AgencyFactory(
        parent=world["province"], code="BG.HKD", kind=AgencyKind.ENTERPRISE, reported_by=collector
    )
    obligation = ReportingObligation(indicator=world["indicators"]["ARTICLES"], agency=body, year=2024)
    with pytest.raises(ValidationError, match="không tự báo cáo: hãy giao cho"):
        obligation.full_clean()
    elsewhere = ReportingObligation(
        indicator=world["indicators"]["ARTICLES"], agency=world["agencies"][0], year=2024, on_behalf_of=body
    )
    with pytest.raises(ValidationError, match="không do"):
        elsewhere.full_clean()


def test_the_collectors_figure_for_a_lead_body_is_held_against_the_target(world, body, collector):
    from reporting.selectors.submissions import review_aids, submission_rows

    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    collector_reports(
        world, collector, {"BUDGET": {"value": 900_000_000}, "RATE": {"numerator": 1, "denominator": 2}}
    )
    q1 = Submission.objects.get(agency=collector, period__year=2024, period__quarter=1)
    groups, _tasks = submission_rows(submission=q1)
    review_aids(submission=q1, groups=groups, with_peers=False)
    gaps = {row.indicator.code: row.target_gap for group in groups for row in group.values}
    # BUDGET: the enterprises, sole lead, through their collector: 900 million of 2 billion = 45 %.
    assert gaps["BUDGET"].share == Decimal("0.45")
    assert gaps["RATE"] is None  # 1/2 = 50 % of "≥ 50 %": met


def test_a_collector_that_leads_the_indicator_too_counts_its_report_once(world, body, collector):
    # BG.SKHDT leads BUDGET beside the enterprises and holds their obligation: its one
    # report is the lead's both as its own and as the one it holds for them, and counts
    # once: 2.4 billion (not 4.8), on 1 lead report of 1.
    budget = world["indicators"]["BUDGET"]
    lead = IndicatorAssignment.objects.get(indicator=budget, role=AssignmentRole.LEAD)
    IndicatorAssignment.objects.create(
        plan=lead.plan, indicator=budget, year=lead.year, agency=collector, role=AssignmentRole.LEAD
    )
    services.agency_collector_set(agency=body, collector=collector, actor=world["dic_user"])
    collector_reports(
        world, collector, {"BUDGET": {"value": 2_400_000_000}, "RATE": {"numerator": 1, "denominator": 2}}
    )

    compile_province_rollup(period=period(world, 1))
    budget_figure = figures(period(world, 1))["BUDGET"]
    assert budget_figure.value == Decimal("2400000000")
    assert (budget_figure.approved_agencies, budget_figure.required_agencies) == (1, 1)
