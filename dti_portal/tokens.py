"""API tokens: issued for a username and password, valid ``API_TOKEN_DAYS`` days,
revoked by their user (DELETE /api/v1/token/), by an administrator (the admin's
token list) and at every change of the user's password."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token


def token_expires_at(token: Token) -> datetime:
    return token.created + timedelta(days=settings.API_TOKEN_DAYS)


def token_has_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


def token_issue(*, user) -> Token:
    """The user's token: the one they hold while it is valid, else a new one (a user
    holds at most one)."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_has_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def tokens_revoke(*, user) -> int:
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


def revoke_tokens_at_password_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save of the user model: a new password revokes the user's API token, as it
    ends their other sessions."""
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        tokens_revoke(user=instance)
