"""The dashboards and the DTI score are kept in the cache (``dti_portal.caching``) and
never served stale: a compile, an approval, a catalogue edit, another reader or
another language each show at once; an unchanged page is served from the cache."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dti_portal import caching
from reporting.rollup.services import compile_province_rollup
from tests.dti.framework import FRAMEWORK
from tests.factories import IndicatorFactory, TargetFactory
from tests.reporting.world import period, report

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reporting:dashboard")
Q1 = {"year": 2024, "quarter": 1}


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens, masked anew for each response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def get(client, url, query):
    """The page and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_an_unchanged_overview_is_served_from_the_cache(client, compiled, steering_user):
    client.force_login(steering_user)
    first, cold = get(client, OVERVIEW, Q1)
    second, warm = get(client, OVERVIEW, Q1)
    assert without_tokens(second) == without_tokens(first)
    # The figures and their indicators, targets, pillars are not read again: only
    # the stamps (the catalogue's, the roll-up's) and what the page around reads.
    assert warm <= cold - 2


def test_a_compile_shows_at_once(client, compiled, steering_user):
    """Q1's RATE is (45 + 5) / (60 + 40) = 50/100; A2's 30/100 approved and compiled
    makes it (45 + 5 + 30) / (60 + 40 + 100) = 80/200 = 40%."""
    client.force_login(steering_user)
    page, _ = get(client, OVERVIEW, Q1)
    assert "50% (50/100)" in page
    report(compiled, 2, 1, {"RATE": {"numerator": 30, "denominator": 100}})
    # Approved, not compiled yet: the overview shows the roll-up as it stands.
    assert "50% (50/100)" in get(client, OVERVIEW, Q1)[0]
    compile_province_rollup(period=period(compiled, 1))
    page, _ = get(client, OVERVIEW, Q1)
    assert "40% (80/200)" in page and "50% (50/100)" not in page


def test_a_catalogue_edit_shows_at_once(client, compiled, steering_user):
    client.force_login(steering_user)
    rate = compiled["indicators"]["RATE"]
    page, _ = get(client, OVERVIEW, Q1)
    assert rate.name in page
    rate.name = "Tỷ lệ hồ sơ trực tuyến toàn trình (đã sửa)"
    rate.save()
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình (đã sửa)" in get(client, OVERVIEW, Q1)[0]
    # The target, edited in the admin: the figure keeps the target row it was judged on.
    target = rate.targets.get()
    target.value = Decimal(45)
    target.save()
    assert "≥ 45%" in get(client, OVERVIEW, Q1)[0]


def test_an_approval_shows_at_once_among_the_agencies_values(client, compiled, steering_user):
    """The indicator page lists each agency's approved value: A2's, approved after the
    compile, is there before the next compile."""
    client.force_login(steering_user)
    url = reverse("reporting:dashboard-indicator", args=[compiled["indicators"]["RATE"].pk])
    query = {**Q1, "period": period(compiled, 1).pk}
    page, _ = get(client, url, query)
    assert compiled["agencies"][2].name not in page
    assert without_tokens(get(client, url, query)[0]) == without_tokens(page)  # kept
    report(compiled, 2, 1, {"RATE": {"numerator": 30, "denominator": 100}})
    page, _ = get(client, url, query)
    assert compiled["agencies"][2].name in page and "30/100" in page


def test_a_page_kept_for_one_reader_is_not_served_to_another(client, compiled, dic_user, steering_user):
    """The DIC sees a link to give the unassigned indicator an agency; the steering
    committee, reading the same address next, does not."""
    rate = compiled["indicators"]["RATE"]
    unassigned = IndicatorFactory(province=compiled["province"], code="NOBODY", pillar=rate.pillar)
    TargetFactory(plan=rate.targets.get().plan, indicator=unassigned, year=2024)
    link = reverse("reporting:unassigned-indicators")
    client.force_login(dic_user)
    assert link in get(client, OVERVIEW, Q1)[0]
    client.force_login(steering_user)
    assert link not in get(client, OVERVIEW, Q1)[0]


def test_a_page_kept_in_one_language_is_not_served_in_another(client, compiled, steering_user):
    client.force_login(steering_user)
    year = {"year": 2024}  # no quarter, whose name the filters would hold in either language
    assert "Theo lĩnh vực" in get(client, OVERVIEW, year)[0]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page, _ = get(client, OVERVIEW, year)
    assert "Theo lĩnh vực" not in page and "By pillar" in page


def test_the_dti_score_shows_a_framework_edit_and_a_compile_at_once(
    client, compiled, steering_user, tmp_path
):
    """The seeded world's score: A.1 scores RATE's year figure, 50% against 50: all its
    40 points (tests/dti/test_score_page.py). Taken off A.1, RATE no longer counts:
    A.1 has no data."""
    from dti.models import FrameworkComponent
    from dti.services import framework_load

    path = tmp_path / "framework.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    framework_load(path=path)
    client.force_login(steering_user)
    url = reverse("dti:score")
    first = client.get(url, {"year": 2024})
    rows = {row.component.code: row for group in first.context["dti"].rows.values() for row in group}
    assert rows["A.1"].score.points == Decimal("40.00")
    kept = client.get(url, {"year": 2024})
    assert without_tokens(kept.content.decode()) == without_tokens(first.content.decode())
    assert kept.context.get("dti") is None  # not computed again
    # A many-to-many edit (the component's indicators), as the admin makes it.
    FrameworkComponent.objects.get(code="A.1").indicators.clear()
    second = client.get(url, {"year": 2024})
    rows = {row.component.code: row for group in second.context["dti"].rows.values() for row in group}
    assert rows["A.1"].score.points is None
    # A compile of the year moves the score's stamp too.
    compile_province_rollup(period=period(compiled, None))
    assert client.get(url, {"year": 2024}).context.get("dti") is not None  # drawn again


def test_every_catalogue_model_keeps_the_history_the_stamp_reads():
    """A catalogue model without history would change without moving the stamp."""
    for label in caching.CATALOGUE_APPS:
        for model in apps.get_app_config(label).get_models():
            if not hasattr(model, "instance_type"):  # a history model itself
                assert hasattr(model, "history"), f"{model._meta.label} keeps no history"
    assert len(caching.catalogue_stamp()) == len(caching.catalogue_models())
