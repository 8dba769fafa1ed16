"""Browser: "Quên mật khẩu" from the login page to a new password, on a desktop
screen and on a phone (issue 19), with screenshots of each step."""

import re

import pytest
from django.core import mail

from .conftest import ARTIFACTS, login, screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_forgotten_password_to_a_new_one(browser, live_server, staff_user, settings, size):
    settings.PORTAL_BASE_URL = live_server.url
    staff_user.email = "canbo@bacgiang.gov.vn"
    staff_user.save()
    width = size[0]
    shots = ARTIFACTS / "accounts"
    shots.mkdir(parents=True, exist_ok=True)
    with screen(browser, live_server, size) as page:
        page.goto(live_server.url + "/login/")
        page.get_by_role("link", name="Quên mật khẩu?").click()
        page.fill("#id_email", "canbo@bacgiang.gov.vn")
        page.screenshot(path=shots / f"reset-form-{width}.png", full_page=True)
        page.get_by_role("button", name="Gửi đường dẫn đặt lại mật khẩu").click()
        page.wait_for_url(live_server.url + "/password-reset/sent/")
        assert page.get_by_role("heading", name="Hãy kiểm tra hộp thư").is_visible()
        page.screenshot(path=shots / f"reset-sent-{width}.png", full_page=True)

        (message,) = mail.outbox
        link = re.search(r"http://\S+/password-reset/\S+/", message.body).group(0)
        page.goto(link)
        page.fill("#id_new_password1", "Bac-Giang-2026!")
        page.fill("#id_new_password2", "Bac-Giang-2026!")
        page.screenshot(path=shots / f"reset-new-password-{width}.png", full_page=True)
        page.get_by_role("button", name="Lưu mật khẩu mới").click()
        assert page.get_by_role("heading", name="Đã đặt mật khẩu mới").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        page.get_by_role("link", name="Đăng nhập").last.click()
        login(page, "canbo", "Bac-Giang-2026!")
