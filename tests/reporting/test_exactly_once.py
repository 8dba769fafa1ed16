"""Every email exactly once (issue 18): each reminder and workflow email is marked sent
right after its own send, so an SMTP failure mid-batch, a retry and a redelivered task
send none twice and leave none out; subjects are plain text, never HTML-escaped."""

from datetime import date
from smtplib import SMTPDataError

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from assignments.choices import Role
from indicators.choices import InstitutionRole
from indicators.models import ProvinceInstitution
from reporting import services
from reporting.models import Notification, ReminderLog, SubmissionEvent
from reporting.notifications import event_email_send
from tests.factories import AgencyFactory, make_user, reporting_setup

from .test_services import submitted

pytestmark = pytest.mark.django_db

WEEK_BEFORE = date(2024, 3, 13)  # 2024-Q1 is due on 20 March


@pytest.fixture
def smtp_fails_on_the_second_message(monkeypatch):
    """A server that answers 451 to the second message of the connection, once."""
    real = EmailBackend.send_messages
    calls = []

    def send_messages(self, messages):
        calls.append(len(messages))
        if len(calls) == 2:
            raise SMTPDataError(451, b"4.3.0 Temporary failure")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return calls


def test_a_reminder_batch_failing_midway_is_finished_by_the_retry_without_repeats(
    submission, department, province, dic_user, smtp_fails_on_the_second_message
):
    department.email = "skhdt@bacgiang.gov.vn"
    department.save()
    for n in (1, 2):
        other = AgencyFactory(parent=province, code=f"BG.KHAC{n}", email=f"khac{n}@bacgiang.gov.vn")
        reporting_setup(province, other, dic_user, code_prefix=f"BG.KHAC{n}")
    with pytest.raises(SMTPDataError):
        services.reminders_send(today=WEEK_BEFORE, run="task-1")
    assert len(mail.outbox) == 1 and ReminderLog.objects.filter(sent_at__isnull=False).count() == 1
    # The task's retry (same run id), then a redelivery of it, then tomorrow's catch-up.
    assert services.reminders_send(today=WEEK_BEFORE, run="task-1").sent == 2
    assert services.reminders_send(today=WEEK_BEFORE, run="task-1").sent == 0
    assert services.reminders_send(today=WEEK_BEFORE, run="task-2").sent == 0
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["khac1@bacgiang.gov.vn", "khac2@bacgiang.gov.vn", "skhdt@bacgiang.gov.vn"]


def test_workflow_emails_failing_midway_are_finished_by_the_retry_without_repeats(
    submission, staff_user, dic_user, dic, smtp_fails_on_the_second_message
):
    dic_user.email = "sotttt@bacgiang.gov.vn"
    dic_user.save()
    for n in (1, 2):
        colleague = make_user(Role.DIC_OFFICER, dic, username=f"sotttt{n}")
        colleague.email = f"sotttt{n}@bacgiang.gov.vn"
        colleague.save()
    submitted(submission, staff_user)
    event = SubmissionEvent.objects.filter(submission=submission, action="submit").get()
    assert Notification.objects.filter(event=event).exclude(recipient__email="").count() == 3
    mail.outbox.clear()
    with pytest.raises(SMTPDataError):
        event_email_send(event_id=event.pk)
    assert len(mail.outbox) == 1
    assert event_email_send(event_id=event.pk) == 2  # the retry
    assert event_email_send(event_id=event.pk) == 0  # a redelivery
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "sotttt1@bacgiang.gov.vn",
        "sotttt2@bacgiang.gov.vn",
        "sotttt@bacgiang.gov.vn",
    ]


def test_subjects_are_plain_text(submission, staff_user, dic_user, province, department):
    department.short_name = "Sở TT&TT"
    department.save()
    dic_user.email = "sotttt@bacgiang.gov.vn"
    dic_user.save()
    department.email = "skhdt@bacgiang.gov.vn"
    department.save()
    ProvinceInstitution.objects.filter(province=province, role=InstitutionRole.DIC).update(
        name="Sở KH&CN tỉnh Bắc Giang"
    )
    services.reminders_send(today=WEEK_BEFORE, run="r")
    submitted(submission, staff_user)
    event_email_send(event_id=SubmissionEvent.objects.get(submission=submission, action="submit").pk)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "&amp;" not in message.subject and "&amp;" not in message.body
    assert all("TT&TT" in message.subject for message in mail.outbox), [m.subject for m in mail.outbox]


def test_the_claims_of_a_run_that_died_are_taken_over_by_the_next(submission, department):
    from datetime import timedelta

    from django.utils import timezone

    department.email = "skhdt@bacgiang.gov.vn"
    department.save()
    # The 08:00 run claimed the reminder and was killed before sending it.
    dead = services.reminders_send(today=WEEK_BEFORE, run="morning", dry_run=True).planned
    ReminderLog.objects.bulk_create(dead)
    ReminderLog.objects.update(run="morning", claimed_at=timezone.now() - timedelta(minutes=10))
    assert services.reminders_send(today=WEEK_BEFORE, run="catch-up").sent == 0  # maybe still alive
    ReminderLog.objects.update(claimed_at=timezone.now() - timedelta(hours=2))
    assert services.reminders_send(today=WEEK_BEFORE, run="catch-up").sent == 1  # taken over
    assert services.reminders_send(today=WEEK_BEFORE, run="morning").sent == 0  # the dead run's retry
    assert services.reminders_send(today=WEEK_BEFORE, run="evening").sent == 0
    assert [message.to for message in mail.outbox] == [["skhdt@bacgiang.gov.vn"]]
