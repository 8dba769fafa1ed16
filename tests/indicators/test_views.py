"""Catalogue pages: login required everywhere, each user sees their province only,
filters work, and query counts stay flat as rows grow."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assignments.choices import AssignmentRole
from tests.factories import (
    AgencyFactory,
    IndicatorAssignmentFactory,
    IndicatorFactory,
    PlanFactory,
    TargetFactory,
    TaskAssignmentFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

# Open to anyone: the login page, the language switch, the API's token endpoint, schema
# and docs, and "Quên mật khẩu" (tests/reporting/test_password_reset.py). The
# permission sweep (tests/test_permission_sweep.py) reads this set too.
PUBLIC = {
    "login",
    "set_language",
    "api:token",
    "api-schema",
    "api-docs",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def every_url_name(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                continue
            yield from every_url_name(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", pattern


def concrete(pattern) -> dict:
    return {name: 1 for name in pattern.pattern.regex.groupindex}


@pytest.mark.parametrize(
    "name", [name for name, _ in every_url_name() if name not in PUBLIC and not name.startswith("api:")]
)
def test_every_page_sends_anonymous_users_to_the_login(client, name):
    pattern = dict(every_url_name())[name]
    url = reverse(name, kwargs=concrete(pattern))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name", [name for name, _ in every_url_name() if name.startswith("api:") and name not in PUBLIC]
)
def test_the_api_refuses_anonymous_users_in_json(client, name):
    pattern = dict(every_url_name())[name]
    response = client.get(reverse(name, kwargs=concrete(pattern)))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Thông tin xác thực không được cung cấp.",
    }


def test_the_admin_sends_anonymous_users_to_its_login(client):
    response = client.get(reverse("admin:indicators_indicator_changelist"))
    assert response.status_code == 302 and "login" in response.url


def test_the_login_page_is_vietnamese_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
    assert response.context["LANGUAGE_CODE"] == "vi"


def test_the_language_switch_works_before_login(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert client.get(reverse("login")).context["LANGUAGE_CODE"] == "en"


def test_login_and_logout(client, staff_user):
    response = client.post(reverse("login"), {"username": "canbo", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_gets_a_vietnamese_message(client, staff_user):
    response = client.post(reverse("login"), {"username": "canbo", "password": "sai"})
    assert response.status_code == 200
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác" in response.content.decode()


def test_users_see_only_their_own_province(client, staff_user, province, other_province):
    mine = TargetFactory(plan__province=province, indicator__name="Chỉ tiêu của tôi")
    theirs = TargetFactory(plan__province=other_province, indicator__name="Chỉ tiêu tỉnh khác")
    client.force_login(staff_user)
    listing = client.get(reverse("indicators:indicator-list")).content.decode()
    assert "Chỉ tiêu của tôi" in listing and "Chỉ tiêu tỉnh khác" not in listing
    for name, obj in (
        ("indicators:indicator-detail", theirs.indicator),
        ("indicators:plan-detail", theirs.plan),
        ("indicators:plan-tasks", theirs.plan),
        ("indicators:agency-detail", other_province),
    ):
        assert client.get(reverse(name, args=[obj.pk])).status_code == 404, name
    assert client.get(reverse("indicators:indicator-detail", args=[mine.indicator.pk])).status_code == 200


def test_administrators_see_every_province(client, admin_user_portal, other_province):
    theirs = TargetFactory(plan__province=other_province)
    client.force_login(admin_user_portal)
    assert client.get(reverse("indicators:plan-detail", args=[theirs.plan.pk])).status_code == 200


def test_a_user_without_an_agency_sees_nothing(client, province):
    from tests.factories import UserFactory

    TargetFactory(plan__province=province)
    client.force_login(UserFactory())
    response = client.get(reverse("indicators:indicator-list"))
    assert response.status_code == 200 and not response.context["indicators"]
    assert "chưa được gắn với cơ quan" in client.get(reverse("home")).content.decode()


def test_indicator_filters(client, dic_user, province):
    plan = PlanFactory(province=province)
    lead = AgencyFactory(parent=province)
    wanted = TargetFactory(plan=plan, year=2025, indicator__name="Tỷ lệ văn bản điện tử").indicator
    IndicatorAssignmentFactory(plan=plan, indicator=wanted, agency=lead, year=2025)
    TargetFactory(plan=plan, year=2024, indicator__name="Số tin bài")
    TargetFactory(plan__province=province, year=2025, indicator__name="Kế hoạch khác")
    client.force_login(dic_user)
    url = reverse("indicators:indicator-list")
    for query in (
        {"q": "văn bản"},
        {"plan": plan.pk, "year": 2025},
        {"agency": lead.pk},
        {"pillar": wanted.pillar.pk, "province": province.pk},
    ):
        names = [i.name for i in client.get(url, query).context["indicators"]]
        assert names == ["Tỷ lệ văn bản điện tử"], query
    response = client.get(url, {"year": "abc"})
    assert response.status_code == 200


def test_indicator_page_shows_targets_and_who_leads_monitors_and_coordinates(client, dic_user, province):
    target = TargetFactory(plan__province=province, wording="Tỷ lệ X đạt 85%")
    for role, name in (
        (AssignmentRole.LEAD, "Sở Lead"),
        (AssignmentRole.MONITORING_LEAD, "Sở Monitor"),
        (AssignmentRole.COORDINATING, "Sở Coord"),
    ):
        IndicatorAssignmentFactory(
            plan=target.plan,
            indicator=target.indicator,
            year=target.year,
            role=role,
            agency=AgencyFactory(parent=province, short_name=name),
        )
    client.force_login(dic_user)
    content = client.get(reverse("indicators:indicator-detail", args=[target.indicator.pk])).content.decode()
    for text in ("Tỷ lệ X đạt 85%", "≥ 85%", "Sở Lead", "Sở Monitor", "Sở Coord"):
        assert text in content


def test_agency_page_shows_what_it_leads_and_coordinates(client, dic_user, department):
    assignment = IndicatorAssignmentFactory(
        plan__province=department.province, agency=department, indicator__name="Chỉ tiêu được giao"
    )
    task = TaskAssignmentFactory(
        task__plan=assignment.plan,
        agency=department,
        role=AssignmentRole.COORDINATING,
        task__content="Nhiệm vụ phối hợp",
    )
    client.force_login(dic_user)
    response = client.get(reverse("indicators:agency-detail", args=[department.pk]))
    content = response.content.decode()
    assert "Chỉ tiêu được giao" in content and "Nhiệm vụ phối hợp" in content
    assert response.context["tasks"]["coordinating"] == [task]


def populate(province, size: int):
    """``size`` rows everywhere: targets and tasks of one plan, and one indicator and one
    agency that each carry ``size`` targets and assignments."""
    plan = PlanFactory(province=province)
    indicator = IndicatorFactory(province=province)
    agency = AgencyFactory(parent=province)
    for offset in range(size):
        year = 2024 + offset
        TargetFactory(plan=plan, year=year)
        TargetFactory(plan=plan, indicator=indicator, year=year)
        for role in AssignmentRole:
            IndicatorAssignmentFactory(plan=plan, indicator=indicator, year=year, agency=agency, role=role)
        TaskAssignmentFactory(task=TaskFactory(plan=plan), agency=agency)
    return plan, indicator, agency


@pytest.mark.parametrize(
    "page",
    [
        "plan-detail",
        "plan-tasks",
        "indicator-list",
        "plan-list",
        "agency-list",
        "indicator-detail",
        "agency-detail",
    ],
)
def test_page_query_counts_do_not_grow_with_rows(
    client, dic_user, province, django_assert_max_num_queries, page
):
    client.force_login(dic_user)

    def count(size: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        plan, indicator, agency = populate(province, size)
        args = {
            "plan-detail": [plan.pk],
            "plan-tasks": [plan.pk],
            "indicator-detail": [indicator.pk],
            "agency-detail": [agency.pk],
        }.get(page, [])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"indicators:{page}", args=args)).status_code == 200
        return len(queries)

    small, large = count(2), count(12)
    assert large == small
    with django_assert_max_num_queries(20):
        client.get(reverse("indicators:indicator-list"))
