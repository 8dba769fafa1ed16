"""Accounts (issue 19): a DIC officer adds a person of the province in one Vietnamese
page, who gets an email to set their password; the list of the agencies that must
report but have no data-entry account or no address for reminders."""

import re
from smtplib import SMTPException

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assignments.choices import Role
from assignments.services import account_invite
from dti_portal.errors import PermissionDenied
from tests.factories import AgencyFactory, IndicatorFactory, ReportingObligationFactory, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
THIS_YEAR = timezone.localdate().year


def create(client, **fields):
    data = {"full_name": "Nguyễn Thị Lan", "email": "Lan.NT@bacgiang.gov.vn", "role": "department_staff"}
    return client.post(reverse("reporting:account-create"), {**data, **fields}, follow=True)


def test_a_dic_officer_adds_a_person_who_sets_a_password_from_the_email(
    client, settings, dic_user, department
):
    settings.PORTAL_BASE_URL = "https://dti.bacgiang.gov.vn"
    client.force_login(dic_user)
    form = client.get(reverse("reporting:account-create"), {"agency": department.pk}).content.decode()
    assert f'<option value="{department.pk}" selected>Sở Kế hoạch và Đầu tư</option>' in form
    assert "Cán bộ nhập liệu của đơn vị" in form and "Quản trị hệ thống" not in form  # roles as words

    page = create(
        client, agency=department.pk, position="Chuyên viên", phone="0204 3854 000"
    ).content.decode()
    assert "Đã gửi thư mời đặt mật khẩu tới lan.nt@bacgiang.gov.vn." in page
    user = User.objects.get(username="lan.nt@bacgiang.gov.vn")
    assert (user.email, user.first_name, user.is_staff, user.has_usable_password()) == (
        "lan.nt@bacgiang.gov.vn",
        "Nguyễn Thị Lan",
        False,
        False,
    )
    assert list(user.groups.values_list("name", flat=True)) == ["department_staff"]
    assert (user.profile.agency, user.profile.position, user.profile.phone) == (
        department,
        "Chuyên viên",
        "0204 3854 000",
    )
    assert "chưa đặt mật khẩu" in page and "Cán bộ nhập liệu của đơn vị" in page

    (invitation,) = mail.outbox
    assert invitation.to == ["lan.nt@bacgiang.gov.vn"]
    assert invitation.subject == "[Cổng DTI] Tài khoản của bạn: đặt mật khẩu để bắt đầu"
    assert "thuộc Sở Kế hoạch và Đầu tư" in invitation.body and "trong 24 giờ" in invitation.body
    link = re.search(r"https://dti\.bacgiang\.gov\.vn(/password-reset/\S+/\S+/)", invitation.body).group(1)
    client.logout()
    set_page = client.get(link, follow=True)
    set_url = set_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Lan-Bac-Giang-26", "new_password2": "Lan-Bac-Giang-26"})
    assert User.objects.get(username="lan.nt@bacgiang.gov.vn").check_password("Lan-Bac-Giang-26")


