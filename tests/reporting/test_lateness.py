"""Lateness stays visible after sending (issue 19): "nộp muộn N ngày" in the queue, on
the report and in the on-time statistics, counted from the first sending (a resend
after a return does not change it), in Hà Nội's days; staff are told before sending
late. Expected days worked out from the dates by hand."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import Submission, SubmissionEvent
from reporting.selectors.dashboards import agency_punctuality, on_time

from .conftest import complete_values

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2024, 4, 15)


def send(submission, staff_user, at: datetime) -> Submission:
    """The agency sends ``submission``, recorded as sent at ``at``."""
    saved = services.submission_save(
        submission=submission,
        actor=staff_user,
        version=submission.version,
        values=complete_values(submission),
    )
    sent = services.submission_submit(submission=saved, actor=staff_user)
    latest = SubmissionEvent.objects.filter(submission=sent, action="submit").latest("pk")
    SubmissionEvent.objects.filter(pk=latest.pk).update(at=at)
    return Submission.objects.get(pk=sent.pk)


@pytest.fixture
def due_15_april(submission):
    Submission.objects.filter(pk=submission.pk).update(due_on=DUE)
    return Submission.objects.get(pk=submission.pk)


def test_days_late_count_from_the_first_sending_in_hanoi_days(due_15_april, staff_user, dic_user):
    # 23:30 on the due date in Hà Nội is 16:30 UTC: on time.
    on_the_day = send(due_15_april, staff_user, datetime(2024, 4, 15, 23, 30, tzinfo=HANOI))
    assert on_the_day.days_late == 0
    Submission.objects.filter(pk=on_the_day.pk).update(due_on=date(2024, 4, 12))
    # Due 12 April, first sent 15 April: 3 days late; sent again on the 25th after a
    # return: still 3.
    returned = services.submission_return(
        submission=Submission.objects.get(pk=on_the_day.pk), actor=dic_user, comment="Bổ sung minh chứng."
    )
    again = send(returned, staff_user, datetime(2024, 4, 25, 9, 0, tzinfo=HANOI))
    assert again.days_late == 3
    assert Submission.objects.with_first_sent().get(pk=again.pk).days_late == 3
    assert on_time(Submission.objects.with_first_sent().get(pk=again.pk), date(2024, 5, 1)) is False


def test_the_queue_the_report_and_the_statistics_say_how_late(
    client, due_15_april, staff_user, dic_user, province
):
    sent = send(due_15_april, staff_user, datetime(2024, 4, 18, 8, 0, tzinfo=HANOI))  # 18 − 15 = 3 days
    client.force_login(dic_user)
    queue = client.get(reverse("reporting:review-queue")).content.decode()
    assert "nộp muộn 3 ngày" in queue
    detail = client.get(reverse("reporting:submission-detail", args=[sent.pk])).content.decode()
    assert "nộp muộn 3 ngày" in detail
    (row,) = [
        r
        for r in agency_punctuality(province=province, year=2024, today=date(2024, 5, 1))
        if r.agency == sent.agency
    ]
    page = client.get(reverse("reporting:dashboard-agencies"), {"year": 2024}).content.decode()
    assert "1 báo cáo, muộn nhất 3 ngày" in page
    # On 1 May only the first quarter's report has fallen due: 1 due, 0 on time, 1 late.
    assert (row.due, row.on_time, row.sent_late, row.most_days_late) == (1, 0, 1, 3)


def test_staff_are_told_before_sending_late(client, due_15_april, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("reporting:submission-edit", args=[due_15_april.pk])).content.decode()
    days = (timezone.localdate() - DUE).days
    assert (
        f"Đã quá hạn gửi {days} ngày (hạn 15/04/2024). Báo cáo vẫn gửi được, và sẽ được ghi là nộp muộn."
        in page
    )
