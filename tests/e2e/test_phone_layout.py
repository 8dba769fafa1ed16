"""Browser: the portal on a phone (390×844). No page of the main journeys is wider
than the screen, for each role; the entry page is one card per indicator whose inputs
can be filled and saved on the phone. Desktop (1366) screenshots of the same pages are
left in test-artifacts/e2e/phone/ to compare the look by eye."""

from decimal import Decimal

import pytest

from reporting.models import IndicatorValue, Submission
from tests.reporting.world import period

from .conftest import ARTIFACTS, login, screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)

# Each role's main journey: the pages it reaches from its menu and home page. A path
# names what the ``ids`` fixture finds: {edit}, {detail}, {approved}, {indicator},
# {plan}, {agency}.
JOURNEYS = {
    "canbo0": [
        "/",
        "/reporting/submissions/{edit}/edit/",
        "/reporting/submissions/{edit}/",
        "/reporting/submissions/{approved}/",
        "/reporting/notifications/",
        "/reporting/dashboard/mine/?year=2024",
        "/catalogue/indicators/",
        "/catalogue/indicators/{indicator}/",
        "/catalogue/plans/",
        "/catalogue/plans/{plan}/",
        "/catalogue/agencies/",
        "/catalogue/agencies/{agency}/",
    ],
    "canbo2": ["/", "/reporting/submissions/{edit2}/edit/", "/reporting/dashboard/mine/?year=2024"],
    "sotttt": [
        "/",
        "/reporting/submissions/?status=",
        "/reporting/submissions/{approved}/",
        "/reporting/completeness/?year=2024",
        "/reporting/periods/",
        "/reporting/notifications/",
        "/reporting/accounts/",
        "/reporting/dashboard/agencies/?year=2024",
        "/reporting/dashboard/dic/?year=2024",
        "/reporting/dashboard/ranking/?year=2024",
        "/reporting/dashboard/indicators/{indicator}/",
        "/reporting/dashboard/dti/",
        "/catalogue/indicators/{indicator}/",
        "/catalogue/plans/{plan}/",
    ],
    "bcd": [
        "/",
        "/reporting/dashboard/agencies/?year=2024",
        "/reporting/dashboard/ranking/?year=2024",
        "/reporting/dashboard/indicators/{indicator}/",
        "/reporting/dashboard/dti/",
    ],
}


@pytest.fixture
def ids(compiled, steering_user):
    """Agencies 0 and 1 have their first quarter approved and compiled; agency 0's
    second quarter is being typed (its previous figures are the first quarter's)."""
    agencies = compiled["agencies"]
    rate = compiled["indicators"]["RATE"]
    return {
        "edit": Submission.objects.get(agency=agencies[0], period=period(compiled, 2)).pk,
        "edit2": Submission.objects.get(agency=agencies[2], period=period(compiled, 1)).pk,
        "approved": Submission.objects.get(agency=agencies[0], period=period(compiled, 1)).pk,
        "indicator": rate.pk,
        "plan": rate.targets.get().plan_id,
        "agency": agencies[0].pk,
    }


def page_name(path: str) -> str:
    return path.strip("/").replace("/", "_").replace("?", "_").replace("=", "") or "home"


def test_no_page_of_the_main_journeys_is_wider_than_a_phone(browser, live_server, ids):
    shots = ARTIFACTS / "phone"
    shots.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for username, paths in JOURNEYS.items():
        with screen(browser, live_server, PHONE) as page:
            login(page, username)
            for path in paths:
                url = path.format(**ids)
                response = page.goto(live_server.url + url)
                assert response.status == 200, f"{username} {url}: {response.status}"
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE[0]:
                    too_wide.append(f"{username} {url}: {width} px")
                    page.screenshot(path=shots / f"too-wide-{username}-{page_name(url)}.png", full_page=True)
    assert not too_wide, "wider than the phone's 390 px:\n" + "\n".join(too_wide)


def test_the_entry_page_is_one_card_per_indicator_on_a_phone(browser, live_server, ids):
    shots = ARTIFACTS / "phone"
    shots.mkdir(parents=True, exist_ok=True)
    url = f"{live_server.url}/reporting/submissions/{ids['edit']}/edit/"
    with screen(browser, live_server, PHONE) as page:
        login(page, "canbo0")
        page.goto(url)
        cards = page.locator(".entry-table > tbody > tr")
        assert cards.count() == 4  # RATE, ARTICLES, OPENDATA, BUDGET
        for n in range(4):
            card = cards.nth(n)
            assert card.evaluate("row => getComputedStyle(row).display") == "grid"
            box = card.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
        # The column headings are gone; each card names its target and previous figure
        # (the cell's data-label, shown before it).
        assert not page.locator(".entry-table thead").first.is_visible()
        rate = cards.filter(has_text="RATE")
        target = rate.locator("td[data-label='Mức kế hoạch năm']")
        previous = rate.locator("td[data-label='Kỳ trước']")
        assert target.is_visible() and target.inner_text() == "≥ 50%"
        # Agency 0 reported 45/60 in the first quarter: the previous figure is 75 %.
        assert previous.is_visible() and previous.inner_text() == "45/60 (75%)"
        label = target.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"Mức kế hoạch năm"'
        for field in rate.locator("input.form-control, textarea, select").all():
            if field.is_visible():
                field_box = field.bounding_box()
                assert field_box["width"] >= 200, "an input squeezed into its column"
                assert field_box["x"] + field_box["width"] <= PHONE[0]
        articles = cards.filter(has_text="ARTICLES")
        figure = articles.locator("input[inputmode=decimal]")
        assert figure.count() == 1
        figure.fill("17")
        articles.locator("textarea").first.fill("Đếm trên Cổng thông tin điện tử")
        page.screenshot(path=shots / "entry-filled-390.png", full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu nháp").click()
        assert page.get_by_text("Đã lưu nháp lúc").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    saved = IndicatorValue.objects.get(submission_id=ids["edit"], indicator__code="ARTICLES")
    assert saved.value == Decimal(17)
    assert saved.note == "Đếm trên Cổng thông tin điện tử"


@pytest.mark.parametrize(
    "path", ["/", "/reporting/submissions/{edit}/edit/", "/catalogue/indicators/{indicator}/"]
)
def test_desktop_keeps_its_tables(browser, live_server, ids, path):
    """At 1366 px the marked tables stay tables (the cards are for phones only)."""
    shots = ARTIFACTS / "phone"
    shots.mkdir(parents=True, exist_ok=True)
    url = path.format(**ids)
    with screen(browser, live_server, (1366, 768)) as page:
        login(page, "canbo0")
        page.goto(live_server.url + url)
        table = page.locator("table.table-cards").first
        assert table.evaluate("t => getComputedStyle(t).display") == "table"
        assert page.locator("table.table-cards thead").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        page.screenshot(path=shots / f"desktop-{page_name(url)}.png", full_page=True)
