"""Writes of the ``reporting`` app: the submission workflow, the roll-up, the
reminders and the exports. Views, the API, admin actions, commands and tasks call
these; nothing else assigns a status or writes a figure."""

from .compilation import (
    compile_province_rollup,
    periods_affected_by,
    rollup_request,
    rollup_run,
    rollups_request_all,
)
from .exports import (
    export_job_request,
    export_job_run,
)
from .reminders import (
    ReminderReport,
    reminders_send,
)
from .workflow import (
    TASK_FIELDS,
    VALUE_FIELDS,
    EvidenceUpload,
    PeriodsReport,
    StaleVersion,
    SubmissionInvalid,
    agency_due_dates,
    event_recipients,
    evidence_delete,
    evidence_describe,
    notifications_mark_read,
    obligations_assign_and_prepare,
    period_set_state,
    periods_open,
    province_calendars,
    submission_approve,
    submission_deadlines_refresh,
    submission_problems,
    submission_reopen,
    submission_return,
    submission_save,
    submission_submit,
    submissions_prepare,
)

__all__ = [
    "EvidenceUpload",
    "PeriodsReport",
    "ReminderReport",
    "StaleVersion",
    "SubmissionInvalid",
    "TASK_FIELDS",
    "VALUE_FIELDS",
    "agency_due_dates",
    "compile_province_rollup",
    "event_recipients",
    "evidence_delete",
    "evidence_describe",
    "export_job_request",
    "export_job_run",
    "notifications_mark_read",
    "obligations_assign_and_prepare",
    "period_set_state",
    "periods_affected_by",
    "periods_open",
    "province_calendars",
    "reminders_send",
    "rollup_request",
    "rollup_run",
    "rollups_request_all",
    "submission_approve",
    "submission_deadlines_refresh",
    "submission_problems",
    "submission_reopen",
    "submission_return",
    "submission_save",
    "submission_submit",
    "submissions_prepare",
]
