"""The contract of every measure type × roll-up across agencies × roll-up over time
that the measure allows: figures typed in the entry form, in the xlsx template and by
the API, approved and compiled, read the same (the same number, the same words, the same
status) on the overview, the indicator page, the ministry workbook, the API and the
provisional DTI score.

Two agencies report: A (the lead agency) and B. A types its first quarter in the form,
B in the xlsx template; both send the second quarter by the API. Quarters 3 and 4 are
not reported, so the year rests on 4 of its 8 agency-quarters (a lead's figure on 2 of
the lead's 4): 50 %, the threshold, so it is judged. Every expected figure below is
worked out by hand in the comments."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from assignments.choices import AssignmentRole, Role
from dti.selectors import dti_score
from indicators.choices import AgencyRollup as A
from indicators.choices import Comparison, MeasureType
from indicators.choices import TimeRollup as T
from reporting import services
from reporting.choices import FigureStatus as S
from reporting.models import ProvinceFigure, ReportingPeriod, Submission
from reporting.rollup.services import compile_province_rollup
from reporting.workbooks import FIRST_ROW, VALUES_SHEET
from tests.factories import (
    AgencyFactory,
    IndicatorAssignmentFactory,
    IndicatorFactory,
    PlanFactory,
    ReportingObligationFactory,
    TargetFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

# What each agency types, per measure: (A's Q1, B's Q1, A's Q2, B's Q2).
RATE_IN = (
    {"numerator": 30, "denominator": 50},
    {"numerator": 20, "denominator": 50},
    {"numerator": 45, "denominator": 100},
    {"numerator": 15, "denominator": 50},
)
GB_IN = (
    {"numerator": 26000, "denominator": 2000},
    {"numerator": 16000, "denominator": 1000},
    {"numerator": 30000, "denominator": 2000},
    {"numerator": 11000, "denominator": 1000},
)
COUNT_IN = ({"value": 6}, {"value": 2}, {"value": 5}, {"value": 3})
AMOUNT_IN = ({"value": 700_000_000}, {"value": 300_000_000}, {"value": 900_000_000}, {"value": 400_000_000})
SHARE_IN = ({"is_done": True}, {"is_done": False}, {"is_done": True}, {"is_done": True})
LEAD_ANSWER_IN = ({"is_done": True}, {"is_done": True}, {"is_done": False}, {"is_done": True})
DONE = {"is_done": True, "done_on": date(2024, 2, 1)}
MILESTONE_IN = ({"is_done": False}, DONE, DONE, DONE)
TEXT_IN = (
    {"text": "Đã ban hành"},
    {"text": "Đang dự thảo"},
    {"text": "Đã ban hành"},
    {"text": "Đã ban hành"},
)

GB = "GB/tháng/thuê bao"
# measure, across, over time, unit, scale, (comparison, target), inputs,
#   Q2's display, Q2's judged value, Q2's status, the year's display, the year's status, the DTI points of 100
CASES = {
    # Rates, target ≥ 50 %. Q1: 30/50 + 20/50 = 50/100; Q2: 45/100 + 15/50 = 60/150 = 40 %.
    "rate-sum-stock": (
        MeasureType.RATE,
        A.RATIO_OF_SUMS,
        T.STOCK,
        "%",
        100,
        (Comparison.GTE, 50),
        RATE_IN,
        "40% (60/150)",
        D(40),
        S.AT_RISK,
        "40% (60/150)",
        S.NOT_MET,
        D("80.00"),
    ),
    # Year to date (50 + 60) / (100 + 150) = 110/250 = 44 %; 44/50 of 100 points.
    "rate-sum-flow": (
        MeasureType.RATE,
        A.RATIO_OF_SUMS,
        T.FLOW,
        "%",
        100,
        (Comparison.GTE, 50),
        RATE_IN,
        "40% (60/150)",
        D(44),
        S.AT_RISK,
        "44% (110/250)",
        S.NOT_MET,
        D("88.00"),
    ),
    # The lead A alone: Q2 45/100 = 45 %.
    "rate-lead-stock": (
        MeasureType.RATE,
        A.LEAD_VALUE,
        T.STOCK,
        "%",
        100,
        (Comparison.GTE, 50),
        RATE_IN,
        "45% (45/100)",
        D(45),
        S.AT_RISK,
        "45% (45/100)",
        S.NOT_MET,
        D("90.00"),
    ),
    # A's year to date (30 + 45) / (50 + 100) = 75/150 = 50 % ≥ 50.
    "rate-lead-flow": (
        MeasureType.RATE,
        A.LEAD_VALUE,
        T.FLOW,
        "%",
        100,
        (Comparison.GTE, 50),
        RATE_IN,
        "45% (45/100)",
        D(50),
        S.ON_TRACK,
        "50% (75/150)",
        S.MET,
        D("100.00"),
    ),
    # Ratios per 1, target ≥ 14 GB. Q1: 42.000/3.000 = 14; Q2: 41.000/3.000 = 13,67; 13,666…/14 = 97,62 %.
    "ratio-sum-stock": (
        MeasureType.RATIO,
        A.RATIO_OF_SUMS,
        T.STOCK,
        GB,
        1,
        (Comparison.GTE, 14),
        GB_IN,
        f"13,67 {GB} (41.000/3.000)",
        D("13.666667"),
        S.AT_RISK,
        f"13,67 {GB} (41.000/3.000)",
        S.NOT_MET,
        D("97.62"),
    ),
    # Year to date 83.000/6.000 = 13,833…; 13,833…/14 = 98,81 %.
    "ratio-sum-flow": (
        MeasureType.RATIO,
        A.RATIO_OF_SUMS,
        T.FLOW,
        GB,
        1,
        (Comparison.GTE, 14),
        GB_IN,
        f"13,67 {GB} (41.000/3.000)",
        D("13.833333"),
        S.AT_RISK,
        f"13,83 {GB} (83.000/6.000)",
        S.NOT_MET,
        D("98.81"),
    ),
    # The lead A: Q2 30.000/2.000 = 15 ≥ 14.
    "ratio-lead-stock": (
        MeasureType.RATIO,
        A.LEAD_VALUE,
        T.STOCK,
        GB,
        1,
        (Comparison.GTE, 14),
        GB_IN,
        f"15 {GB} (30.000/2.000)",
        D(15),
        S.ON_TRACK,
        f"15 {GB} (30.000/2.000)",
        S.MET,
        D("100.00"),
    ),
    # A's year to date (26.000 + 30.000) / (2.000 + 2.000) = 14.
    "ratio-lead-flow": (
        MeasureType.RATIO,
        A.LEAD_VALUE,
        T.FLOW,
        GB,
        1,
        (Comparison.GTE, 14),
        GB_IN,
        f"15 {GB} (30.000/2.000)",
        D(14),
        S.ON_TRACK,
        f"14 {GB} (56.000/4.000)",
        S.MET,
        D("100.00"),
    ),
    # Counts, target ≥ 20 a year (a flow's Q2 is on track from 20 × 2/4 = 10). Q1: 6 + 2; Q2: 5 + 3 = 8.
    "count-sum-stock": (
        MeasureType.COUNT,
        A.SUM,
        T.STOCK,
        "tin, bài",
        100,
        (Comparison.GTE, 20),
        COUNT_IN,
        "8 tin, bài",
        D(8),
        S.AT_RISK,
        "8 tin, bài",
        S.NOT_MET,
        D("40.00"),
    ),
    "count-sum-flow": (
        MeasureType.COUNT,
        A.SUM,
        T.FLOW,
        "tin, bài",
        100,
        (Comparison.GTE, 20),
        COUNT_IN,
        "8 tin, bài",
        D(16),
        S.ON_TRACK,
        "16 tin, bài",
        S.NOT_MET,
        D("80.00"),
    ),
    # Means: Q1 (6 + 2) / 2 = 4, Q2 (5 + 3) / 2 = 4.
    "count-mean-stock": (
        MeasureType.COUNT,
        A.MEAN,
        T.STOCK,
        "tin, bài",
        100,
        (Comparison.GTE, 20),
        COUNT_IN,
        "4 tin, bài",
        D(4),
        S.AT_RISK,
        "4 tin, bài",
        S.NOT_MET,
        D("20.00"),
    ),
    "count-mean-flow": (
        MeasureType.COUNT,
        A.MEAN,
        T.FLOW,
        "tin, bài",
        100,
        (Comparison.GTE, 20),
        COUNT_IN,
        "4 tin, bài",
        D(8),
        S.AT_RISK,
        "8 tin, bài",
        S.NOT_MET,
        D("40.00"),
    ),
    # The lead A: 6, then 5 (11 so far ≥ 10).
    "count-lead-stock": (
        MeasureType.COUNT,
        A.LEAD_VALUE,
        T.STOCK,
        "tin, bài",
        100,
        (Comparison.GTE, 20),
        COUNT_IN,
        "5 tin, bài",
        D(5),
        S.AT_RISK,
        "5 tin, bài",
        S.NOT_MET,
        D("25.00"),
    ),
    "count-lead-flow": (
        MeasureType.COUNT,
        A.LEAD_VALUE,
        T.FLOW,
        "tin, bài",
        100,
        (Comparison.GTE, 20),
        COUNT_IN,
        "5 tin, bài",
        D(11),
        S.ON_TRACK,
        "11 tin, bài",
        S.NOT_MET,
        D("55.00"),
    ),
    # Amounts, target ≥ 2 tỷ đồng (Q2 on track from 1 tỷ). Q1: 0,7 + 0,3 = 1 tỷ; Q2: 0,9 + 0,4 = 1,3 tỷ.
    "amount-sum-stock": (
        MeasureType.AMOUNT,
        A.SUM,
        T.STOCK,
        "đồng",
        100,
        (Comparison.GTE, 2_000_000_000),
        AMOUNT_IN,
        "1.300.000.000 đồng",
        D(1_300_000_000),
        S.AT_RISK,
        "1.300.000.000 đồng",
        S.NOT_MET,
        D("65.00"),
    ),
    "amount-sum-flow": (
        MeasureType.AMOUNT,
        A.SUM,
        T.FLOW,
        "đồng",
        100,
        (Comparison.GTE, 2_000_000_000),
        AMOUNT_IN,
        "1.300.000.000 đồng",
        D(2_300_000_000),
        S.ON_TRACK,
        "2.300.000.000 đồng",
        S.MET,
        D("100.00"),
    ),
    # Means: Q1 0,5 tỷ, Q2 0,65 tỷ; so far 1,15 tỷ.
    "amount-mean-stock": (
        MeasureType.AMOUNT,
        A.MEAN,
        T.STOCK,
        "đồng",
        100,
        (Comparison.GTE, 2_000_000_000),
        AMOUNT_IN,
        "650.000.000 đồng",
        D(650_000_000),
        S.AT_RISK,
        "650.000.000 đồng",
        S.NOT_MET,
        D("32.50"),
    ),
    "amount-mean-flow": (
        MeasureType.AMOUNT,
        A.MEAN,
        T.FLOW,
        "đồng",
        100,
        (Comparison.GTE, 2_000_000_000),
        AMOUNT_IN,
        "650.000.000 đồng",
        D(1_150_000_000),
        S.ON_TRACK,
        "1.150.000.000 đồng",
        S.NOT_MET,
        D("57.50"),
    ),
    # The lead A: 0,7 then 0,9 tỷ (1,6 tỷ so far).
    "amount-lead-stock": (
        MeasureType.AMOUNT,
        A.LEAD_VALUE,
        T.STOCK,
        "đồng",
        100,
        (Comparison.GTE, 2_000_000_000),
        AMOUNT_IN,
        "900.000.000 đồng",
        D(900_000_000),
        S.AT_RISK,
        "900.000.000 đồng",
        S.NOT_MET,
        D("45.00"),
    ),
    "amount-lead-flow": (
        MeasureType.AMOUNT,
        A.LEAD_VALUE,
        T.FLOW,
        "đồng",
        100,
        (Comparison.GTE, 2_000_000_000),
        AMOUNT_IN,
        "900.000.000 đồng",
        D(1_600_000_000),
        S.ON_TRACK,
        "1.600.000.000 đồng",
        S.NOT_MET,
        D("80.00"),
    ),
    # Yes/no of many agencies, target = 100 %: Q2 both yes, 2/2.
    "yes_no-share": (
        MeasureType.YES_NO,
        A.SHARE_YES,
        T.STOCK,
        "%",
        100,
        (Comparison.EQ, 100),
        SHARE_IN,
        "100% (2/2 đơn vị)",
        D(100),
        S.ON_TRACK,
        "100% (2/2 đơn vị)",
        S.MET,
        D("100.00"),
    ),
    # The lead's answer, target "= có" (1): A says no in Q2 (B's yes does not count).
    "yes_no-lead": (
        MeasureType.YES_NO,
        A.LEAD_VALUE,
        T.STOCK,
        "có/không",
        100,
        (Comparison.EQ, 1),
        LEAD_ANSWER_IN,
        "Không",
        D(0),
        S.AT_RISK,
        "Không",
        S.NOT_MET,
        D("0.00"),
    ),
    "milestone-share": (
        MeasureType.MILESTONE,
        A.SHARE_YES,
        T.STOCK,
        "%",
        100,
        (Comparison.EQ, 100),
        MILESTONE_IN,
        "100% (2/2 đơn vị)",
        D(100),
        S.ON_TRACK,
        "100% (2/2 đơn vị)",
        S.MET,
        D("100.00"),
    ),
    # A target that is only a date: met once the lead has done it.
    "milestone-lead": (
        MeasureType.MILESTONE,
        A.LEAD_VALUE,
        T.STOCK,
        "",
        100,
        (Comparison.GTE, None),
        MILESTONE_IN,
        "Đã hoàn thành",
        D(1),
        S.ON_TRACK,
        "Đã hoàn thành",
        S.MET,
        D("100.00"),
    ),
    # Text is shown and exported, never a figure.
    "text-lead": (
        MeasureType.TEXT,
        A.LEAD_VALUE,
        T.STOCK,
        "",
        100,
        (Comparison.GTE, 1),
        TEXT_IN,
        "—",
        None,
        S.NO_DATA,
        "—",
        S.NO_DATA,
        None,
    ),
}


def test_every_allowed_combination_is_covered():
    from indicators.measures import MEASURES

    allowed = {
        (code, across, over)
        for code, measure in MEASURES.items()
        for across in measure.agency_rollups
        for over in measure.time_rollups
    }
    covered = {(case[0], case[1], case[2]) for case in CASES.values()}
    assert covered == allowed


def form_fields(value, typed: dict) -> dict:
    """The entry form's fields for one value, typed as people type them."""
    out = {f"v{value.pk}-note": ""}
    for name, raw in typed.items():
        if name == "is_done":
            raw = "yes" if raw else "no"
        elif name == "done_on":
            raw = raw.strftime("%d/%m/%Y")
        elif isinstance(raw, int):
            raw = f"{raw:,}".replace(",", ".")  # 26.000: Vietnamese thousands
        out[f"v{value.pk}-{name}"] = raw
    return out


