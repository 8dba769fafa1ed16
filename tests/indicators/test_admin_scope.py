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


def test_profile_history_and_the_account_choices_stay_in_the_province(
    client, dic_user, staff_user, other_province
):
    from assignments.models import UserProfile
    from tests.factories import AgencyFactory

    outsider = make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth_canbo")
    theirs, mine = UserProfile.objects.get(user=outsider), UserProfile.objects.get(user=staff_user)
    client.force_login(dic_user)
    base = "/admin/assignments/userprofile"
    assert client.get(f"{base}/{theirs.pk}/history/").status_code == 404
    record = theirs.history.latest()
    assert client.get(f"{base}/{theirs.pk}/history/{record.history_id}/").status_code == 404
    assert client.get(f"{base}/{mine.pk}/history/").status_code == 200
    page = client.get(f"{base}/{mine.pk}/history/{mine.history.latest().history_id}/")
    assert page.status_code == 200 and "tth_canbo" not in page.content.decode()
    # The same choices wherever an admin form offers an account.
    from indicators.admin import users_visible_to

    assert set(users_visible_to(dic_user).values_list("username", flat=True)) == {"sotttt", "canbo"}
    assert "tth_canbo" in users_visible_to(
        make_user(Role.ADMINISTRATOR, dic_user.profile.agency)
    ).values_list("username", flat=True)


def test_view_on_site_answers_404_outside_the_province(client, dic_user, province, other_province):
    from django.contrib.contenttypes.models import ContentType

    from indicators.models import Plan
    from tests.factories import PlanFactory

    mine, theirs = PlanFactory(province=province), PlanFactory(province=other_province)
    plan_type = ContentType.objects.get_for_model(Plan).pk
    client.force_login(dic_user)
    assert client.get(f"/admin/r/{plan_type}/{theirs.pk}/").status_code == 404
    own = client.get(f"/admin/r/{plan_type}/{mine.pk}/")
    assert own.status_code == 302 and own["Location"].endswith(mine.get_absolute_url())
    # A model without an admin page (evidence) is no way round.
    from reporting.models import Evidence

    evidence_type = ContentType.objects.get_for_model(Evidence).pk
    assert client.get(f"/admin/r/{evidence_type}/1/").status_code == 404


def test_every_page_of_a_row_of_another_province_is_a_404(client, dic_user, province, other_province):
    from tests.factories import PlanFactory

    mine, theirs = PlanFactory(province=province), PlanFactory(province=other_province)
    client.force_login(dic_user)
    for page in ("change", "delete", "history"):
        assert client.get(f"/admin/indicators/plan/{theirs.pk}/{page}/").status_code == 404, page
        assert client.get(f"/admin/indicators/plan/{mine.pk}/{page}/").status_code == 200, page
    assert client.post(f"/admin/indicators/plan/{theirs.pk}/delete/", {"post": "yes"}).status_code == 404
    assert theirs.__class__.objects.filter(pk=theirs.pk).exists()
