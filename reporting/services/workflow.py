"""Writes of the reporting workflow. Views, admin actions, uploads and tasks call
these; nothing else assigns a submission's status or changes its values.

Every service is atomic, locks the submission row (``select_for_update``) before it
reads the status, checks the actor's rights and the transition table
(``choices.ALLOWED_TRANSITIONS``), writes an event row for every status change, and
raises a ``DomainError`` a user can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from assignments.choices import AssignmentRole, Role
from assignments.models import IndicatorAssignment, ReportingObligation, TaskAssignment
from assignments.services import obligations_assign
from dti_portal.errors import Conflict, DomainError, PermissionDenied
from dti_portal.history import history_by
from indicators import measures
from indicators.access import user_province_id, user_sees_all_provinces
from indicators.choices import CalendarScope, Frequency
from indicators.institutions import Institution
from indicators.models import Agency, Plan, existing_q
from indicators.selectors import institution_names
from indicators.text import clean_text

from ..access import log_refusal, may_edit, may_review, may_review_province, may_take
from ..calendar import Calendar, period_dates
from ..choices import (
    ALLOWED_TRANSITIONS,
    EDITABLE,
    Action,
    NotificationKind,
    PeriodState,
    RollupTrigger,
    SubmissionStatus,
)
from ..evidence import download_name
from ..models import (
    ChangeCount,
    Evidence,
    IndicatorValue,
    Notification,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    TaskProgress,
)
from ..rollup.services import periods_affected_by, rollup_request
from ..selectors.submissions import previous_figures
from ..tasks import enqueue_on_commit, send_event_email
from ..validation import task_problems

__all__ = [
    "EvidenceUpload",
    "PeriodsReport",
    "StaleVersion",
    "SubmissionInvalid",
    "TASK_FIELDS",
    "VALUE_FIELDS",
    "agency_due_dates",
    "event_recipients",
    "evidence_delete",
    "evidence_describe",
    "notifications_mark_read",
    "obligations_assign_and_prepare",
    "period_set_state",
    "periods_open",
    "province_calendars",
    "submission_approve",
    "submission_deadlines_refresh",
    "submission_problems",
    "submission_reopen",
    "submission_return",
    "submission_save",
    "submission_submit",
    "submissions_prepare",
]

VALUE_FIELDS = (*measures.VALUE_FIELDS, "note")
TASK_FIELDS = ("status", "note")


class StaleVersion(Conflict):
    """Someone saved the submission after the actor read it (optimistic locking): the
    actor's change is refused so that it overwrites nothing."""

    code = "stale_version"


class SubmissionInvalid(DomainError):
    """Submitting found incomplete or implausible values: ``problems`` maps a value's
    (``v<id>``) or a task line's (``t<id>``) key to ``{field: message}``."""

    code = "submission_invalid"

    def __init__(self, message: str, *, problems: dict):
        super().__init__(message, details=[m for fields in problems.values() for m in fields.values()])
        self.problems = problems


# -- periods ------------------------------------------------------------------------


@dataclass
class PeriodsReport:
    created: list[ReportingPeriod] = field(default_factory=list)
    existing: list[ReportingPeriod] = field(default_factory=list)
    submissions_created: int = 0
    used_default_calendar: bool = False


def province_calendars(*, province: Agency, year: int) -> list[Calendar]:
    """The calendars of the province's plans in force that address every agency (a
    plan's calendar for its own units, ``CalendarScope.OWN_UNITS``, is left out)."""
    plans = Plan.objects.filter(
        province=province, year_from__lte=year, year_to__gte=year, calendar_scope=CalendarScope.PROVINCE
    )
    return [_calendar(p) for p in plans if p.quarterly_due_day or p.yearly_due]


def _calendar(plan: Plan) -> Calendar:
    return Calendar(plan.quarterly_due_day, plan.quarterly_compile_day, plan.yearly_due, plan.yearly_compile)


