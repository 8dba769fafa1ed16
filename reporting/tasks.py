"""Celery tasks of the reporting workflow: thin, by id, safe to run twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import notifications


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def send_event_email(event_id: int) -> int:
    """Email the people notified of one workflow step (``notifications.event_email_send``)."""
    return notifications.event_email_send(event_id=event_id)
