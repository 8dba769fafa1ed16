"""Deadline reminders: agencies that have not submitted hear of it before the due
date, on it, and every few days after; the DIC officers and the monitoring leads get a
daily digest of overdue agencies.

Exactly once: each reminder is a ``ReminderLog`` row whose key (agency, period, kind,
day) is unique in the database. A run inserts its rows in one transaction, tagged
with its run id, and sends only the rows it inserted itself; two runs at once insert
one row between them, so one email goes out. A retried run (same id) sends what it
claimed and has not sent yet; each email is marked sent right after its own send. The
claims of a run that died (unsent ``REMINDER_CLAIM_SECONDS`` after they were made) are
taken over by the next run of the day (the 14:00 catch-up).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from assignments.choices import AssignmentRole, Role
from assignments.models import IndicatorAssignment
from indicators import measures
from indicators.institutions import Institutions
from indicators.models import Agency, existing_q
from indicators.selectors import institution_names

from ..calendar import reminder_kind, reminder_last_scheduled
from ..choices import EDITABLE, PeriodState, ReminderKind
from ..models import IndicatorValue, ReminderLog, ReportingPeriod, Submission
from ..notifications import send_each_marked

__all__ = ["ReminderReport", "reminders_send"]


@dataclass
class ReminderReport:
    """What a run decided (``planned``), claimed as its own (``claimed``), and sent."""

    planned: list[ReminderLog] = field(default_factory=list)
    claimed: list[ReminderLog] = field(default_factory=list)
    sent: int = 0
    dry_run: bool = False


def reminders_send(*, today: date, run: str, dry_run: bool = False) -> ReminderReport:
    """Decide today's reminders and digests, claim them, and send the claimed ones
    over one SMTP connection. ``dry_run`` decides and reports without writing or
    sending. Idempotent per ``today``; see the module docstring."""
    plans = _agency_reminders(today, run) + _digests(today, run)
    report = ReminderReport(planned=plans, dry_run=dry_run)
    if dry_run:
        return report
    now = timezone.now()
    with transaction.atomic():
        ReminderLog.objects.bulk_create(plans, ignore_conflicts=True)
        # This run's own claims are renewed (a retry); a claim of a run that died long
        # ago (past the task's retries and time limits) is taken over, by one run only.
        unsent = ReminderLog.objects.filter(day=today, sent_at__isnull=True)
        unsent.filter(run=run).update(claimed_at=now)
        expired = now - timedelta(seconds=settings.REMINDER_CLAIM_SECONDS)
        unsent.exclude(run=run).filter(claimed_at__lt=expired).update(run=run, claimed_at=now)
        report.claimed = list(
            ReminderLog.objects.filter(run=run, day=today, sent_at__isnull=True).select_related(
                "agency", "period"
            )
        )
    report.sent = _send(report.claimed, {(p.agency_id, p.period_id, p.kind): p for p in plans})
    return report


def _recipients_by_agency(agency_ids, roles) -> dict[int, list[str]]:
    """Email addresses of each agency: its active users of ``roles`` and its own address."""
    addresses: dict[int, list[str]] = defaultdict(list)
    users = (
        get_user_model()
        .objects.filter(
            is_active=True, profile__agency_id__in=agency_ids, groups__name__in=[r.value for r in roles]
        )
        .exclude(email="")
        .values_list("profile__agency_id", "email")
        .distinct()
    )
    for agency_id, email in users:
        addresses[agency_id].append(email)
    for agency_id, email in (
        Agency.objects.filter(pk__in=agency_ids).exclude(email="").values_list("pk", "email")
    ):
        addresses[agency_id].append(email)
    return {agency_id: sorted(set(emails)) for agency_id, emails in addresses.items()}


def _open_periods(today: date):
    return ReportingPeriod.objects.filter(state=PeriodState.OPEN, opens_on__lte=today).select_related(
        "province"
    )


def _agency_reminders(today: date, run: str) -> list[ReminderLog]:
    """One reminder per agency whose submission of an open period is not sent and
    whose due date has called for one (``reminder_last_scheduled``) with none sent
    since: decided from the state of the day, so a day no run happened on is caught up
    by the next. Five queries whatever the number of agencies."""
    periods = {period.pk: period for period in _open_periods(today)}
    if not periods:
        return []
    last_sent = {
        (row["agency_id"], row["period_id"]): row["last"]
        # Done: sent, or logged for an agency without an address (nothing to send).
        for row in ReminderLog.objects.filter(period_id__in=list(periods))
        .filter(Q(sent_at__isnull=False) | Q(recipients=""))
        .exclude(kind=ReminderKind.DIGEST)
        .values("agency_id", "period_id")
        .annotate(last=Max("day"))
    }
    kinds = {}
    for submission in (
        Submission.objects.filter(period_id__in=list(periods), status__in=EDITABLE)
        .filter(existing_q(today, today, "agency__"))  # no reminder before or after an agency's life
        .select_related("agency")
    ):
        # Each agency by its own deadline: the calendars of the plans that oblige it.
        due_on = submission.due_on or periods[submission.period_id].due_on
        scheduled = reminder_last_scheduled(
            due_on,
            today,
            days_before=settings.REMINDER_DAYS_BEFORE,
            overdue_every=settings.REMINDER_OVERDUE_EVERY,
        )
        sent = last_sent.get((submission.agency_id, submission.period_id))
        if scheduled is not None and (sent is None or sent < scheduled):
            kinds[submission] = reminder_kind(due_on, today)
    pending = list(kinds)
    missing = _missing_values([s.pk for s in pending])
    recipients = _recipients_by_agency({s.agency_id for s in pending}, [Role.DEPARTMENT_STAFF])
    reminders = []
    for submission in pending:
        period, kind = periods[submission.period_id], kinds[submission]
        submission.period = period
        names = missing.get(submission.pk, [])
        reminders.append(
            ReminderLog(
                agency=submission.agency,
                period=period,
                province=period.province,
                kind=kind,
                day=today,
                run=run,
                recipients=", ".join(recipients.get(submission.agency_id, [])),
                summary=_summary(submission, names),
            )
        )
        reminders[-1].submission = submission
        reminders[-1].missing = names
    return reminders


def _missing_values(submission_ids) -> dict[int, list[str]]:
    """The indicators still not answered, as their measure types say, per submission."""
    missing = defaultdict(list)
    for submission_id, code, name in (
        IndicatorValue.objects.filter(submission_id__in=submission_ids)
        .filter(measures.unanswered_q())
        .order_by("indicator__code")
        .values_list("submission_id", "indicator__code", "indicator__name")
    ):
        missing[submission_id].append(f"{code} — {name}")
    return missing


def _summary(submission: Submission, missing: list[str]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(
            "%(period)s, trạng thái “%(status)s”, còn %(count)s chỉ tiêu chưa nhập"
        ) % {
            "period": submission.period.name,
            "status": submission.get_status_display(),
            "count": len(missing),
        }


def _digests(today: date, run: str) -> list[ReminderLog]:
    """One digest per recipient agency (each DIC officer's agency, each monitoring
    lead's agency) listing the overdue agencies it follows."""
    overdue = list(
        Submission.objects.filter(period__state=PeriodState.OPEN)
        .overdue(today)
        .select_related("agency", "period__province")
        .order_by(F("deadline_on"), "agency__code")
    )
    if not overdue:
        return []
    by_recipient: dict[int, list[Submission]] = defaultdict(list)
    province_of: dict[int, Agency] = {}
    dic_agencies = defaultdict(set)
    for agency_id, province_id, own_id in (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.DIC_OFFICER)
        .values_list("profile__agency_id", "profile__agency__province_id", "profile__agency_id")
        .distinct()
    ):
        if agency_id:
            dic_agencies[province_id or own_id].add(agency_id)
    for submission in overdue:
        province_id = submission.period.province_id
        for agency_id in dic_agencies.get(province_id, ()):
            by_recipient[agency_id].append(submission)
            province_of[agency_id] = submission.period.province
    # The monitoring leads of the overdue agencies' indicators, for the period's year.
    monitors = (
        IndicatorAssignment.objects.filter(
            role=AssignmentRole.MONITORING_LEAD,
            indicator__values__submission__in=[s.pk for s in overdue],
            year=F("indicator__values__submission__period__year"),
        )
        .values_list("agency_id", "indicator__values__submission_id")
        .distinct()
    )
    by_pk = {s.pk: s for s in overdue}
    for agency_id, submission_id in monitors:
        submission = by_pk[submission_id]
        if submission not in by_recipient[agency_id]:
            by_recipient[agency_id].append(submission)
            province_of[agency_id] = submission.period.province
    recipients = _recipients_by_agency(list(by_recipient), list(Role))
    agencies = Agency.objects.in_bulk(list(by_recipient))
    digests = []
    for agency_id, submissions in by_recipient.items():
        agency = agencies[agency_id]
        digest = ReminderLog(
            agency=agency,
            period=None,
            province=province_of[agency_id],
            kind=ReminderKind.DIGEST,
            day=today,
            run=run,
            recipients=", ".join(recipients.get(agency_id, [])),
            summary=", ".join(f"{s.agency.label} ({s.period.name})" for s in submissions)[:5000],
        )
        digest.overdue = submissions
        digests.append(digest)
    return digests


