"""Reads of the ``assignments`` app shared by pages, the API and the dashboards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Value, When

from dti_portal.collation import vietnamese
from indicators.choices import AgencyKind
from indicators.models import Agency, Indicator, Target, existing_q

from .models import ReportingObligation


def _without_reporters(*, province: Agency, year: int) -> QuerySet[Indicator]:
    """The province's indicators that a plan of the province sets a target for in
    ``year`` and that no agency must report that year. The one definition of
    "chưa giao đơn vị báo cáo" for a year: the page lists it, the dashboard's link
    counts it (``unassigned_count``); a province figure says the same of its period
    (``ProvinceFigure.is_unassigned``: a target for the year, nobody to report)."""
    has_target = Target.objects.filter(indicator=OuterRef("pk"), year=year, plan__province=province)
    has_reporter = ReportingObligation.objects.filter(
        existing_q(date(year, 1, 1), date(year, 12, 31), "agency__"), indicator=OuterRef("pk"), year=year
    )
    return Indicator.objects.filter(Exists(has_target), ~Exists(has_reporter), province=province)


def unassigned_count(*, province: Agency, year: int) -> int:
    """How many indicators ``indicators_without_reporters`` lists. One query."""
    return _without_reporters(province=province, year=year).count()


def indicators_without_reporters(*, province: Agency, year: int) -> Sequence[Indicator]:
    """The indicators of ``_without_reporters``, by pillar order then code, each with
    ``pillar``, ``year_targets`` (the year's targets with their plans, the judging one
    first, in ``TargetQuerySet.judging``'s precedence) and ``judging_target`` (the one
    that judges the year: an assignment's plan is taken from it). Four queries,
    whatever the number of indicators."""
    year_targets = (
        Target.objects.filter(year=year, plan__province=province)
        .select_related("plan")
        .order_by(
            F("plan__year_to") - F("plan__year_from"),
            F("plan__issued_on").desc(nulls_last=True),
            "-plan__year_from",
            "plan_id",
        )
    )
    indicators = list(
        _without_reporters(province=province, year=year)
        .select_related("pillar")
        .prefetch_related(Prefetch("targets", queryset=year_targets, to_attr="year_targets"))
        .order_by("pillar__order", "code")
    )
    judging = Target.objects.judging(
        province_id=province.pk, year=year, indicator_ids=[i.pk for i in indicators]
    )
    for indicator in indicators:
        indicator.judging_target = judging.get(indicator.pk)
        chosen = indicator.judging_target.pk if indicator.judging_target else None
        # The DIC's choice (JudgingTarget) may not be the first by precedence: put it first.
        indicator.year_targets.sort(key=lambda target: target.pk != chosen)
        for target in indicator.year_targets:
            target.judges = target.pk == chosen
    return indicators


def target_years(*, province: Agency) -> list[int]:
    """The years a plan of the province sets a target for, newest first. One query."""
    return list(
        Target.objects.filter(plan__province=province)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def reporting_agencies(*, province: Agency) -> QuerySet[Agency]:
    """The province's active agencies that may be given an indicator to report (the
    province itself, the root of the tree, is not one), by kind then name."""
    # Grouped in the order ``AgencyKind`` lists the kinds (departments, districts,
    # communes ...), as the plans name them, not alphabetically by kind.
    kind_order = Case(
        *[When(kind=kind, then=Value(n)) for n, kind in enumerate(AgencyKind.values)],
        output_field=IntegerField(),
    )
    return (
        Agency.objects.filter(province=province, is_active=True)
        .exclude(kind=AgencyKind.PROVINCE)
        .order_by(kind_order, vietnamese("name"))
    )
