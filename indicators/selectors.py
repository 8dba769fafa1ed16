"""Reads of the catalogue shared by pages, API and exports, always for a user: what
their province has and, read-only, what the provinces it continues had
(``readable_by``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .institutions import Institution, Institutions
from .models import Agency, Indicator, Plan, ProvinceInstitution, ProvinceScopedQuerySet, Target, Task

_M = TypeVar("_M", bound=Model)


def _get_for_user(queryset: ProvinceScopedQuerySet[_M], user, pk: int, message: str) -> _M:
    try:
        return queryset.readable_by(user).get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404(message) from None


def plan_list(*, user) -> QuerySet[Plan]:
    return (
        Plan.objects.readable_by(user)
        .select_related("province")
        .annotate(target_count=Count("targets", distinct=True), task_count=Count("tasks", distinct=True))
        .order_by("-year_from", "number")
    )


def plan_get_for_user(*, user, pk: int) -> Plan:
    return _get_for_user(Plan.objects.select_related("province"), user, pk, _("Không tìm thấy kế hoạch."))


@dataclass
class AssignmentSummary:
    """Who monitors, leads and coordinates one target."""

    monitoring: list = field(default_factory=list)
    lead: list = field(default_factory=list)
    coordinating: list = field(default_factory=list)


def _summaries(assignments) -> dict[tuple[int, int, int], AssignmentSummary]:
    summaries: dict[tuple[int, int, int], AssignmentSummary] = defaultdict(AssignmentSummary)
    for assignment in assignments:
        key = (assignment.plan_id, assignment.indicator_id, assignment.year)
        role = "monitoring" if assignment.role == "monitoring_lead" else assignment.role
        getattr(summaries[key], role).append(assignment)
    return summaries


def plan_targets_by_section(*, plan: Plan) -> list[tuple[str, list[Target]]]:
    """The plan's targets in its own sections, each with ``assignment`` attached."""
    targets = list(
        plan.targets.select_related("indicator__pillar").order_by(
            "year", "section", "indicator__pillar__order", "id"
        )
    )
    summaries = _summaries(
        plan.indicator_assignments.select_related("agency").order_by("role", "agency__code")
    )
    for target in targets:
        target.assignment = summaries[(target.plan_id, target.indicator_id, target.year)]
    return [(section, list(rows)) for section, rows in groupby(targets, key=lambda t: t.section)]


def indicator_list(*, user, filterset_class, data) -> tuple:
    queryset = Indicator.objects.readable_by(user).select_related("pillar", "province")
    filterset = filterset_class(data, queryset=queryset, user=user)
    return filterset, filterset.qs.annotate(target_count=Count("targets", distinct=True)).order_by(
        "pillar__order", "code"
    )


def indicator_get_for_user(*, user, pk: int) -> Indicator:
    return _get_for_user(
        Indicator.objects.select_related("pillar", "province"), user, pk, _("Không tìm thấy chỉ tiêu.")
    )


def indicator_targets(*, indicator: Indicator) -> list[Target]:
    """Targets by year and plan, each with ``assignment`` (who leads, monitors,
    coordinates) and ``judges`` (whether it is the target that judges its year, by
    ``TargetQuerySet.judging_years``). Four queries."""
    targets = list(indicator.targets.select_related("plan").order_by("year", "plan__number"))
    summaries = _summaries(indicator.assignments.select_related("agency").order_by("role", "agency__code"))
    judging = Target.objects.judging_years(
        province_id=indicator.province_id, years={t.year for t in targets}, indicator_ids=[indicator.pk]
    )
    for target in targets:
        target.indicator = indicator
        target.assignment = summaries[(target.plan_id, target.indicator_id, target.year)]
        chosen = judging.get((target.year, indicator.pk))
        target.judges = chosen is not None and chosen.pk == target.pk
    return targets


def agency_list(*, user) -> QuerySet[Agency]:
    return (
        Agency.objects.readable_by(user)
        .select_related("parent", "province")
        .order_by("province__code", "code")
    )


def agency_get_for_user(*, user, pk: int) -> Agency:
    return _get_for_user(
        Agency.objects.select_related("parent", "province"), user, pk, _("Không tìm thấy cơ quan, đơn vị.")
    )


def agency_responsibilities(*, agency: Agency) -> dict:
    """What the agency leads, monitors and coordinates: indicator assignments by role
    and tasks by role, each list ordered for display."""
    indicator_rows = list(
        agency.indicator_assignments.select_related("indicator__pillar", "plan").order_by(
            "plan__number", "year", "indicator__code"
        )
    )
    task_rows = list(
        agency.task_assignments.select_related("task__plan").order_by("task__plan__number", "task__sort_key")
    )
    by_role: dict[str, list] = {"lead": [], "monitoring_lead": [], "coordinating": []}
    for row in indicator_rows:
        by_role[row.role].append(row)
    tasks: dict[str, list] = {"lead": [], "coordinating": []}
    for task_row in task_rows:
        tasks[task_row.role].append(task_row)
    return {
        "indicators": by_role,
        "tasks": tasks,
        "children": list(agency.children.order_by("code")),
    }


def task_list(*, user, plan: Plan, filterset_class, data):
    queryset = plan.tasks.prefetch_related("assignments__agency")
    filterset = filterset_class(data, queryset=queryset, user=user)
    return filterset, filterset.qs


def catalogue_counts(*, user) -> dict[str, int]:
    return {
        "plans": Plan.objects.visible_to(user).count(),
        "indicators": Indicator.objects.visible_to(user).count(),
        "targets": Target.objects.visible_to(user).count(),
        "tasks": Task.objects.visible_to(user).count(),
        "agencies": Agency.objects.visible_to(user).count(),
    }


def institution_names(*, province_id: int | None, on: date | None = None) -> Institutions:
    """The names in force on ``on`` (today by default) of the province's DIC and of the
    ministry its report goes to; the generic wording where it records none. One query."""
    return ProvinceInstitution.objects.names(province_id=province_id, on=on or timezone.localdate())


def province_name(*, province: Agency, on: date) -> Institution:
    """The province as it was named on ``on``: thành phố Huế from 1 January 2025,
    tỉnh Thừa Thiên Huế before (``ProvinceInstitution`` with the role ``province``),
    else its own name. One query."""
    recorded = institution_names(province_id=province.pk, on=on).province
    return recorded or Institution(province.name, province.label)
