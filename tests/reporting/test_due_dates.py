"""Each agency's report is due by the calendar of the plans that oblige it; a plan's
calendar addressed to its own units moves nobody else's deadline; a period the DIC
extends moves everyone's. Reminders, overdue counts and the pages read the agency's
deadline."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assignments.choices import AssignmentRole, Role
from indicators.choices import CalendarScope
from reporting import services
from reporting.models import ReportingPeriod, Submission
from reporting.selectors.submissions import review_workload
from tests.factories import (
    AgencyFactory,
    IndicatorAssignmentFactory,
    IndicatorFactory,
    PlanFactory,
    ReportingObligationFactory,
    TargetFactory,
    TaskAssignmentFactory,
    TaskFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendars(province, dic_user):
    """- 2663 (the whole province): quarters due on the 25th, the year on 20 December;
      it obliges X.
    - the steering committee's plan (the whole province): quarters due on the 20th; it obliges Y.
    - the Sở TT&TT's own plan (its own units): the year due on 10 October; Z leads one of its tasks."""
    ubnd = PlanFactory(
        province=province,
        number="2663/KH-UBND",
        year_from=2024,
        year_to=2024,
        quarterly_due_day=25,
        quarterly_compile_day=30,
        yearly_due="12-20",
        yearly_compile="12-25",
    )
    bcd = PlanFactory(
        province=province,
        number="04/KH-BCĐ",
        year_from=2024,
        year_to=2024,
        quarterly_due_day=20,
        quarterly_compile_day=25,
    )
    stttt = PlanFactory(
        province=province,
        number="03/KH-STTTT",
        year_from=2024,
        year_to=2024,
        quarterly_due_day=None,
        quarterly_compile_day=None,
        yearly_due="10-10",
        calendar_scope=CalendarScope.OWN_UNITS,
    )
    agencies = {
        name: AgencyFactory(parent=province, code=f"BG.{name}", email=f"{name.lower()}@bg.gov.vn")
        for name in ("X", "Y", "Z")
    }
    for name, plan in (("X", ubnd), ("Y", bcd)):
        indicator = IndicatorFactory(province=province, code=f"BG.IND{name}")
        TargetFactory(plan=plan, indicator=indicator, year=2024)
        IndicatorAssignmentFactory(
            plan=plan, indicator=indicator, year=2024, agency=agencies[name], role=AssignmentRole.LEAD
        )
        ReportingObligationFactory(indicator=indicator, agency=agencies[name], year=2024)
    TaskAssignmentFactory(
        task=TaskFactory(plan=stttt, number="1.1", year_from=2024, year_to=2024), agency=agencies["Z"]
    )
    services.periods_open(province=province, year=2024, actor=dic_user)
    return agencies


def submission(agency, quarter):
    return Submission.objects.get(agency=agency, period__year=2024, period__quarter=quarter)


def test_each_agency_is_due_by_the_plans_that_oblige_it(calendars, province):
    q1 = ReportingPeriod.objects.get(province=province, year=2024, quarter=1)
    year = ReportingPeriod.objects.get(province=province, year=2024, quarter__isnull=True)
    # The period: the strictest of the plans addressed to the whole province (20 March, 20 December);
    # the Sở TT&TT plan's 10 October does not move it.
    assert (q1.due_on, year.due_on) == (date(2024, 3, 20), date(2024, 12, 20))
    # X, obliged by 2663 only: the 25th. Y, by the steering committee's plan: the period's 20th.
    assert submission(calendars["X"], 1).deadline == date(2024, 3, 25)
    assert (submission(calendars["Y"], 1).due_on, submission(calendars["Y"], 1).deadline) == (
        None,
        date(2024, 3, 20),
    )
    # Z leads a task of the Sở TT&TT plan: its year is due on 10 October; its quarters (that plan
    # states no quarterly day) by the period's.
    assert submission(calendars["Z"], None).deadline == date(2024, 10, 10)
    assert submission(calendars["Z"], 1).deadline == date(2024, 3, 20)


def test_overdue_and_reminders_follow_the_agencys_deadline(calendars, province, dic_user):
    for agency in calendars.values():
        make_user(
            Role.DEPARTMENT_STAFF, agency, username=f"canbo_{agency.code}", email=f"canbo@{agency.code}.vn"
        )
    # 22 March: Y (due 20) is overdue, X (due 25) is not.
    overdue = Submission.objects.filter(period__quarter=1).overdue(date(2024, 3, 22))
    assert {s.agency.code for s in overdue} == {"BG.Y", "BG.Z"}
    # 17 March: three days before Y's and Z's 20th. 18 March: a week before X's 25th;
    # two days before Y's 20th (no reminder: 7, 3, 1 days before, and the 17th's is sent).
    services.reminders_send(today=date(2024, 3, 17), run="r0")
    mail.outbox.clear()
    services.reminders_send(today=date(2024, 3, 18), run="r1")
    reminded = {m.to[0] for m in mail.outbox if "Sắp đến hạn" in m.subject}
    assert reminded == {"canbo@BG.X.vn"}
    (message,) = [m for m in mail.outbox if m.to[0] == "canbo@BG.X.vn"]
    assert "là ngày 25/03/2024" in message.body


def test_the_pages_show_the_agencys_own_deadline(calendars, client):
    staff = make_user(Role.DEPARTMENT_STAFF, calendars["X"], username="canbo_x")
    client.force_login(staff)
    page = client.get(
        reverse("reporting:submission-edit", args=[submission(calendars["X"], 1).pk])
    ).content.decode()
    assert "hạn gửi 25/03/2024" in page


def test_the_dic_counts_overdue_reports_by_each_agencys_deadline(calendars, dic_user, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2024, 3, 22))
    # Y's and Z's Q1 (due 20 March) are overdue; X's (25 March) is not.
    assert review_workload(user=dic_user)["overdue"] == 2


def test_an_extended_period_moves_every_agency_and_a_new_role_moves_its_agency(calendars, province, dic_user):
    q1 = ReportingPeriod.objects.get(province=province, year=2024, quarter=1)
    # The DIC extends the first quarter from 20 to 31 March: X (25 March by its plan) is due then too.
    q1.due_on = q1.compile_on = date(2024, 3, 31)
    q1.save()
    assert services.submission_deadlines_refresh(period=q1) == 1  # X's own date is dropped
    assert {s.agency.code: s.deadline for s in q1.submissions.all()} == {
        "BG.X": date(2024, 3, 31),
        "BG.Y": date(2024, 3, 31),
        "BG.Z": date(2024, 3, 31),
    }
    # Back to the calendar's 20 March: X's own 25 March again.
    q1.due_on, q1.compile_on = date(2024, 3, 20), date(2024, 3, 25)
    q1.save()
    services.submission_deadlines_refresh(period=q1)
    assert submission(calendars["X"], 1).deadline == date(2024, 3, 25)
    # A report already sent keeps the date it was judged against.
    x = submission(calendars["X"], 1)
    Submission.objects.filter(pk=x.pk).update(submitted_at=timezone.now(), status="submitted")
    q1.due_on = q1.compile_on = date(2024, 4, 5)
    q1.save()
    services.submission_deadlines_refresh(period=q1)
    assert submission(calendars["X"], 1).due_on == date(2024, 3, 25)
