"""The submissions API: the same services and permissions as the pages, JSON errors
(400 bad input, 403 refused, 409 approved or stale), never a 500."""

import pytest
from rest_framework.test import APIClient

from assignments.choices import Role
from reporting.choices import SubmissionStatus
from reporting.models import IndicatorValue, Submission
from tests.factories import AgencyFactory, make_user

from .conftest import complete_values
from .test_services import bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def url(submission, action=""):
    return f"/api/v1/submissions/{submission.pk}/" + (f"{action}/" if action else "")


def save_body(submission, values=None):
    rows = values if values is not None else complete_values(submission)
    return {"version": submission.version, "values": [{"id": pk, **fields} for pk, fields in rows.items()]}


def test_lists_are_filtered_by_who_asks(api, submission, staff_user, dic_user, province, other_province):
    api.force_authenticate(staff_user)
    assert {row["agency"] for row in api.get("/api/v1/submissions/").json()["results"]} == {
        submission.agency_id
    }
    api.force_authenticate(make_user(Role.DEPARTMENT_STAFF, AgencyFactory(parent=province)))
    assert api.get("/api/v1/submissions/").json()["count"] == 0
    assert api.get(url(submission)).status_code == 404
    api.force_authenticate(dic_user)
    assert api.get("/api/v1/submissions/", {"status": "draft"}).json()["count"] == 5
    assert api.get("/api/v1/submissions/", {"period": submission.period_id}).json()["count"] == 1
    api.force_authenticate(make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province)))
    assert api.get("/api/v1/submissions/").json()["count"] == 0
    assert api.get(url(submission)).json() == {"code": "not_found", "detail": "Không tìm thấy."}