XLSX_COLUMNS = {"numerator": 8, "denominator": 9, "value": 10, "is_done": 11, "done_on": 12, "text": 13}


def xlsx_upload(client, submission, typed: dict):
    response = client.get(reverse("reporting:submission-xlsx", args=[submission.pk]))
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook[VALUES_SHEET]
    for name, raw in typed.items():
        cell = {"is_done": lambda v: "Có" if v else "Không"}.get(name, lambda v: v)(raw)
        sheet.cell(row=FIRST_ROW, column=XLSX_COLUMNS[name], value=cell)
    output = BytesIO()
    workbook.save(output)
    output.seek(0)
    output.name = "bao-cao.xlsx"
    return client.post(reverse("reporting:submission-upload", args=[submission.pk]), {"file": output})


def api_value(typed: dict) -> dict:
    return {
        name: (raw.isoformat() if isinstance(raw, date) else str(raw) if isinstance(raw, int) else raw)
        for name, raw in typed.items()
    }


@pytest.fixture
def scene(province, dic_user):
    plan = PlanFactory(province=province, year_from=2024, year_to=2024, quarterly_due_day=20)
    lead = AgencyFactory(parent=province, code="BG.A", name="Sở Công Thương")
    other = AgencyFactory(parent=province, code="BG.B", name="Sở Tài chính")
    return {
        "plan": plan,
        "lead": lead,
        "other": other,
        "dic": dic_user,
        "staff": {
            lead: make_user(Role.DEPARTMENT_STAFF, lead, username="a_staff"),
            other: make_user(Role.DEPARTMENT_STAFF, other, username="b_staff"),
        },
    }


