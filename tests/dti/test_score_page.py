"""The provisional score page over the seeded world: the points, what they rest on."""

from decimal import Decimal

import pytest
from django.urls import reverse

from .framework import FRAMEWORK

pytestmark = pytest.mark.django_db


def test_the_provisional_dti_score_reads_the_year_figures(
    client, compiled, steering_user, tmp_path, django_assert_max_num_queries
):
    """Year figures of the seeded world: RATE 50 % against 50 (all 40 points), ARTICLES
    14 against 20 (70 % of 60 = 42), OPENDATA 50 % yes (not all: 0 of 50), B.2 without
    an indicator (no data, 0 of its 30), B.3 measured by the ministry (left out): 82 /
    180 = 0,4556, of the framework's 200 points; every component of the decision is in
    the file (main A states no count: its two; B states three), none untracked."""
    from dti.services import framework_load

    path = tmp_path / "framework.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    framework_load(path=path)
    client.force_login(steering_user)
    with django_assert_max_num_queries(27):  # 2 of them the cache's stamps
        response = client.get(reverse("dti:score") + "?year=2024")
    dti = response.context["dti"]
    points = {row.component.code: row.score.points for rows in dti.rows.values() for row in rows}
    assert points == {
        "A.1": Decimal("40.00"),
        "A.2": Decimal("42.00"),
        "B.1": Decimal(0),
        "B.2": None,
        "B.3": Decimal("20.00"),
    }
    assert (dti.score.points, dti.score.maximum, dti.score.index) == (
        Decimal(82),
        Decimal(180),
        Decimal("0.4556"),
    )
    assert dti.untracked_count == 0
    assert [row.component.code for row in dti.missing] == ["B.2"]
    # Per group, what the province reports (B.3, the ministry's, left out of both).
    assert dti.groups == [
        ("Nền tảng chung", Decimal(82), Decimal(100)),
        ("Hoạt động chuyển đổi số", Decimal(0), Decimal(80)),
    ]
    page = response.content.decode()
    assert "0,4556" in page and "tính trên 180/200 điểm; 0 chỉ số thành phần chưa theo dõi" in page
    assert "82 / 180 điểm" in page and "Bộ tự đo" in page
    # The year's figures rest on 2 of the 12 agency-quarters: the points say so.
    assert "Điểm tạm tính trên số liệu chưa đủ: Dựa trên 2/12 báo cáo đã duyệt (17%)" in page
    assert "chưa có số liệu" in page


def test_the_dti_headline_says_how_much_of_the_framework_it_rests_on(
    client, compiled, steering_user, tmp_path
):
    """The decision gives main indicator B five components; the file lists three: two are
    not tracked, in neither the points nor the maximum, and the headline says so."""
    from dti.models import FrameworkIndicator
    from dti.services import framework_load

    path = tmp_path / "framework.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    framework_load(path=path)
    FrameworkIndicator.objects.filter(code="B").update(component_count=5)
    client.force_login(steering_user)
    response = client.get(reverse("dti:score") + "?year=2024")
    assert response.context["dti"].untracked_count == 2  # 2 (A) + 5 (B) decided, 5 in the file
    page = response.content.decode()
    assert "tính trên 180/200 điểm; 2 chỉ số thành phần chưa theo dõi" in page
    assert "2 chỉ số thành phần của Quyết định chưa có trong tệp bộ chỉ số, không tính vào điểm" in page
    assert "B.2" in page[page.index('id="dti-basis"') :]  # listed: in the file, no indicator linked
