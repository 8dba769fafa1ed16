"""A province with three agencies reporting four indicators (a rate, a flow count,
a yes-no share, a lead agency's amount) for 2024: the ``world`` fixture of the
roll-up, dashboard and browser tests, and ``compiled``: two agencies' first quarter
approved and compiled. Loaded for every test as a pytest plugin (tests/conftest.py)."""

from decimal import Decimal

import pytest

from assignments.choices import AssignmentRole, Role
from indicators.choices import AgencyRollup, Comparison, MeasureType, TimeRollup
from reporting import services
from reporting.models import Evidence, ProvinceFigure, ReportingPeriod, Submission
from reporting.rollup.services import compile_province_rollup
from tests.factories import (
    AgencyFactory,
    IndicatorAssignmentFactory,
    IndicatorFactory,
    PlanFactory,
    ReportingObligationFactory,
    TargetFactory,
    make_user,
)

SPECS = {
    # code: (measure, across agencies, over time, target comparison, target, unit)
    "RATE": (MeasureType.RATE, AgencyRollup.RATIO_OF_SUMS, TimeRollup.STOCK, Comparison.GTE, 50, "%"),
    "ARTICLES": (MeasureType.COUNT, AgencyRollup.SUM, TimeRollup.FLOW, Comparison.GTE, 20, "tin, bài"),
    "OPENDATA": (MeasureType.YES_NO, AgencyRollup.SHARE_YES, TimeRollup.STOCK, Comparison.EQ, 100, "%"),
    "BUDGET": (
        MeasureType.AMOUNT,
        AgencyRollup.LEAD_VALUE,
        TimeRollup.STOCK,
        Comparison.GTE,
        2_000_000_000,
        "đồng",
    ),
}


@pytest.fixture
def world(province, dic, dic_user):
    return build_world(province, dic_user)


def build_world(province, dic_user, *, count: int = 3) -> dict:
    """The ``world`` fixture's province, with ``count`` reporting agencies."""
    plan = PlanFactory(province=province, year_from=2024, year_to=2024)
    agencies = [AgencyFactory(parent=province, code=f"BG.A{n}") for n in range(count)]
    indicators = {}
    for code, (measure, across, over, comparison, target, unit) in SPECS.items():
        indicator = IndicatorFactory(
            province=province,
            code=code,
            measure_type=measure,
            rollup_agencies=across,
            rollup_time=over,
            unit=unit,
        )
        TargetFactory(plan=plan, indicator=indicator, year=2024, comparison=comparison, value=Decimal(target))
        for agency in agencies:
            ReportingObligationFactory(indicator=indicator, agency=agency, year=2024)
        indicators[code] = indicator
    IndicatorAssignmentFactory(
        plan=plan, indicator=indicators["BUDGET"], year=2024, agency=agencies[0], role=AssignmentRole.LEAD
    )
    services.periods_open(province=province, year=2024, actor=dic_user)
    staff = [
        make_user(Role.DEPARTMENT_STAFF, agency, username=f"canbo{n}") for n, agency in enumerate(agencies)
    ]
    return {
        "agencies": agencies,
        "indicators": indicators,
        "staff": staff,
        "dic_user": dic_user,
        "province": province,
    }


def report(world, n, quarter, figures, *, approve=True):
    """Agency ``n`` reports ``figures`` ({code: fields}) for ``quarter`` and, unless
    told otherwise, the DIC approves it."""
    submission = Submission.objects.get(
        agency=world["agencies"][n], period__year=2024, period__quarter=quarter
    )
    rows = {v.indicator.code: v.pk for v in submission.values.select_related("indicator")}
    defaults = {
        "RATE": {"numerator": 1, "denominator": 1},
        "ARTICLES": {"value": 0},
        "OPENDATA": {"is_done": False},
        "BUDGET": {"value": 0},
    }
    values = {rows[code]: fields for code, fields in (defaults | figures).items()}
    saved = services.submission_save(
        submission=submission, actor=world["staff"][n], version=submission.version, values=values
    )
    services.submission_submit(submission=saved, actor=world["staff"][n])
    if approve:
        services.submission_approve(submission=saved, actor=world["dic_user"])


def figures(period):
    return {
        f.indicator.code: f for f in ProvinceFigure.objects.filter(period=period).select_related("indicator")
    }


def period(world, quarter):
    return ReportingPeriod.objects.get(province=world["province"], year=2024, quarter=quarter)


@pytest.fixture
def compiled(world):
    report(
        world,
        0,
        1,
        {
            "RATE": {"numerator": 45, "denominator": 60},
            "ARTICLES": {"value": 12},
            "OPENDATA": {"is_done": True},
            "BUDGET": {"value": 3_000_000_000},
        },
    )
    report(world, 1, 1, {"RATE": {"numerator": 5, "denominator": 40}, "ARTICLES": {"value": 2}})
    for quarter in (1, None):
        compile_province_rollup(period=period(world, quarter))
    return world


def send_again(world: dict, n: int, quarter: int, values: dict[str, dict], *, reviewer) -> Submission:
    """Agency ``n``'s report of ``quarter`` returned by ``reviewer``, its ``values`` (by
    indicator code) typed by its staff, and sent again."""
    submission = world["agencies"][n].submissions.get(period__quarter=quarter)
    services.submission_return(submission=submission, actor=reviewer, comment="Kiểm tra lại số tin, bài.")
    submission.refresh_from_db()
    typed = {submission.values.get(indicator__code=code).pk: fields for code, fields in values.items()}
    saved = services.submission_save(
        submission=submission, actor=world["staff"][n], version=submission.version, values=typed
    )
    return services.submission_submit(submission=saved, actor=world["staff"][n])


def attach_documents(value, *, by) -> None:
    """Two documents on ``value``, as the rows' tests show them: a link with "&" in it,
    numbered and with an issuer with "&" in its name, and a bare link."""
    Evidence.objects.create(
        value=value,
        link="https://bacgiang.gov.vn/a?x=1&y=2",
        document_number="12/QĐ-UBND",
        issuer="UBND & Sở",
        uploaded_by=by,
    )
    Evidence.objects.create(value=value, link="https://bacgiang.gov.vn/b", uploaded_by=by)
