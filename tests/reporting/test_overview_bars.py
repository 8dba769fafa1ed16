"""The overview's bars: the count in each shown status per pillar and for the province
(the pillars' added up), whole per cents by the largest remainder, pillars worst
first; the page's folded pillars; the agencies compared on an indicator's page.
Expected figures worked out by hand."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.choices import SHOWN_STATUSES
from reporting.models import ProvinceFigure, ReportingPeriod
from reporting.selectors import dashboards
from reporting.selectors.dashboards import percents, status_tally, worst_first_key
from tests.factories import IndicatorFactory, PillarFactory, PlanFactory, TargetFactory

from .world import period

pytestmark = pytest.mark.django_db

CODES = [code for code, _label in SHOWN_STATUSES]


# -- whole per cents ---------------------------------------------------------------


def test_per_cents_add_up_to_100_by_the_largest_remainder():
    # 1/3 each: 33 + 33 + 33 = 99; the remainders tie, so the first count gets the 1.
    assert percents([1, 1, 1]) == [34, 33, 33]
    assert percents([2, 1]) == [67, 33]  # 66,67 → 67 and 33,33 → 33
    # 1/8 = 12,5 each of 8... here 1, 1, 6 of 8: 12,5 + 12,5 + 75 → floors 12, 12, 75 = 99;
    # the remainders 4, 4, 0 (of 8): the first 12,5 gets the missing 1.
    assert percents([1, 1, 6]) == [13, 12, 75]
    assert percents([0, 0, 0]) == [0, 0, 0]  # nothing counted: no share
    # A count of 0 never gets a per cent, even when others must be rounded up.
    assert percents([0, 1, 2]) == [0, 33, 67]
    for counts in ([3, 1, 4, 1, 5, 9, 2], [1] * 7, [7, 0, 0, 0, 0, 0, 1], [13, 17, 19]):
        assert sum(percents(counts)) == 100


def test_a_tally_counts_every_shown_status_in_order_with_offsets():
    tally = status_tally(["met", "at_risk", "met", "no_data"])
    assert [c.code for c in tally.counts] == CODES  # zero counts included, in SHOWN_STATUSES order
    assert [(c.code, c.count, c.percent, c.offset) for c in tally.present] == [
        ("met", 2, 50, 0),
        ("at_risk", 1, 25, 50),
        ("no_data", 1, 25, 75),
    ]
    assert tally.total == 4


def test_worst_first_compares_exact_shares_not_counts():
    # 1 not met of 3 (33 %) is worse than 2 not met of 8 (25 %).
    few = status_tally(["not_met", "met", "met"])
    many = status_tally(["not_met", "not_met"] + ["met"] * 6)
    assert worst_first_key(few) < worst_first_key(many)


# -- the overview by pillar ------------------------------------------------------


@pytest.fixture
def pillars(province, dic_user):
    """Five pillars of a 2024 Q1, their figures' shown statuses chosen:

    A (order 1): met, met, at risk, not met      not met 1/4
    B (order 2): not met, at risk, no data       not met 1/3  → worst
    C (order 3): on track, at risk               at risk 1/2, no verdict 0
    D (order 4): at risk, insufficient           at risk 1/2, no verdict 1/2 → before C
    E (order 0): met, unassigned                 no verdict 1/2 only → last
    """
    services.periods_open(province=province, year=2024, actor=dic_user)
    q1 = ReportingPeriod.objects.get(province=province, year=2024, quarter=1)
    plan = PlanFactory(province=province, year_from=2024, year_to=2024)
    spec = {
        ("A", "Chính quyền số", 1): ["met", "met", "at_risk", "not_met"],
        ("B", "Kinh tế số", 2): ["not_met", "at_risk", "no_data"],
        ("C", "Xã hội số", 3): ["on_track", "at_risk"],
        ("D", "Hạ tầng số", 4): ["at_risk", "insufficient"],
        ("E", "Nhận thức số", 0): ["met", "unassigned"],
    }
    now = timezone.now()
    for (code, name, order), statuses in spec.items():
        pillar = PillarFactory(code=f"T.{code}", name=name, order=order)
        for n, status in enumerate(statuses):
            indicator = IndicatorFactory(province=province, pillar=pillar, code=f"{code}{n}")
            target = TargetFactory(plan=plan, indicator=indicator, year=2024)
            unassigned = status == "unassigned"
            ProvinceFigure.objects.create(
                period=q1,
                indicator=indicator,
                target=target,
                # "Not assigned" is no stored status: a target and nobody to report it.
                status="no_data" if unassigned else status,
                value=None if status in ("no_data", "unassigned") else Decimal(50),
                required_agencies=0 if unassigned else 2,
                approved_agencies=0 if status in ("no_data", "unassigned") else 2,
                compiled_at=now,
            )
    return q1


def test_pillars_come_worst_first_each_with_its_tally(pillars):
    result = dashboards.overview(period=pillars)
    assert [g.pillar.name for g in result.pillars] == [
        "Kinh tế số",  # B: 1/3 not met
        "Chính quyền số",  # A: 1/4 not met
        "Hạ tầng số",  # D: none not met, 1/2 at risk, 1/2 without a verdict
        "Xã hội số",  # C: none not met, 1/2 at risk, none without a verdict
        "Nhận thức số",  # E: nothing not met or at risk
    ]
    by_name = {g.pillar.name: g.tally for g in result.pillars}
    b = by_name["Kinh tế số"]
    assert (b.count("not_met"), b.count("at_risk"), b.count("no_data"), b.total) == (1, 1, 1, 3)
    # 33 + 33 + 33 = 99: the remainders tie, the first in SHOWN_STATUSES order (at risk) gets 1.
    assert [(c.code, c.percent) for c in b.present] == [("at_risk", 34), ("not_met", 33), ("no_data", 33)]
    a = by_name["Chính quyền số"]
    assert [(c.code, c.count, c.percent) for c in a.present] == [
        ("met", 2, 50),
        ("at_risk", 1, 25),
        ("not_met", 1, 25),
    ]
    # The unassigned figure counts as the rows show it (shown_status), not as stored.
    e = by_name["Nhận thức số"]
    assert [(c.code, c.count) for c in e.present] == [("met", 1), ("unassigned", 1)]
    for group in result.pillars:
        assert group.tally.total == len(group.figures)
        assert [c.code for c in group.tally.present] == sorted(
            {f.shown_status[0] for f in group.figures}, key=CODES.index
        )


def test_the_province_tally_is_the_pillars_added_up(pillars):
    result = dashboards.overview(period=pillars)
    # met 3 (A 2, E 1), on track 1, at risk 4, not met 2, insufficient 1, no data 1, unassigned 1.
    assert [c.count for c in result.tally.counts] == [3, 1, 4, 2, 1, 1, 1] and result.total == 13
    summed = [sum(g.tally.counts[i].count for g in result.pillars) for i in range(len(CODES))]
    assert [c.count for c in result.tally.counts] == summed
    # Of 13: floors 23, 7, 30, 15, 7, 7, 7 = 96; remainders (×100 mod 13) 1, 9, 10, 5, 9, 9, 9:
    # the 4 missing go to at risk (10), then on track, insufficient, no data (9, the earlier).
    assert [c.percent for c in result.tally.counts] == [23, 8, 31, 15, 8, 8, 7]
    assert sum(c.percent for c in result.tally.counts) == 100
    assert result.counts[0] == ("met", SHOWN_STATUSES[0][1], 3)


def test_the_page_shows_the_bars_worst_first_folded(
    client, pillars, steering_user, django_assert_max_num_queries
):
    client.force_login(steering_user)
    url = reverse("reporting:dashboard")
    # Fixed: session, user, filters, the cache's two stamps, the two of the overview
    # (a first view: nothing is kept yet), the header; none per row.
    with django_assert_max_num_queries(23):
        response = client.get(url, {"year": 2024, "quarter": 1})
    page = response.content.decode()
    # Each pillar a <details>, folded, its summary the name, the bar and its words.
    details = re.findall(r"<details[^>]*data-pillar=\"([^\"]+)\"[^>]*>", page)
    assert details == ["Kinh tế số", "Chính quyền số", "Hạ tầng số", "Xã hội số", "Nhận thức số"]
    assert not re.search(r"<details[^>]*\bopen\b", page)
    summary = page[page.index('data-pillar="Kinh tế số"') : page.index("</summary>")]
    assert summary.count("<rect") == 3 + 3  # three segments, three swatches beside the words
    assert re.search(r'x="0%" width="33%"[^>]*data-status="not_met"', summary) is None  # at risk first
    assert 'x="0%" width="34%" height="100%" fill="#ffc107" data-status="at_risk"' in summary
    assert 'x="34%" width="33%" height="100%" fill="#dc3545" data-status="not_met"' in summary
    words = re.sub(r"<[^>]+>", "", summary.split('class="ov-bar-words')[1])
    assert " ".join(words.split()) == ('small"> 1 có nguy cơ không đạt, 1 không đạt, 1 chưa có số liệu')
    # The order is explained on the page; the counts table reads the province tally.
    assert 'id="pillar-order"' in page and "Lĩnh vực đáng lo nhất ở trên cùng" in page
    counts = page[page.index('id="status-counts"') :]
    assert '<td class="text-end">4</td><td class="text-end">31%</td>' in counts
    # Every indicator row links to its page's comparison of agencies.
    assert (
        f"{reverse('reporting:dashboard-indicator', args=[ProvinceFigure.objects.first().indicator_id])}?"
        in page
    )
    assert page.count("#agency-comparison") == 13


def test_one_pillar_asked_for_is_open(client, pillars, steering_user):
    client.force_login(steering_user)
    pillar = PillarFactory(code="T.A")
    page = client.get(reverse("reporting:dashboard"), {"year": 2024, "quarter": 1, "pillar": pillar.pk})
    assert re.findall(r"<details[^>]*>", page.content.decode())[0].endswith(" open>")


# -- the agencies compared -------------------------------------------------------


def comparison_of(client, world, code, user):
    client.force_login(user)
    indicator = world["indicators"][code]
    response = client.get(
        reverse("reporting:dashboard-indicator", args=[indicator.pk]), {"period": period(world, 1).pk}
    )
    return response.context["comparison"], response.content.decode()


def test_rates_are_compared_as_rates_highest_first(client, compiled, steering_user):
    comparison, page = comparison_of(client, compiled, "RATE", steering_user)
    # A0 45/60 = 75 %, A1 5/40 = 12,5 %: each its own rate (not 50/100 shared out).
    assert [(r.value.submission.agency.code, r.figure, r.width) for r in comparison.rows] == [
        ("BG.A0", Decimal(75), Decimal("75.0")),
        ("BG.A1", Decimal("12.5"), Decimal("12.5")),
    ]
    assert comparison.axis_max == 100 and comparison.axis_label == "100%" and comparison.unit == "%"
    # The province's 50 % (50/100) and the target ≥ 50 %, both at half the axis.
    assert (comparison.province.at, comparison.province.text) == (Decimal("50.0"), "50% (50/100)")
    assert (comparison.target.at, comparison.target.text) == (Decimal("50.0"), "≥ 50%")
    section = page[page.index('id="agency-comparison"') : page.index('id="values"')]
    assert section.index("45/60 (75%)") < section.index("5/40 (12,5%)")
    assert 'width="75.0%"' in section and 'x1="50.0%"' in section  # SVG lengths, never "75,0"
    assert "đơn vị tính: %" in section and "50% (50/100)" in section and "≥ 50%" in section


def test_a_sum_is_compared_without_marks_its_total_said(client, compiled, steering_user):
    comparison, page = comparison_of(client, compiled, "ARTICLES", steering_user)
    # A0 12, A1 2 articles: the axis ends at the largest, 12; 2/12 = 16,7 %.
    assert [(r.value.submission.agency.code, r.width) for r in comparison.rows] == [
        ("BG.A0", Decimal("100.0")),
        ("BG.A1", Decimal("16.7")),
    ]
    assert comparison.province is None and comparison.target is None  # the province's total and target
    assert comparison.province_total == "14 tin, bài" and comparison.axis_label == "12 tin, bài"
    assert "Số liệu của tỉnh (cộng các đơn vị): <strong>14 tin, bài</strong>" in page


def test_answers_have_no_bars(client, compiled, steering_user):
    comparison, page = comparison_of(client, compiled, "OPENDATA", steering_user)
    assert comparison is None and 'id="agency-comparison"' not in page