def agency_due_dates(*, period: ReportingPeriod, agency_ids) -> dict[int, date]:
    """Each agency's due date in ``period`` where it differs from the period's: the
    strictest among the calendars of the plans that oblige it that year (the plans of
    the indicators it leads or coordinates, and of the tasks it leads), whatever their
    scope. An agency no such plan gives a date for keeps the period's. When the DIC has
    moved the period's date past what the calendars give (an extension), no agency is
    due before it. Four queries."""
    year = period.year
    default = Calendar(**settings.REPORTING_DEFAULT_CALENDAR)
    by_calendar = period_dates(
        year, period.quarter, province_calendars(province=period.province, year=year), default
    ).due_on
    extended = period.due_on > by_calendar
    plans: dict[int, set[int]] = {}
    for agency_id, plan_id in (
        IndicatorAssignment.objects.filter(
            agency_id__in=list(agency_ids),
            year=year,
            role__in=[AssignmentRole.LEAD, AssignmentRole.COORDINATING],
            indicator__frequency=Frequency.YEARLY if period.is_yearly else Frequency.QUARTERLY,
        )
        .values_list("agency_id", "plan_id")
        .distinct()
    ):
        plans.setdefault(agency_id, set()).add(plan_id)
    for agency_id, plan_id in (
        TaskAssignment.objects.filter(
            agency_id__in=list(agency_ids),
            role=AssignmentRole.LEAD,
        )
        .filter(_task_active_in(year))
        .values_list("agency_id", "task__plan_id")
        .distinct()
    ):
        plans.setdefault(agency_id, set()).add(plan_id)
    calendars = {
        p.pk: _calendar(p) for p in Plan.objects.filter(pk__in={i for ids in plans.values() for i in ids})
    }
    due = {}
    for agency_id, plan_ids in plans.items():
        own = [calendars[i] for i in plan_ids]
        own = [c for c in own if (c.yearly_due if period.is_yearly else c.quarterly_due_day)]
        if not own:
            continue
        own_due = period_dates(year, period.quarter, own, default).due_on
        own_due = max(own_due, period.opens_on, period.due_on if extended else own_due)
        if own_due != period.due_on:
            due[agency_id] = own_due
    return due


def submission_deadlines_refresh(*, period: ReportingPeriod) -> int:
    """Set the due date of each of the period's reports not yet sent by the calendars of
    the plans that oblige its agency now (``agency_due_dates``): after the period's
    dates are changed, or an agency is given a role. Reports already sent keep the date
    they were judged on time against. Idempotent; returns how many changed."""
    pending = list(period.submissions.filter(submitted_at__isnull=True, status__in=EDITABLE))
    if not pending:
        return 0
    due = agency_due_dates(period=period, agency_ids=[s.agency_id for s in pending])
    changed = [s for s in pending if s.due_on != due.get(s.agency_id)]
    for submission in changed:
        submission.due_on = due.get(submission.agency_id)
    Submission.objects.bulk_update(changed, ["due_on"])
    return len(changed)


@transaction.atomic
def periods_open(*, province: Agency, year: int, actor: User) -> PeriodsReport:
    """Create the four quarters and the year of ``province`` for ``year`` with the
    dates of its plans' calendars, and prepare every submission they need.

    Idempotent: periods that exist keep their (perhaps hand-adjusted) dates and state;
    only what is missing is added. Callers: DIC officers and administrators.
    """
    _require_reviewer_of(actor, province)
    calendars = province_calendars(province=province, year=year)
    default = Calendar(**settings.REPORTING_DEFAULT_CALENDAR)
    report = PeriodsReport(used_default_calendar=not calendars)
    for quarter in (1, 2, 3, 4, None):
        period = ReportingPeriod.objects.filter(province=province, year=year, quarter=quarter).first()
        if period is None:
            dates = period_dates(year, quarter, calendars, default)
            period = ReportingPeriod(
                province=province,
                year=year,
                quarter=quarter,
                opens_on=dates.opens_on,
                due_on=dates.due_on,
                compile_on=dates.compile_on,
            )
            period.full_clean()
            history_by(period, actor)
            period.save()
            report.created.append(period)
        else:
            report.existing.append(period)
        report.submissions_created += submissions_prepare(period=period)
    return report


def _require_reviewer_of(actor: User, province: Agency) -> None:
    if not may_review_province(actor) or not (
        user_sees_all_provinces(actor) or user_province_id(actor) == province.pk
    ):
        log_refusal(actor, "periods_open", province)
        raise PermissionDenied(
            _("Chỉ cán bộ %(dic)s của tỉnh mới được mở kỳ báo cáo.") % {"dic": _dic(province.pk).short_name}
        )


