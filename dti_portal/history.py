"""Who a history row names. django-simple-history takes the user of the request in
progress; services are also called outside one (commands, tasks, the API's token
requests), so they name their actor on the instance before saving or deleting it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Model


def history_by(instance: Model, actor: User | None) -> None:
    """Name ``actor`` in the history row the next save or delete of ``instance`` writes."""
    instance._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