def test_the_invitation_is_vietnamese_whatever_language_the_officer_reads(
    client, settings, dic_user, department
):
    client.force_login(dic_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = create(client, agency=department.pk).content.decode()
    assert 'lang="en"' in page
    (invitation,) = mail.outbox
    assert invitation.subject == "[Cổng DTI] Tài khoản của bạn: đặt mật khẩu để bắt đầu"
    assert invitation.body.startswith("Kính gửi Nguyễn Thị Lan,")


def test_one_account_per_address_and_nothing_half_made(client, dic_user, department, staff_user):
    staff_user.email = "lan.nt@bacgiang.gov.vn"
    staff_user.save()
    client.force_login(dic_user)
    page = create(client, agency=department.pk, email="LAN.NT@bacgiang.gov.vn").content.decode()
    assert "Đã có tài khoản dùng địa chỉ thư lan.nt@bacgiang.gov.vn: tìm trong danh sách tài khoản." in page
    assert User.objects.count() == 2 and mail.outbox == []


def test_the_province_and_the_administrator_role_are_the_limits(client, dic_user, department, other_province):
    elsewhere = AgencyFactory(parent=other_province, code="TTH.S1")
    client.force_login(dic_user)
    page = create(client, agency=elsewhere.pk).content.decode()
    assert "Hãy chọn một giá trị hợp lệ. Giá trị này không có trong danh sách." in page
    page = create(client, agency=department.pk, role="administrator").content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ. administrator không phải là một trong các lựa chọn khả thi." in page
    assert not User.objects.filter(email="lan.nt@bacgiang.gov.vn").exists()
    # The service refuses the same, whatever page calls it.
    for agency, role in ((elsewhere, Role.DEPARTMENT_STAFF), (department, Role.ADMINISTRATOR)):
        with pytest.raises(PermissionDenied):
            account_invite(actor=dic_user, full_name="X", email="x@bacgiang.gov.vn", agency=agency, role=role)
    assert mail.outbox == []


def test_an_administrator_may_add_an_administrator(client, admin_user_portal, dic):
    client.force_login(admin_user_portal)
    create(client, agency=dic.pk, role="administrator", email="qt2@bacgiang.gov.vn")
    assert User.objects.get(username="qt2@bacgiang.gov.vn").is_staff


@pytest.mark.parametrize("who", ["staff_user", "steering_user"])
def test_the_pages_are_the_dics(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reporting:accounts")).status_code == 403
    assert client.get(reverse("reporting:account-create")).status_code == 403


def test_the_invitation_is_sent_again_until_a_password_is_set(client, dic_user, department, monkeypatch):
    client.force_login(dic_user)

    def refuse(*args, **kwargs):
        raise SMTPException("451 try later")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    page = create(client, agency=department.pk).content.decode()
    assert "Đã lưu tài khoản lan.nt@bacgiang.gov.vn, chưa gửi được thư mời" in page
    monkeypatch.undo()
    user = User.objects.get(username="lan.nt@bacgiang.gov.vn")
    page = client.post(reverse("reporting:account-invite", args=[user.pk]), follow=True).content.decode()
    assert "Đã gửi thư mời đặt mật khẩu tới lan.nt@bacgiang.gov.vn." in page and len(mail.outbox) == 1

    user.set_password("Lan-Bac-Giang-26")
    user.save()
    page = client.post(reverse("reporting:account-invite", args=[user.pk]), follow=True).content.decode()
    assert "đã đặt mật khẩu: không cần thư mời" in page and len(mail.outbox) == 1


def test_agencies_that_must_report_without_a_reporter_or_an_address_are_listed(client, province, dic_user):
    indicator = IndicatorFactory(province=province)
    nobody = AgencyFactory(parent=province, code="BG.G1", name="Ban Dân tộc", email="bdt@bacgiang.gov.vn")
    mute = AgencyFactory(parent=province, code="BG.G2", name="Đài Phát thanh", email="")
    make_user(Role.DEPARTMENT_STAFF, mute, username="dai", email="")
    reachable = AgencyFactory(parent=province, code="BG.G3", name="Sở Y tế", email="")
    make_user(Role.DEPARTMENT_STAFF, reachable, username="yte", email="yte@bacgiang.gov.vn")
    last_year_only = AgencyFactory(parent=province, code="BG.G4", name="Sở Tư pháp", email="")
    for agency in (nobody, mute, reachable):
        ReportingObligationFactory(indicator=indicator, agency=agency, year=THIS_YEAR)
    ReportingObligationFactory(indicator=indicator, agency=last_year_only, year=THIS_YEAR - 1)

    client.force_login(dic_user)
    page = client.get(reverse("reporting:accounts")).content.decode()
    assert f"2 đơn vị phải báo cáo năm {THIS_YEAR} chưa có người nhập liệu hoặc địa chỉ nhận thư nhắc" in page
    gaps = page[page.index('id="gaps-heading"') : page.index("tài khoản</h2>")]
    assert "Ban Dân tộc" in gaps and "Đài Phát thanh" in gaps
    assert "Sở Y tế" not in gaps and "Sở Tư pháp" not in gaps
    assert gaps.index("Ban Dân tộc") < gaps.index("Đài Phát thanh")
    ban = gaps[gaps.index("Ban Dân tộc") : gaps.index("Đài Phát thanh")]
    assert "chưa có tài khoản nhập liệu" in ban and "chưa có địa chỉ thư" not in ban
    dai = gaps[gaps.index("Đài Phát thanh") :]
    assert "chưa có địa chỉ thư (thư nhắc không gửi được)" in dai and "chưa có tài khoản nhập liệu" not in dai
    assert f'href="/reporting/accounts/new/?agency={nobody.pk}"' in gaps


def test_before_this_year_is_assigned_the_list_is_of_the_latest_year(client, province, dic_user):
    agency = AgencyFactory(parent=province, code="BG.G5", name="Sở Nội vụ", email="")
    ReportingObligationFactory(indicator=IndicatorFactory(province=province), agency=agency, year=2024)
    client.force_login(dic_user)
    page = client.get(reverse("reporting:accounts")).content.decode()
    assert "1 đơn vị phải báo cáo năm 2024 chưa có người nhập liệu" in page and "Sở Nội vụ" in page
