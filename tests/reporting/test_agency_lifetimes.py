"""Agencies over time (issue 16): a period asks only the agencies that exist while it is
open; an agency that ends during an open period keeps its report but leaves the
reminders, the overdue counts and the coverage after its end date.

The year 2024 of one province, default calendar (PlanFactory: due on the 20th, the
year on 15 December): Q1 opens 1/1 due 20/3, Q2 1/4–20/6, Q3 1/7–20/9, Q4 1/10–20/12,
the year 1/10–15/12. OLD ended on 31 May 2024, NEW was founded on 1 July 2024, KEPT
has always existed; each must report the count ARTICLES (a flow added up)."""

from datetime import date

import pytest

from assignments.choices import Role
from indicators.choices import AgencyRollup, MeasureType, TimeRollup
from reporting import services
from reporting.choices import ReminderKind, SubmissionStatus
from reporting.models import ProvinceFigure, ReminderLog, ReportingPeriod, Submission
from reporting.rollup.services import compile_province_rollup
from reporting.selectors.dashboards import dic_desk
from reporting.selectors.submissions import completeness_grid
from tests.factories import (
    AgencyFactory,
    IndicatorFactory,
    PlanFactory,
    ReportingObligationFactory,
    TargetFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lifetimes(province, dic, dic_user):
    plan = PlanFactory(province=province, year_from=2024, year_to=2024)
    articles = IndicatorFactory(
        province=province,
        code="ARTICLES",
        measure_type=MeasureType.COUNT,
        rollup_agencies=AgencyRollup.SUM,
        rollup_time=TimeRollup.FLOW,
        unit="tin, bài",
    )
    TargetFactory(plan=plan, indicator=articles, year=2024, value=20)
    agencies = {
        "OLD": AgencyFactory(parent=province, code="BG.OLD", exists_until=date(2024, 5, 31)),
        "NEW": AgencyFactory(parent=province, code="BG.NEW", exists_from=date(2024, 7, 1)),
        "KEPT": AgencyFactory(parent=province, code="BG.KEPT"),
    }
    for agency in agencies.values():
        ReportingObligationFactory(indicator=articles, agency=agency, year=2024)
    services.periods_open(province=province, year=2024, actor=dic_user)
    staff = {
        name: make_user(Role.DEPARTMENT_STAFF, agency, username=f"canbo_{name.lower()}")
        for name, agency in agencies.items()
    }
    return {"agencies": agencies, "staff": staff, "dic_user": dic_user, "province": province}


def quarters_of(agency) -> set:
    return set(Submission.objects.filter(agency=agency).values_list("period__quarter", flat=True))


def send(lifetimes, name, quarter, value, *, approve=True):
    submission = Submission.objects.get(agency=lifetimes["agencies"][name], period__quarter=quarter)
    (row,) = submission.values.all()
    saved = services.submission_save(
        submission=submission,
        actor=lifetimes["staff"][name],
        version=submission.version,
        values={row.pk: {"value": value, "note": "Số liệu quý."}},
    )
    services.submission_submit(submission=saved, actor=lifetimes["staff"][name])
    if approve:
        services.submission_approve(submission=saved, actor=lifetimes["dic_user"])


def test_a_period_asks_only_the_agencies_that_exist_while_it_is_open(lifetimes):
    agencies = lifetimes["agencies"]
    # OLD: Q1 and Q2 opened before its end (Q2 on 1 April); Q3, Q4 and the year after.
    assert quarters_of(agencies["OLD"]) == {1, 2}
    # NEW: Q1 and Q2 were due (20/3, 20/6) before it was founded. (ARTICLES is
    # quarterly: the year's period asks nobody.)
    assert quarters_of(agencies["NEW"]) == {3, 4}
    assert quarters_of(agencies["KEPT"]) == {1, 2, 3, 4}


def test_an_ended_agency_is_not_reminded_after_its_end(lifetimes):
    # 13 May, before its end, OLD is reminded as KEPT is (Q1 is overdue for both).
    services.reminders_send(today=date(2024, 5, 13), run="run-1")
    may = ReminderLog.objects.filter(day=date(2024, 5, 13)).exclude(kind=ReminderKind.DIGEST)
    assert set(may.values_list("agency__code", flat=True)) == {"BG.OLD", "BG.KEPT"}
    # 13 June 2024, a week before Q2 is due: OLD ended on 31 May, KEPT is reminded.
    services.reminders_send(today=date(2024, 6, 13), run="run-2")
    june = ReminderLog.objects.filter(day=date(2024, 6, 13)).exclude(kind=ReminderKind.DIGEST)
    assert set(june.values_list("agency__code", flat=True)) == {"BG.KEPT"}


def test_an_ended_agencys_unsent_report_leaves_the_coverage_and_the_overdue_counts(lifetimes):
    """Q1: OLD 5 and KEPT 3 approved, 8 of 2/2 reports. Q2: KEPT 7 approved, OLD never
    sent: after 31 May it is not required, so Q2 rests on 1/1 reports (not 1/2), its
    figure is 7 and the year to date it is judged by 8 + 7 = 15, on the agency-quarters
    of Q1 and Q2: 3 approved of 3 required (not 3 of 4, 75 %). Today (after every due date) nothing of
    OLD's is overdue; KEPT's Q3 and Q4 and NEW's two are: 4 of the 7 reports required
    (OLD's Q1, NEW's two, KEPT's four)."""
    send(lifetimes, "OLD", 1, 5)
    send(lifetimes, "KEPT", 1, 3)
    send(lifetimes, "KEPT", 2, 7)
    q1, q2 = (ReportingPeriod.objects.get(year=2024, quarter=q) for q in (1, 2))
    compile_province_rollup(period=q1)
    run = compile_province_rollup(period=q2)
    assert (run.approved_submissions, run.required_submissions) == (1, 1)
    figure = ProvinceFigure.objects.get(period=q2)
    assert (figure.value, figure.judged_value) == (7, 15)
    assert (figure.approved_agencies, figure.required_agencies) == (3, 3)
    assert figure.coverage == 100

    today = date(2026, 12, 3)
    desk = dic_desk(province=lifetimes["province"], year=2024, today=today)
    assert (desk.workload["overdue"], desk.workload["total"]) == (4, 7)  # OLD's unsent Q2 left out
    old_q2 = Submission.objects.get(agency=lifetimes["agencies"]["OLD"], period=q2)
    assert old_q2.status == SubmissionStatus.DRAFT and not old_q2.is_overdue(today)
    _periods, rows = completeness_grid(
        user=lifetimes["dic_user"], province_id=lifetimes["province"].pk, year=2024, today=today
    )
    old_row = next(row for row in rows if row.agency.code == "BG.OLD")
    assert [late for _submission, _state, late in old_row.cells] == [False] * 5


def test_the_grid_says_when_an_agency_ended(client, lifetimes):
    from django.urls import reverse

    client.force_login(lifetimes["dic_user"])
    page = client.get(reverse("reporting:completeness"), {"year": 2024}).content.decode()
    assert "(đến hết 31/05/2024)" in page


def test_a_report_due_while_the_agency_existed_stays_required(lifetimes):
    """OLD never sent Q1, due on 20 March, two months before its end: still required,
    overdue, and in Q1's coverage: KEPT's 3 approved of 2 reports, 1/2 (50 %)."""
    send(lifetimes, "KEPT", 1, 3)
    q1 = ReportingPeriod.objects.get(year=2024, quarter=1)
    run = compile_province_rollup(period=q1)
    assert (run.approved_submissions, run.required_submissions) == (1, 2)
    figure = ProvinceFigure.objects.get(period=q1)
    assert (figure.approved_agencies, figure.required_agencies, figure.coverage) == (1, 2, 50)
    old_q1 = Submission.objects.get(agency=lifetimes["agencies"]["OLD"], period=q1)
    assert old_q1.is_overdue(date(2026, 12, 3))


def test_an_agency_is_assigned_and_ranked_only_in_years_it_exists(lifetimes):
    from assignments.services import obligations_assign
    from dti_portal.errors import DomainError
    from indicators.models import Indicator
    from reporting.selectors.dashboards import yearly_ranking

    articles = Indicator.objects.get(code="ARTICLES")
    with pytest.raises(DomainError, match="không tồn tại trong năm 2025"):
        obligations_assign(
            indicators=[articles],
            agencies=[lifetimes["agencies"]["OLD"]],
            year=2025,
            actor=lifetimes["dic_user"],
        )
    standings = yearly_ranking(province=lifetimes["province"], year=2024, today=date(2026, 12, 3))
    ranked = {standing.agency.code for rows in standings.values() for standing in rows}
    assert "BG.OLD" not in ranked and {"BG.NEW", "BG.KEPT"} <= ranked
