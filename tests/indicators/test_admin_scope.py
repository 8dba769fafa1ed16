"""Admin scoping (issue 17): the admin form refuses what the import refuses — a DIC
officer creates no province — and rows every province shares are the administrators'."""

import pytest
from django.urls import reverse

from assignments.choices import Role
from indicators.models import Agency
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def agency_form(**fields):
    return {
        "code": "XX",
        "name": "UBND tỉnh Mới lập",
        "short_name": "",
        "kind": "province",
        "parent": "",
        "email": "",
        "is_active": "on",
        "exists_from": "",
        "exists_until": "",
        "successions-TOTAL_FORMS": "0",
        "successions-INITIAL_FORMS": "0",
        "successions-MIN_NUM_FORMS": "0",
        "successions-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_a_dic_officer_creates_no_province_in_the_admin_as_in_the_import(client, dic_user, province):
    client.force_login(dic_user)
    page = client.post(reverse("admin:indicators_agency_add"), agency_form())
    assert page.status_code == 200
    assert "Chỉ quản trị hệ thống được nhập, sửa cấp tỉnh." in page.content.decode()
    assert not Agency.objects.filter(code="XX").exists()
    # A department of their own province is theirs to add.
    added = client.post(
        reverse("admin:indicators_agency_add"),
        agency_form(code="BG.SXD", name="Sở Xây dựng", kind="department", parent=str(province.pk)),
    )
    assert added.status_code == 302 and Agency.objects.get(code="BG.SXD").province == province


def test_an_administrator_creates_a_province_in_the_admin(client, province):
    client.force_login(make_user(Role.ADMINISTRATOR, province, username="quantri_tinh"))
    assert client.post(reverse("admin:indicators_agency_add"), agency_form()).status_code == 302
    assert Agency.objects.get(code="XX").kind == "province"