def test_the_whole_cycle_by_api(api, submission, staff_user, dic_user):
    api.force_authenticate(staff_user)
    response = api.post(url(submission, "save"), save_body(submission), format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    rate = next(v for v in response.json()["values"] if v["measure_type"] == "rate")
    assert (rate["figure"], rate["display"]) == ("75.000000", "45/60 (75%)")
    assert api.post(url(submission, "submit")).json()["status"] == "submitted"
    api.force_authenticate(dic_user)
    returned = api.post(
        url(submission, "return"),
        {"comment": "Sửa tử số", "value_comments": {str(rate["id"]): "Sai"}},
        format="json",
    )
    assert returned.json()["status"] == "returned"
    assert IndicatorValue.objects.get(pk=rate["id"]).review_comment == "Sai"
    api.force_authenticate(staff_user)
    fresh = Submission.objects.get(pk=submission.pk)
    api.post(
        url(submission, "save"),
        {"version": fresh.version, "values": [{"id": rate["id"], "numerator": "50"}]},
        format="json",
    )
    assert api.post(url(submission, "submit")).status_code == 200
    api.force_authenticate(dic_user)
    assert api.post(url(submission, "approve")).json()["status"] == "approved"


def test_an_approved_submission_answers_409(api, submission, staff_user, dic_user):
    approved = bring_to("approved", submission, staff_user, dic_user)
    api.force_authenticate(staff_user)
    response = api.post(url(approved, "save"), save_body(approved), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and "đã được phê duyệt" in response.json()["detail"]


def test_a_stale_version_answers_409_and_overwrites_nothing(api, submission, staff_user):
    api.force_authenticate(staff_user)
    api.post(url(submission, "save"), save_body(submission), format="json")
    response = api.post(url(submission, "save"), save_body(submission, {}), format="json")
    assert response.status_code == 409 and response.json()["code"] == "stale_version"


def test_submitting_incomplete_values_answers_400_with_each_problem(api, submission, staff_user):
    api.force_authenticate(staff_user)
    response = api.post(url(submission, "submit"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "submission_invalid" and len(body["problems"]) == 7
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"values": []}, "version"),
        ({"version": "abc"}, "version"),
        ({"version": 1, "values": [{"id": 1, "value": "mười"}]}, "values"),
        ({"version": 1, "values": {"id": 1}}, "values"),
        ({"version": 1, "tasks": [{"id": 1, "status": "xong"}]}, "tasks"),
    ],
)
def test_bad_input_answers_400_with_field_errors(api, submission, staff_user, body, field):
    api.force_authenticate(staff_user)
    response = api.post(url(submission, "save"), body, format="json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid" and field in body["fields"]


def test_a_value_of_another_submission_is_refused(api, submission, staff_user, department):
    other = Submission.objects.get(agency=department, period__quarter=2, period__year=2024).values.first()
    api.force_authenticate(staff_user)
    response = api.post(
        url(submission, "save"), save_body(submission, {other.pk: {"value": 1}}), format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_row"


def test_status_agency_and_approver_cannot_be_set_by_input(api, submission, staff_user, dic):
    api.force_authenticate(staff_user)
    body = save_body(submission) | {
        "status": "approved",
        "agency": dic.pk,
        "approved_by": staff_user.pk,
        "period": 999,
    }
    assert api.post(url(submission, "save"), body, format="json").status_code == 200
    saved = Submission.objects.get(pk=submission.pk)
    assert (saved.status, saved.agency_id, saved.approved_by) == (
        SubmissionStatus.DRAFT,
        submission.agency_id,
        None,
    )
    assert api.patch(url(submission), {"status": "approved"}, format="json").status_code == 405


@pytest.mark.parametrize("role", [Role.STEERING_MEMBER, Role.DIC_OFFICER])
def test_readers_and_reviewers_cannot_write_values(api, submission, province, dic, role):
    api.force_authenticate(make_user(role, province if role == Role.STEERING_MEMBER else dic))
    response = api.post(url(submission, "save"), save_body(submission), format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_the_staff_cannot_approve_their_own_submission(api, submission, staff_user, dic_user):
    bring_to("submitted", submission, staff_user, dic_user)
    api.force_authenticate(staff_user)
    assert api.post(url(submission, "approve")).status_code == 403
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED


def test_the_list_query_count_does_not_grow_with_submissions(
    api, submission, dic_user, province, django_assert_max_num_queries
):
    from .test_views import grow

    api.force_authenticate(dic_user)
    with django_assert_max_num_queries(20) as small:
        api.get("/api/v1/submissions/")
    grow(province, 2, dic_user, 2024)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get("/api/v1/submissions/").json()["count"] == 15


def test_comments_on_values_of_another_submission_are_refused(
    api, submission, staff_user, dic_user, department
):
    bring_to("submitted", submission, staff_user, dic_user)
    other = Submission.objects.get(agency=department, period__quarter=2, period__year=2024).values.first()
    api.force_authenticate(dic_user)
    response = api.post(
        url(submission, "return"), {"comment": "Sửa", "value_comments": {str(other.pk): "x"}}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_row"
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_huge_ids_answer_400_not_500(api, submission, staff_user):
    api.force_authenticate(staff_user)
    body = {"version": submission.version, "values": [{"id": 10**23, "value": "1"}]}
    assert api.post(url(submission, "save"), body, format="json").status_code == 400
    assert api.get("/api/v1/targets/", {"province": 10**23}).status_code == 400


def test_a_field_the_measure_does_not_have_is_refused_and_nothing_is_stored(api, submission, staff_user):
    api.force_authenticate(staff_user)
    rate = submission.values.get(indicator__measure_type="rate")
    count = submission.values.get(indicator__measure_type="count")
    body = save_body(
        submission,
        {rate.pk: {"numerator": "45", "denominator": "60", "value": "75"}, count.pk: {"value": "12"}},
    )
    response = api.post(url(submission, "save"), body, format="json")
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert list(problems) == [f"v{rate.pk}"] and list(problems[f"v{rate.pk}"]) == ["value"]
    assert "không có trường “value”" in problems[f"v{rate.pk}"]["value"]
    # Nothing of the request is stored: not the rate's numerator, not the count.
    rate.refresh_from_db()
    count.refresh_from_db()
    assert (rate.numerator, rate.value, count.value) == (None, None, None)
    assert Submission.objects.get(pk=submission.pk).version == 1
    text = submission.values.get(indicator__measure_type="text")
    response = api.post(
        url(submission, "save"), save_body(submission, {text.pk: {"numerator": "1"}}), format="json"
    )
    assert response.status_code == 400 and "numerator" in response.json()["problems"][f"v{text.pk}"]
