"""The workflow's services: periods, saving, every transition allowed and refused by
role and agency, optimistic locking, history, events and notifications."""

import logging
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.choices import Role
from dti_portal.errors import Conflict, DomainError, PermissionDenied
from reporting import services
from reporting.choices import PeriodState, SubmissionStatus
from reporting.models import (
    Evidence,
    IndicatorValue,
    Notification,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    TaskProgress,
)
from tests.factories import AgencyFactory, make_user

from .conftest import complete_values

pytestmark = pytest.mark.django_db


def fill(submission, actor):
    return services.submission_save(
        submission=submission, actor=actor, version=submission.version, values=complete_values(submission)
    )


def submitted(submission, staff_user):
    fill(submission, staff_user)
    return services.submission_submit(submission=Submission.objects.get(pk=submission.pk), actor=staff_user)


# -- periods ---------------------------------------------------------------------------


def test_opening_a_year_makes_four_quarters_and_the_year_with_the_plans_dates(indicators, province):
    periods = ReportingPeriod.objects.filter(province=province, year=2024)
    assert sorted(p.code for p in periods) == ["2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    q1 = periods.get(quarter=1)
    assert (q1.opens_on, q1.due_on, q1.compile_on, q1.state) == (
        date(2024, 1, 1),
        date(2024, 3, 20),
        date(2024, 3, 25),
        PeriodState.OPEN,
    )
    assert q1.name == "Quý I/2024"


def test_each_quarter_holds_a_value_per_indicator_and_a_line_per_led_task(submission, indicators):
    assert set(submission.values.values_list("indicator_id", flat=True)) == {
        i.pk for i in indicators.values()
    }
    assert submission.task_progress.count() == 1
    assert submission.status == SubmissionStatus.DRAFT and not submission.is_started


def test_opening_again_changes_nothing_and_keeps_dates_adjusted_by_hand(submission, province, dic_user):
    period = submission.period
    period.due_on = date(2024, 3, 22)
    period.save()
    report = services.periods_open(province=province, year=2024, actor=dic_user)
    assert (len(report.created), len(report.existing), report.submissions_created) == (0, 5, 0)
    period.refresh_from_db()
    assert period.due_on == date(2024, 3, 22)
    assert IndicatorValue.objects.count() == 4 * 7 and TaskProgress.objects.count() == 5


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.STEERING_MEMBER])
def test_only_the_dic_opens_periods(province, department, role):
    user = make_user(role, department if role == Role.DEPARTMENT_STAFF else province)
    with pytest.raises(PermissionDenied):
        services.periods_open(province=province, year=2030, actor=user)
    assert not ReportingPeriod.objects.exists()


def test_a_dic_officer_cannot_open_another_provinces_periods(dic_user, other_province):
    with pytest.raises(PermissionDenied):
        services.periods_open(province=other_province, year=2024, actor=dic_user)


# -- saving ---------------------------------------------------------------------------


def test_saving_writes_values_records_history_and_bumps_the_version(submission, staff_user):
    saved = fill(submission, staff_user)
    assert (saved.version, saved.last_saved_by, saved.status) == (2, staff_user, SubmissionStatus.DRAFT)
    rate = saved.values.get(indicator__measure_type="rate")
    assert (rate.numerator, rate.denominator, rate.figure) == (45, 60, 75)
    history = IndicatorValue.history.filter(id=rate.pk)
    assert history.count() == 1 and history.get().history_user == staff_user


def test_saving_only_writes_what_changed(submission, staff_user):
    saved = fill(submission, staff_user)
    services.submission_save(
        submission=saved, actor=staff_user, version=saved.version, values=complete_values(saved)
    )
    assert IndicatorValue.history.count() == 7  # one row per value, none for the unchanged second save


def test_a_stale_version_is_refused_and_nothing_is_overwritten(submission, staff_user, department):
    colleague = make_user(Role.DEPARTMENT_STAFF, department, username="dongnghiep", first_name="Lan")
    opened_at = submission.version
    rate = submission.values.get(indicator__measure_type="rate")
    services.submission_save(
        submission=submission,
        actor=colleague,
        version=opened_at,
        values={rate.pk: {"numerator": 1, "denominator": 2}},
    )
    with pytest.raises(Conflict) as refused:
        services.submission_save(
            submission=submission,
            actor=staff_user,
            version=opened_at,
            values={rate.pk: {"numerator": 9, "denominator": 10}},
        )
    assert refused.value.code == "stale_version" and "Lan" in refused.value.message
    rate.refresh_from_db()
    assert (rate.numerator, rate.denominator) == (1, 2)