@transaction.atomic
def period_set_state(*, period: ReportingPeriod, state: PeriodState, actor: User) -> ReportingPeriod:
    """Close or reopen a period for entry. Callers: DIC officers, administrators."""
    _require_reviewer_of(actor, period.province)
    period.state = state
    history_by(period, actor)
    period.save(update_fields=["state"])
    return period


def submissions_prepare(*, period: ReportingPeriod) -> int:
    """Give every agency that must report in ``period`` its submission, with a value
    row for each indicator it must report and a progress row for each task it leads.

    A quarter holds the quarterly indicators, the year the yearly ones; tasks of the
    year appear in both. Every report not yet sent is due by the calendars of the plans
    that oblige its agency (``submission_deadlines_refresh``). Idempotent; submissions
    already submitted or approved are left as they are. Returns how many submissions
    were created.
    """
    frequency = Frequency.YEARLY if period.is_yearly else Frequency.QUARTERLY
    # Only the agencies that exist while the period is open (founded by its due date,
    # not ended before it opens) are asked to report.
    exists = existing_q(period.opens_on, period.due_on, "agency__")
    obligations = ReportingObligation.objects.filter(
        exists,
        indicator__province=period.province,
        year=period.year,
        indicator__frequency=frequency,
        agency__is_active=True,
    ).values_list("agency_id", "indicator_id")
    task_leads = (
        TaskAssignment.objects.filter(
            exists, task__plan__province=period.province, role=AssignmentRole.LEAD, agency__is_active=True
        )
        .filter(_task_active_in(period.year))
        .values_list("agency_id", "agency__reported_by_id", "task_id")
    )
    indicators_by_agency: dict[int, set[int]] = {}
    for agency_id, indicator_id in obligations:
        indicators_by_agency.setdefault(agency_id, set()).add(indicator_id)
    tasks_by_agency: dict[int, set[int]] = {}
    for agency_id, collector_id, task_id in task_leads:
        # A lead that does not report itself: its collector reports the task's progress.
        tasks_by_agency.setdefault(collector_id or agency_id, set()).add(task_id)

    agency_ids = set(indicators_by_agency) | set(tasks_by_agency)
    existing = {s.agency_id: s for s in period.submissions.filter(agency_id__in=agency_ids)}
    missing = sorted(agency_ids - set(existing))
    new = [Submission(agency_id=a, period=period) for a in missing]
    Submission.objects.bulk_create(new)
    submissions = {
        **existing,
        **{s.agency_id: s for s in period.submissions.filter(agency_id__in=agency_ids)},
    }
    open_ids = [s.pk for s in submissions.values() if s.status in EDITABLE]
    have_values = set(
        IndicatorValue.objects.filter(submission_id__in=open_ids).values_list("submission_id", "indicator_id")
    )
    have_tasks = set(
        TaskProgress.objects.filter(submission_id__in=open_ids).values_list("submission_id", "task_id")
    )
    values, progress = [], []
    for agency_id, submission in submissions.items():
        if submission.pk not in open_ids:
            continue
        values += [
            IndicatorValue(submission=submission, indicator_id=i)
            for i in sorted(indicators_by_agency.get(agency_id, ()))
            if (submission.pk, i) not in have_values
        ]
        progress += [
            TaskProgress(submission=submission, task_id=t)
            for t in sorted(tasks_by_agency.get(agency_id, ()))
            if (submission.pk, t) not in have_tasks
        ]
    IndicatorValue.objects.bulk_create(values)
    TaskProgress.objects.bulk_create(progress)
    submission_deadlines_refresh(period=period)
    return len(new)


@transaction.atomic
def obligations_assign_and_prepare(
    *, indicators, agencies, year: int, actor: User, role: AssignmentRole | None = None
):
    """Give ``indicators`` their reporting ``agencies`` for ``year`` (the catalogue's
    rule, ``assignments.services.obligations_assign``: who may, which agencies, roles)
    and, in the same transaction, the new obligations their value rows in the
    province's open periods of that year, as opening the year would have. Returns the
    assignment's result and (periods prepared, submissions created). Idempotent."""
    result = obligations_assign(indicators=indicators, agencies=agencies, year=year, actor=actor, role=role)
    if not result.created:
        return result, (0, 0)
    periods = list(
        ReportingPeriod.objects.filter(province=result.province, year=result.year, state=PeriodState.OPEN)
    )
    return result, (len(periods), sum(submissions_prepare(period=period) for period in periods))


