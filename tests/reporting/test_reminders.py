"""Deadline reminders: who gets what on which day, in Vietnamese, exactly once, over
one SMTP connection, and the overdue digest."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from assignments.choices import AssignmentRole
from reporting import services
from reporting.choices import ReminderKind
from reporting.models import ReminderLog, Submission
from tests.factories import IndicatorAssignmentFactory

from .test_services import bring_to

pytestmark = pytest.mark.django_db

WEEK_BEFORE = date(2024, 3, 13)  # 2024-Q1 is due on 20 March
THREE_DAYS_LATE = date(2024, 3, 23)


@pytest.fixture
def addresses(staff_user, dic_user, department, province, dic):
    staff_user.email = "canbo@skhdt.bacgiang.gov.vn"
    staff_user.save()
    dic_user.email = "sotttt@bacgiang.gov.vn"
    dic_user.save()
    department.email = "skhdt@bacgiang.gov.vn"
    department.save()


def send(today, run="run-1", **kwargs):
    return services.reminders_send(today=today, run=run, **kwargs)


def test_a_week_before_the_due_date_the_agency_is_reminded_of_what_is_missing(submission, addresses):
    report = send(WEEK_BEFORE)
    assert report.sent == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["canbo@skhdt.bacgiang.gov.vn", "skhdt@bacgiang.gov.vn"]
    assert message.subject == "[Cổng DTI] Sắp đến hạn gửi báo cáo Quý I/2024 — Sở Kế hoạch và Đầu tư".replace(
        "Sở Kế hoạch và Đầu tư", submission.agency.label
    )
    assert "là ngày 20/03/2024" in message.body and "Còn 7 chỉ tiêu chưa nhập số liệu" in message.body
    assert "BG.RATE — " in message.body
    assert f"/reporting/submissions/{submission.pk}/edit/" in message.body
    log = ReminderLog.objects.get()
    assert (log.kind, log.day, log.period, log.sent_at is not None) == (
        ReminderKind.BEFORE,
        WEEK_BEFORE,
        submission.period,
        True,
    )


def test_nothing_on_days_without_a_reminder_and_nothing_for_sent_reports(
    submission, staff_user, dic_user, addresses
):
    assert send(WEEK_BEFORE, run="the-13th").sent == 1
    mail.outbox.clear()
    assert send(date(2024, 3, 14)).planned == []  # the 13th's is sent; the next is on the 17th
    bring_to("submitted", submission, staff_user, dic_user)
    assert send(date(2024, 3, 17)).planned == []  # sent reports get none
    assert mail.outbox == []


def test_a_day_no_run_happened_on_is_caught_up_by_the_next(submission, addresses):
    """Beat down on the 13th (a week before the 20th): the 15th's run sends the week's
    reminder, once; the 17th's (three days before) is sent on the 17th; a missed due day
    is caught up the day after, worded as overdue."""
    assert [log.kind for log in send(date(2024, 3, 15), run="the-15th").claimed] == [ReminderKind.BEFORE]
    assert send(date(2024, 3, 16), run="the-16th").planned == []
    assert send(date(2024, 3, 17), run="the-17th").sent == 1
    # The 19th (one day before) and the 20th (due) missed: the 21st says overdue.
    claimed = send(date(2024, 3, 21), run="the-21st").claimed
    (late,) = [log for log in claimed if log.kind != ReminderKind.DIGEST]
    assert late.kind == ReminderKind.OVERDUE
    to_agency = [m for m in mail.outbox if "skhdt@bacgiang.gov.vn" in m.to]
    assert len(to_agency) == 3 and to_agency[-1].subject.startswith(
        "[Cổng DTI] Quá hạn gửi báo cáo Quý I/2024"
    )


def test_the_same_reminder_is_never_sent_twice(submission, addresses):
    send(WEEK_BEFORE, run="morning")
    second = send(WEEK_BEFORE, run="beat-restarted")
    assert (len(second.planned), second.claimed, second.sent) == (0, [], 0)
    assert len(mail.outbox) == 1 and ReminderLog.objects.count() == 1


def test_two_runs_at_once_send_one_email(submission, addresses, monkeypatch):
    """Run A decides, then run B decides, claims and sends before A writes its claim:
    A's claim loses on the unique key and A sends nothing."""
    real_bulk_create = ReminderLog.objects.bulk_create
    raced = []

    def bulk_create_after_the_other_run(objs, **kwargs):
        if not raced:
            raced.append(True)
            send(WEEK_BEFORE, run="run-B")
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(ReminderLog.objects, "bulk_create", bulk_create_after_the_other_run)
    report_a = send(WEEK_BEFORE, run="run-A")
    assert report_a.claimed == [] and report_a.sent == 0
    assert len(mail.outbox) == 1 and ReminderLog.objects.get().run == "run-B"


def test_a_retried_run_sends_what_it_claimed_and_could_not_send(submission, addresses, monkeypatch):
    from smtplib import SMTPServerDisconnected

    from django.core.mail.backends.locmem import EmailBackend

    def fail(self, messages):
        raise SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(EmailBackend, "send_messages", fail)
    with pytest.raises(SMTPServerDisconnected):
        send(WEEK_BEFORE, run="task-1")
    assert ReminderLog.objects.get().sent_at is None
    monkeypatch.undo()
    assert send(WEEK_BEFORE, run="task-1").sent == 1  # the retry: same run id
    assert send(WEEK_BEFORE, run="task-2").sent == 0
    assert len(mail.outbox) == 1


