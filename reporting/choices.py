"""Statuses of the reporting workflow, with its transitions written once as data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from assignments.choices import Role


class PeriodState(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


# The reporting agency may change values only in these states.
EDITABLE = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    LATE = "late", _("Chậm tiến độ")


class Action(models.TextChoices):
    """What moves a submission; each is one service in ``reporting.services``."""

    REVISE = "revise", _("Sửa lại báo cáo bị trả")
    SUBMIT = "submit", _("Gửi báo cáo")
    RETURN = "return", _("Trả lại để sửa")
    APPROVE = "approve", _("Phê duyệt")
    REOPEN = "reopen", _("Mở lại báo cáo đã duyệt")


@dataclass(frozen=True)
class Transition:
    action: Action
    source: SubmissionStatus
    target: SubmissionStatus
    roles: frozenset[Role]
    # Reporting roles act on their own agency's submission; reviewing roles on any
    # submission of their province.
    own_agency_only: bool
    needs_comment: bool = False


_REPORTERS = frozenset({Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR})
_REVIEWERS = frozenset({Role.DIC_OFFICER, Role.ADMINISTRATOR})

ALLOWED_TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.REVISE, SubmissionStatus.RETURNED, SubmissionStatus.DRAFT, _REPORTERS, True),
        Transition(Action.SUBMIT, SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED, _REPORTERS, True),
        Transition(Action.APPROVE, SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, _REVIEWERS, False),
        Transition(
            Action.RETURN,
            SubmissionStatus.SUBMITTED,
            SubmissionStatus.RETURNED,
            _REVIEWERS,
            False,
            needs_comment=True,
        ),
        Transition(
            Action.REOPEN,
            SubmissionStatus.APPROVED,
            SubmissionStatus.RETURNED,
            _REVIEWERS,
            False,
            needs_comment=True,
        ),
    )
}
# Who may type values into a submission (in an EDITABLE state): the same as who submits.
EDITORS = _REPORTERS
REVIEWERS = _REVIEWERS


class CellState(models.TextChoices):
    """A cell of the completeness grid: a submission's status, or what is missing."""

    NOT_STARTED = "not_started", _("Chưa nhập")
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Báo cáo được gửi")
    RETURNED = "returned", _("Báo cáo bị trả lại")
    APPROVED = "approved", _("Báo cáo được duyệt")
    REOPENED = "reopened", _("Báo cáo được mở lại")


class FigureStatus(models.TextChoices):
    """A province figure against its target; each has a word, never colour alone."""

    MET = "met", _("Đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    AT_RISK = "at_risk", _("Có nguy cơ không đạt")
    NOT_MET = "not_met", _("Không đạt")
    # A figure too thinly covered (below ``ROLLUP_COVERAGE_THRESHOLD``) or without a
    # target for its year: shown with its coverage, never called met or not met.
    INSUFFICIENT = "insufficient", _("Chưa đủ số liệu để đánh giá")
    NO_DATA = "no_data", _("Chưa có số liệu")


# Shown in place of "no data" for a figure no agency must report (not a stored status).
UNASSIGNED = "unassigned"
UNASSIGNED_LABEL = _("Chưa giao đơn vị báo cáo")
# The statuses as every page and the ministry workbook count them, in this order.
SHOWN_STATUSES = [
    *(
        (s.value, s.label)
        for s in (
            FigureStatus.MET,
            FigureStatus.ON_TRACK,
            FigureStatus.AT_RISK,
            FigureStatus.NOT_MET,
            FigureStatus.INSUFFICIENT,
            FigureStatus.NO_DATA,
        )
    ),
    (UNASSIGNED, UNASSIGNED_LABEL),
]
# Each shown status's colour, for the charts and the overview's bars; every page also
# writes the status's word or count beside it (never colour alone).
STATUS_COLOURS = {
    "met": "#198754",
    "on_track": "#20c997",
    "at_risk": "#ffc107",
    "not_met": "#dc3545",
    "insufficient": "#6c757d",
    "no_data": "#adb5bd",
    "unassigned": "#e9ecef",
}
# The shown statuses that pass no verdict: too thinly covered or without a target, no
# figure yet, nobody assigned to report ("chưa đủ số liệu" in the overview's ordering).
UNJUDGED_STATUSES = ("insufficient", "no_data", UNASSIGNED)


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Nhắc trước hạn")
    DUE = "due", _("Nhắc đúng hạn")
    OVERDUE = "overdue", _("Nhắc quá hạn")
    DIGEST = "digest", _("Tổng hợp đơn vị quá hạn")


class RollupTrigger(models.TextChoices):
    """Why a roll-up run was asked for."""

    APPROVAL = "approval", _("Duyệt báo cáo")
    REOPEN = "reopen", _("Mở lại báo cáo")
    MANUAL = "manual", _("Cơ quan đầu mối yêu cầu")
    NIGHTLY = "nightly", _("Định kỳ hằng đêm")
    COMMAND = "command", _("Lệnh quản trị")
    SWEEP = "sweep", _("Chạy lại lần lỗi hoặc bị bỏ dở")


class RollupState(models.TextChoices):
    PENDING = "pending", _("Chờ chạy")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")