def _task_active_in(year: int) -> Q:
    """A task is reported on in the years it runs: its own years if the plan states
    them, else its plan's years up to its deadline."""
    own = Q(task__year_from__isnull=False, task__year_from__lte=year) & (
        Q(task__year_to__isnull=True) | Q(task__year_to__gte=year)
    )
    by_plan = Q(
        task__year_from__isnull=True, task__plan__year_from__lte=year, task__plan__year_to__gte=year
    ) & (
        Q(task__deadline_date__isnull=True) | Q(task__deadline_date__year__gte=year) | Q(task__recurring=True)
    )
    return own | by_plan


# -- entering values -------------------------------------------------------------------


@dataclass
class EvidenceUpload:
    """A file or a link to attach to one value; files are checked by the form first."""

    value_id: int
    file: UploadedFile | None = None
    link: str = ""
    description: str = ""
    document_number: str = ""
    document_date: date | None = None
    issuer: str = ""


def _lock(submission: Submission) -> Submission:
    # Only the submission's row: locking its period would make every agency's save of
    # the period wait on one row.
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period", "agency", "last_saved_by")
        .get(pk=submission.pk)
    )


def _require_editable(locked: Submission, actor: User, what: str) -> None:
    if not may_edit(actor, locked):
        log_refusal(actor, what, locked, "not the submitting agency")
        raise PermissionDenied(_("Bạn không được nhập số liệu cho đơn vị này."))
    if locked.status == SubmissionStatus.APPROVED:
        log_refusal(actor, what, locked, "approved")
        raise Conflict(
            _("Báo cáo đã được phê duyệt nên không thể sửa. Nếu cần sửa, hãy đề nghị %(dic)s mở lại báo cáo.")
            % {"dic": _dic(locked.period.province_id).short_name}
        )
    if locked.status == SubmissionStatus.SUBMITTED:
        log_refusal(actor, what, locked, "submitted")
        raise Conflict(
            _("Báo cáo đã gửi và đang chờ %(dic)s duyệt nên không thể sửa.")
            % {"dic": _dic(locked.period.province_id).short_name}
        )
    if not locked.can_be_edited:
        log_refusal(actor, what, locked, "period closed")
        raise Conflict(
            _("Kỳ báo cáo đã đóng; liên hệ %(dic)s nếu cần bổ sung.")
            % {"dic": _dic(locked.period.province_id).short_name}
        )


def _dic(province_id: int) -> Institution:
    """The province's DIC as it is named today, for a message."""
    return institution_names(province_id=province_id).dic


def _require_version(locked: Submission, version: int | None, actor: User, what: str) -> None:
    """Refuse to act on a submission that changed since the actor read it (``version``
    as read; None when the caller has no version to offer, e.g. a management command)."""
    if version is None or version == locked.version:
        return
    log_refusal(actor, what, locked, f"stale version {version} != {locked.version}")
    raise StaleVersion(
        _(
            "Báo cáo vừa được %(user)s lưu lúc %(time)s, sau khi bạn mở trang. Thao tác của bạn "
            "chưa được thực hiện để không ghi đè lên của họ: hãy mở lại báo cáo rồi làm lại."
        )
        % {
            "user": locked.last_saved_by.get_full_name() or locked.last_saved_by.username
            if locked.last_saved_by
            else "?",
            "time": timezone.localtime(locked.last_saved_at).strftime("%H:%M %d/%m/%Y")
            if locked.last_saved_at
            else "?",
        },
    )


