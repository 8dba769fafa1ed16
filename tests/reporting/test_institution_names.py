"""Pages, refusals and emails name the DIC as the province records it, by the name in
force on the day (issue 16; the names themselves: tests/indicators/test_institutions.py)."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from assignments.choices import Role
from dti_portal.errors import Conflict
from reporting import services
from tests.factories import AgencyFactory, make_user

from .test_services import bring_to

pytestmark = pytest.mark.django_db


def test_pages_name_the_dic_of_the_users_province_today(client, dic_user, other_province):
    client.force_login(dic_user)
    page = client.get(reverse("home")).content.decode()
    assert "Bàn làm việc Sở KH&amp;CN" in page
    assert "Sở Khoa học và Công nghệ tỉnh Bắc Giang · Cổng theo dõi Chỉ số chuyển đổi số" in page
    assert "TT&amp;TT" not in page
    # Another province's DIC, whose names are not recorded, reads the generic wording.
    other = make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth_dic")
    client.force_login(other)
    assert "Bàn làm việc cơ quan đầu mối" in client.get(reverse("home")).content.decode()


def test_a_refusal_names_the_dic_in_force(submission, staff_user, dic_user):
    approved = bring_to("approved", submission, staff_user, dic_user)
    with pytest.raises(Conflict) as refused:
        services.submission_save(submission=approved, actor=staff_user, values={}, version=approved.version)
    assert "hãy đề nghị Sở KH&CN mở lại báo cáo" in refused.value.message


def test_a_reminder_is_signed_by_the_dic_of_its_day(submission, staff_user, department):
    department.email = "skhdt@bacgiang.gov.vn"
    department.save()
    # 13 March 2024, a week before Q1 2024 is due: the department was still Sở TT&TT.
    services.reminders_send(today=date(2024, 3, 13), run="run-1")
    (message,) = mail.outbox
    assert message.body.rstrip().endswith("Sở Thông tin và Truyền thông tỉnh Bắc Giang")


def test_the_workbook_names_the_province_as_it_was_in_its_period(compiled):
    """The world's province renamed from 2025: its 2024 workbook keeps the old name,
    sent today by the DIC and to the ministry of today."""
    from io import BytesIO

    from openpyxl import load_workbook

    from indicators.choices import InstitutionRole
    from indicators.models import ProvinceInstitution
    from reporting.exports.report import ministry_report
    from reporting.exports.workbook import ministry_workbook

    from .world import period

    ProvinceInstitution.objects.create(
        province=compiled["province"],
        role=InstitutionRole.PROVINCE,
        name="UBND tỉnh Mới",
        since=date(2025, 1, 1),
    )
    output = BytesIO()
    ministry_workbook(ministry_report(period=period(compiled, 1)), output)
    header = load_workbook(BytesIO(output.getvalue()))["Chỉ tiêu"]["A2"].value
    assert (
        header == "UBND tỉnh Bắc Giang · Sở Khoa học và Công nghệ tỉnh Bắc Giang → Bộ Khoa học và Công nghệ"
    )
