"""The steering committee's dashboards in a real browser, in Vietnamese: the charts
are drawn by Chart.js served by the portal itself, every page prints on A4."""

import pytest
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ARTIFACTS, login, screen, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def chart_drawn(page, canvas_id: str) -> bool:
    """Whether Chart.js drew on the canvas, waiting for the page's scripts (a click's
    navigation may still be loading on a busy machine)."""
    try:
        page.wait_for_function(
            f"() => !!(window.Chart && Chart.getChart(document.getElementById('{canvas_id}')))",
            timeout=10_000,
        )
    except PlaywrightTimeout:
        return False
    return True


def test_the_steering_committee_reads_its_dashboards(page, compiled, steering_user):
    served = []
    page.on("response", lambda r: served.append((r.url, r.status)) if "chart.umd" in r.url else None)
    login(page, "bcd")
    page.goto(page.base + reverse("reporting:dashboard") + "?year=2024&quarter=1")
    assert page.locator("h1").inner_text() == "Tình hình thực hiện chỉ tiêu chuyển đổi số"
    assert served == []  # the overview's bars are drawn on the server: no chart script
    rate = page.locator(f"#figure-{compiled['indicators']['RATE'].pk}")
    page.locator("details.ov-pillar", has=rate).locator("summary").click()  # RATE's pillar, unfolded
    assert "50% (50/100)" in page.content()
    shot(page, "dashboard-overview")

    with page.expect_navigation():
        rate.locator("a").click()  # the RATE indicator's drill-down
    assert chart_drawn(page, "trend-chart")
    assert served == [(page.base + "/static/vendor/chartjs/chart.umd.min.js", 200)]  # from the portal, no CDN
    assert "Số liệu đã duyệt của các đơn vị" in page.content()
    shot(page, "dashboard-indicator")

    for name, tab in (("dashboard-agencies", "Đơn vị và nhiệm vụ"), ("dashboard-ranking", "Xếp hạng đơn vị")):
        page.click(f"text={tab}")
        page.wait_for_load_state()
        shot(page, name)
    assert "Cách tính điểm" in page.content()
    assert page.errors == []


def test_the_overview_prints_on_a4(page, compiled, steering_user):
    login(page, "bcd")
    page.goto(page.base + reverse("reporting:dashboard") + "?year=2024&quarter=1")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("form.filter-bar").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "dashboard-overview.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 10_000


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_a_folded_pillar_opens_by_keyboard_without_sideways_scroll(
    browser, live_server, compiled, steering_user, size
):
    with screen(browser, live_server, size) as page:
        login(page, "bcd")
        page.goto(page.base + reverse("reporting:dashboard") + "?year=2024&quarter=1")
        # Each of the world's indicators has a pillar of its own: OPENDATA's, at risk, comes first.
        assert "1 có nguy cơ không đạt" in page.locator("details.ov-pillar summary").first.inner_text()
        rate = page.locator(f"#figure-{compiled['indicators']['RATE'].pk}")
        pillar = page.locator("details.ov-pillar", has=rate)
        assert pillar.get_attribute("open") is None and not rate.is_visible()  # folded
        # The bar's words are read with the pillar's name, before it is opened.
        assert "1 đúng tiến độ" in pillar.locator("summary").inner_text()
        pillar.locator("summary").focus()
        page.keyboard.press("Enter")
        assert pillar.get_attribute("open") is not None and rate.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]  # no sideways scroll
        shot(page, f"dashboard-overview-open-{size[0]}")
        # On paper every pillar is unfolded.
        page.keyboard.press("Enter")
        assert not rate.is_visible()
        page.emulate_media(media="print")
        assert rate.is_visible()


def test_the_dic_desk(page, compiled, dic_user):
    login(page, "sotttt")
    page.goto(page.base + reverse("reporting:dashboard-dic") + "?year=2024")
    assert page.locator("h1").inner_text() == "Bàn làm việc của Sở KH&CN"
    shot(page, "dashboard-dic")
    assert page.errors == []