@transaction.atomic
def submission_save(
    *,
    submission: Submission,
    actor: User,
    version: int,
    values: dict[int, dict] | None = None,
    tasks: dict[int, dict] | None = None,
    evidence: list[EvidenceUpload] | None = None,
) -> Submission:
    """Save what the agency typed, as a draft: ``values`` maps an ``IndicatorValue``
    id to its fields (``VALUE_FIELDS``), ``tasks`` a ``TaskProgress`` id to its fields.

    Refused unless ``actor`` may edit the submission, it is in an editable state, and
    ``version`` is the version the actor started from (nothing is overwritten when
    someone saved in between). A returned submission becomes a draft again. Only
    fields that changed are written, each change kept in the value's history.
    """
    locked = _lock(submission)
    _require_editable(locked, actor, "submission_save")
    _require_version(locked, version, actor, "submission_save")
    if locked.status == SubmissionStatus.RETURNED:
        _move(locked, actor, Action.REVISE, comment="")
    _refuse_stray_fields(locked, values or {})
    _write_rows(IndicatorValue, locked.values.all(), values or {}, VALUE_FIELDS, actor)
    _write_rows(TaskProgress, locked.task_progress.all(), tasks or {}, TASK_FIELDS, actor)
    stored: list[Evidence] = []
    try:
        _attach_evidence(locked, evidence or [], actor, stored)
        locked.version += 1
        locked.last_saved_at = timezone.now()
        locked.last_saved_by = actor
        history_by(locked, actor)
        locked.save()
    except Exception:
        # The rows roll back with the transaction; the files written so far must go too.
        for item in stored:
            item.file.delete(save=False)
        raise
    return locked


def _refuse_stray_fields(submission: Submission, values: dict[int, dict]) -> None:
    """Each value keeps only its measure type's fields (and a note): a count sent with
    a numerator, or a rate with a ``value``, is refused whole, naming the field."""
    if not values:
        return
    indicators = dict(
        submission.values.filter(pk__in=list(values)).values_list("pk", "indicator__measure_type")
    )
    problems = {}
    for pk, data in values.items():
        if pk not in indicators:
            continue  # unknown rows are refused by _write_rows
        measure = measures.MEASURES[indicators[pk]]
        stray = sorted(set(data) - {*measure.fields, "note"})
        if stray:
            problems[f"v{pk}"] = {
                name: _("Chỉ tiêu loại “%(measure)s” không có trường “%(field)s”; hãy gửi %(fields)s.")
                % {"measure": measure.type.label, "field": name, "fields": ", ".join(measure.fields)}
                for name in stray
            }
    if problems:
        raise SubmissionInvalid(_("Có trường không thuộc loại số liệu của chỉ tiêu."), problems=problems)


def _write_rows(model, queryset, changes: dict[int, dict], fields: tuple[str, ...], actor: User) -> None:
    if not changes:
        return
    rows = {row.pk: row for row in queryset.filter(pk__in=list(changes))}
    unknown = set(changes) - set(rows)
    if unknown:
        raise DomainError(_("Có dòng số liệu không thuộc báo cáo này."), code="unknown_row")
    changed, changed_fields = [], set()
    for pk, data in changes.items():
        row = rows[pk]
        data = {name: clean_text(value) if isinstance(value, str) else value for name, value in data.items()}
        diff = {name: value for name, value in data.items() if name in fields and getattr(row, name) != value}
        if diff:
            for name, value in diff.items():
                setattr(row, name, value)
            changed.append(row)
            changed_fields |= set(diff)
    if changed:
        bulk_update_with_history(changed, model, sorted(changed_fields), default_user=actor)


def _attach_evidence(
    submission: Submission, uploads: list[EvidenceUpload], actor: User, stored: list[Evidence]
) -> None:
    """Create the evidence rows, appending each to ``stored`` once its file is written."""
    if not uploads:
        return
    values = {row.pk: row for row in submission.values.all()}
    if any(upload.value_id not in values for upload in uploads):
        raise DomainError(_("Minh chứng phải gắn với một số liệu của báo cáo này."), code="unknown_row")
    for upload in uploads:
        _check_document(upload.document_number, upload.document_date, upload.issuer)
        values[upload.value_id].submission = submission  # for the file's folder, without a query
        evidence = Evidence(
            value=values[upload.value_id],
            link=upload.link,
            description=clean_text(upload.description),
            uploaded_by=actor,
            document_number=clean_text(upload.document_number),
            document_date=upload.document_date,
            issuer=clean_text(upload.issuer),
        )
        if upload.file is not None:
            name = upload.file.name or "minh-chung"
            evidence.content_type = getattr(upload.file, "portal_content_type", "")
            evidence.file_name = download_name(name, evidence.content_type)
            evidence.size = upload.file.size or 0
            evidence.file.save(name, upload.file, save=False)
            stored.append(evidence)
        history_by(evidence, actor)
        evidence.save()


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: User) -> None:
    """Remove a document from a value of an editable submission (its file stays on
    disk for the history)."""
    locked = _lock(evidence.value.submission)
    _require_editable(locked, actor, "evidence_delete")
    history_by(evidence, actor)
    evidence.delete()
    locked.version += 1
    locked.save(update_fields=["version"])