def test_overdue_agencies_every_three_days_and_a_digest_to_the_dic_and_monitoring_lead(
    submission, addresses, province, indicators
):
    lead = submission.agency.parent  # the province's leadership monitors the rate indicator
    lead.email = "ubnd@bacgiang.gov.vn"
    lead.save()
    IndicatorAssignmentFactory(
        plan=indicators["rate"].targets.get().plan,
        indicator=indicators["rate"],
        year=2024,
        agency=lead,
        role=AssignmentRole.MONITORING_LEAD,
        title="Phó Chủ tịch UBND tỉnh",
    )
    report = send(THREE_DAYS_LATE)
    kinds = sorted((log.kind, log.agency.code) for log in report.claimed)
    assert kinds == [("digest", "BG"), ("digest", "BG.STTTT"), ("overdue", submission.agency.code)]
    by_recipient = {tuple(sorted(m.to)): m for m in mail.outbox}
    digest = by_recipient[("sotttt@bacgiang.gov.vn",)]
    assert "quá hạn chưa gửi" in digest.subject
    assert f"{submission.agency.name}: Quý I/2024, hạn 20/03/2024" in digest.body
    assert "Quý II/2024" not in digest.body  # not due yet
    assert ("ubnd@bacgiang.gov.vn",) in by_recipient
    overdue = by_recipient[("canbo@skhdt.bacgiang.gov.vn", "skhdt@bacgiang.gov.vn")]
    assert overdue.subject.startswith("[Cổng DTI] Quá hạn gửi báo cáo Quý I/2024")
    assert send(date(2024, 3, 24), run="next-day").claimed[0].kind == ReminderKind.DIGEST  # digests are daily


def test_one_smtp_connection_per_run(submission, addresses, department, province, dic_user, monkeypatch):
    from django.core.mail import get_connection as real_get_connection

    from tests.factories import AgencyFactory, reporting_setup

    other = AgencyFactory(parent=province, code="BG.KHAC", email="khac@bacgiang.gov.vn")
    reporting_setup(province, other, dic_user, code_prefix="BG.KHAC")
    opened = []

    def counting(*args, **kwargs):
        opened.append(1)
        return real_get_connection(*args, **kwargs)

    monkeypatch.setattr("reporting.services.reminders.mail.get_connection", counting)
    report = send(WEEK_BEFORE)
    assert report.sent == 2 and len(opened) == 1


def test_a_dry_run_writes_and_sends_nothing(submission, addresses, capsys):
    call_command("send_reminders", "--today", "2024-03-13", "--dry-run")
    out = capsys.readouterr().out
    assert "dry run: 1 reminders decided, nothing sent" in out
    assert not ReminderLog.objects.exists() and mail.outbox == []
    call_command("send_reminders", "--today", "2024-03-13")
    assert "1 decided, 1 new, 1 emails sent" in capsys.readouterr().out


def test_the_log_is_shown_to_the_dic(client, submission, addresses, dic_user, staff_user):
    from django.urls import reverse

    send(WEEK_BEFORE)
    client.force_login(dic_user)
    page = client.get(reverse("reporting:reminder-log")).content.decode()
    assert "Nhắc trước hạn" in page and "canbo@skhdt.bacgiang.gov.vn" in page
    client.force_login(staff_user)
    assert client.get(reverse("reporting:reminder-log")).status_code == 403


def test_an_agency_without_an_address_is_logged_not_mailed(submission):
    report = send(WEEK_BEFORE)
    assert report.sent == 0 and ReminderLog.objects.get().recipients == ""
    assert Submission.objects.count() == 5


def test_what_is_still_missing_follows_each_measure_type(submission, staff_user):
    """A rate with only its numerator is still missing; a milestone answered "not done"
    (no date needed) and a rate of 0/0 are answered."""
    from reporting.services.reminders import _missing_values

    rows = {v.indicator.measure_type: v for v in submission.values.select_related("indicator")}
    services.submission_save(
        submission=submission,
        actor=staff_user,
        version=1,
        values={
            rows["rate"].pk: {"numerator": 5},
            rows["ratio"].pk: {"numerator": 0, "denominator": 0},
            rows["milestone"].pk: {"is_done": False},
            rows["count"].pk: {"value": 0},
        },
    )
    missing = [line.split(" — ")[0] for line in _missing_values([submission.pk])[submission.pk]]
    assert missing == ["BG.AMOUNT", "BG.RATE", "BG.TEXT", "BG.YES_NO"]


@pytest.mark.parametrize(
    ("today", "scheduled"),
    [
        (12, None),  # eight days before the 20th: nothing yet
        (13, 13),
        (16, 13),
        (17, 17),
        (18, 17),
        (19, 19),
        (20, 20),
        (22, 20),
        (23, 23),  # overdue every three days: the 23rd, the 26th …
        (25, 23),
        (26, 26),
    ],
)
def test_the_latest_scheduled_reminder_day(today, scheduled):
    from reporting.calendar import reminder_last_scheduled

    found = reminder_last_scheduled(
        date(2024, 3, 20), date(2024, 3, today), days_before=(7, 3, 1), overdue_every=3
    )
    assert found == (date(2024, 3, scheduled) if scheduled else None)
