"""Bodies that do not report themselves (the province's enterprises, households, bank
branches): another agency, their collector, enters their figures in its own reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from assignments.models import ReportingObligation
from dti_portal.errors import DomainError, PermissionDenied
from dti_portal.history import history_by
from indicators.access import agency_write_problem
from indicators.models import Agency

from ..access import log_refusal, may_review_province
from ..choices import PeriodState, SubmissionStatus
from ..models import Evidence, IndicatorValue, ReportingPeriod, Submission, SubmissionEvent, TaskProgress
from .workflow import submissions_prepare


@dataclass(frozen=True)
class CollectorSet:
    """What ``agency_collector_set`` did: the years whose obligations moved to the
    collector, the years left with the body because it had begun reporting them, and
    how many of the body's untouched reports were removed."""

    agency: Agency
    moved_years: list[int] = field(default_factory=list)
    kept_years: list[int] = field(default_factory=list)
    reports_removed: int = 0


@transaction.atomic
def agency_collector_set(*, agency: Agency, collector: Agency | None, actor: User) -> CollectorSet:
    """Record that ``collector`` collects and enters the figures of ``agency``, a body
    that does not report itself (``Agency.reported_by``); with ``collector`` None, that
    the body reports itself again.

    With a collector, the body's reporting obligations move to the collector year by
    year, with its reports nobody has begun (drafts never saved or sent, without
    events): those are removed, and the collector's reports of the open periods get the
    rows (``submissions_prepare``). A year in which the body has begun a report stays
    as it is and is named in the result: what was entered is never moved or lost. The
    body keeps its roles (lead, coordinating): the roll-up counts the collector's figure
    as the lead's. With None, obligations stay where they are (the DIC assigns the body
    anew).

    Callers: DIC officers of the body's province and administrators (``PermissionDenied``
    otherwise). ``DomainError`` when the collector is not an active agency of the same
    province that reports itself (``Agency.clean``). Atomic; the body's row is written with its history.
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
    if collector is None:
        return CollectorSet(agency=agency)

    # Untouched: a draft never saved or sent, with no event and no evidence.
    untouched_q = (
        Q(status=SubmissionStatus.DRAFT, last_saved_at__isnull=True, submitted_at__isnull=True)
        & ~Exists(SubmissionEvent.objects.filter(submission=OuterRef("pk")))
        & ~Exists(Evidence.objects.filter(value__submission=OuterRef("pk")))
    )
    reports = Submission.objects.filter(agency=agency).select_related("period")
    untouched = list(reports.filter(untouched_q))
    begun_years = set(
        reports.exclude(pk__in=[r.pk for r in untouched]).values_list("period__year", flat=True)
    )
    untouched = [r for r in untouched if r.period.year not in begun_years]

    obligations = ReportingObligation.objects.filter(agency=agency)
    years = sorted(set(obligations.values_list("year", flat=True)) | {r.period.year for r in untouched})
    moved = [year for year in years if year not in begun_years]
    for year in moved:
        have = set(
            ReportingObligation.objects.filter(agency=collector, year=year).values_list(
                "indicator_id", flat=True
            )
        )
        for obligation in obligations.filter(year=year):
            if obligation.indicator_id not in have:
                moved_to = ReportingObligation(
                    indicator_id=obligation.indicator_id, agency=collector, year=year
                )
                history_by(moved_to, actor)
                moved_to.save()
            history_by(obligation, actor)
            obligation.delete()
    ids = [r.pk for r in untouched]
    IndicatorValue.objects.filter(submission_id__in=ids).delete()
    TaskProgress.objects.filter(submission_id__in=ids).delete()
    Submission.objects.filter(pk__in=ids).delete()
    for period in ReportingPeriod.objects.filter(
        province_id=agency.province_id, year__in=moved, state=PeriodState.OPEN
    ):
        submissions_prepare(period=period)
    return CollectorSet(
        agency=agency,
        moved_years=moved,
        kept_years=sorted(begun_years),
        reports_removed=len(ids),
    )
