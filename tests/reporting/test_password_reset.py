""" "Quên mật khẩu" (issue 19): Django's password reset in Vietnamese, the link built on
PORTAL_BASE_URL, the same answer whether or not an address has an account, limits per
address and per computer, and the trail of every request."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token

from assignments.models import PasswordResetRequest
from dti_portal.tokens import token_issue

pytestmark = pytest.mark.django_db

ADDRESS = "canbo@bacgiang.gov.vn"
SENT_PAGE = (
    "Nếu địa chỉ bạn nhập có tài khoản trên Cổng, một thư có đường dẫn đặt mật khẩu mới vừa được gửi tới đó"
)


@pytest.fixture
def staff_with_email(staff_user):
    staff_user.email = ADDRESS
    staff_user.save()
    return staff_user


def ask(client, email, ip="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, follow=True)


def test_the_login_page_offers_a_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert 'href="/password-reset/"' in page and "Quên mật khẩu?" in page


def test_a_reset_by_email_sets_a_new_password_and_revokes_api_tokens(client, settings, staff_with_email):
    settings.PORTAL_BASE_URL = "https://dti.bacgiang.gov.vn"
    token_issue(user=staff_with_email)
    response = ask(client, ADDRESS.upper())  # addresses match whatever their case
    assert SENT_PAGE in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [ADDRESS] and message.subject == "[Cổng DTI] Đặt lại mật khẩu"
    link = re.search(r"https://dti\.bacgiang\.gov\.vn(/password-reset/[^/\s]+/[^/\s]+/)", message.body).group(
        1
    )
    assert "Kính gửi" in message.body and "canbo" in message.body

    form = client.get(link, follow=True)
    assert (
        "Đặt mật khẩu mới" in form.content.decode()
        and "Tài khoản: <strong>canbo</strong>" in form.content.decode()
    )
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "Mật khẩu này quá phổ biến.<br>Mật khẩu này hoàn toàn là số." in weak.content.decode()
    done = client.post(
        set_url, {"new_password1": "Bac-Giang-2026!", "new_password2": "Bac-Giang-2026!"}, follow=True
    )
    assert "Mật khẩu mới đã được lưu" in done.content.decode()

    user = get_user_model().objects.get(pk=staff_with_email.pk)
    assert user.check_password("Bac-Giang-2026!")
    assert not Token.objects.filter(user=user).exists()
    # The link was for one use.
    again = client.get(link, follow=True).content.decode()
    assert "Đường dẫn này không còn dùng được" in again


def test_an_address_without_an_account_gets_the_same_answer_and_no_email(client, staff_with_email):
    known = ask(client, ADDRESS).content.decode()
    unknown = ask(client, "khong-co@bacgiang.gov.vn").content.decode()
    assert SENT_PAGE in known and SENT_PAGE in unknown
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert list(PasswordResetRequest.objects.order_by("pk").values_list("email", "throttled")) == [
        (ADDRESS, False),
        ("khong-co@bacgiang.gov.vn", False),
    ]


def test_an_address_gets_three_links_an_hour_and_the_answer_does_not_change(
    client, settings, staff_with_email
):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    for _n in range(5):
        assert SENT_PAGE in ask(client, ADDRESS, ip="10.0.0.7").content.decode()
    assert len(mail.outbox) == 3
    assert list(PasswordResetRequest.objects.order_by("pk").values_list("throttled", flat=True)) == [
        False,
        False,
        False,
        True,
        True,
    ]
    # Someone else asking for this address again and again does not stop its owner.
    assert SENT_PAGE in ask(client, ADDRESS, ip="10.0.0.8").content.decode()
    assert len(mail.outbox) == 4


def test_a_computer_asking_too_often_is_told_to_wait(client, settings, staff_with_email):
    settings.PASSWORD_RESET_PER_IP = 2
    ask(client, "a@bacgiang.gov.vn")
    ask(client, "b@bacgiang.gov.vn")
    refused = ask(client, ADDRESS)
    assert (
        "Máy này đã yêu cầu đặt lại mật khẩu quá nhiều lần trong một giờ: hãy thử lại sau."
        in refused.content.decode()
    )
    assert mail.outbox == [] and PasswordResetRequest.objects.count() == 2
    assert SENT_PAGE in ask(client, ADDRESS, ip="10.0.0.9").content.decode()  # another computer
    assert len(mail.outbox) == 1


def test_a_malformed_address_is_refused_in_vietnamese(client):
    page = ask(client, "khong-phai-dia-chi").content.decode()
    assert "Nhập một địa chỉ email hợp lệ." in page or "địa chỉ email hợp lệ" in page
    assert PasswordResetRequest.objects.count() == 0


def test_the_trail_is_shown_to_administrators_only(client, admin_user_portal, dic_user):
    PasswordResetRequest.objects.create(email=ADDRESS, ip_address="10.0.0.1", throttled=True)
    url = reverse("admin:assignments_passwordresetrequest_changelist")
    client.force_login(dic_user)
    assert client.get(url).status_code == 403
    client.force_login(admin_user_portal)
    page = client.get(url)
    assert (
        page.status_code == 200 and ADDRESS in page.content.decode() and "10.0.0.1" in page.content.decode()
    )
