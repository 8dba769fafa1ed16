"""A province merger (issue 16): Bắc Giang and a small old Bắc Ninh form the new Bắc
Ninh on 1 July 2025. The old provinces and their departments end on 30 June; the new
province and one successor per department code begin on 1 July; nothing the old
provinces reported changes; the second run writes nothing."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.choices import AgencyChange, AgencyKind
from indicators.models import Agency, AgencySuccession, Indicator, Target
from indicators.services import MergeError, indicators_continue, provinces_merge
from reporting.models import IndicatorValue, Submission
from tests.factories import AgencyFactory, IndicatorFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

JULY_1 = date(2025, 7, 1)
JUNE_30 = date(2025, 6, 30)


@pytest.fixture
def old_bac_ninh(db):
    province = ProvinceFactory(code="BNC", name="UBND tỉnh Bắc Ninh (cũ)", short_name="Bắc Ninh")
    AgencyFactory(parent=province, code="BNC.SKHDT", name="Sở Kế hoạch và Đầu tư", kind=AgencyKind.DEPARTMENT)
    AgencyFactory(parent=province, code="BNC.SYT", name="Sở Y tế", kind=AgencyKind.DEPARTMENT)
    return province


def merge(**kwargs):
    return provinces_merge(
        into="BN",
        name="UBND tỉnh Bắc Ninh",
        short_name="Bắc Ninh",
        from_codes=["BG", "BNC"],
        effective_on=JULY_1,
        basis="Nghị quyết của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh",
        **kwargs,
    )


def test_the_merger_ends_the_old_provinces_and_carries_their_departments(world, old_bac_ninh):
    """The world's Bắc Giang has BG.STTTT (dic) and three agencies BG.A0–A2 (kind
    department by the factory); old Bắc Ninh BNC.SKHDT and BNC.SYT."""
    reported = list(IndicatorValue.objects.order_by("pk").values_list("pk", "submission_id", "value"))
    submissions = list(Submission.objects.order_by("pk").values_list("pk", "status", "version"))
    targets = list(Target.objects.order_by("pk").values_list("pk", "value"))
    merge()
    bac_ninh = Agency.objects.get(code="BN")
    assert (bac_ninh.kind, bac_ninh.exists_from, bac_ninh.exists_until) == (AgencyKind.PROVINCE, JULY_1, None)
    for code in ("BG", "BNC", "BG.STTTT", "BG.A0", "BNC.SYT"):
        assert Agency.objects.get(code=code).exists_until == JUNE_30
    successors = dict(
        AgencySuccession.objects.values_list("predecessor__code", "successor__code").order_by(
            "predecessor__code"
        )
    )
    assert successors == {
        "BG": "BN",
        "BNC": "BN",
        "BG.A0": "BN.A0",
        "BG.A1": "BN.A1",
        "BG.A2": "BN.A2",
        "BG.STTTT": "BN.STTTT",
        "BNC.SKHDT": "BN.SKHDT",
        "BNC.SYT": "BN.SYT",
    }
    assert set(AgencySuccession.objects.values_list("change", "effective_on")) == {
        (AgencyChange.MERGED, JULY_1)
    }
    new_health = Agency.objects.get(code="BN.SYT")
    assert (new_health.province, new_health.name, new_health.exists_from) == (bac_ninh, "Sở Y tế", JULY_1)
    # What the old provinces reported and planned is exactly as it was.
    assert list(IndicatorValue.objects.order_by("pk").values_list("pk", "submission_id", "value")) == reported
    assert list(Submission.objects.order_by("pk").values_list("pk", "status", "version")) == submissions
    assert list(Target.objects.order_by("pk").values_list("pk", "value")) == targets
    # The second run writes nothing.
    history = Agency.history.count()
    assert not merge().changed
    assert Agency.history.count() == history


def test_a_wrong_merger_lists_every_problem_and_writes_nothing(province):
    province.exists_until = date(2025, 3, 31)
    province.save()
    with pytest.raises(MergeError) as refused:
        provinces_merge(into="BG", name="X", from_codes=["BG", "ZZ"], effective_on=JULY_1)
    assert refused.value.details == [
        "Không có tỉnh mã “ZZ”.",
        "Tỉnh mới “BG” không được đồng thời là tỉnh hợp nhất.",
        "Tỉnh UBND tỉnh Bắc Giang đã kết thúc ngày 31/03/2025, không phải ngày 30/06/2025.",
    ]
    assert not AgencySuccession.objects.exists() and not Agency.objects.filter(code="X").exists()


def test_the_command_says_what_it_wrote_and_then_that_nothing_changed(province, old_bac_ninh, capsys):
    args = ["--into", "BN", "--name", "UBND tỉnh Bắc Ninh", "--from", "BG", "--from", "BNC", "--effective"]
    call_command("merge_provinces", *args, "2025-07-01")
    # BN and the successors of BNC's two departments; BG and BNC succeeded, and the two
    # departments; BG, BNC and the two departments ended.
    assert capsys.readouterr().out.splitlines() == [
        "  thêm 3 Agency",
        "  thêm 4 AgencySuccession",
        "  cập nhật 4 Agency",
    ]
    call_command("merge_provinces", *args, "2025-07-01")
    assert "không có thay đổi" in capsys.readouterr().out
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("merge_provinces", *args, "1/7/2025")


def test_the_2025_demo_records_the_merger_and_the_end_of_the_district_tier(db, capsys):
    """The seed files' Bắc Giang (10 districts, 2 communes under them) and old Bắc Ninh
    (2 departments): Bắc Giang's departments and old Bắc Ninh's carried to the new
    Bắc Ninh, its districts ended and succeeded by it, its communes carried to it; the
    second run writes nothing."""
    from assignments.services import seed_plans_load
    from tests.assignments.test_seed_plans import BG_DISTRICTS

    seed_plans_load()
    call_command("load_reform_2025")
    capsys.readouterr()
    assert Agency.objects.get(code="BG").exists_until == JUNE_30
    assert Agency.objects.get(code="BNC").exists_until == JUNE_30
    carried = dict(
        AgencySuccession.objects.filter(change=AgencyChange.TIER_ABOLISHED).values_list(
            "predecessor__code", "successor__code"
        )
    )
    assert carried == {
        **{district: "BN" for district in BG_DISTRICTS},
        "BG.PHUCHOA": "BN.PHUCHOA",
        "BG.HONGGIANG": "BN.HONGGIANG",
    }
    assert Agency.objects.get(code="BN.PHUCHOA").parent.code == "BN"
    assert AgencySuccession.objects.get(predecessor__code="BNC.SNV").successor.code == "BN.SNV"
    assert not any(Agency.objects.filter(code__in=BG_DISTRICTS, exists_until__isnull=True))
    # Each of Bắc Giang's indicators is continued by one of the new Bắc Ninh, same code after "BN.".
    smartphone = Indicator.objects.get(code="BN.HTS.SMARTPHONE")
    assert [i.code for i in Indicator.objects.filter(continued_by__later=smartphone)] == ["BG.HTS.SMARTPHONE"]
    assert (
        Indicator.objects.filter(province__code="BN").count()
        == Indicator.objects.filter(province__code="BG").count()
    )
    assert not Target.objects.filter(indicator__province__code="BN").exists()
    call_command("load_reform_2025")
    assert "không có thay đổi" in capsys.readouterr().out


def test_continuing_indicators_refuses_a_province_not_succeeded_and_a_different_measure(world, old_bac_ninh):
    with pytest.raises(MergeError, match="không phải tỉnh mà"):
        indicators_continue(into="BNC", from_codes=["BG"])
    merge()
    bac_ninh = Agency.objects.get(code="BN")
    IndicatorFactory(province=bac_ninh, code="BN.RATE", measure_type="count", rollup_agencies="sum")
    with pytest.raises(MergeError, match="BN.RATE của UBND tỉnh Bắc Ninh khác RATE về loại số liệu"):
        indicators_continue(into="BN", from_codes=["BG", "BNC"])
    assert Indicator.objects.filter(province=bac_ninh).count() == 1  # nothing written


def test_administrators_record_a_merger_in_the_admin_and_no_one_else(client, world, old_bac_ninh, dic_user):
    from django.urls import reverse

    from assignments.choices import Role
    from tests.factories import make_user

    url = reverse("admin:indicators_agency_merge")
    client.force_login(dic_user)
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.ADMINISTRATOR, world["province"], username="quantri_hn"))
    assert "Hợp nhất tỉnh" in client.get(reverse("admin:indicators_agency_changelist")).content.decode()
    form = {
        "into": "BN",
        "name": "UBND tỉnh Bắc Ninh",
        "short_name": "Bắc Ninh",
        "provinces": [world["province"].pk, old_bac_ninh.pk],
        "effective_on": "01/07/2025",
        "basis": "NQ 202/2025/QH15",
        "continue_indicators": "on",
    }
    wrong = client.post(url, {**form, "into": "BG"})
    assert "Tỉnh mới “BG” không được đồng thời là tỉnh hợp nhất." in wrong.content.decode()
    assert not Agency.objects.filter(code="BN").exists()
    refused = client.post(url, {**form, "effective_on": "31/02/2025"})
    assert "Ngày không hợp lệ: hãy viết ngày/tháng/năm" in refused.content.decode()
    done = client.post(url, form)
    assert done.status_code == 302
    assert Agency.objects.get(code="BG").exists_until == JUNE_30
    # The world's four indicators are continued by four of the new province.
    assert Indicator.objects.filter(province__code="BN", continues__earlier__province__code="BG").count() == 4
    again = client.post(url, form, follow=True)
    assert "Việc hợp nhất đã được ghi, không có thay đổi." in again.content.decode()


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"effective_on": "01/01/0001"}, "Ngày có hiệu lực phải trong khoảng năm 2000–2100."),
        ({"effective_on": "01/01/1800"}, "Ngày có hiệu lực phải trong khoảng năm 2000–2100."),
        ({"into": "B N"}, "Mã tỉnh “B N” không hợp lệ"),
        ({"into": "X" * 50}, "không hợp lệ"),
        ({"into": "bg"}, "Tỉnh mới “BG” không được đồng thời là tỉnh hợp nhất."),
        ({"name": "Tỉnh " + "x" * 300}, "Giá trị này chỉ có tối đa 255 kí tự"),
        ({"provinces": []}, "Hãy chọn các tỉnh hợp nhất."),
    ],
)
def test_the_admin_merger_refuses_bad_input_in_vietnamese_and_writes_nothing(
    client, world, old_bac_ninh, change, problem
):
    from django.urls import reverse

    from assignments.choices import Role
    from tests.factories import make_user

    client.force_login(make_user(Role.ADMINISTRATOR, world["province"], username="quantri_hn"))
    form = {
        "into": "BN",
        "name": "UBND tỉnh Bắc Ninh",
        "provinces": [world["province"].pk, old_bac_ninh.pk],
        "effective_on": "01/07/2025",
        **change,
    }
    page = client.post(reverse("admin:indicators_agency_merge"), form)
    assert page.status_code == 200 and problem in page.content.decode()
    assert Agency.objects.get(code="BG").exists_until is None and not AgencySuccession.objects.exists()


def test_an_ended_province_is_not_merged_into_and_a_viewer_cannot_merge(client, world, old_bac_ninh):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from tests.factories import UserFactory

    merge()  # BG and BNC end on 30 June 2025
    with pytest.raises(MergeError, match="không còn tồn tại"):
        provinces_merge(into="BG", name="x", from_codes=["BN"], effective_on=date(2026, 1, 1))
    viewer = UserFactory(username="chi_xem", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_all_provinces"))
    client.force_login(viewer)
    assert client.get(reverse("admin:indicators_agency_merge")).status_code == 403
