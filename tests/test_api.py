"""The API over every endpoint: each lists only what the caller may see, filters work,
tokens authenticate, bad input answers 400 in JSON (never 500), and the OpenAPI
schema is valid with its Swagger UI served by the portal."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from assignments.choices import Role
from reporting.models import ReportingPeriod
from reporting.rollup.services import compile_province_rollup
from tests.factories import AgencyFactory, make_user

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "agencies",
    "plans",
    "indicators",
    "targets",
    "tasks",
    "indicator-assignments",
    "task-assignments",
    "obligations",
    "periods",
    "submissions",
    "figures",
]


@pytest.fixture
def both_provinces(compiled, other_province, dic_user):
    """Bắc Giang's ``compiled`` world, and a little of Thừa Thiên Huế."""
    from tests.factories import TaskAssignmentFactory, TaskFactory, reporting_setup

    bg_plan = compiled["indicators"]["RATE"].targets.get().plan
    TaskAssignmentFactory(task=TaskFactory(plan=bg_plan, number="5"), agency=compiled["agencies"][0])
    tth_dic = make_user(
        Role.DIC_OFFICER, AgencyFactory(parent=other_province, code="TTH.STTTT"), username="tth_dic"
    )
    reporting_setup(
        other_province, AgencyFactory(parent=other_province, code="TTH.S1"), tth_dic, code_prefix="TTH"
    )
    for period in ReportingPeriod.objects.filter(province=other_province):
        compile_province_rollup(period=period)
    return {"bg": compiled["province"], "tth": other_province, "tth_dic": tth_dic}


def province_of(endpoint, row, client):
    """The province a row belongs to, through whatever it points at."""
    if endpoint == "agencies":
        return row["province"] or row["id"]
    if endpoint in ("plans", "indicators", "periods"):
        return row["province"]
    return None


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_lists_only_the_callers_province(both_provinces, dic_user, endpoint):
    api = APIClient()
    seen = {}
    for name, user in (("bg", dic_user), ("tth", both_provinces["tth_dic"])):
        api.force_authenticate(user)
        response = api.get(f"/api/v1/{endpoint}/", {"page_size": 500})
        assert response.status_code == 200, response.content
        seen[name] = {row["id"] for row in response.json()["results"]}
        for row in response.json()["results"]:
            province = province_of(endpoint, row, api)
            if province is not None:
                assert province == both_provinces[name].pk, (endpoint, row)
    assert seen["bg"] and seen["tth"] and not seen["bg"] & seen["tth"], endpoint
    api.force_authenticate(both_provinces["tth_dic"])
    assert api.get(f"/api/v1/{endpoint}/{min(seen['bg'])}/").status_code == 404


def test_the_staff_sees_its_own_agencys_submissions_only(compiled):
    api = APIClient()
    api.force_authenticate(compiled["staff"][0])
    agencies = {row["agency"] for row in api.get("/api/v1/submissions/").json()["results"]}
    assert agencies == {compiled["agencies"][0].pk}


def test_filters(compiled, dic_user):
    api = APIClient()
    api.force_authenticate(dic_user)
    rate = compiled["indicators"]["RATE"]
    assert [
        r["code"] for r in api.get("/api/v1/indicators/", {"pillar": rate.pillar_id}).json()["results"]
    ] == ["RATE"]
    figures = api.get("/api/v1/figures/", {"quarter": 1, "status": "on_track"}).json()["results"]
    assert sorted(f["indicator_code"] for f in figures) == ["ARTICLES", "BUDGET", "RATE"]
    assert api.get("/api/v1/targets/", {"year": 2023}).json()["count"] == 0
    assert api.get("/api/v1/submissions/", {"status": "approved"}).json()["count"] == 2
    assert api.get("/api/v1/targets/", {"pillar": rate.pillar_id, "year": 2024}).json()["count"] == 1
    assert (
        api.get("/api/v1/figures/", {"year": 2024, "province": compiled["province"].pk}).json()["count"] == 8
    )
    assert api.get("/api/v1/obligations/", {"agency": compiled["agencies"][0].pk}).json()["count"] == 4


@pytest.mark.parametrize("query", [{"year": "abc"}, {"plan": "abc"}, {"province": "x"}, {"page": "9999"}])
def test_bad_filters_answer_400_or_404_in_json(compiled, dic_user, query):
    api = APIClient()
    api.force_authenticate(dic_user)
    endpoint = "targets" if "year" in query or "plan" in query else "plans"
    response = api.get(f"/api/v1/{endpoint}/", query)
    assert response.status_code in (400, 404) and response["Content-Type"] == "application/json"


def test_a_token_authenticates(compiled, dic_user):
    api = APIClient()
    response = api.post("/api/v1/token/", {"username": "sotttt", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/figures/").json()["count"] == 8  # Q1 and the year, four indicators each
    assert APIClient().post("/api/v1/token/", {"username": "sotttt", "password": "sai"}).status_code == 400
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token khong-hop-le")
    assert bad.get("/api/v1/figures/").status_code in (401, 403)


def test_the_workflow_by_token(compiled, dic_user):
    from reporting.models import Submission
    from tests.reporting.world import report

    report(compiled, 2, 1, {"RATE": {"numerator": 1, "denominator": 2}}, approve=False)
    submitted = Submission.objects.get(agency=compiled["agencies"][2], period__quarter=1, period__year=2024)
    api = APIClient()
    token = api.post("/api/v1/token/", {"username": "sotttt", "password": "mat-khau-thu-nghiem"}).json()[
        "token"
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.post(f"/api/v1/submissions/{submitted.pk}/approve/", {"version": submitted.version})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    draft = Submission.objects.get(agency=compiled["agencies"][0], period__quarter=2, period__year=2024)
    assert api.post(f"/api/v1/submissions/{draft.pk}/approve/").status_code == 409


def test_the_schema_is_valid_and_the_docs_are_served_by_the_portal(client, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/figures/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs and "cdn" not in docs.lower()


def test_guessing_passwords_at_the_token_endpoint_is_throttled(dic_user, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "5/min"})
    api = APIClient()
    answers = [api.post("/api/v1/token/", {"username": "sotttt", "password": f"sai-{n}"}) for n in range(6)]
    assert [answer.status_code for answer in answers] == [400] * 4 + [429] * 2
    # The fifth wrong password locks the account (django-axes, tests/test_security.py);
    # the rate limit stands behind it for guesses spread over many accounts.
    assert answers[4].json()["code"] == "locked_out"
    cache.clear()
