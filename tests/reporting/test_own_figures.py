"""A department's own figures, targets and rank for its staff, read-only (issue 19):
a page of their own instead of the steering dashboards' 403."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_staff_read_their_own_agencys_approved_figures_targets_and_rank(client, compiled):
    client.force_login(compiled["staff"][0])
    assert client.get(reverse("reporting:dashboard")).status_code == 403  # the province's, not theirs
    response = client.get(reverse("reporting:dashboard-own"), {"year": 2024})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Số liệu của {compiled['agencies'][0].name}" in page
    # Its own first quarter, approved (the fixture's figures), beside the plan's targets.
    assert "45/60 (75%)" in page and "3.000.000.000" in page
    assert "≥ 20 tin, bài" in page and "≥ 2.000.000.000 đồng" in page
    # Not another agency's: agency 1 reported 5/40.
    assert "5/40" not in page
    # Its rank, by the steering committee's ranking: targets 3 of 3 met (100 %),
    # reports on time 0 of the 4 quarters due by today (the first sent after its due
    # date, the others not sent), no task; weights 0.5 and 0.3 with none for tasks:
    # (0.5 × 100 + 0.3 × 0) / 0.8 = 62.5, above agencies 1 and 2, which met fewer.
    assert "Hạng 1 trên 3 đơn vị cùng cấp · 62,5 điểm" in page
    assert "Chỉ tiêu đạt: 3/3" in page and "Báo cáo gửi đúng hạn: 0/4" in page
    assert "Nhiệm vụ hoàn thành đúng hạn: không có nhiệm vụ" in page
    assert 'href="/reporting/dashboard/mine/"' in client.get(reverse("home")).content.decode()
    # The steering committee's ranking writes the same score the same way.
    client.force_login(compiled["dic_user"])
    ranking = client.get(reverse("reporting:dashboard-ranking"), {"year": 2024}).content.decode()
    assert ">62,5</td>" in ranking


def test_a_year_without_periods_is_a_404_and_a_bad_year_the_latest(client, compiled):
    client.force_login(compiled["staff"][0])
    assert client.get(reverse("reporting:dashboard-own"), {"year": 1999}).status_code == 404
    page = client.get(reverse("reporting:dashboard-own"), {"year": "x"}).content.decode()
    assert "Xếp hạng năm 2024" in page
