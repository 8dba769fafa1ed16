"""Browser: the DIC approves two submitted reports at once from the queue, confirming
in the browser's dialog (issue 19); desktop and phone screenshots."""

import pytest

from reporting.models import Submission
from tests.reporting.world import build_world, report

from .conftest import ARTIFACTS, login, screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_approve_two_reports_from_the_queue(browser, live_server, world, size):
    report(world, 0, 1, {"ARTICLES": {"value": 5}}, approve=False)
    report(world, 1, 1, {"ARTICLES": {"value": 7}}, approve=False)
    width = size[0]
    shots = ARTIFACTS / "review"
    shots.mkdir(parents=True, exist_ok=True)
    with screen(browser, live_server, size) as page:
        login(page, "sotttt")
        page.goto(live_server.url + "/reporting/submissions/")
        boxes = page.locator("input[name=report]")
        assert boxes.count() == 2
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.screenshot(path=shots / f"queue-picked-{width}.png", full_page=True)
        dialogs = []
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        page.get_by_role("button", name="Phê duyệt các báo cáo đã chọn").click()
        page.wait_for_load_state("networkidle")
        assert dialogs and dialogs[0].startswith("Phê duyệt tất cả các báo cáo đã chọn?")
        assert page.get_by_text("Đã phê duyệt 2 báo cáo.").is_visible()
        page.screenshot(path=shots / f"queue-approved-{width}.png", full_page=True)
    assert Submission.objects.filter(status="approved").count() == 2


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_the_review_page_flags_an_unusual_figure(browser, live_server, province, dic, dic_user, size):
    world = build_world(province, dic_user, count=5)
    for n, articles in enumerate([40, 10, 12, 11, 13]):
        report(world, n, 1, {"ARTICLES": {"value": articles}}, approve=False)
    flagged = world["agencies"][0].submissions.get(period__quarter=1)
    shots = ARTIFACTS / "review"
    shots.mkdir(parents=True, exist_ok=True)
    with screen(browser, live_server, size) as page:
        login(page, "sotttt")
        page.goto(f"{live_server.url}/reporting/submissions/{flagged.pk}/")
        row = page.locator("tr", has_text="cần xem lại")
        assert row.count() == 1
        assert "cao bất thường so với 4 đơn vị khác cùng kỳ (trung vị 11,5)" in row.inner_text()
        row.scroll_into_view_if_needed()
        page.screenshot(path=shots / f"outlier-{size[0]}.png", full_page=True)
