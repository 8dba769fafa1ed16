"""Browser: the DIC approves two submitted reports at once from the queue, confirming
in the browser's dialog (issue 19); desktop and phone screenshots."""

import pytest

from reporting.models import Submission
from tests.reporting.world import report

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
