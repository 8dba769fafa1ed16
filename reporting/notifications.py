"""Email about workflow steps, in Vietnamese, sent over one SMTP connection."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from indicators.selectors import institution_names

from .models import Notification, SubmissionEvent


def event_email_send(*, event_id: int) -> int:
    """Send one email to each recipient of the event's notifications who has an
    address and has not been emailed yet. Safe to run twice: ``emailed_at`` marks
    each one sent, right after its send. Returns the number of emails sent."""
    event = SubmissionEvent.objects.select_related(
        "actor", "submission__agency", "submission__period__province"
    ).get(pk=event_id)
    pending = list(
        Notification.objects.filter(event=event, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    if not pending:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "event": event,
            "institutions": institution_names(province_id=event.submission.period.province_id),
            "submission": event.submission,
            "url": settings.PORTAL_BASE_URL.rstrip("/") + event.submission.get_absolute_url(),
        }
        subject = " ".join(render_to_string("reporting/email/event_subject.txt", context).split())
        body = render_to_string("reporting/email/event_body.txt", context)
    messages = [mail.EmailMessage(subject, body, to=[n.recipient.email]) for n in pending]
    return send_each_marked(messages, [Notification.objects.filter(pk=n.pk) for n in pending], "emailed_at")


def send_each_marked(messages: list[mail.EmailMessage], marks: list[QuerySet], field: str) -> int:
    """Send ``messages`` over one SMTP connection, setting ``field`` to now on the row
    of ``marks`` that goes with each right after that message is sent. A failure stops
    the batch with every email sent so far marked, so a retry or a redelivered task,
    which sends only unmarked rows, sends none twice. Returns the number sent."""
    sent = 0
    if not messages:
        return sent
    with mail.get_connection() as connection:
        for message, mark in zip(messages, marks, strict=True):
            if connection.send_messages([message]):
                mark.update(**{field: timezone.now()})
                sent += 1
    return sent
