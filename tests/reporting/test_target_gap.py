"""The review page's "far from the target" flag: a figure that reaches less than half
its judging target, where the agency's own figure can be held against it alone."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import Submission
from reporting.selectors.submissions import review_aids, submission_rows

from .world import report

pytestmark = pytest.mark.django_db


def gaps(world, n, quarter=1):
    submission = Submission.objects.get(
        agency=world["agencies"][n], period__year=2024, period__quarter=quarter
    )
    groups, _tasks = submission_rows(submission=submission)
    review_aids(submission=submission, groups=groups, with_peers=False)
    return {row.indicator.code: row.target_gap for group in groups for row in group.values}


def test_a_figure_under_half_its_target_is_flagged_with_what_it_reaches(world):
    # A0, lead of BUDGET: a rate of 10/50 = 20 % against "≥ 50 %" reaches 20/50 = 40 %;
    # 900 million against "≥ 2 billion" reaches 45 %. 0 articles and "no" are not flagged:
    # a quarter's count is one part of the province's yearly total, and an answer is
    # not part of the way.
    report(
        world,
        0,
        1,
        {
            "RATE": {"numerator": 10, "denominator": 50},
            "ARTICLES": {"value": 0},
            "OPENDATA": {"is_done": False},
            "BUDGET": {"value": 900_000_000},
        },
    )
    found = gaps(world, 0)
    assert found["RATE"].share == Decimal("0.4") and found["RATE"].target.value == 50
    assert found["BUDGET"].share == Decimal("0.45")
    assert found["ARTICLES"] is None and found["OPENDATA"] is None


def test_half_the_target_and_another_agencys_lead_value_are_not_flagged(world):
    # 25/100 = 25 % reaches exactly half of 50 %: not less than half. A1 is not the lead
    # of BUDGET: its figure is not the province's, so not held against the target.
    report(world, 1, 1, {"RATE": {"numerator": 25, "denominator": 100}, "BUDGET": {"value": 1}})
    found = gaps(world, 1)
    assert found["RATE"] is None and found["BUDGET"] is None


def test_the_review_page_shows_the_flag(world, client):
    report(world, 0, 1, {"RATE": {"numerator": 10, "denominator": 50}}, approve=False)
    submission = Submission.objects.get(agency=world["agencies"][0], period__year=2024, period__quarter=1)
    client.force_login(world["dic_user"])
    text = client.get(reverse("reporting:submission-detail", args=[submission.pk])).content.decode()
    assert "xa mức kế hoạch" in text
    assert "chỉ đạt 40% của mức ≥ 50%" in text


def test_a_lead_among_several_is_judged_only_on_a_rate(world):
    # A1 becomes a second lead of BUDGET: the province's amount is the leads' sum, so
    # A0's 900 million is one part of it and not held against the 2 billion alone.
    from assignments.choices import AssignmentRole
    from assignments.models import IndicatorAssignment

    lead = IndicatorAssignment.objects.get(indicator__code="BUDGET", role=AssignmentRole.LEAD)
    IndicatorAssignment.objects.create(
        plan=lead.plan,
        indicator=lead.indicator,
        year=2024,
        agency=world["agencies"][1],
        role=AssignmentRole.LEAD,
    )
    report(world, 0, 1, {"RATE": {"numerator": 10, "denominator": 50}, "BUDGET": {"value": 900_000_000}})
    found = gaps(world, 0)
    assert found["BUDGET"] is None
    assert found["RATE"].share == Decimal("0.4")  # a rate is a ratio of sums: still comparable


def test_a_share_shown_as_half_is_not_flagged(world):
    # 24.998/100 = 24,998 % against "≥ 50 %" reaches 0.49996, shown as 50 %: not flagged
    # under half beside a number that says half.
    report(world, 0, 1, {"RATE": {"numerator": Decimal("24.998"), "denominator": 100}})
    assert gaps(world, 0)["RATE"] is None
    # 24.97 % reaches 0.4994, shown as 49,9 %: flagged.
    report(world, 1, 1, {"RATE": {"numerator": Decimal("24.97"), "denominator": 100}})
    assert gaps(world, 1)["RATE"].share == Decimal("0.4994")