def _check_document(document_number: str, document_date: date | None, issuer: str) -> None:
    if document_date and document_date > timezone.localdate():
        raise DomainError(_("Ngày ban hành không được sau hôm nay."), code="invalid_document")
    if len(document_number) > 60 or len(issuer) > 200:
        raise DomainError(
            _("Số, ký hiệu văn bản tối đa 60 ký tự; cơ quan ban hành tối đa 200 ký tự."),
            code="invalid_document",
        )


@transaction.atomic
def evidence_describe(
    *,
    evidence: Evidence,
    actor: User,
    document_number: str = "",
    document_date: date | None = None,
    issuer: str = "",
    description: str = "",
) -> Evidence:
    """Say which document an evidence is: number, date, issuer, description. The
    submitting agency may while its report is editable; the province's DIC at any
    time, an approved report included, since this describes the proof and changes no
    figure (kept in the evidence's history, with who changed it)."""
    locked = _lock(evidence.value.submission)
    if not (may_review(actor, locked) or (may_edit(actor, locked) and locked.can_be_edited)):
        log_refusal(
            actor, "evidence_describe", evidence, "not the agency of an editable report nor its reviewer"
        )
        raise PermissionDenied(_("Bạn không được sửa thông tin của minh chứng này."))
    document_number, issuer, description = (
        clean_text(text) for text in (document_number, issuer, description)
    )
    _check_document(document_number, document_date, issuer)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    evidence.document_number, evidence.document_date, evidence.issuer = document_number, document_date, issuer
    evidence.description = description
    history_by(evidence, actor)
    evidence.save(update_fields=["document_number", "document_date", "issuer", "description"])
    return evidence


# -- the workflow --------------------------------------------------------------------


def _move(locked: Submission, actor: User, action: Action, *, comment: str) -> SubmissionEvent:
    """Apply ``action`` to a locked submission: check the transition table and the
    actor's rights, set the status, write the event. Call inside a transaction."""
    comment = clean_text(comment)
    transition = ALLOWED_TRANSITIONS[action]
    if not may_take(actor, locked, transition):
        log_refusal(actor, action, locked, "role or agency")
        raise PermissionDenied(
            _("Bạn không có quyền %(action)s báo cáo này.") % {"action": action.label.lower()}
        )
    if locked.status != transition.source:
        log_refusal(actor, action, locked, f"status {locked.status}")
        raise Conflict(
            _("Không thể %(action)s: báo cáo đang ở trạng thái “%(status)s”.")
            % {"action": action.label.lower(), "status": locked.get_status_display()}
        )
    if transition.needs_comment and not comment.strip():
        raise DomainError(_("Hãy ghi rõ lý do."), code="comment_required")
    event = SubmissionEvent.objects.create(
        submission=locked,
        actor=actor,
        action=action,
        from_status=locked.status,
        to_status=transition.target,
        comment=comment.strip(),
    )
    locked.status = transition.target
    return event


@transaction.atomic
def submission_submit(*, submission: Submission, actor: User, version: int | None = None) -> Submission:
    """Send a draft to the DIC. Every value must be complete and plausible
    (``validation.figure_problems``), else ``SubmissionInvalid`` lists the problems
    and nothing changes. Callers: the submitting agency's staff, administrators."""
    locked = _lock(submission)
    _require_editable(locked, actor, "submission_submit")
    _require_version(locked, version, actor, "submission_submit")
    problems = submission_problems(submission=locked)
    if problems:
        raise SubmissionInvalid(
            _("Báo cáo chưa gửi được: còn %(count)s chỗ cần sửa (xem thông báo bên cạnh từng ô).")
            % {"count": sum(len(fields) for fields in problems.values())},
            problems=problems,
        )
    if locked.status == SubmissionStatus.RETURNED:
        _move(locked, actor, Action.REVISE, comment="")
    event = _move(locked, actor, Action.SUBMIT, comment="")
    locked.submitted_at = timezone.now()
    return _finish(locked, actor, event)


