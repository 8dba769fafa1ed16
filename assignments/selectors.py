"""Reads of the ``assignments`` app shared by pages, the API and the dashboards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from dti_portal.collation import vietnamese
from indicators.choices import AgencyKind
from indicators.models import Agency, Indicator, Target, existing_q

from .choices import Role
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


def accounts_visible_to(user) -> QuerySet:
    """The accounts of the agencies ``user`` sees (their province; every province for
    administrators), by agency then name, in Vietnamese order."""
    return (
        get_user_model()
        .objects.filter(profile__agency__in=Agency.objects.visible_to(user))
        .select_related("profile__agency")
        .prefetch_related("groups")
        .order_by(vietnamese("profile__agency__name"), vietnamese("first_name"), "username")
    )


def latest_obligation_year(*, user, today: date) -> int:
    """The latest year up to ``today``'s with reporting obligations in ``user``'s
    province (this year's once assigned), else ``today``'s year."""
    years = ReportingObligation.objects.visible_to(user).filter(year__lte=today.year)
    return years.aggregate(latest=Max("year"))["latest"] or today.year


def reporting_gaps(*, user, year: int) -> QuerySet[Agency]:
    """The agencies that must report in ``year`` (an obligation) but have no active
    data-entry account (``staff`` is 0), or no address a reminder can go to: neither
    their own nor one of their active accounts' (``reachable`` is False)."""
    staff = Q(
        members__user__is_active=True,
        members__user__groups__name=Role.DEPARTMENT_STAFF.value,
    )
    return (
        Agency.objects.visible_to(user)
        .filter(Exists(ReportingObligation.objects.filter(agency=OuterRef("pk"), year=year)))
        .annotate(
            staff=Count("members", filter=staff, distinct=True),
            staff_addresses=Count("members", filter=staff & ~Q(members__user__email=""), distinct=True),
        )
        .annotate(
            reachable=Case(
                When(~Q(email="") | Q(staff_addresses__gt=0), then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
        .filter(Q(staff=0) | Q(reachable=False))
        .order_by(vietnamese("name"))
    )