def test_another_agencys_staff_cannot_save(submission, province):
    outsider = make_user(Role.DEPARTMENT_STAFF, AgencyFactory(parent=province))
    with pytest.raises(PermissionDenied):
        fill(submission, outsider)


@pytest.mark.parametrize("role", [Role.DIC_OFFICER, Role.STEERING_MEMBER])
def test_reviewers_and_readers_do_not_type_values(submission, dic, province, role):
    user = make_user(role, dic if role == Role.DIC_OFFICER else province)
    with pytest.raises(PermissionDenied):
        fill(submission, user)


def test_a_closed_period_takes_no_values(submission, staff_user, dic_user):
    services.period_set_state(period=submission.period, state=PeriodState.CLOSED, actor=dic_user)
    with pytest.raises(Conflict):
        fill(Submission.objects.get(pk=submission.pk), staff_user)


def test_a_row_of_another_submission_is_refused_and_nothing_saved(submission, staff_user, department):
    other = Submission.objects.get(agency=department, period__year=2024, period__quarter=2)
    foreign = other.values.first()
    values = complete_values(submission) | {foreign.pk: {"value": 1}}
    with pytest.raises(DomainError):
        services.submission_save(
            submission=submission, actor=staff_user, version=submission.version, values=values
        )
    assert not IndicatorValue.history.exists()
    assert Submission.objects.get(pk=submission.pk).version == 1