def submission_problems(*, submission: Submission) -> dict[str, dict[str, str]]:
    """Every problem that stops ``submission`` from being submitted, keyed by
    ``v<id>`` (a value) or ``t<id>`` (a task line)."""
    values = list(submission.values.select_related("indicator"))
    previous = previous_figures(submission=submission)
    problems = {}
    for row in values:
        found = measures.value_problems(
            row.indicator, measures.Reported.of(row), previous=previous.get(row.indicator_id)
        )
        if found:
            problems[f"v{row.pk}"] = found
    for line in submission.task_progress.all():
        found = task_problems(line.status, line.note)
        if found:
            problems[f"t{line.pk}"] = found
    return problems


@transaction.atomic
def submission_return(
    *,
    submission: Submission,
    actor: User,
    comment: str,
    value_comments: dict[int, str] | None = None,
    version: int | None = None,
) -> Submission:
    """Send a submitted report back to its agency with an overall comment and
    comments on single values. Callers: DIC officers of the province, administrators."""
    locked = _lock(submission)
    event = _move(locked, actor, Action.RETURN, comment=comment)
    _require_version(locked, version, actor, "submission_return")
    locked.review_comment = clean_text(comment).strip()
    rows = list(locked.values.all())
    unknown = set(value_comments or {}) - {row.pk for row in rows}
    if unknown:
        raise DomainError(_("Có ý kiến gắn với số liệu không thuộc báo cáo này."), code="unknown_row")
    # Only comments that change are written, so the value history stays readable.
    commented = []
    for row in rows:
        comment = clean_text((value_comments or {}).get(row.pk, "")).strip()
        if row.review_comment != comment:
            row.review_comment = comment
            commented.append(row)
    if commented:
        bulk_update_with_history(commented, IndicatorValue, ["review_comment"], default_user=actor)
    return _finish(locked, actor, event)


@transaction.atomic
def submission_approve(*, submission: Submission, actor: User, version: int | None = None) -> Submission:
    """Approve a submitted report: from now on it is read-only for everyone, and the
    province roll-up of its period (and year) is requested after commit.
    Callers: DIC officers of the province, administrators."""
    approved = _approve(submission, actor, version)
    _count_approved_change()
    return approved


def _approve(submission: Submission, actor: User, version: int | None) -> Submission:
    """``submission_approve`` but for the count of approvals, which the caller adds
    last in its transaction. Call inside a transaction."""
    locked = _lock(submission)
    if settings.REPORTING_FOUR_EYES and _entered_by(locked, actor):
        log_refusal(actor, Action.APPROVE, locked, "four eyes")
        raise PermissionDenied(
            _("Bạn đã nhập hoặc gửi báo cáo này nên không được tự duyệt: hãy nhờ một cán bộ khác duyệt."),
            code="four_eyes",
        )
    event = _move(locked, actor, Action.APPROVE, comment="")
    _require_version(locked, version, actor, "submission_approve")
    locked.approved_at = timezone.now()
    locked.approved_by = actor
    locked.review_comment = ""
    # The DIC's remarks on single values are settled by approving; they stay in history.
    settled = [row for row in locked.values.exclude(review_comment="")]
    for row in settled:
        row.review_comment = ""
    if settled:
        bulk_update_with_history(settled, IndicatorValue, ["review_comment"], default_user=actor)
    _finish(locked, actor, event)
    _request_rollup(locked, RollupTrigger.APPROVAL)
    return locked


@transaction.atomic
def submissions_approve(*, items: list[tuple[Submission, int]], actor: User) -> list[Submission]:
    """Approve several submitted reports at once (the review queue's selection), each
    as ``submission_approve`` does: its checks, its event in the history, its
    notifications. All or none: a refusal undoes the approvals before it, and the error
    names the report and the reason."""
    approved = []
    for submission, version in items:
        try:
            approved.append(_approve(submission, actor, version))
        except DomainError as refused:
            refused.message = _("%(agency)s, %(period)s: %(reason)s Chưa báo cáo nào được duyệt.") % {
                "agency": submission.agency.name,
                "period": submission.period.name,
                "reason": refused.message,
            }
            raise
    # Once, after every approval's period locks: counted after each one, the count's
    # row (one for the country) would be held while the next waited for its periods,
    # and an approval elsewhere holding those periods would wait for the count.
    _count_approved_change()
    return approved


