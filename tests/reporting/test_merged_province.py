"""A merged province (issue 16): its users read the old provinces' plans and figures,
read-only and labelled; its indicators that continue the old ones combine the old
figures by their own rules, for the years before the merger and for the merger year.

OLD_A and OLD_B merge into NEW on 1 July 2025. Each old province has one department
(DEPT_A, DEPT_B) reporting three quarterly indicators; NEW's three indicators continue
them: RATE (a rate, ratio of sums, stock), FLOW (a count added up, a flow) and STOCK (a
count added up, a stock). Every figure below is worked out by hand in its comment."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assignments.choices import Role
from indicators.choices import AgencyRollup, MeasureType, TimeRollup
from indicators.models import Agency, AgencySuccession, Indicator, IndicatorContinuation, Plan
from indicators.services import provinces_merge
from reporting.choices import SubmissionStatus
from reporting.models import Evidence, IndicatorValue, ProvinceFigure, ReportingPeriod, Submission
from reporting.rollup.services import compile_province_rollup, periods_affected_by
from reporting.selectors.dashboards import former_overview
from tests.factories import AgencyFactory, IndicatorFactory, PlanFactory, ProvinceFactory, make_user

pytestmark = pytest.mark.django_db

SPECS = {
    "RATE": (MeasureType.RATE, AgencyRollup.RATIO_OF_SUMS, TimeRollup.STOCK),
    "FLOW": (MeasureType.COUNT, AgencyRollup.SUM, TimeRollup.FLOW),
    "STOCK": (MeasureType.COUNT, AgencyRollup.SUM, TimeRollup.STOCK),
}


def indicators_of(province):
    return {
        code: IndicatorFactory(
            province=province,
            code=f"{province.code}.{code}",
            measure_type=measure,
            rollup_agencies=across,
            rollup_time=over,
            unit="%" if measure == MeasureType.RATE else "hệ thống",
        )
        for code, (measure, across, over) in SPECS.items()
    }


def period_of(province, year, quarter):
    day = date(year, 3 * (quarter or 4), 20)
    return ReportingPeriod.objects.get_or_create(
        province=province,
        year=year,
        quarter=quarter,
        defaults={"opens_on": day, "due_on": day, "compile_on": day},
    )[0]


def approved(agency, period, values):
    """An approved report of ``agency`` for ``period``: {indicator: fields}."""
    submission = Submission.objects.create(agency=agency, period=period, status=SubmissionStatus.APPROVED)
    for indicator, fields in values.items():
        IndicatorValue.objects.create(submission=submission, indicator=indicator, **fields)


@pytest.fixture
def merged(db):
    old_a = ProvinceFactory(code="OLDA", name="UBND tỉnh A (cũ)", short_name="Tỉnh A")
    old_b = ProvinceFactory(code="OLDB", name="UBND tỉnh B (cũ)", short_name="Tỉnh B")
    dept_a = AgencyFactory(parent=old_a, code="OLDA.SO")
    dept_b = AgencyFactory(parent=old_b, code="OLDB.SO")
    ind_a, ind_b = indicators_of(old_a), indicators_of(old_b)
    plan_a = PlanFactory(province=old_a, year_from=2024, year_to=2024, number="01/KH-A")
    provinces_merge(
        into="NEW", name="UBND tỉnh Mới", short_name="Tỉnh Mới", from_codes=["OLDA", "OLDB"],
        effective_on=date(2025, 7, 1), basis="NQ thử",
    )  # fmt: skip
    new = Agency.objects.get(code="NEW")
    dept_n = Agency.objects.get(code="NEW.SO")  # the merger carried both "SO" departments into one
    ind_n = indicators_of(new)
    for code, later in ind_n.items():
        for earlier in (ind_a[code], ind_b[code]):
            continuation = IndicatorContinuation(earlier=earlier, later=later)
            continuation.full_clean()
            continuation.save()
    # 2024 Q4, before the merger.
    approved(dept_a, period_of(old_a, 2024, 4), {
        ind_a["RATE"]: {"numerator": 30, "denominator": 40}, ind_a["FLOW"]: {"value": 5},
        ind_a["STOCK"]: {"value": 8},
    })  # fmt: skip
    approved(dept_b, period_of(old_b, 2024, 4), {
        ind_b["RATE"]: {"numerator": 10, "denominator": 60}, ind_b["FLOW"]: {"value": 7},
        ind_b["STOCK"]: {"value": 2},
    })  # fmt: skip
    # 2025: Q1 and Q2 under the old provinces, Q3 and Q4 under the new one.
    approved(dept_a, period_of(old_a, 2025, 1), {ind_a["FLOW"]: {"value": 3}, ind_a["STOCK"]: {"value": 5}})
    approved(dept_a, period_of(old_a, 2025, 2), {
        ind_a["FLOW"]: {"value": 4}, ind_a["STOCK"]: {"value": 6},
        ind_a["RATE"]: {"numerator": 1, "denominator": 4},
    })  # fmt: skip
    approved(dept_b, period_of(old_b, 2025, 1), {ind_b["FLOW"]: {"value": 1}})
    approved(dept_b, period_of(old_b, 2025, 2), {
        ind_b["FLOW"]: {"value": 2}, ind_b["STOCK"]: {"value": 7},
        ind_b["RATE"]: {"numerator": 3, "denominator": 4},
    })  # fmt: skip
    approved(dept_n, period_of(new, 2025, 3), {
        ind_n["FLOW"]: {"value": 10}, ind_n["STOCK"]: {"value": 30},
        ind_n["RATE"]: {"numerator": 9, "denominator": 10},
    })  # fmt: skip
    approved(dept_n, period_of(new, 2025, 4), {ind_n["FLOW"]: {"value": 20}, ind_n["STOCK"]: {"value": 31}})
    period_of(new, 2025, None)
    for province in (old_a, old_b, new):
        for period in ReportingPeriod.objects.filter(province=province):
            compile_province_rollup(period=period)
    return {
        "old_a": old_a, "old_b": old_b, "new": new, "dept_n": dept_n, "plan_a": plan_a,
        "ind_a": ind_a, "ind_b": ind_b, "ind_n": ind_n,
    }  # fmt: skip


def stored(province, year, quarter):
    return {
        f.indicator.code.split(".")[1]: f
        for f in ProvinceFigure.objects.filter(
            period__province=province, period__year=year, period__quarter=quarter
        ).select_related("indicator")
    }


def test_the_merger_year_combines_the_old_quarters_with_the_new_by_each_rule(merged):
    year = stored(merged["new"], 2025, None)
    # A flow adds all four quarters: Q1 3 + 1, Q2 4 + 2 (the old provinces), Q3 10, Q4 20 = 40,
    # resting on 6 approved reports of 6: A Q1, A Q2, B Q1, B Q2, NEW Q3, NEW Q4.
    flow = year["FLOW"]
    assert flow.value == 40
    assert (flow.approved_agencies, flow.required_agencies, flow.through_quarter) == (6, 6, 4)
    # A stock takes the latest quarter with data: NEW's Q4, 31 (not 5 + 6 + 7 + 30 + 31).
    assert year["STOCK"].value == 31
    # The rate's latest quarter with data is NEW's Q3: 9/10 = 90 %.
    rate = year["RATE"]
    assert (rate.value, rate.numerator, rate.denominator, rate.through_quarter) == (90, 9, 10, 3)
    # NEW's Q3: the quarter's own 10, judged on the year to date 3 + 1 + 4 + 2 + 10 = 20.
    q3 = stored(merged["new"], 2025, 3)["FLOW"]
    assert (q3.value, q3.judged_value, q3.approved_agencies, q3.required_agencies) == (10, 20, 5, 5)
    # The old provinces' own figures are untouched: A's Q2 stock is A's 6.
    assert stored(merged["old_a"], 2025, 2)["STOCK"].value == 6


def test_a_lead_agencys_flow_in_the_merger_year_takes_the_old_provinces_leads(merged):
    """LEAD, a count that is the lead agency's figure, added over the quarters, in each
    province: A's lead DEPT_A reported 2 in Q1 (A's other agency 100, not a lead), B's
    lead DEPT_B 3 in Q2, NEW's lead DEPT_N 4 in Q3. NEW's Q3 is its own 4, judged on the
    leads' year to date 2 + 3 + 4 = 9 (not 109), resting on the 3 leads' reports."""
    from assignments.choices import AssignmentRole
    from tests.factories import IndicatorAssignmentFactory

    old_a, old_b, new = merged["old_a"], merged["old_b"], merged["new"]
    lead = {}
    for province, department in ((old_a, "OLDA.SO"), (old_b, "OLDB.SO"), (new, "NEW.SO")):
        lead[province.code] = IndicatorFactory(
            province=province, code=f"{province.code}.LEAD", measure_type=MeasureType.COUNT,
            rollup_agencies=AgencyRollup.LEAD_VALUE, rollup_time=TimeRollup.FLOW, unit="hệ thống",
        )  # fmt: skip
        IndicatorAssignmentFactory(
            plan=PlanFactory(province=province), indicator=lead[province.code], year=2025,
            agency=Agency.objects.get(code=department), role=AssignmentRole.LEAD,
        )  # fmt: skip
    for earlier in (lead["OLDA"], lead["OLDB"]):
        IndicatorContinuation.objects.create(earlier=earlier, later=lead["NEW"])
    for department, province, quarter, value in (
        ("OLDA.SO", old_a, 1, 2), ("OLDB.SO", old_b, 2, 3), ("NEW.SO", new, 3, 4),
    ):  # fmt: skip
        sent = Submission.objects.get(agency__code=department, period=period_of(province, 2025, quarter))
        IndicatorValue.objects.create(submission=sent, indicator=lead[province.code], value=value)
    approved(
        AgencyFactory(parent=old_a, code="OLDA.KHAC"),
        period_of(old_a, 2025, 1),
        {lead["OLDA"]: {"value": 100}},
    )
    compile_province_rollup(period=period_of(new, 2025, 3))
    q3 = stored(new, 2025, 3)["LEAD"]
    assert (q3.value, q3.judged_value, q3.approved_agencies, q3.required_agencies) == (4, 9, 3, 3)


def test_an_old_quarter_approved_again_recompiles_the_new_provinces_year(merged):
    old_q2 = ReportingPeriod.objects.get(province=merged["old_a"], year=2025, quarter=2)
    affected = {(p.province.code, p.quarter) for p in periods_affected_by(old_q2)}
    assert affected == {("OLDA", 2), ("NEW", 3), ("NEW", 4), ("NEW", None)}


def test_a_year_before_the_merger_shows_the_old_provinces_side_by_side_and_combined(merged):
    new = merged["new"]
    former = former_overview(
        province=new, year=2024, quarter=4, predecessor_ids=[merged["old_a"].pk, merged["old_b"].pk]
    )
    assert [c.province.code for c in former.columns] == ["OLDA", "OLDB"]
    rows = {row.indicator.code: row for row in former.rows}
    rate = rows["NEW.RATE"]
    # Side by side: A 30/40 = 75 %, B 10/60 = 16,67 %; combined as one province: 40/100 = 40 %,
    # not the mean of 75 and 16,67 (45,83).
    assert [[f.value for f in cell] for _column, cell in rate.cells] == [[75], [Decimal("16.666667")]]
    assert (rate.combined.value, rate.combined.numerator, rate.combined.denominator) == (40, 40, 100)
    assert (rate.combined.approved_agencies, rate.combined.required_agencies) == (2, 2)
    assert rows["NEW.FLOW"].combined.value == 12  # 5 + 7
    assert rows["NEW.STOCK"].combined.value == 10  # 8 + 2
    # Nothing of the new province is stored for a year it did not exist.
    assert not ReportingPeriod.objects.filter(province=new, year=2024).exists()


def test_the_new_provinces_users_read_the_old_ones_and_nobody_else_does(merged, client):
    new, old_a = merged["new"], merged["old_a"]
    reader = make_user(Role.DIC_OFFICER, merged["dept_n"], username="so_moi")
    stranger_province = ProvinceFactory(code="XYZ", name="UBND tỉnh Khác")
    stranger = make_user(Role.DIC_OFFICER, AgencyFactory(parent=stranger_province), username="so_khac")
    plan_a = merged["plan_a"]
    assert list(Plan.objects.readable_by(reader)) == [plan_a]
    assert not Plan.objects.visible_to(reader).exists()  # no write reaches the old province
    assert not Plan.objects.readable_by(stranger).exists()

    client.force_login(reader)
    plan_page = client.get(reverse("indicators:plan-detail", args=[plan_a.pk]))
    assert (
        plan_page.status_code == 200 and "tỉnh cũ, đến hết 30/06/2025 · chỉ xem" in plan_page.content.decode()
    )
    page = client.get(reverse("reporting:dashboard"), {"province": old_a.pk, "year": 2024, "quarter": 4})
    text = page.content.decode()
    assert "UBND tỉnh A (cũ) là tỉnh cũ: từ ngày 01/07/2025 hợp nhất vào UBND tỉnh Mới" in text
    assert "75%" in text  # A's own figure, as approved
    combined = client.get(reverse("reporting:dashboard"), {"province": new.pk, "year": 2024, "quarter": 4})
    text = combined.content.decode()
    assert "Cộng gộp" in text and "40%" in text and "16,67%" in text and "Quý IV/2024" in text
    merger_year = client.get(reverse("reporting:dashboard"), {"province": new.pk, "year": 2025})
    assert (
        "thành lập từ ngày 01/07/2025: các quý trước ngày đó do các tỉnh cũ báo cáo"
        in merger_year.content.decode()
    )
    agencies = {
        row["code"]: row for row in client.get("/api/v1/agencies/", {"page_size": 100}).json()["results"]
    }
    assert (agencies["OLDA"]["exists_until"], agencies["NEW"]["exists_from"]) == ("2025-06-30", "2025-07-01")
    figures = client.get("/api/v1/figures/", {"year": 2024}).json()
    assert {row["indicator_code"] for row in figures["results"]} >= {"OLDA.RATE", "OLDB.RATE"}
    rate = merged["ind_n"]["RATE"]
    lineage = client.get(reverse("reporting:dashboard-indicator", args=[rate.pk]), {"province": new.pk})
    assert "Kế tục chỉ tiêu của tỉnh cũ:" in lineage.content.decode()
    assert f'href="/reporting/dashboard/indicators/{merged["ind_a"]["RATE"].pk}/?province={old_a.pk}"' in (
        lineage.content.decode()
    )
    old_page = client.get(reverse("reporting:dashboard-indicator", args=[merged["ind_a"]["RATE"].pk]))
    assert old_page.status_code == 200 and "Được kế tục bởi:" in old_page.content.decode()
    old_report = Submission.objects.get(agency__province=old_a, period__year=2024)
    assert client.get(reverse("reporting:submission-detail", args=[old_report.pk])).status_code == 404
    # Its documents are read (downloaded) like its figures, never removed.
    document = Evidence.objects.create(
        value=old_report.values.first(),
        link="https://example.gov.vn/van-ban",
        description="Văn bản",
        uploaded_by=stranger,
    )
    download = client.get(reverse("reporting:evidence-download", args=[document.pk]))
    assert (download.status_code, download["Location"]) == (302, "https://example.gov.vn/van-ban")
    assert client.post(reverse("reporting:evidence-delete", args=[document.pk])).status_code == 404
    assert Evidence.objects.filter(pk=document.pk).exists()

    client.force_login(stranger)
    assert client.get(reverse("indicators:plan-detail", args=[plan_a.pk])).status_code == 404
    assert client.get(reverse("reporting:evidence-download", args=[document.pk])).status_code == 404
    page = client.get(reverse("reporting:dashboard"), {"province": old_a.pk, "year": 2024})
    assert "UBND tỉnh A (cũ)" not in page.content.decode()
    assert client.get("/api/v1/figures/", {"year": 2024}).json()["results"] == []


def test_a_continuation_must_come_from_a_predecessor_with_the_same_measure(merged):
    stranger = ProvinceFactory(code="XYZ")
    foreign = indicators_of(stranger)["RATE"]
    with pytest.raises(Exception, match="phải thuộc một tỉnh"):
        IndicatorContinuation(earlier=foreign, later=merged["ind_n"]["RATE"]).full_clean()
    with pytest.raises(Exception, match="cùng loại số liệu"):
        IndicatorContinuation(earlier=merged["ind_a"]["RATE"], later=merged["ind_n"]["FLOW"]).full_clean()
    # Both counts, but a flow cannot continue a stock: their quarters would be added up.
    with pytest.raises(Exception, match="cách tổng hợp theo thời gian"):
        IndicatorContinuation(earlier=merged["ind_a"]["STOCK"], later=merged["ind_n"]["FLOW"]).full_clean()
    # An indicator being added in the admin, not yet saved, is checked too.
    unsaved = Indicator(province=merged["new"], code="NEW.X", measure_type=MeasureType.COUNT, scale=1)
    with pytest.raises(Exception, match="cùng loại số liệu"):
        IndicatorContinuation(earlier=merged["ind_a"]["RATE"], later=unsaved).clean()


def test_a_quarter_of_the_merger_year_before_the_new_province_is_combined_from_the_old_ones(merged):
    former = former_overview(
        province=merged["new"], year=2025, quarter=1, predecessor_ids=[merged["old_a"].pk, merged["old_b"].pk]
    )
    rows = {row.indicator.code: row.combined.value for row in former.rows}
    # Q1 2025: FLOW 3 (A) + 1 (B) = 4; STOCK only A's 5; RATE reported by nobody: not listed, counted.
    assert rows == {"NEW.FLOW": 4, "NEW.STOCK": 5}
    assert former.without_data == 1


def test_the_dic_picks_what_an_indicator_continues_among_the_old_provinces_indicators(merged, client):
    dic = make_user(Role.DIC_OFFICER, merged["dept_n"], username="so_moi_admin")
    foreign = indicators_of(ProvinceFactory(code="XYZ"))["RATE"]
    client.force_login(dic)
    rate = merged["ind_n"]["RATE"]
    page = client.get(reverse("admin:indicators_indicator_change", args=[rate.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Chỉ tiêu kế tục" in text
    assert "Tỉnh A · OLDA.RATE" in text and "Tỉnh B · OLDB.FLOW" in text
    assert foreign.code not in text  # another province's indicators are not offered


def succeed(old, new, effective_on):
    """``old`` ends the day before ``effective_on`` and ``new`` continues it."""
    from datetime import timedelta

    from indicators.choices import AgencyChange

    old.exists_until = effective_on - timedelta(days=1)
    old.save(update_fields=["exists_until"])
    AgencySuccession.objects.create(
        predecessor=old, successor=new, change=AgencyChange.MERGED, effective_on=effective_on
    )


def continue_flow(later, *earlier):
    for indicator in earlier:
        IndicatorContinuation.objects.create(earlier=indicator, later=later)


def test_a_province_that_absorbs_another_mid_quarter_counts_both_in_that_quarter_and_the_year(db):
    # EX exists throughout (no founding date); OA joins it on 15 August 2025, inside Q3.
    ex, oa = ProvinceFactory(code="EX"), ProvinceFactory(code="OA")
    succeed(oa, ex, date(2025, 8, 15))
    flow_ex, flow_oa = indicators_of(ex)["FLOW"], indicators_of(oa)["FLOW"]
    continue_flow(flow_ex, flow_oa)
    dept_ex, dept_oa = AgencyFactory(parent=ex), AgencyFactory(parent=oa)
    approved(dept_oa, period_of(oa, 2025, 1), {flow_oa: {"value": 3}})
    approved(dept_oa, period_of(oa, 2025, 3), {flow_oa: {"value": 2}})  # 1 July – 14 August
    approved(dept_ex, period_of(ex, 2025, 1), {flow_ex: {"value": 7}})
    approved(dept_ex, period_of(ex, 2025, 3), {flow_ex: {"value": 10}})
    period_of(oa, 2025, 4)  # opened by mistake after OA ended: not read
    approved(dept_oa, period_of(oa, 2024, 1), {flow_oa: {"value": 5}})
    approved(dept_ex, period_of(ex, 2024, 1), {flow_ex: {"value": 10}})
    for year, quarter in ((2025, 1), (2025, 3), (2025, None), (2024, 1)):
        compile_province_rollup(period=period_of(ex, year, quarter))
    # Years before the merger are EX's own, never restated: 2024 Q1 stays 10.
    assert stored(ex, 2024, 1)["FLOW"].value == 10
    # Q1, before the merger, stays EX's own 7; Q3: EX 10 + OA 2 = 12; the year adds
    # every quarter of both: 7 + 3 + 10 + 2 = 22.
    assert stored(ex, 2025, 1)["FLOW"].value == 7
    assert stored(ex, 2025, 3)["FLOW"].value == 12
    year = stored(ex, 2025, None)["FLOW"]
    assert (year.value, year.approved_agencies, year.required_agencies) == (22, 4, 4)


def test_an_indicator_reached_by_two_paths_is_counted_once(db):
    # A was split into B and C (2018), which merged into N (2020); A's 2017 Q4 FLOW is 5.
    a = ProvinceFactory(code="AA")
    b, c = (ProvinceFactory(code=code, exists_from=date(2018, 1, 1)) for code in ("BB", "CC"))
    n = ProvinceFactory(code="NN", exists_from=date(2020, 1, 1))
    for old, new, day in ((a, b, date(2018, 1, 1)), (a, c, date(2018, 1, 1))):
        succeed(old, new, day)
    for old in (b, c):
        succeed(old, n, date(2020, 1, 1))
    flows = {p.code: indicators_of(p)["FLOW"] for p in (a, b, c, n)}
    continue_flow(flows["BB"], flows["AA"])
    continue_flow(flows["CC"], flows["AA"])
    continue_flow(flows["NN"], flows["BB"], flows["CC"])
    approved(AgencyFactory(parent=a), period_of(a, 2017, 4), {flows["AA"]: {"value": 5}})
    compile_province_rollup(period=period_of(a, 2017, 4))
    former = former_overview(
        province=n, year=2017, quarter=4, predecessor_ids=AgencySuccession.objects.province_predecessors(n.pk)
    )
    (row,) = former.rows
    assert row.combined.value == 5  # not 10
    assert [[f.value for f in cell] for column, cell in row.cells if cell] == [[5]]  # A's column
    # Approving A's quarter again recompiles the provinces that continue it, at any distance.
    n_year = period_of(n, 2017, None)
    affected = {(p.province.code, p.quarter) for p in periods_affected_by(period_of(a, 2017, 4))}
    assert affected == {("AA", 4), ("NN", None)}
    assert n_year.province_id == n.pk


def test_an_old_province_never_run_here_is_named_where_figures_combine_without_it(merged, client):
    never = ProvinceFactory(code="OLDC", name="UBND tỉnh C (cũ)")
    succeed(never, merged["new"], date(2025, 7, 1))
    client.force_login(make_user(Role.STEERING_MEMBER, merged["new"], username="bcd_moi"))
    for year, quarter in ((2024, 4), (2025, None)):
        page = client.get(reverse("reporting:dashboard"), {"province": merged["new"].pk, "year": year, **(
            {"quarter": quarter} if quarter else {}
        )})  # fmt: skip
        assert f"Không có số liệu năm {year} của UBND tỉnh C (cũ) trên cổng" in page.content.decode(), year


def test_a_succession_recorded_without_ending_the_old_province_ends_it_the_day_before(db):
    ex, ob = ProvinceFactory(code="EX2"), ProvinceFactory(code="OB")
    AgencySuccession.objects.create(
        predecessor=ob, successor=ex, change="merged", effective_on=date(2025, 7, 1)
    )  # OB's exists_until left empty
    flow_ex, flow_ob = indicators_of(ex)["FLOW"], indicators_of(ob)["FLOW"]
    continue_flow(flow_ex, flow_ob)
    yearly_ex, yearly_ob = (
        IndicatorFactory(province=p, code=f"{p.code}.Y", frequency="yearly", measure_type=MeasureType.COUNT,
                         rollup_agencies=AgencyRollup.SUM, rollup_time=TimeRollup.STOCK)
        for p in (ex, ob)
    )  # fmt: skip
    continue_flow(yearly_ex, yearly_ob)
    dept_ex, dept_ob = AgencyFactory(parent=ex), AgencyFactory(parent=ob)
    approved(dept_ob, period_of(ob, 2025, 1), {flow_ob: {"value": 3}})
    approved(dept_ob, period_of(ob, 2025, 3), {flow_ob: {"value": 4}})  # after 30 June: not OB's any more
    approved(dept_ob, period_of(ob, 2027, 1), {flow_ob: {"value": 9}})
    approved(dept_ob, period_of(ob, 2025, None), {yearly_ob: {"value": 50}})  # a year OB did not finish
    approved(dept_ex, period_of(ex, 2025, 3), {flow_ex: {"value": 10}})
    approved(dept_ex, period_of(ex, 2025, None), {yearly_ex: {"value": 70}})
    approved(dept_ex, period_of(ex, 2027, 1), {flow_ex: {"value": 10}})
    for year, quarter in ((2025, 3), (2025, None), (2027, 1)):
        compile_province_rollup(period=period_of(ex, year, quarter))
    year = stored(ex, 2025, None)
    assert year["FLOW"].value == 13  # OB's Q1 3 + EX's Q3 10
    assert year["Y"].value == 70  # EX's own yearly report, not 70 + 50
    assert stored(ex, 2027, 1)["FLOW"].value == 10  # OB's later reports are never added