def test_evidence_is_attached_to_a_value(submission, staff_user):
    value = submission.values.first()
    upload = SimpleUploadedFile("quyet-dinh.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    upload.portal_content_type = "application/pdf"
    services.submission_save(
        submission=submission,
        actor=staff_user,
        version=1,
        evidence=[
            services.EvidenceUpload(value_id=value.pk, file=upload),
            services.EvidenceUpload(value_id=value.pk, link="https://bacgiang.gov.vn/van-ban/1"),
        ],
    )
    files = Evidence.objects.filter(value=value).order_by("pk")
    assert [(e.file_name, e.link) for e in files] == [
        ("quyet-dinh.pdf", ""),
        ("", "https://bacgiang.gov.vn/van-ban/1"),
    ]
    assert files[0].file.name.startswith("evidence/2024/") and files[0].size == 13


# -- transitions ----------------------------------------------------------------------------


def test_submitting_checks_every_value_and_changes_nothing_when_one_is_wrong(submission, staff_user):
    values = complete_values(submission)
    rate = submission.values.get(indicator__measure_type="rate")
    values[rate.pk] = {"numerator": 70, "denominator": 60}
    saved = services.submission_save(submission=submission, actor=staff_user, version=1, values=values)
    with pytest.raises(services.SubmissionInvalid) as invalid:
        services.submission_submit(submission=saved, actor=staff_user)
    assert invalid.value.problems == {
        f"v{rate.pk}": {"numerator": "Tử số không được lớn hơn mẫu số: tỷ lệ phải từ 0 đến 100%."}
    }
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT
    assert not SubmissionEvent.objects.exists()


def test_an_empty_submission_lists_every_missing_value(submission, staff_user):
    with pytest.raises(services.SubmissionInvalid) as invalid:
        services.submission_submit(submission=submission, actor=staff_user)
    assert len(invalid.value.problems) == 7
    assert "còn 9 chỗ cần sửa" in invalid.value.message  # a rate and a ratio miss two fields each


def test_the_whole_cycle_is_recorded(submission, staff_user, dic_user):
    submitted(submission, staff_user)
    rate = submission.values.get(indicator__measure_type="rate")
    services.submission_return(
        submission=submission,
        actor=dic_user,
        comment="Kiểm tra lại tử số",
        value_comments={rate.pk: "Tử số chưa đúng"},
    )
    returned = Submission.objects.get(pk=submission.pk)
    assert returned.status == SubmissionStatus.RETURNED and returned.review_comment == "Kiểm tra lại tử số"
    assert IndicatorValue.objects.get(pk=rate.pk).review_comment == "Tử số chưa đúng"
    fixed = services.submission_save(
        submission=returned,
        actor=staff_user,
        version=returned.version,
        values={rate.pk: {"numerator": 50, "denominator": 60}},
    )
    assert fixed.status == SubmissionStatus.DRAFT
    services.submission_submit(submission=fixed, actor=staff_user)
    approved = services.submission_approve(submission=fixed, actor=dic_user)
    assert (approved.status, approved.approved_by) == (SubmissionStatus.APPROVED, dic_user)
    steps = list(submission.events.values_list("actor__username", "from_status", "to_status", "comment"))
    assert steps == [
        ("canbo", "draft", "submitted", ""),
        ("sotttt", "submitted", "returned", "Kiểm tra lại tử số"),
        ("canbo", "returned", "draft", ""),
        ("canbo", "draft", "submitted", ""),
        ("sotttt", "submitted", "approved", ""),
    ]


TRANSITIONS = {
    "submit": lambda s, user: services.submission_submit(submission=s, actor=user),
    "return": lambda s, user: services.submission_return(submission=s, actor=user, comment="Sửa lại"),
    "approve": lambda s, user: services.submission_approve(submission=s, actor=user),
    "reopen": lambda s, user: services.submission_reopen(submission=s, actor=user, reason="Sai số liệu"),
}
STATES = ["draft", "submitted", "returned", "approved"]
# (action, from status) → who may: everyone else is refused.
ALLOWED = {
    ("submit", "draft"): {"own_staff", "admin"},
    ("submit", "returned"): {"own_staff", "admin"},
    ("return", "submitted"): {"dic", "admin"},
    ("approve", "submitted"): {"dic", "admin"},
    ("reopen", "approved"): {"dic", "admin"},
}
ACTORS = ["own_staff", "other_staff", "dic", "other_dic", "steering", "admin"]


def bring_to(state, submission, staff_user, dic_user):
    if state == "draft":
        return fill(submission, staff_user)
    submitted(submission, staff_user)
    if state == "returned":
        services.submission_return(submission=submission, actor=dic_user, comment="Sửa")
    elif state == "approved":
        services.submission_approve(submission=submission, actor=dic_user)
    return Submission.objects.get(pk=submission.pk)


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS)
def test_every_transition_by_role_and_agency(
    submission,
    staff_user,
    dic_user,
    steering_user,
    admin_user_portal,
    province,
    other_province,
    action,
    state,
    actor,
):
    users = {
        "own_staff": staff_user,
        "other_staff": make_user(Role.DEPARTMENT_STAFF, AgencyFactory(parent=province), username="khac"),
        "dic": dic_user,
        "other_dic": make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth"),
        "steering": steering_user,
        "admin": admin_user_portal,
    }
    current = bring_to(state, submission, staff_user, dic_user)
    events_before = current.events.count()
    if actor in ALLOWED.get((action, state), set()):
        moved = TRANSITIONS[action](current, users[actor])
        assert moved.status != state and current.events.count() > events_before
    else:
        with pytest.raises((PermissionDenied, Conflict)):
            TRANSITIONS[action](current, users[actor])
        assert Submission.objects.get(pk=submission.pk).status == state
        assert current.events.count() == events_before


def test_returning_and_reopening_need_a_reason(submission, staff_user, dic_user):
    current = bring_to("submitted", submission, staff_user, dic_user)
    with pytest.raises(DomainError, match="lý do"):
        services.submission_return(submission=current, actor=dic_user, comment="  ")
    approved = services.submission_approve(submission=current, actor=dic_user)
    with pytest.raises(DomainError, match="lý do"):
        services.submission_reopen(submission=approved, actor=dic_user, reason="")
    reopened = services.submission_reopen(
        submission=approved, actor=dic_user, reason="Sở Tài chính báo số khác"
    )
    assert (reopened.status, reopened.approved_by, reopened.review_comment) == (
        SubmissionStatus.RETURNED,
        None,
        "Sở Tài chính báo số khác",
    )


def test_changing_an_approved_submission_is_refused_and_logged(submission, staff_user, dic_user, caplog):
    approved = bring_to("approved", submission, staff_user, dic_user)
    with (
        caplog.at_level(logging.WARNING, logger="portal.audit"),
        pytest.raises(Conflict, match="đã được phê duyệt"),
    ):
        fill(approved, staff_user)
    assert "refused: user=canbo action=submission_save" in caplog.text and "approved" in caplog.text