@transaction.atomic
def submission_reopen(
    *, submission: Submission, actor: User, reason: str, version: int | None = None
) -> Submission:
    """Reopen an approved report for correction; it goes back to its agency as
    returned, with ``reason`` (required). Callers: DIC officers, administrators."""
    locked = _lock(submission)
    event = _move(locked, actor, Action.REOPEN, comment=reason)
    _require_version(locked, version, actor, "submission_reopen")
    locked.approved_at = None
    locked.approved_by = None
    locked.review_comment = reason.strip()
    _finish(locked, actor, event)
    _request_rollup(locked, RollupTrigger.REOPEN)  # its figures leave the province's
    _count_approved_change()
    return locked


def _entered_by(submission: Submission, user: User) -> bool:
    """Whether ``user`` saved any of the report's values or submitted it."""
    return (
        submission.last_saved_by_id == user.pk
        or submission.events.filter(actor=user, action=Action.SUBMIT).exists()
        or IndicatorValue.history.filter(submission_id=submission.pk, history_user=user).exists()
        or TaskProgress.history.filter(submission_id=submission.pk, history_user=user).exists()
    )


def _request_rollup(locked: Submission, trigger: RollupTrigger) -> None:
    rollup_request(periods=periods_affected_by(locked.period), trigger=trigger)


def _count_approved_change() -> None:
    """Count an approval or a reopening, which change which values are approved, for
    the pages kept under them (``ChangeCount.APPROVED``): last in the step's
    transaction, after any wait for a period's lock, since the count's row stays
    locked until the commit."""
    ChangeCount.objects.add_one(ChangeCount.APPROVED)


def _finish(locked: Submission, actor: User, event: SubmissionEvent) -> Submission:
    locked.version += 1
    history_by(locked, actor)
    locked.save()
    _notify(event)
    return locked


# -- notifications ---------------------------------------------------------------------

_NOTIFY: dict[str, NotificationKind] = {
    Action.SUBMIT: NotificationKind.SUBMITTED,
    Action.RETURN: NotificationKind.RETURNED,
    Action.APPROVE: NotificationKind.APPROVED,
    Action.REOPEN: NotificationKind.REOPENED,
}


def event_recipients(event: SubmissionEvent):
    """Who hears of a step: the province's DIC officers when an agency submits, the
    agency's staff when the DIC returns, approves or reopens."""
    users = get_user_model().objects.filter(is_active=True)
    submission = event.submission
    if event.action == Action.SUBMIT:
        province = submission.period.province_id
        return (
            users.filter(groups__name=Role.DIC_OFFICER)
            .filter(Q(profile__agency__province_id=province) | Q(profile__agency_id=province))
            .distinct()
        )
    return users.filter(
        groups__name=Role.DEPARTMENT_STAFF, profile__agency_id=submission.agency_id
    ).distinct()


def _notify(event: SubmissionEvent) -> None:
    kind = _NOTIFY.get(event.action)
    if kind is None:
        return
    recipients = list(event_recipients(event).exclude(pk=event.actor_id))
    Notification.objects.bulk_create(
        Notification(recipient=user, event=event, kind=kind) for user in recipients
    )
    if recipients:
        enqueue_on_commit(send_event_email, args=[event.pk])


def event_emails_sweep() -> dict[str, int]:
    """Workflow steps of the last two days with a notification still unmailed ten
    minutes on (the task lost, the broker unreachable, SMTP down past the retries): their
    email task is enqueued again; it sends only what is unmarked."""
    now = timezone.now()
    events = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lt=now - timedelta(minutes=10),
            created_at__gte=now - timedelta(days=2),
        )
        .exclude(recipient__email="")
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in events:
        enqueue_on_commit(send_event_email, args=[event_id])
    return {"event_emails_enqueued": len(events)}


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all, or ``ids``) as read."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