def _send(claimed: list[ReminderLog], plans: dict) -> int:
    """Send the claimed reminders over one connection, each marked sent right after its
    own send: an SMTP failure mid-batch leaves the rest unmarked for the retry, and the
    ones already sent are not sent again."""
    messages, sent_ids = [], []
    signers: dict[int, Institutions] = {}  # each province's DIC signs its emails
    with translation.override(settings.LANGUAGE_CODE):
        for log in claimed:
            if not log.recipients:
                continue
            plan = plans.get((log.agency_id, log.period_id, log.kind))
            if plan is None:
                continue  # decided by this run earlier, no longer due (e.g. submitted since)
            if log.province_id not in signers:
                signers[log.province_id] = institution_names(province_id=log.province_id, on=log.day)
            context = {
                "log": log,
                "plan": plan,
                "institutions": signers[log.province_id],
                "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
                "missing": getattr(plan, "missing", []),
                "overdue": getattr(plan, "overdue", []),
                "deadline": plan.submission.deadline if hasattr(plan, "submission") else None,
                "form_url": settings.PORTAL_BASE_URL.rstrip("/")
                + (
                    reverse("reporting:submission-edit", args=[plan.submission.pk])
                    if hasattr(plan, "submission")
                    else reverse("reporting:completeness")
                ),
            }
            template = "digest" if log.kind == ReminderKind.DIGEST else "reminder"
            subject = " ".join(render_to_string(f"reporting/email/{template}_subject.txt", context).split())
            body = render_to_string(f"reporting/email/{template}_body.txt", context)
            messages.append(mail.EmailMessage(subject, body, to=log.recipients.split(", ")))
            sent_ids.append(log.pk)
    return send_each_marked(messages, [ReminderLog.objects.filter(pk=pk) for pk in sent_ids], "sent_at")
