"""Bodies that do not report themselves (the province's enterprises, households, bank
branches): another agency, their collector, enters their figures in its own reports,
holding their reporting obligations on their behalf (``ReportingObligation.on_behalf_of``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from assignments.models import ReportingObligation
from assignments.services import obligation_clash
from dti_portal.errors import DomainError, PermissionDenied
from dti_portal.history import history_by
from indicators.access import agency_write_problem
from indicators.models import Agency

from ..access import log_refusal, may_review_province
from ..choices import EDITABLE, PeriodState, TaskStatus
from ..models import Evidence, IndicatorValue, ReportingPeriod, Submission, SubmissionEvent, TaskProgress
from .workflow import submissions_prepare

# A value row nobody has written in: no figure, no note, no evidence.
BLANK_VALUE = Q(
    numerator__isnull=True,
    denominator__isnull=True,
    value__isnull=True,
    is_done__isnull=True,
    done_on__isnull=True,
    text="",
    note="",
) & ~Exists(Evidence.objects.filter(value=OuterRef("pk")))


@dataclass(frozen=True)
class CollectorSet:
    """What ``agency_collector_set`` did: the years whose obligations moved to their new
    holder, the years left where they were because their holder had begun the figures,
    and how many of the body's own reports, left empty and untouched, were removed."""

    agency: Agency
    moved_years: list[int] = field(default_factory=list)
    kept_years: list[int] = field(default_factory=list)
    reports_removed: int = 0


@transaction.atomic
def agency_collector_set(*, agency: Agency, collector: Agency | None, actor: User) -> CollectorSet:
    """Record that ``collector`` collects and enters the figures of ``agency``, a body
    that does not report itself (``Agency.reported_by``); with ``collector`` None, that
    the body reports itself again.

    The obligations held for the body (its own, or a former collector's on its behalf)
    move to their new holder (the collector on the body's behalf, or the body), year by
    year, with their value rows: a year stays where it is, and is named in the result,
    when its holder has begun those figures (a figure, a note or evidence written, or the
    report sent): what was entered is never moved or lost. The body's own reports left
    empty and untouched are removed, and the open periods' reports of the new holder get
    the rows (``submissions_prepare``). The body keeps its roles (lead, coordinating): the
    roll-up counts the figure its holder enters as the lead's.

    Callers: DIC officers of the body's province and administrators (``PermissionDenied``
    otherwise). ``DomainError`` when the collector is not an active agency of the same
    province that reports itself (``Agency.clean``), or when the new holder already
    reports one of the indicators that year, for itself or for another body
    (``obligation_clash``): one report holds one figure per indicator. Atomic: the
    reports involved are locked before they are judged untouched, and an error writes
    nothing. Every row written or removed names ``actor`` in its history.
    """
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    problem = agency_write_problem(actor, agency)
    if problem or not may_review_province(actor):
        log_refusal(actor, "agency_collector_set", agency, "not a DIC officer of the province")
        raise PermissionDenied(problem or _("Chỉ cán bộ cơ quan đầu mối của tỉnh được đổi nơi nhập số liệu."))
    agency.reported_by = collector
    try:
        agency.full_clean(validate_unique=False)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code="invalid_collector") from error
    history_by(agency, actor)
    agency.save(update_fields=["reported_by"])

    holder, held_for = (collector, agency) if collector is not None else (agency, None)
    held = (
        ReportingObligation.objects.select_for_update()
        .filter(Q(agency=agency, on_behalf_of__isnull=True) | Q(on_behalf_of=agency))
        .exclude(agency=holder)
        .order_by("pk")
    )
    by_year: dict[int, list[ReportingObligation]] = defaultdict(list)
    for obligation in held:
        by_year[obligation.year].append(obligation)
    moved, kept = [], []
    for year, obligations in sorted(by_year.items()):
        rows = _value_rows(obligations, province_id=agency.province_id, year=year)
        if rows.exclude(BLANK_VALUE).exists() or rows.exclude(submission__status__in=EDITABLE).exists():
            kept.append(year)
            continue
        clashes = [
            clash
            for obligation in obligations
            if (
                clash := obligation_clash(
                    indicator_id=obligation.indicator_id, holder=holder, year=year, held_for=held_for
                )
            )
        ]
        if clashes:
            raise DomainError(" ".join(clashes), code="obligation_clash")
        for row in rows:
            history_by(row, actor)
            row.delete()
        for obligation in obligations:
            history_by(obligation, actor)
            obligation.delete()
            if not ReportingObligation.objects.filter(
                indicator_id=obligation.indicator_id, agency=holder, year=year
            ).exists():
                moved_to = ReportingObligation(
                    indicator_id=obligation.indicator_id, agency=holder, year=year, on_behalf_of=held_for
                )
                history_by(moved_to, actor)
                moved_to.save()
        moved.append(year)
    removed = _remove_empty_reports(agency=agency, years=moved, actor=actor) if collector is not None else 0
    for period in ReportingPeriod.objects.filter(
        province_id=agency.province_id, year__in=moved, state=PeriodState.OPEN
    ).order_by("pk"):
        submissions_prepare(period=period)
    return CollectorSet(agency=agency, moved_years=moved, kept_years=kept, reports_removed=removed)


def _value_rows(obligations: list[ReportingObligation], *, province_id: int | None, year: int):
    """The value rows of ``obligations`` in their holders' reports of ``year``, their
    reports locked (a save under way finishes first, then is judged)."""
    holders = {obligation.agency_id for obligation in obligations}
    reports = Submission.objects.select_for_update().filter(
        agency_id__in=holders, period__province_id=province_id, period__year=year
    )
    list(reports.order_by("pk").values_list("pk", flat=True))  # takes the locks, in id order
    wanted = Q()
    for obligation in obligations:
        wanted |= Q(submission__agency_id=obligation.agency_id, indicator_id=obligation.indicator_id)
    return IndicatorValue.objects.filter(wanted, submission__in=reports)


def _remove_empty_reports(*, agency: Agency, years: list[int], actor: User) -> int:
    """Remove the body's reports of ``years`` that hold no value any more, never sent
    (no event) and whose task lines nobody wrote in (still "not started", no note):
    those lines go with them."""
    blank_task = Q(status=TaskStatus.NOT_STARTED, note="")
    empty = (
        Submission.objects.filter(
            agency=agency, period__year__in=years, status__in=EDITABLE, submitted_at__isnull=True
        )
        .exclude(Exists(IndicatorValue.objects.filter(submission=OuterRef("pk"))))
        .exclude(Exists(SubmissionEvent.objects.filter(submission=OuterRef("pk"))))
        .exclude(Exists(TaskProgress.objects.filter(~blank_task, submission=OuterRef("pk"))))
    )
    removed = 0
    for report in empty.order_by("pk"):
        for line in report.task_progress.all():
            history_by(line, actor)
            line.delete()
        history_by(report, actor)
        report.delete()
        removed += 1
    return removed
