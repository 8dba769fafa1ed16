"""Text in and out (issue 17, "text that breaks downloads"): what users type is stored
in NFC without control characters; text stored before that rule (or written by the
admin) never breaks a spreadsheet download, the offline template, the ministry's
workbook or the DTI evidence package."""

import unicodedata
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Agency, Indicator
from indicators.text import cell_text, clean_text
from reporting import services
from reporting.models import Evidence, IndicatorValue, Submission
from reporting.workbooks import VALUES_SHEET

pytestmark = pytest.mark.django_db

DECOMPOSED_CO = "Co\u0301"  # "Có" as Unikey's decomposed mode types it: o + combining acute
VT = "\x0b"  # a vertical tab, pasted from Word


def test_clean_text_normalises_and_drops_control_characters():
    assert clean_text(DECOMPOSED_CO) == "Có" == unicodedata.normalize("NFC", DECOMPOSED_CO)
    assert clean_text(f"Dòng 1\r\nDòng 2\rDòng 3{VT}\x00\x1f\x7f\x85") == "Dòng 1\nDòng 2\nDòng 3"
    assert clean_text("Cột\tcột") == "Cột\tcột"  # tabs and line feeds stay
    assert cell_text(f"A{VT}B\x00C\ufffe") == "ABC"


def test_what_users_type_is_stored_clean(submission, staff_user, dic_user):
    text = submission.values.get(indicator__measure_type="text")
    services.submission_save(
        submission=submission,
        actor=staff_user,
        version=submission.version,
        values={
            text.pk: {"text": f"Đã ban hành{VT} quy chế", "note": f"{DECOMPOSED_CO} văn bản\r\nkèm theo"}
        },
    )
    text.refresh_from_db()
    assert (text.text, text.note) == ("Đã ban hành quy chế", "Có văn bản\nkèm theo")


def test_text_stored_with_control_characters_still_downloads(client, submission, staff_user):
    # As if stored before the rule, or typed in the admin: straight into the database.
    IndicatorValue.objects.filter(submission=submission).update(note=f"Ghi chú{VT}lạ\x1f")
    Agency.objects.filter(pk=submission.agency_id).update(name=f"Sở{VT} Kế hoạch")
    client.force_login(staff_user)
    response = client.get(reverse("reporting:submission-xlsx", args=[submission.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content))[VALUES_SHEET]
    assert "Sở Kế hoạch" in sheet["A1"].value
    assert {cell.value for cell in sheet["N"] if cell.value and "Ghi chú" in str(cell.value)} == {"Ghi chúlạ"}


def test_the_ministry_workbook_and_the_evidence_zip_survive_control_characters(client, compiled, dic_user):
    Indicator.objects.filter(code="RATE").update(name=f"Tỷ lệ{VT} hồ sơ")
    client.force_login(dic_user)
    response = client.get(reverse("reporting:ministry-export"), {"year": 2024, "quarter": 1})
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    names = [cell for row in workbook["Chỉ tiêu"].iter_rows(min_row=5, values_only=True) for cell in row]
    assert "Tỷ lệ hồ sơ" in names
    value = IndicatorValue.objects.filter(submission__status="approved", indicator__code="RATE").first()
    Evidence.objects.create(
        value=value, link="https://bacgiang.gov.vn/a", issuer=f"UBND{VT}", uploaded_by=dic_user
    )
    archive = client.get(reverse("dti:evidence-zip"), {"year": 2024})
    assert archive.status_code == 200
    index = zipfile.ZipFile(BytesIO(b"".join(archive.streaming_content))).read("00-Danh-muc.xlsx")
    assert load_workbook(BytesIO(index)).sheetnames[0] == "Chỉ số thành phần"


def test_a_decomposed_co_in_the_template_reads_as_yes(client, staff_user, submission):
    from tests.reporting.test_workbooks import filled, template, upload

    client.force_login(staff_user)
    response = upload(
        client, submission, filled(template(submission), {"BG.YES_NO": {"is_done": DECOMPOSED_CO}})
    )
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).values.get(indicator__code="BG.YES_NO").is_done is True


def test_the_admin_export_survives_a_control_character_typed_in_the_admin(client, dic_user, province):
    from tests.factories import IndicatorFactory

    IndicatorFactory(province=province, code="BG.LA", name=f"Chỉ tiêu{VT} lạ")
    client.force_login(dic_user)
    response = client.post(
        reverse("admin:indicators_indicator_export"),
        {"format": "0", "resource": "0", "indicatorresource_code": "on", "indicatorresource_name": "on"},
    )
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert rows == [("BG.LA", "Chỉ tiêu lạ")]
