"""Reporting in the admin: scoped to the province, history pages included; reports
read-only; periods adjustable by the province's DIC only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assignments.choices import Role
from reporting.choices import PeriodState
from tests.factories import AgencyFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_dic(other_province):
    return make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth_dic")


def test_the_dic_role_reads_reports_and_adjusts_periods_only():
    codenames = set(
        Group.objects.get(name=Role.DIC_OFFICER)
        .permissions.filter(content_type__app_label="reporting")
        .values_list("codename", flat=True)
    )
    assert {
        "view_submission",
        "view_indicatorvalue",
        "add_reportingperiod",
        "change_reportingperiod",
    } <= codenames
    assert not codenames & {
        "change_submission",
        "add_submission",
        "delete_submission",
        "change_indicatorvalue",
        "delete_reportingperiod",
        "change_notification",
    }


def test_history_pages_of_another_province_are_not_found(client, submission, other_dic):
    client.force_login(other_dic)
    for name, obj in (
        ("admin:reporting_submission_history", submission),
        ("admin:reporting_reportingperiod_history", submission.period),
        ("admin:reporting_reportingperiod_change", submission.period),
    ):
        assert client.get(reverse(name, args=[obj.pk])).status_code in (302, 404), name
    history_id = submission.period.history.first().history_id
    url = reverse("admin:reporting_reportingperiod_simple_history", args=[submission.period.pk, history_id])
    response = client.post(url, {"state": PeriodState.CLOSED, "due_on": "2024-01-02"})
    assert response.status_code == 404
    submission.period.refresh_from_db()
    assert submission.period.state == PeriodState.OPEN


def test_the_provinces_dic_adjusts_a_due_date_but_cannot_change_a_report(client, submission, dic_user):
    client.force_login(dic_user)
    period = submission.period
    url = reverse("admin:reporting_reportingperiod_change", args=[period.pk])
    response = client.post(
        url,
        {
            "opens_on": "2024-01-01",
            "due_on": "2024-03-22",
            "compile_on": "2024-03-25",
            "state": "open",
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert str(period.due_on) == "2024-03-22"
    page = client.get(reverse("admin:reporting_submission_change", args=[submission.pk]))
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    assert client.get(reverse("admin:reporting_submission_history", args=[submission.pk])).status_code == 200


def test_choosing_the_judging_target_asks_for_the_years_figures_again(client, world, dic_user):
    """The DIC chooses a second plan's target for RATE in 2024 in the admin: every 2024
    period of the province gets a roll-up run, so no page keeps the old verdict."""
    from indicators.models import JudgingTarget
    from reporting.models import RollupRun
    from tests.factories import PlanFactory, TargetFactory

    rate = world["indicators"]["RATE"]
    other = TargetFactory(
        plan=PlanFactory(province=world["province"], number="77/KH-UBND", year_from=2024, year_to=2026),
        indicator=rate,
        year=2024,
    )
    RollupRun.objects.all().delete()
    client.force_login(dic_user)
    response = client.post(
        reverse("admin:indicators_judgingtarget_add"),
        {
            "indicator": rate.pk,
            "year": 2024,
            "target": other.pk,
            "reason": "Theo chỉ đạo của UBND tỉnh",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert JudgingTarget.objects.get().target == other
    assert sorted(RollupRun.objects.values_list("period__quarter", flat=True), key=lambda q: q or 5) == [
        1,
        2,
        3,
        4,
        None,
    ]
