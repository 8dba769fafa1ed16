"""The dashboards: the ranking formula, figures read from the roll-up, the drill-down,
punctuality, permissions by province, and query counts flat at two data sizes."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assignments.choices import Role
from reporting import ranking, services
from reporting.choices import FigureStatus
from reporting.models import ChangeCount, ProvinceFigure, ReportingPeriod, Submission
from reporting.rollup.services import compile_province_rollup
from tests.factories import AgencyFactory, make_user

from .world import period, report

pytestmark = pytest.mark.django_db

WEIGHTS = {"targets": 0.5, "timeliness": 0.3, "tasks": 0.2}


def test_the_score_is_the_weighted_mean_of_the_shares():
    shares = {"targets": Decimal(80), "timeliness": Decimal(100), "tasks": Decimal(50)}
    assert ranking.score(shares, WEIGHTS) == Decimal("80.00")  # 40 + 30 + 10


def test_a_missing_share_is_left_out_not_counted_as_zero():
    shares = {"targets": Decimal(80), "timeliness": Decimal(100), "tasks": None}
    assert ranking.score(shares, WEIGHTS) == Decimal("87.50")  # (40 + 30) / 0.8
    assert ranking.score({"targets": None, "timeliness": None, "tasks": None}, WEIGHTS) is None


def test_equal_scores_share_a_rank_and_the_unscored_come_last():
    rows = [
        ranking.Standing(name, {}, score)
        for name, score in (
            ("B", Decimal(70)),
            ("A", Decimal(90)),
            ("C", Decimal(70)),
            ("D", None),
            ("E", Decimal(10)),
        )
    ]
    ranked = ranking.rank(rows)
    assert [(s.agency, s.rank) for s in ranked] == [("A", 1), ("B", 2), ("C", 2), ("E", 4), ("D", None)]


def test_share():
    assert ranking.share(1, 4) == 25 and ranking.share(0, 0) is None


def overview_page(client, user, **query):
    client.force_login(user)
    return client.get(reverse("reporting:dashboard"), {"year": 2024, **query})


def test_the_overview_reads_the_rollup_and_counts_each_status(client, compiled, steering_user):
    response = overview_page(client, steering_user, quarter=1)
    result = response.context["overview"]
    assert result.total == 4
    counts = {value: count for value, _label, count in result.counts}
    # RATE 50 % ≥ 50; ARTICLES 14 so far ≥ a quarter of 20; BUDGET is the lead's 3 bn; OPENDATA 50 % of 100.
    assert counts[FigureStatus.ON_TRACK] == 3 and counts[FigureStatus.AT_RISK] == 1
    page = response.content.decode()
    assert "50% (50/100)" in page and "Đúng tiến độ" in page and "Dựa trên 2/3 báo cáo đã duyệt (67%)" in page
    # The overview's bars are drawn on the server: no chart script to load.
    assert "chart.umd.min.js" not in page and '<svg class="ov-bar-svg"' in page
    # The page shows the roll-up, it does not recompute: a figure changed in the table
    # shows as is (counted, as a run counts its figures: the cache keys on it).
    ProvinceFigure.objects.filter(indicator__code="RATE", period__quarter=1).update(
        value=Decimal("12.5"), compiled_at=timezone.now()
    )
    ChangeCount.objects.add_one(ChangeCount.figures_changes(compiled["province"].pk))
    assert "12,5% (50/100)" in overview_page(client, steering_user, quarter=1).content.decode()


def test_the_overview_filters_by_pillar_and_plan(client, compiled, steering_user):
    rate = compiled["indicators"]["RATE"]
    response = overview_page(client, steering_user, quarter=1, pillar=rate.pillar_id)
    assert [f.indicator.code for g in response.context["overview"].pillars for f in g.figures] == ["RATE"]
    other_plan = rate.targets.get().plan.__class__.objects.create(
        number="99/KH-UBND",
        title="Khác",
        issuer="UBND",
        province=compiled["province"],
        year_from=2024,
        year_to=2024,
    )
    response = overview_page(client, steering_user, quarter=1, plan=other_plan.pk)
    assert response.context["overview"].total == 0


def test_the_trend_and_the_drill_down(client, compiled, steering_user):
    rate = compiled["indicators"]["RATE"]
    client.force_login(steering_user)
    response = client.get(reverse("reporting:dashboard-indicator", args=[rate.pk]))
    trend = response.context["trend"]
    assert [p.period.code for p in trend] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024"]
    assert trend[0].figure.value == 50 and trend[0].target.value == 50 and trend[1].figure is None
    chart = response.context["trend_chart"]
    # The chart's axis holds the quarters only (the year is in the table), with its unit;
    # Q2 to Q4 have no figure: a gap, not a line drawn across them (spanGaps false).
    assert chart["labels"] == ["Quý I/2024", "Quý II/2024", "Quý III/2024", "Quý IV/2024"]
    assert chart["figures"] == [50.0, None, None, None] and chart["unit"] == "%"
    assert "spanGaps: false" in (Path(settings.BASE_DIR) / "static/js/dashboard.js").read_text()
    q1 = period(compiled, 1)
    response = client.get(reverse("reporting:dashboard-indicator", args=[rate.pk]), {"period": q1.pk})
    assert sorted((v.submission.agency.code, v.display) for v in response.context["values"]) == [
        ("BG.A0", "45/60 (75%)"),
        ("BG.A1", "5/40 (12,5%)"),
    ]
    assert "45/60 (75%)" in response.content.decode()


def test_punctuality_counts_the_first_submission_against_the_due_date(client, compiled, steering_user):
    client.force_login(steering_user)
    rows = client.get(reverse("reporting:dashboard-agencies"), {"year": 2024}).context["rows"]
    by_code = {r.agency.code: r for r in rows}
    # Every 2024 period is past its due date today: reports sent today are late.
    a0 = by_code["BG.A0"]
    assert (a0.on_time, a0.due, a0.rate, len(a0.overdue)) == (0, 4, 0, 3)
    assert by_code["BG.A2"].due == 4 and len(by_code["BG.A2"].overdue) == 4


def test_the_ranking_puts_the_agency_that_meets_its_targets_first(client, compiled, steering_user):
    client.force_login(steering_user)
    response = client.get(reverse("reporting:dashboard-ranking"), {"year": 2024})
    ((label, rows),) = response.context["groups"]
    assert label == "Sở, ban, ngành"
    assert [(r.agency.code, r.rank) for r in rows] == [("BG.A0", 1), ("BG.A1", 2), ("BG.A2", 2)]
    top = rows[0]
    # Its own year: RATE 75 % ≥ 50, OPENDATA yes, BUDGET 3 bn (it leads it) met; the
    # articles are a province-wide sum, not held against one agency.
    assert top.counts["targets"] == (3, 3) and top.shares["timeliness"] == 0 and top.shares["tasks"] is None
    assert top.score == Decimal("62.50")  # (0.5 × 100 + 0.3 × 0) / 0.8: no task to count
    assert rows[1].counts["targets"] == (0, 2)  # BUDGET is not A1's to deliver
    assert "Điểm = 50% × tỷ lệ chỉ tiêu đạt" in response.content.decode()


def test_another_provinces_steering_member_sees_only_their_own(client, compiled, other_province):
    outsider = make_user(Role.STEERING_MEMBER, other_province, username="tth_bcd")
    response = overview_page(client, outsider, quarter=1, province=compiled["province"].pk)
    assert response.context["dash"]["province"] == other_province
    assert response.context["overview"].total == 0
    rate = compiled["indicators"]["RATE"]
    assert client.get(reverse("reporting:dashboard-indicator", args=[rate.pk])).status_code == 404


def test_department_staff_have_no_dashboards_and_the_dic_desk_is_the_dics(
    client, compiled, steering_user, dic_user
):
    client.force_login(compiled["staff"][0])
    assert client.get(reverse("reporting:dashboard")).status_code == 403
    client.force_login(steering_user)
    assert client.get(reverse("reporting:dashboard-dic")).status_code == 403
    client.force_login(dic_user)
    desk = client.get(reverse("reporting:dashboard-dic"), {"year": 2024}).context["desk"]
    assert desk.workload["approved"] == 2 and desk.workload["total"] == 12
    assert [r.period.code for r in desk.coverage] == ["2024-Q1", "2024"]


@pytest.mark.parametrize(
    "name",
    [
        "reporting:dashboard",
        "reporting:dashboard-agencies",
        "reporting:dashboard-ranking",
        "reporting:dashboard-dic",
        "reporting:dashboard-indicator",
    ],
)
def test_query_counts_do_not_grow_with_indicators_agencies_or_periods(
    client, compiled, dic_user, name, django_assert_max_num_queries
):
    from tests.factories import IndicatorFactory, ReportingObligationFactory, TargetFactory

    args = [compiled["indicators"]["RATE"].pk] if name.endswith("indicator") else []
    url = reverse(name, args=args)
    client.force_login(dic_user)
    with django_assert_max_num_queries(40) as small:
        client.get(url, {"year": 2024})
    province = compiled["province"]
    plan = compiled["indicators"]["RATE"].targets.get().plan
    extra = [AgencyFactory(parent=province) for _ in range(4)]
    for n in range(8):
        indicator = IndicatorFactory(province=province, code=f"MORE{n}")
        TargetFactory(plan=plan, indicator=indicator, year=2024)
        for agency in [*compiled["agencies"], *extra]:
            ReportingObligationFactory(indicator=indicator, agency=agency, year=2024)
    services.periods_open(province=province, year=2024, actor=dic_user)
    services.periods_open(province=province, year=2023, actor=dic_user)
    for p in ReportingPeriod.objects.filter(province=province):
        compile_province_rollup(period=p)
    assert Submission.objects.count() == 28  # from 12: 4 more agencies, 8 more indicators, a second year
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"year": 2024})


def test_odd_filters_never_break_a_page_and_valid_ones_still_apply(client, compiled, steering_user):
    client.force_login(steering_user)
    rate = compiled["indicators"]["RATE"]
    for query in (
        {"province": "²"},
        {"year": "abc"},
        {"quarter": "9"},
        {"plan": "abc"},
        {"pillar": "99999999"},
    ):
        for name in ("reporting:dashboard", "reporting:dashboard-agencies", "reporting:dashboard-ranking"):
            assert client.get(reverse(name), query).status_code == 200, (name, query)
        assert client.get(reverse("reporting:dashboard-indicator", args=[rate.pk]), query).status_code == 200
    response = client.get(
        reverse("reporting:dashboard"), {"year": 2024, "quarter": "9", "pillar": rate.pillar_id}
    )
    assert [f.indicator.code for g in response.context["overview"].pillars for f in g.figures] == ["RATE"]


def test_the_drill_down_follows_the_dashboards_period_and_a_years_quarters(client, compiled, steering_user):
    rate = compiled["indicators"]["RATE"]
    client.force_login(steering_user)
    url = reverse("reporting:dashboard-indicator", args=[rate.pk])
    assert client.get(url, {"year": 2024, "quarter": 1}).context["drill_period"].code == "2024-Q1"
    year = client.get(url, {"year": 2024})
    assert (
        year.context["drill_period"].code == "2024" and len(year.context["values"]) == 2
    )  # the quarters' values


def test_a_report_sent_before_its_due_date_counts_once_the_date_has_passed(compiled):
    from datetime import date

    from reporting.selectors.dashboards import agency_punctuality

    rows = {
        r.agency.code: r
        for r in agency_punctuality(province=compiled["province"], year=2024, today=date(2024, 3, 15))
    }
    assert rows["BG.A0"].due == 0  # Q1 is due on 20 March: not yet counted
    rows = {
        r.agency.code: r
        for r in agency_punctuality(province=compiled["province"], year=2024, today=date(2024, 3, 21))
    }
    assert (rows["BG.A0"].due, rows["BG.A0"].on_time) == (1, 0)  # sent in 2026, late


def test_a_task_counts_as_done_only_when_a_sent_report_says_so(compiled):
    from datetime import date

    from reporting.selectors.dashboards import yearly_ranking
    from tests.factories import TaskAssignmentFactory, TaskFactory

    a0, staff = compiled["agencies"][0], compiled["staff"][0]
    plan = compiled["indicators"]["RATE"].targets.get().plan
    TaskAssignmentFactory(task=TaskFactory(plan=plan, number="9", year_from=2024, year_to=2024), agency=a0)
    services.periods_open(province=compiled["province"], year=2024, actor=compiled["dic_user"])
    q2 = Submission.objects.get(agency=a0, period__year=2024, period__quarter=2)
    line = q2.task_progress.get()
    services.submission_save(
        submission=q2, actor=staff, version=q2.version, tasks={line.pk: {"status": "done"}}
    )

    def tasks_share():
        (rows,) = yearly_ranking(province=compiled["province"], year=2024, today=date(2026, 1, 1)).values()
        return next(r for r in rows if r.agency == a0).counts["tasks"]

    assert tasks_share() == (0, 1)  # a draft says nothing yet
    report(
        compiled,
        0,
        2,
        {
            "RATE": {"numerator": 45, "denominator": 60},
            "ARTICLES": {"value": 12},
            "OPENDATA": {"is_done": True},
            "BUDGET": {"value": 3_000_000_000},
        },
        approve=False,
    )
    assert tasks_share() == (1, 1)


def test_indicators_no_agency_reports_are_counted_apart_from_no_data(client, world, dic_user):
    from tests.factories import IndicatorFactory, TargetFactory

    # A fifth indicator with a 2024 target that no agency must report, and a sixth with a
    # target only for 2030 (nobody's to report in 2024: not "unassigned").
    plan = world["indicators"]["RATE"].targets.get().plan
    TargetFactory(plan=plan, indicator=IndicatorFactory(province=world["province"], code="ORPHAN"), year=2024)
    TargetFactory(plan=plan, indicator=IndicatorFactory(province=world["province"], code="LATER"), year=2030)
    compile_province_rollup(period=period(world, 1))
    response = overview_page(client, dic_user, quarter=1)
    counts = {value: count for value, _label, count in response.context["overview"].counts}
    # The four indicators agencies must report and LATER have no figure; ORPHAN has nobody.
    assert (counts[FigureStatus.NO_DATA], counts["unassigned"]) == (5, 1)
    # The link counts what the page lists.
    from assignments.selectors import indicators_without_reporters

    listed = indicators_without_reporters(province=world["province"], year=2024)
    assert [i.code for i in listed] == ["ORPHAN"] and response.context["overview"].unassigned_in_year == 1
    page = response.content.decode()
    assert "1 chỉ tiêu có mức kế hoạch năm 2024 chưa giao đơn vị báo cáo: giao đơn vị" in page
    assert reverse("reporting:unassigned-indicators") in page
    # The ministry workbook's summary counts them the same way.
    from io import BytesIO

    from openpyxl import load_workbook

    from reporting.exports.report import ministry_report
    from reporting.exports.workbook import ministry_workbook

    output = BytesIO()
    ministry_workbook(ministry_report(period=period(world, 1)), output)
    rows = list(load_workbook(BytesIO(output.getvalue()))["Tổng hợp"].iter_rows(min_row=4, values_only=True))
    totals = dict(zip(rows[0], rows[-1], strict=True))
    assert (totals["Chưa có số liệu"], totals["Chưa giao đơn vị báo cáo"], totals["Tổng số chỉ tiêu"]) == (
        5,
        1,
        6,
    )


def test_the_ranking_holds_no_case_all_year_against_nobody(client, world, steering_user):
    """A2 reports RATE 0/0 (no case) in every quarter it sends: RATE is not one of its
    targets (0 of 2, not 0 of 3)."""
    for quarter in (1, 2, 3, 4):
        report(world, 2, quarter, {"RATE": {"numerator": 0, "denominator": 0}})
    client.force_login(steering_user)
    ((_label, rows),) = client.get(reverse("reporting:dashboard-ranking"), {"year": 2024}).context["groups"]
    a2 = next(r for r in rows if r.agency.code == "BG.A2")
    # OPENDATA no (not met) and ARTICLES a sum (not judged alone); BUDGET is A0's.
    assert a2.counts["targets"] == (0, 1)
