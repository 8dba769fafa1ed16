"""Numbers and structures at the edges (issue 17): a figure that rounds past what a
figure column holds, NaN and infinity from a spreadsheet, and a JSON body nested
thousands deep are refused with 400 and a Vietnamese message, never a 500."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.formatting import storable
from reporting.models import IndicatorValue

from .test_workbooks import filled, template, upload

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000


def test_storable_rounds_then_bounds():
    assert storable(Decimal("9999999999999999.99994")) == Decimal("9999999999999999.9999")
    assert storable(Decimal("2.00005")) == Decimal("2.0001")  # half up, as the pages show it
    for bad in ("9999999999999999.99995", "-9999999999999999.99995", "1E16", "NaN", "Infinity"):
        with pytest.raises(ValueError):
            storable(Decimal(bad))


def test_a_figure_that_rounds_past_the_column_is_refused_on_the_page(client, staff_user, submission):
    count = submission.values.get(indicator__measure_type="count")
    client.force_login(staff_user)
    form = {"version": submission.version, f"v{count.pk}-value": "9.999.999.999.999.999,99995"}
    response = client.post(reverse("reporting:submission-edit", args=[submission.pk]), form)
    assert response.status_code == 400 and "Số quá lớn." in response.content.decode()
    assert IndicatorValue.objects.get(pk=count.pk).value is None


SENTINEL = 123456789


def with_cell_xml(file, xml: bytes):
    """The workbook ``file`` with the number cell holding SENTINEL rewritten as ``xml``
    (what a program other than Excel may write: NaN, an infinite number)."""
    source, output = zipfile.ZipFile(file), io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            target.writestr(entry, data.replace(f"<v>{SENTINEL}</v>".encode(), b"<v>" + xml + b"</v>"))
    output.seek(0)
    output.name = "bao-cao.xlsx"
    return output


@pytest.mark.parametrize(
    "cell, message",
    [
        (9999999999999999.99995, "cột “Số lượng / số tiền” có giá trị “1e+16” không hợp lệ"),
        (
            "9999999999999999,99995",
            "cột “Số lượng / số tiền” có giá trị “9999999999999999,99995” không hợp lệ",
        ),
        (b"1E999", "cột “Số lượng / số tiền” có giá trị “inf” không hợp lệ"),
        (b"-1E999", "cột “Số lượng / số tiền” có giá trị “-inf” không hợp lệ"),
        (b"NaN", "Không đọc được tệp Excel."),  # not even a number to openpyxl
    ],
)
def test_a_figure_past_the_column_or_not_a_number_in_the_template_is_refused(
    client, staff_user, submission, cell, message
):
    client.force_login(staff_user)
    if isinstance(cell, bytes):
        file = with_cell_xml(filled(template(submission), {"BG.COUNT": {"value": SENTINEL}}), cell)
    else:
        file = filled(template(submission), {"BG.COUNT": {"value": cell}})
    response = upload(client, submission, file)
    assert response.status_code == 400 and message in response.content.decode()
    assert submission.values.get(indicator__code="BG.COUNT").value is None


def test_a_json_body_nested_5000_deep_is_a_400_everywhere(submission, staff_user):
    anonymous = APIClient()
    response = anonymous.post("/api/v1/token/", DEEP, content_type="application/json")
    assert response.status_code == 400 and "lồng nhau quá sâu" in response.json()["detail"]
    api = APIClient()
    api.force_authenticate(staff_user)
    response = api.post(f"/api/v1/submissions/{submission.pk}/save/", DEEP, content_type="application/json")
    assert response.status_code == 400 and "lồng nhau quá sâu" in response.json()["detail"]
