"""Browser: "Quên mật khẩu" from the login page to a new password, on a desktop
screen and on a phone (issue 19), with screenshots of each step."""

import re

import pytest
from django.core import mail

from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_forgotten_password_to_a_new_one(browser, live_server, staff_user, settings, screen):
    settings.PORTAL_BASE_URL = live_server.url
    staff_user.email = "canbo@bacgiang.gov.vn"
    staff_user.save()
    width, height = screen
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    page.base = live_server.url
    shots = ARTIFACTS / "accounts"
    shots.mkdir(parents=True, exist_ok=True)
    try:
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
    finally:
        context.close()
