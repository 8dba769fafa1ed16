"""What the ministry's workbook holds for one period of one province: the figures
with their lead and coordinating agencies, a summary per pillar, every approved agency
value (streamed) and the tasks' progress. ``workbook.ministry_workbook`` writes it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone

from assignments.choices import AssignmentRole
from assignments.models import IndicatorAssignment
from dti_portal.collation import vietnamese
from indicators.institutions import Institutions
from indicators.models import Agency, Pillar
from indicators.selectors import institution_names, province_name

from ..choices import SubmissionStatus
from ..models import IndicatorValue, ProvinceFigure, ReportingPeriod, TaskProgress
from ..selectors.dashboards import task_progress

__all__ = ["MinistryReport", "ministry_report"]


@dataclass
class MinistryReport:
    """What the ministry's workbook holds for one period of one province."""

    province: Agency
    period: ReportingPeriod
    exported_at: object
    figures: list[ProvinceFigure]
    compiled_at: object
    summary: list[tuple[Pillar, dict[str, int]]]
    values: object  # an iterator of approved IndicatorValue rows, streamed
    tasks: list[TaskProgress]
    value_count: int
    institutions: Institutions  # who sends it and to whom, as named on the day of export
    province_name: str  # the province as named at the end of the period (thành phố Huế from 2025)


def ministry_report(*, period: ReportingPeriod) -> MinistryReport:
    """The period's figures with their lead and coordinating agencies, a summary per
    pillar, every approved agency value (streamed; for a year, its quarters' too) and
    the tasks' latest progress. A fixed number of queries."""
    figures = list(
        ProvinceFigure.objects.filter(period=period)
        .select_related("indicator__pillar", "target__plan", "period")
        .order_by("indicator__pillar__order", "indicator__code")
    )
    names: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for indicator_id, role, name in (
        IndicatorAssignment.objects.filter(
            indicator_id__in=[f.indicator_id for f in figures],
            year=period.year,
            role__in=[AssignmentRole.LEAD, AssignmentRole.COORDINATING],
        )
        .order_by(vietnamese("agency__name"))
        .values_list("indicator_id", "role", "agency__name")
        .distinct()
    ):
        names[indicator_id][role].append(name)
    summary: dict[int, tuple[Pillar, Counter]] = {}
    for figure in figures:
        if figure.target is not None:
            figure.target.indicator = figure.indicator
        figure.leads = names[figure.indicator_id][AssignmentRole.LEAD]
        figure.coordinating = names[figure.indicator_id][AssignmentRole.COORDINATING]
        pillar = figure.indicator.pillar
        summary.setdefault(pillar.pk, (pillar, Counter()))[1][figure.shown_status[0]] += 1
    periods = (
        ReportingPeriod.objects.filter(province_id=period.province_id, year=period.year)
        if period.quarter is None
        else ReportingPeriod.objects.filter(pk=period.pk)
    )
    approved = IndicatorValue.objects.filter(
        submission__period__in=periods, submission__status=SubmissionStatus.APPROVED
    )
    values = (
        approved.select_related("indicator", "submission__agency", "submission__period")
        .order_by(
            "submission__agency__kind",
            vietnamese("submission__agency__name"),
            "submission__period__quarter",
            "indicator__code",
        )
        .iterator(chunk_size=2000)
    )
    tasks = task_progress(
        province=period.province, year=period.year, up_to_quarter=period.quarter, approved_only=True
    )
    return MinistryReport(
        province=period.province,
        period=period,
        exported_at=timezone.localtime(),
        figures=figures,
        compiled_at=max((f.compiled_at for f in figures), default=None),
        summary=[(pillar, dict(counts)) for pillar, counts in summary.values()],
        values=values,
        tasks=tasks,
        value_count=approved.count(),
        institutions=institution_names(province_id=period.province_id),
        province_name=str(province_name(province=period.province, on=period.last_day).name),
    )
