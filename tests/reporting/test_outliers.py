"""Figures to look at twice on the review page (issue 19): the modified z-score against
the agency's own earlier figures and the other agencies' of the same period, with what
each flag rests on; and the change from the period before. Every expected score is
worked out by hand in the comments."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.outliers import Outlier, outlier

from .world import build_world, report, send_again

D = Decimal


def test_a_figure_far_from_the_others_median_is_flagged_with_its_basis():
    others = [D(10), D(12), D(11), D(13), D(9)]  # median 11; deviations 1 1 0 2 2 → MAD 1
    # 0.6745 × (20 − 11) / 1 = 6.07 → flagged, 6.1
    assert outlier(D(20), others, basis="peers") == Outlier("peers", 5, D(11), D("6.1"), high=True)
    # 0.6745 × (13 − 11) / 1 = 1.35 → not beyond 3.5
    assert outlier(D(13), others, basis="peers") is None


def test_a_low_figure_is_flagged_low():
    others = [D(100), D(110), D(105), D(95), D(102)]  # median 102; deviations 2 8 3 7 0 → MAD 3
    flag = outlier(D(10), others, basis="history")  # 0.6745 × (10 − 102) / 3 = −20.68
    assert (flag.score, flag.high, flag.median, flag.points) == (D("-20.7"), False, D(102), 5)


def test_when_most_figures_are_equal_the_mean_deviation_stands_in():
    others = [D(10), D(10), D(10), D(12)]  # median 10; deviations 0 0 0 2 → MAD 0, mean 0.5
    # (15 − 10) / (1.2533 × 0.5) = 7.98
    assert outlier(D(15), others, basis="history").score == D("8.0")
    # All equal: only another figure stands out, with no score.
    assert outlier(D(10), [D(10)] * 4, basis="history") is None
    assert outlier(D(11), [D(10)] * 4, basis="history") == Outlier("history", 4, D(10), None, high=True)
    # A rate at 100 % for eight quarters, then 95: unusual, and low.
    assert outlier(D(95), [D(100)] * 8, basis="history") == Outlier("history", 8, D(100), None, high=False)


def test_too_few_figures_are_no_basis_for_a_verdict():
    assert outlier(D(1000), [D(10), D(11), D(12)], basis="peers") is None
    assert outlier(None, [D(10)] * 5, basis="peers") is None


@pytest.mark.django_db
def test_the_review_page_flags_a_figure_against_the_other_agencies(client, province, dic, dic_user):
    world = build_world(province, dic_user, count=5)
    for n, articles in enumerate([40, 10, 12, 11, 13]):
        report(world, n, 1, {"ARTICLES": {"value": articles}}, approve=False)
    report(world, 1, 2, {"ARTICLES": {"value": 15}}, approve=False)
    client.force_login(dic_user)
    first = world["agencies"][0].submissions.get(period__quarter=1)
    page = client.get(reverse("reporting:submission-detail", args=[first.pk])).content.decode()
    # The four others: 10 11 12 13, median 11,5, deviations 1,5 0,5 0,5 1,5 → MAD 1;
    # 0.6745 × (40 − 11,5) / 1 = 19.2.
    assert "cao bất thường so với 4 đơn vị khác cùng kỳ (trung vị 11,5)" in page
    assert "kỳ trước của đơn vị" not in page  # no earlier quarters to judge by
    # The agency's own staff are not shown the other agencies' (unapproved) figures.
    client.force_login(world["staff"][0])
    own = client.get(reverse("reporting:submission-detail", args=[first.pk])).content.decode()
    assert "đơn vị khác cùng kỳ" not in own and "40" in own
    client.force_login(dic_user)
    usual = world["agencies"][3].submissions.get(period__quarter=1)
    # 11 against 40 10 12 13: median 12,5 (10 12 13 40 → 12, 13), deviations 27,5 2,5
    # 0,5 0,5 → MAD 1,5; 0.6745 × (11 − 12,5) / 1,5 = −0.67: not flagged.
    assert (
        "bất thường"
        not in client.get(reverse("reporting:submission-detail", args=[usual.pk])).content.decode()
    )
    # The change from the period before: 15 in Q2 against 10 in Q1, +5 (+50 %).
    second = world["agencies"][1].submissions.get(period__quarter=2)
    page = client.get(reverse("reporting:submission-detail", args=[second.pk])).content.decode()
    assert "thay đổi +5 (+50%)" in page


@pytest.mark.django_db
def test_a_flags_median_and_a_change_are_shown_rounded_as_figures_are(client, province, dic, dic_user):
    world = build_world(province, dic_user, count=5)
    rates = [(99, 100), (10, 30), (11, 30), (12, 30), (13, 30)]
    for n, (numerator, denominator) in enumerate(rates):
        report(world, n, 1, {"RATE": {"numerator": numerator, "denominator": denominator}}, approve=False)
    report(world, 1, 2, {"RATE": {"numerator": 11, "denominator": 30}}, approve=False)
    client.force_login(dic_user)
    first = world["agencies"][0].submissions.get(period__quarter=1)
    page = client.get(reverse("reporting:submission-detail", args=[first.pk])).content.decode()
    # The others: 33,33… 36,66… 40 43,33… %; median (36,666… + 40) / 2 = 38,333…, shown
    # as figures are, to 2 places. MAD (5 + 1,666… + 1,666… + 5 → 1,666…, 5) = 3,333…;
    # 0.6745 × (99 − 38,33) / 3,333 = 12.3: flagged.
    assert "cao bất thường so với 4 đơn vị khác cùng kỳ (trung vị 38,33)" in page
    # A1: 36,66… % in Q2 after 33,33… % in Q1: a change of +3,333… points, +10 %.
    second = world["agencies"][1].submissions.get(period__quarter=2)
    page = client.get(reverse("reporting:submission-detail", args=[second.pk])).content.decode()
    assert "thay đổi +3,33 (+10%)" in page


@pytest.mark.django_db
def test_the_period_figures_are_cached_and_never_stale_after_a_save_or_a_sending(
    client, province, dic, dic_user, django_assert_num_queries
):
    from reporting.selectors.submissions import period_figures

    world = build_world(province, dic_user, count=5)
    for n, articles in enumerate([40, 10, 12, 11, 13]):
        report(world, n, 1, {"ARTICLES": {"value": articles}}, approve=False)
    first = world["agencies"][0].submissions.select_related("period").get(period__quarter=1)
    indicators = {i.pk: i for i in world["indicators"].values()}
    articles = world["indicators"]["ARTICLES"].pk
    with django_assert_num_queries(2):  # the stamp, then the figures
        found = period_figures(period=first.period, indicators=indicators)
    assert sorted(found[articles].values()) == [10, 11, 12, 13, 40]
    with django_assert_num_queries(1):  # the stamp only: the rest from the cache
        assert period_figures(period=first.period, indicators=indicators) == found
    client.force_login(dic_user)
    url = reverse("reporting:submission-detail", args=[first.pk])
    assert "(trung vị 11,5)" in client.get(url).content.decode()

    # A3's 11 is returned and sent again as 30: the others are now 10 12 13 30, median
    # 12,5; deviations 2,5 0,5 0,5 17,5 → MAD 1,5; 0.6745 × (40 − 12,5) / 1,5 = 12.4.
    send_again(world, 3, 1, {"ARTICLES": {"value": 30}}, reviewer=dic_user)
    assert "(trung vị 12,5)" in client.get(url).content.decode()
