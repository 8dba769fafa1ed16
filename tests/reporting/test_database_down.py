"""A database that cannot be reached (issue 18): a 503 with Retry-After, a page for
people and JSON for the API, never a hang (connect and statement timeouts on
PostgreSQL) nor a bare 500."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def unreachable(*args, **kwargs):
    raise OperationalError('connection to server at "db" (10.0.0.5), port 5432 failed: timeout expired')


def test_the_pages_answer_503_with_retry_after(dic_user, monkeypatch):
    from reporting.views import HomeView

    monkeypatch.setattr(HomeView, "get", unreachable)
    client = Client(raise_request_exception=False)
    client.force_login(dic_user)
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Cơ sở dữ liệu tạm thời không truy cập được" in response.content.decode()


def test_the_api_answers_503_in_json(dic_user, monkeypatch):
    from indicators.api.views import PlanViewSet

    monkeypatch.setattr(PlanViewSet, "list", unreachable)
    client = Client(raise_request_exception=False)
    client.force_login(dic_user)
    response = client.get("/api/v1/plans/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {
        "code": "unavailable",
        "detail": "Cơ sở dữ liệu tạm thời không truy cập được: xin thử lại sau ít phút.",
    }


def test_any_other_error_is_a_500_in_json_under_the_api(dic_user, monkeypatch):
    from indicators.api.views import PlanViewSet

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(PlanViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(dic_user)
    response = client.get("/api/v1/plans/")
    assert response.status_code == 500 and response.json()["code"] == "server_error"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's timeouts")
def test_postgresql_connections_time_out():
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "1min"


def test_an_api_save_is_stored_and_answered_together(submission, staff_user, monkeypatch):
    """The read-back of a saved report fails (the database went away): the answer is an
    error and nothing was stored, never a 500 for a save that was stored."""
    from reporting.api import views

    value = submission.values.get(indicator__measure_type="count")

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.SubmissionSerializer, "to_representation", lost)
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    response = client.post(
        f"/api/v1/submissions/{submission.pk}/save/",
        {"version": submission.version, "values": [{"id": value.pk, "value": "7"}]},
        content_type="application/json",
    )
    assert response.status_code == 503
    value.refresh_from_db()
    submission.refresh_from_db()
    assert value.value is None and submission.version == 1