@pytest.mark.parametrize("case", list(CASES))
def test_a_figure_reads_the_same_everywhere(case, scene, province, client, steering_user, tmp_path):
    (
        measure,
        across,
        over,
        unit,
        scale,
        (comparison, target_value),
        inputs,
        q2_display,
        q2_judged,
        q2_status,
        year_display,
        year_status,
        points,
    ) = CASES[case]
    indicator = IndicatorFactory(
        province=province,
        code="BG.X",
        measure_type=measure,
        rollup_agencies=across,
        rollup_time=over,
        unit=unit,
        scale=scale,
    )
    TargetFactory(
        plan=scene["plan"],
        indicator=indicator,
        year=2024,
        comparison=comparison,
        value=None if target_value is None else D(target_value),
        target_date=date(2024, 12, 31) if target_value is None else None,
    )
    for agency in (scene["lead"], scene["other"]):
        ReportingObligationFactory(indicator=indicator, agency=agency, year=2024)
    IndicatorAssignmentFactory(
        plan=scene["plan"], indicator=indicator, year=2024, agency=scene["lead"], role=AssignmentRole.LEAD
    )
    services.periods_open(province=province, year=2024, actor=scene["dic"])

    def submission(agency, quarter):
        return Submission.objects.get(agency=agency, period__year=2024, period__quarter=quarter)

    a_q1, b_q1, a_q2, b_q2 = inputs
    # A's first quarter in the entry form, sent with the form's own "send" button.
    client.force_login(scene["staff"][scene["lead"]])
    sub = submission(scene["lead"], 1)
    response = client.post(
        reverse("reporting:submission-edit", args=[sub.pk]),
        {"version": sub.version, "action": "submit", **form_fields(sub.values.get(), a_q1)},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    # B's first quarter in the xlsx template, then sent.
    client.force_login(scene["staff"][scene["other"]])
    sub = submission(scene["other"], 1)
    assert xlsx_upload(client, sub, b_q1).status_code == 302
    services.submission_submit(submission=submission(scene["other"], 1), actor=scene["staff"][scene["other"]])
    # Both second quarters by the API.
    api = APIClient()
    for agency, typed in ((scene["lead"], a_q2), (scene["other"], b_q2)):
        api.force_authenticate(scene["staff"][agency])
        sub = submission(agency, 2)
        body = {"version": sub.version, "values": [{"id": sub.values.get().pk, **api_value(typed)}]}
        assert api.post(f"/api/v1/submissions/{sub.pk}/save/", body, format="json").status_code == 200
        assert api.post(f"/api/v1/submissions/{sub.pk}/submit/", format="json").status_code == 200
    for agency in (scene["lead"], scene["other"]):
        for quarter in (1, 2):
            services.submission_approve(submission=submission(agency, quarter), actor=scene["dic"])
    periods = {p.quarter: p for p in ReportingPeriod.objects.filter(province=province, year=2024)}
    for quarter in (1, 2, None):
        compile_province_rollup(period=periods[quarter])

    # The roll-up's own rows.
    q2 = ProvinceFigure.objects.select_related("indicator", "target", "period").get(period=periods[2])
    year = ProvinceFigure.objects.select_related("indicator", "target", "period").get(period=periods[None])
    assert (q2.display, q2.status) == (q2_display, q2_status)
    assert (q2.judged_value is None and q2_judged is None) or abs(q2.judged_value - q2_judged) < D("0.000001")
    assert (year.display, year.status) == (year_display, year_status)
    # The year rests on 4 of 8 agency-quarters (A and B, Q1–Q4), or for a lead's figure on
    # the lead's own 2 of 4.
    assert (year.approved_agencies, year.required_agencies) == ((2, 4) if across == A.LEAD_VALUE else (4, 8))

    # The overview and the indicator page show the same words.
    client.force_login(steering_user)
    page = client.get(reverse("reporting:dashboard"), {"year": 2024, "quarter": 2}).content.decode()
    row = _row(page, f'id="figure-{indicator.pk}"')
    assert q2_display in row and q2.get_status_display() in row
    page = client.get(
        reverse("reporting:dashboard-indicator", args=[indicator.pk]), {"year": 2024}
    ).content.decode()
    assert q2_display in _row(page, 'id="trend-2024-Q2"') and year_display in _row(page, 'id="trend-2024"')
    assert str(year.get_status_display()) in _row(page, 'id="trend-2024"')

    # The ministry workbook, read back.
    response = client.get(reverse("reporting:ministry-export"), {"year": 2024, "quarter": 2})
    sheet = load_workbook(
        BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )["Chỉ tiêu"]
    headers = [c.value for c in sheet[4]]
    (line,) = [dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert line["Đánh giá"] == q2.get_status_display()
    result = q2.indicator.measure.result_cell(q2.value, indicator=q2.indicator)
    assert line["Kết quả"] == (pytest.approx(float(result)) if isinstance(result, D) else result)
    if line["Căn cứ đánh giá"] is not None and q2.value is not None:
        assert line["Căn cứ đánh giá"].startswith(q2_display)

    # The API.
    api.force_authenticate(steering_user)
    (data,) = api.get("/api/v1/figures/", {"period": periods[2].pk}).json()["results"]
    assert (data["display"], data["status"]) == (q2_display, q2_status)

    # The provisional DTI score reads the year's figure.
    rule = "yes_no" if measure in (MeasureType.YES_NO, MeasureType.MILESTONE) else "share_of_target"
    framework = tmp_path / "framework.yaml"
    framework.write_text(
        "decision: C/QĐ\nissued_on: 2024-01-01\ntitle: Thử\nfirst_year: 2024\nmax_points: 100\n"
        "main_indicators:\n  - {code: M, name: Chính, group: foundation, max_points: 100}\n"
        f"components:\n  - {{main: M, code: M.1, name: Một, rule: {rule}, max_points: 100, indicators: [BG.X]}}\n",
        encoding="utf-8",
    )
    from dti.services import framework_load

    framework_load(path=framework)
    score = dti_score(province=province, year=2024)
    ((row,),) = score.rows.values()
    assert row.score.points == points


def _row(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</tr>", start)]