# -- notifications ---------------------------------------------------------------------------


def test_submitting_notifies_the_provinces_dic_officers_by_app_and_email(
    submission, staff_user, dic_user, other_province, django_capture_on_commit_callbacks
):
    dic_user.email = "sotttt@bacgiang.gov.vn"
    dic_user.save()
    make_user(
        Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth_dic", email="dic@hue.gov.vn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submitted(submission, staff_user)
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("sotttt", "submitted")]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sotttt@bacgiang.gov.vn"]
    assert "Quý I/2024" in message.subject and "Đã gửi, chờ duyệt" in message.subject
    assert f"/reporting/submissions/{submission.pk}/" in message.body


def test_returning_notifies_the_agencys_staff_with_the_comment(
    submission, staff_user, dic_user, django_capture_on_commit_callbacks
):
    staff_user.email = "canbo@skhdt.gov.vn"
    staff_user.save()
    current = bring_to("submitted", submission, staff_user, dic_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=current, actor=dic_user, comment="Bổ sung minh chứng")
    assert Notification.objects.filter(recipient=staff_user, kind="returned").exists()
    assert "Bổ sung minh chứng" in mail.outbox[0].body


def test_emails_are_not_sent_twice(submission, staff_user, dic_user, django_capture_on_commit_callbacks):
    from reporting.notifications import event_email_send

    dic_user.email = "sotttt@bacgiang.gov.vn"
    dic_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        submitted(submission, staff_user)
    event = SubmissionEvent.objects.get(to_status="submitted")
    assert event_email_send(event_id=event.pk) == 0
    assert len(mail.outbox) == 1


def test_returning_writes_history_only_for_values_with_a_comment(submission, staff_user, dic_user):
    current = bring_to("submitted", submission, staff_user, dic_user)
    rate = current.values.get(indicator__measure_type="rate")
    services.submission_return(
        submission=current, actor=dic_user, comment="Sửa", value_comments={rate.pk: "Sai mẫu số"}
    )
    assert list(IndicatorValue.history.filter(history_user=dic_user).values_list("id", "review_comment")) == [
        (rate.pk, "Sai mẫu số")
    ]


def test_the_timeline_shows_what_each_save_changed(submission, staff_user):
    from reporting.selectors.submissions import submission_timeline

    saved = fill(submission, staff_user)
    rate = saved.values.get(indicator__measure_type="rate")
    services.submission_save(
        submission=saved,
        actor=staff_user,
        version=saved.version,
        values={rate.pk: {"numerator": 50, "note": "Bổ sung hồ sơ tháng 3"}},
    )
    latest = submission_timeline(submission=saved)["value_changes"][0]
    assert (latest.before, latest.after, latest.note) == (
        "45/60 (75%)",
        "50/60 (83,33%)",
        "Bổ sung hồ sơ tháng 3",
    )


def test_a_previous_zero_then_five_asks_for_a_note_instead_of_failing(
    submission, staff_user, dic_user, department
):
    """0 last quarter, 5 now: the change has no percentage; submitting asks for a note."""
    count = submission.values.get(indicator__measure_type="count")
    saved = services.submission_save(
        submission=submission,
        actor=staff_user,
        version=1,
        values=complete_values(submission) | {count.pk: {"value": 0}},
    )
    services.submission_submit(submission=saved, actor=staff_user)
    q2 = Submission.objects.get(agency=department, period__year=2024, period__quarter=2)
    q2_count = q2.values.get(indicator__measure_type="count")
    saved = services.submission_save(
        submission=q2, actor=staff_user, version=1, values=complete_values(q2) | {q2_count.pk: {"value": 5}}
    )
    with pytest.raises(services.SubmissionInvalid) as invalid:
        services.submission_submit(submission=saved, actor=staff_user)
    assert invalid.value.problems == {
        f"v{q2_count.pk}": {"note": "Kỳ trước là 0, kỳ này là 5: hãy ghi giải trình."}
    }
    fixed = services.submission_save(
        submission=saved,
        actor=staff_user,
        version=saved.version,
        values={q2_count.pk: {"note": "Bắt đầu đăng tin từ quý II"}},
    )
    assert services.submission_submit(submission=fixed, actor=staff_user).status == SubmissionStatus.SUBMITTED
