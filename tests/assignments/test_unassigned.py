"""Indicators that no agency must report ("Chỉ tiêu chưa giao đơn vị báo cáo"): the
selector, the service that assigns them in bulk, and the DIC's page."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assignments import selectors
from assignments.choices import AssignmentRole, Role
from assignments.models import IndicatorAssignment, ReportingObligation
from assignments.services import obligations_assign
from dti_portal.errors import DomainError, PermissionDenied
from indicators.choices import AgencyKind, Frequency
from indicators.models import JudgingTarget
from reporting.choices import PeriodState, SubmissionStatus
from reporting.models import IndicatorValue, ReportingPeriod, Submission
from reporting.services import periods_open
from tests.factories import (
    AgencyFactory,
    IndicatorFactory,
    PillarFactory,
    PlanFactory,
    ReportingObligationFactory,
    TargetFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

URL = reverse("reporting:unassigned-indicators")
PAGE_QUERIES = (
    16  # the session, the user, its roles and agency, the bell, the DIC's name; then the page's own
)


@pytest.fixture
def catalogue(province, other_province, department, dic):
    """Bắc Giang's 2024 catalogue, worked out by hand:

    - listed (a 2024 target, nobody reports it in 2024): LATE (pillar 1), A2 and B1
      (pillar 2), TWO (targets in two plans), LASTYEAR (reported in 2023 only);
    - not listed: DONE (reported in 2024), NEXT (a target in 2025 only), NONE (no
      target), and Huế's HUE (another province).

    Pillar 1 comes before pillar 2 although its code sorts after: the list is by
    pillar order, then code."""
    first, second = PillarFactory(code="ZZ", order=1), PillarFactory(code="AA", order=2)
    plan = PlanFactory(province=province, number="2663/KH-UBND", year_from=2022, year_to=2025)
    yearly = PlanFactory(province=province, number="04/KH-BCĐ", year_from=2024, year_to=2024)
    codes = {
        "LATE": first,
        "A2": second,
        "B1": second,
        "TWO": second,
        "LASTYEAR": second,
        "DONE": second,
        "NEXT": second,
        "NONE": second,
    }
    ind = {
        code: IndicatorFactory(province=province, code=code, pillar=pillar) for code, pillar in codes.items()
    }
    for code in ("LATE", "A2", "B1", "TWO", "LASTYEAR", "DONE"):
        TargetFactory(plan=plan, indicator=ind[code], year=2024)
    TargetFactory(plan=yearly, indicator=ind["TWO"], year=2024, value=Decimal("90"))
    TargetFactory(plan=plan, indicator=ind["NEXT"], year=2025)
    ReportingObligationFactory(indicator=ind["DONE"], agency=department, year=2024)
    ReportingObligationFactory(indicator=ind["LASTYEAR"], agency=department, year=2023)
    hue = IndicatorFactory(province=other_province, code="HUE")
    TargetFactory(plan=PlanFactory(province=other_province), indicator=hue, year=2024)
    district = AgencyFactory(
        parent=province, code="BG.HYD", name="UBND huyện Yên Dũng", kind=AgencyKind.DISTRICT
    )
    return {
        "indicators": ind,
        "plan": plan,
        "yearly": yearly,
        "department": department,
        "district": district,
        "hue": hue,
    }


LISTED = ["LATE", "A2", "B1", "LASTYEAR", "TWO"]


def codes(indicators):
    return [indicator.code for indicator in indicators]


# -- the selector ------------------------------------------------------------------------


def test_the_selector_lists_the_indicators_with_a_target_and_no_reporter(catalogue, province):
    assert codes(selectors.indicators_without_reporters(province=province, year=2024)) == LISTED
    assert codes(selectors.indicators_without_reporters(province=province, year=2025)) == ["NEXT"]
    assert selectors.indicators_without_reporters(province=province, year=2030) == []


def test_each_indicator_carries_the_years_targets_the_judging_one_first(catalogue, province):
    rows = {i.code: i for i in selectors.indicators_without_reporters(province=province, year=2024)}
    two = rows["TWO"]
    # The plan for 2024 alone judges 2024 before the plan for 2022–2025.
    assert [t.plan.number for t in two.year_targets] == ["04/KH-BCĐ", "2663/KH-UBND"]
    assert [t.judges for t in two.year_targets] == [True, False]
    assert two.judging_target.plan == catalogue["yearly"]
    # The DIC's own choice of the judging target comes first.
    JudgingTarget.objects.create(indicator=two, year=2024, target=two.year_targets[1])
    two = {i.code: i for i in selectors.indicators_without_reporters(province=province, year=2024)}["TWO"]
    assert [(t.plan.number, t.judges) for t in two.year_targets] == [
        ("2663/KH-UBND", True),
        ("04/KH-BCĐ", False),
    ]


def test_the_selector_needs_the_same_queries_for_many_indicators(
    catalogue, province, django_assert_max_num_queries
):
    pillar = PillarFactory(order=3)
    for _n in range(30):
        TargetFactory(
            plan=catalogue["plan"], indicator=IndicatorFactory(province=province, pillar=pillar), year=2024
        )
    with django_assert_max_num_queries(4):
        indicators = selectors.indicators_without_reporters(province=province, year=2024)
        shown = [(i.pillar.name, [(t.display, t.plan.number) for t in i.year_targets]) for i in indicators]
    assert len(shown) == len(LISTED) + 30


# -- the service -------------------------------------------------------------------------


def test_the_service_creates_the_missing_obligations_and_roles_with_history(catalogue, province, dic_user):
    ind, department, district = catalogue["indicators"], catalogue["department"], catalogue["district"]
    ReportingObligationFactory(indicator=ind["A2"], agency=department, year=2024)
    result = obligations_assign(
        indicators=[ind["A2"], ind["TWO"]],
        agencies=[department, district],
        year=2024,
        actor=dic_user,
        role=AssignmentRole.LEAD,
    )
    assert sorted(result.created) == sorted(
        [
            (ind["A2"].pk, district.pk),
            (ind["TWO"].pk, department.pk),
            (ind["TWO"].pk, district.pk),
        ]
    )
    assert (result.existing, result.assignments_created, result.province) == (1, 4, province)
    assert ReportingObligation.objects.filter(year=2024, indicator__in=[ind["A2"], ind["TWO"]]).count() == 4
    # The role is recorded under the plan of the judging target.
    plans = dict(
        IndicatorAssignment.objects.filter(indicator=ind["TWO"]).values_list("agency_id", "plan__number")
    )
    assert plans == {department.pk: "04/KH-BCĐ", district.pk: "04/KH-BCĐ"}
    history = ReportingObligation.history.filter(indicator=ind["TWO"])
    assert history.count() == 2 and {h.history_user for h in history} == {dic_user}
    assert {h.history_user for h in IndicatorAssignment.history.all()} == {dic_user}


def test_the_service_is_idempotent(catalogue, dic_user):
    ind, department = catalogue["indicators"], catalogue["department"]
    kwargs = {
        "indicators": [ind["B1"]],
        "agencies": [department],
        "year": 2024,
        "actor": dic_user,
        "role": AssignmentRole.COORDINATING,
    }
    obligations_assign(**kwargs)
    again = obligations_assign(**kwargs)
    assert (again.created, again.existing, again.assignments_created) == ([], 1, 0)
    assert ReportingObligation.objects.filter(indicator=ind["B1"]).count() == 1
    assert IndicatorAssignment.objects.filter(indicator=ind["B1"]).count() == 1
    assert ReportingObligation.history.filter(indicator=ind["B1"]).count() == 1


@pytest.mark.parametrize("who", ["staff", "steering", "dic_other_province"])
def test_only_the_provinces_dic_and_administrators_may_assign(
    catalogue, other_province, staff_user, steering_user, who
):
    actor = {
        "staff": staff_user,
        "steering": steering_user,
        "dic_other_province": make_user(
            Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth_dic"
        ),
    }[who]
    with pytest.raises(PermissionDenied):
        obligations_assign(
            indicators=[catalogue["indicators"]["A2"]],
            agencies=[catalogue["department"]],
            year=2024,
            actor=actor,
        )
    assert not ReportingObligation.objects.filter(indicator=catalogue["indicators"]["A2"]).exists()


def test_an_administrator_may_assign_in_any_province(catalogue, other_province, admin_user_portal):
    theirs = AgencyFactory(parent=other_province, name="Sở Nội vụ Huế")
    result = obligations_assign(
        indicators=[catalogue["hue"]], agencies=[theirs], year=2024, actor=admin_user_portal
    )
    assert result.province == other_province and len(result.created) == 1


def test_errors_name_what_is_wrong_and_save_nothing(catalogue, province, other_province, admin_user_portal):
    ind, department = catalogue["indicators"], catalogue["department"]
    theirs = AgencyFactory(parent=other_province, name="Sở Nội vụ Huế", short_name="")
    closed = AgencyFactory(parent=province, name="Sở đã giải thể", short_name="", is_active=False)
    cases = [
        ({"agencies": [department, theirs]}, "Sở Nội vụ Huế"),
        ({"agencies": [closed]}, "Sở đã giải thể"),
        ({"indicators": [ind["A2"], catalogue["hue"]]}, "cùng một tỉnh"),
        ({"indicators": [ind["A2"], ind["NONE"]], "role": AssignmentRole.LEAD}, "NONE"),
        ({"role": AssignmentRole.MONITORING_LEAD}, "chủ trì hoặc phối hợp"),
        ({"indicators": []}, "ít nhất một chỉ tiêu"),
        ({"agencies": []}, "ít nhất một đơn vị"),
    ]
    for change, named in cases:
        kwargs = {
            "indicators": [ind["A2"]],
            "agencies": [department],
            "year": 2024,
            "actor": admin_user_portal,
            **change,
        }
        with pytest.raises(DomainError) as error:
            obligations_assign(**kwargs)
        assert named in error.value.message, change
    assert not ReportingObligation.objects.filter(indicator=ind["A2"]).exists()
    assert not IndicatorAssignment.objects.exists()


# -- the page ----------------------------------------------------------------------------


def test_the_dic_sees_the_list_with_targets_and_agencies(client, catalogue, dic_user):
    client.force_login(dic_user)
    response = client.get(URL, {"year": 2024})
    assert response.status_code == 200
    assert codes(response.context["indicators"]) == LISTED
    content = response.content.decode()
    assert "Chỉ tiêu chưa giao đơn vị báo cáo" in content and "5 chỉ tiêu chưa giao" in content
    assert "04/KH-BCĐ" in content and "≥" in content and "Giao báo cáo" in content
    # The province's active agencies, grouped by kind; the province itself is not one.
    groups = dict(response.context["agency_groups"])
    assert [a.code for a in groups["Sở, ban, ngành"]] == ["BG.SKHDT", "BG.STTTT"]  # by name
    assert [a.code for a in groups["Huyện, thị xã, thành phố thuộc tỉnh"]] == ["BG.HYD"]
    assert 'src="/static/js/check_all.js"' in content


@pytest.mark.parametrize(("today", "shown"), [(2024, 2024), (2026, 2025), (2020, 2024)])
def test_the_year_is_this_year_else_the_latest_year_with_targets_before_it(
    client, catalogue, dic_user, monkeypatch, today, shown
):
    """Targets exist for 2024 and 2025: this year if it has some, else the latest year
    before it that has, else (all in the future) the first."""
    monkeypatch.setattr("reporting.views.obligations.timezone.localdate", lambda: date(today, 6, 1))
    client.force_login(dic_user)
    assert client.get(URL).context["year"] == shown


@pytest.mark.parametrize("who", ["staff", "steering"])
def test_staff_and_steering_members_are_refused(client, catalogue, staff_user, steering_user, who):
    client.force_login({"staff": staff_user, "steering": steering_user}[who])
    assert client.get(URL).status_code == 403
    response = client.post(
        URL,
        {
            "year": 2024,
            "indicators": [catalogue["indicators"]["A2"].pk],
            "agencies": [catalogue["department"].pk],
        },
    )
    assert response.status_code == 403
    assert not ReportingObligation.objects.filter(indicator=catalogue["indicators"]["A2"]).exists()


def test_another_provinces_dic_sees_and_changes_only_their_own(client, catalogue, province, other_province):
    """As on the other DIC pages: asking for another province shows one's own (200),
    and that province's rows are not choices of the form (400, nothing saved)."""
    client.force_login(make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth_dic"))
    response = client.get(URL, {"province": province.pk, "year": 2024})
    assert response.status_code == 200
    assert response.context["province"] == other_province and codes(response.context["indicators"]) == ["HUE"]
    response = client.post(
        URL,
        {
            "province": province.pk,
            "year": 2024,
            "indicators": [catalogue["indicators"]["A2"].pk],
            "agencies": [catalogue["department"].pk],
        },
    )
    assert response.status_code == 400
    assert not ReportingObligation.objects.filter(indicator=catalogue["indicators"]["A2"]).exists()


def test_an_administrator_chooses_the_province(client, catalogue, other_province, admin_user_portal):
    client.force_login(admin_user_portal)
    response = client.get(URL, {"province": other_province.pk, "year": 2024})
    assert response.status_code == 200 and codes(response.context["indicators"]) == ["HUE"]
    assert 'name="province"' in response.content.decode()
    # Huế's plans set targets for 2024 only: a year without any falls back to it, and says so.
    response = client.get(URL, {"province": other_province.pk, "year": 2025})
    assert response.context["year"] == 2024 and codes(response.context["indicators"]) == ["HUE"]
    assert messages_of(response) == [
        "Các kế hoạch của Thừa Thiên Huế không đặt mức kế hoạch cho năm 2025; đang hiện năm 2024."
    ]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_posting_assigns_in_bulk_and_the_indicators_leave_the_list(client, catalogue, dic_user, province):
    ind, department, district = catalogue["indicators"], catalogue["department"], catalogue["district"]
    client.force_login(dic_user)
    chosen = [ind["LATE"], ind["A2"], ind["TWO"]]
    response = client.post(
        URL,
        {
            "year": 2024,
            "indicators": [i.pk for i in chosen],
            "agencies": [department.pk, district.pk],
            "role": AssignmentRole.LEAD.value,
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}?year=2024"
    assert any(m.startswith("Đã giao 3 chỉ tiêu cho 2 đơn vị") for m in messages_of(response)), messages_of(
        response
    )
    assert set(
        ReportingObligation.objects.filter(year=2024, indicator__in=chosen).values_list(
            "indicator__code", "agency__code"
        )
    ) == {(i.code, a.code) for i in chosen for a in (department, district)}
    assert IndicatorAssignment.objects.filter(year=2024, role=AssignmentRole.LEAD).count() == 6
    assert codes(client.get(response["Location"]).context["indicators"]) == ["B1", "LASTYEAR"]


def test_repeating_the_post_changes_nothing(client, catalogue, dic_user):
    ind, department = catalogue["indicators"], catalogue["department"]
    client.force_login(dic_user)
    data = {"year": 2024, "indicators": [ind["B1"].pk], "agencies": [department.pk], "role": "coordinating"}
    client.post(URL, data)
    rows = list(ReportingObligation.objects.values_list("pk", flat=True).order_by("pk"))
    history = ReportingObligation.history.count()
    response = client.post(URL, data)
    assert response.status_code == 302
    assert any(m.startswith("Không có gì thay đổi") for m in messages_of(response))
    assert list(ReportingObligation.objects.values_list("pk", flat=True).order_by("pk")) == rows
    assert ReportingObligation.history.count() == history
    assert IndicatorAssignment.objects.filter(indicator=ind["B1"]).count() == 1


def test_an_agency_of_another_province_saves_nothing_and_is_named(
    client, catalogue, other_province, dic_user, admin_user_portal
):
    ind, department = catalogue["indicators"], catalogue["department"]
    theirs = AgencyFactory(parent=other_province, name="Sở Nội vụ Huế", short_name="")
    data = {"year": 2024, "indicators": [ind["A2"].pk, ind["B1"].pk], "agencies": [department.pk, theirs.pk]}
    # A DIC officer cannot even choose it: it is not one of the form's choices.
    client.force_login(dic_user)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert any("không thuộc tỉnh" in m for m in messages_of(response))
    # An administrator can, and the service names it.
    client.force_login(admin_user_portal)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Không phải đơn vị của Bắc Giang: Sở Nội vụ Huế." in response.content.decode()
    assert not ReportingObligation.objects.filter(indicator__in=[ind["A2"], ind["B1"]]).exists()
    # What was ticked stays ticked.
    assert response.context["chosen"] == {str(ind["A2"].pk), str(ind["B1"].pk)}


def test_posting_nothing_says_what_is_missing(client, catalogue, dic_user):
    client.force_login(dic_user)
    response = client.post(URL, {"year": 2024})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Hãy chọn ít nhất một chỉ tiêu" in content and "Hãy chọn ít nhất một đơn vị báo cáo" in content
    assert not ReportingObligation.objects.filter(year=2024).exclude(indicator__code="DONE").exists()


def test_the_open_periods_submissions_get_the_new_values(client, catalogue, dic_user, province):
    ind, department, district = catalogue["indicators"], catalogue["department"], catalogue["district"]
    ind["B1"].frequency = Frequency.YEARLY
    ind["B1"].save()
    periods_open(province=province, year=2024, actor=dic_user)  # the department reports DONE already
    q1 = ReportingPeriod.objects.get(province=province, year=2024, quarter=1)
    q2 = ReportingPeriod.objects.get(province=province, year=2024, quarter=2)
    q2.state = PeriodState.CLOSED
    q2.save()
    q3 = ReportingPeriod.objects.get(province=province, year=2024, quarter=3)
    Submission.objects.filter(agency=department, period=q3).update(status=SubmissionStatus.SUBMITTED)
    client.force_login(dic_user)
    response = client.post(
        URL,
        {"year": 2024, "indicators": [ind["A2"].pk, ind["B1"].pk], "agencies": [department.pk, district.pk]},
    )
    assert response.status_code == 302

    def values(agency, period):
        return set(
            IndicatorValue.objects.filter(submission__agency=agency, submission__period=period).values_list(
                "indicator__code", flat=True
            )
        )

    # Quarterly A2 in the open quarter, next to what the department had; the district
    # gets its first submission.
    assert values(department, q1) == {"DONE", "A2"}
    assert values(district, q1) == {"A2"}
    # The closed quarter is left as it was; the yearly B1 goes into the year.
    assert (
        values(department, q2) == {"DONE"}
        and not Submission.objects.filter(agency=district, period=q2).exists()
    )
    # A report already sent is left as it was sent.
    assert values(department, q3) == {"DONE"} and values(district, q3) == {"A2"}
    year = ReportingPeriod.objects.get(province=province, year=2024, quarter=None)
    assert values(district, year) == {"B1"}
    assert any(
        "báo cáo chưa gửi của 4 kỳ đang mở đã có thêm các chỉ tiêu này; 5 báo cáo được tạo mới" in m
        for m in messages_of(response)
    ), messages_of(response)


def test_the_pages_queries_do_not_grow_with_its_rows(
    client, catalogue, dic_user, province, django_assert_max_num_queries
):
    client.force_login(dic_user)
    client.get(URL, {"year": 2024})
    pillar = PillarFactory(order=3)
    for _n in range(40):
        TargetFactory(
            plan=catalogue["plan"], indicator=IndicatorFactory(province=province, pillar=pillar), year=2024
        )
        AgencyFactory(parent=province, kind=AgencyKind.COMMUNE)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(URL, {"year": 2024})
    assert len(response.context["indicators"]) == len(LISTED) + 40


def test_an_indicator_whose_figure_is_its_leads_needs_a_lead(catalogue, dic_user):
    """A lead-value indicator with no lead in 2024: reporting agencies alone would send
    figures that never count, so the service asks for the lead role and writes nothing."""
    ind, department = catalogue["indicators"], catalogue["department"]
    ind["B1"].rollup_agencies = "lead_value"
    ind["B1"].save()
    with pytest.raises(DomainError, match="chưa có cơ quan chủ trì"):
        obligations_assign(indicators=[ind["B1"]], agencies=[department], year=2024, actor=dic_user)
    assert not ReportingObligation.objects.filter(indicator=ind["B1"], year=2024).exists()
    result = obligations_assign(
        indicators=[ind["B1"]], agencies=[department], year=2024, actor=dic_user, role=AssignmentRole.LEAD
    )
    assert (len(result.created), result.assignments_created) == (1, 1)
