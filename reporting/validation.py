"""Checks of reported task progress. The checks of a reported value belong to its
measure type (``indicators.measures.value_problems``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import TaskStatus


def task_problems(status: str, note: str) -> dict[str, str]:
    if status == TaskStatus.LATE and not note.strip():
        return {"note": _("Nhiệm vụ chậm tiến độ: hãy ghi lý do.")}
    return {}
