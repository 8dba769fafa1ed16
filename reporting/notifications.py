"""Email about workflow steps, in Vietnamese, sent over one SMTP connection."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from indicators.selectors import institution_names

from .models import Notification, SubmissionEvent


def event_email_send(*, event_id: int) -> int:
    """Send one email to each recipient of the event's notifications who has an
    address and has not been emailed yet. Safe to run twice: ``emailed_at`` marks
    those already sent. Returns the number of emails sent."""
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
    with mail.get_connection() as connection:
        sent = connection.send_messages(messages) or 0
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return sent
