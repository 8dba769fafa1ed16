"""The DTI evidence package as the province sends it: one zip of the evidence files
with an index workbook (components, documents, what is missing), written in the
ministry workbook's sheet style (``reporting.exports.workbook.Sheet``)."""

from __future__ import annotations

import io
import shutil
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from indicators.selectors import institution_names
from reporting.exports.workbook import Sheet, streamed_workbook


def evidence_package_zip(package, output) -> None:
    """Write the evidence package (``dti.selectors.EvidencePackage``) to ``output`` (a binary
    file) as one zip: ``00-Danh-muc.xlsx`` (components, evidence, what is missing) and
    every evidence file at its ``zip_name``. Files are copied in chunks, never read
    whole into memory, and stored as they are: PDFs, images and Office files are
    compressed already."""
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:
        index = io.BytesIO()
        evidence_index_workbook(package, index)
        archive.writestr("00-Danh-muc.xlsx", index.getvalue(), compress_type=zipfile.ZIP_DEFLATED)
        for _entry, document in package.documents:
            if document.zip_name:
                with (
                    document.evidence.file.open("rb") as source,
                    archive.open(document.zip_name, "w") as target,
                ):
                    shutil.copyfileobj(source, target, 1024 * 1024)


def evidence_index_workbook(package, output) -> None:
    """The package's index: one sheet of components (figure, source agencies, number of
    documents, problems), one of evidence documents, one of what is missing."""
    workbook = streamed_workbook(output)
    assessment = package.assessment
    window = (
        _("Thời hạn gửi minh chứng: %(start)s – %(end)s")
        % {
            "start": assessment.opens_on.strftime("%d/%m/%Y"),
            "end": assessment.closes_on.strftime("%d/%m/%Y"),
        }
        if assessment and assessment.opens_on and assessment.closes_on
        else _("Chưa nhập thời hạn gửi minh chứng của Bộ")
    )
    heading = [
        _("Hồ sơ minh chứng Chỉ số chuyển đổi số (DTI) năm %(year)s") % {"year": package.year},
        f"{package.province.name} · {institution_names(province_id=package.province.pk).dic.name}"
        + (f" · {package.framework.decision}" if package.framework else ""),
        f"{window} · " + _("Ngày lập: %(date)s") % {"date": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
    ]
    rows = []
    for number, entry in enumerate(package.components, start=1):
        rows.append(
            [
                number,
                entry.component.code,
                entry.component.name,
                entry.component.main.name,
                "; ".join(
                    f"{f.indicator.code}: {f.display}"
                    + (
                        f" · {pgettext('target value', 'mức kế hoạch')} {f.target.display}"
                        if f.target
                        else ""
                    )
                    for f in entry.figures
                ),
                "; ".join(agency.name for agency in entry.agencies),
                len(entry.documents),
                len(entry.problems),
            ]
        )
    sheet = Sheet(
        workbook,
        _("Chỉ số thành phần"),
        heading,
        [
            (_("STT"), "0"),
            (_("Mã"), None),
            (_("Chỉ số thành phần"), None),
            (_("Chỉ số chính"), None),
            (_("Số liệu của tỉnh / mức kế hoạch"), None),
            (_("Đơn vị nguồn số liệu"), None),
            (_("Số minh chứng"), "0"),
            (_("Việc còn thiếu"), "0"),
        ],
        rows,
    )
    for row in rows:
        sheet.row(row)
    rows = []
    for number, (entry, document) in enumerate(package.documents, start=1):
        value, item = document.value, document.evidence
        rows.append(
            [
                number,
                entry.component.code,
                value.indicator.code,
                value.submission.agency.name,
                str(value.submission.period.name),
                value.display,
                item.document_number,
                item.document_date,
                item.issuer,
                item.description,
                document.zip_name or item.link or _("(tệp không còn trên máy chủ)"),
            ]
        )
    sheet = Sheet(
        workbook,
        _("Minh chứng"),
        heading,
        [
            (_("STT"), "0"),
            (_("Mã chỉ số"), None),
            (_("Mã chỉ tiêu"), None),
            (_("Đơn vị"), None),
            (_("Kỳ"), None),
            (_("Số liệu"), None),
            (_("Số, ký hiệu văn bản"), None),
            (_("Ngày ban hành"), "DD/MM/YYYY"),
            (_("Cơ quan ban hành"), None),
            (_("Mô tả"), None),
            (_("Tệp trong hồ sơ nén / đường dẫn"), None),
        ],
        rows,
    )
    for row in rows:
        sheet.row(row)
    rows = [
        [number, entry.component.code, entry.component.name, str(problem.kind.label), problem.text]
        for number, (entry, problem) in enumerate(package.checklist, start=1)
    ]
    sheet = Sheet(
        workbook,
        _("Còn thiếu"),
        heading,
        [
            (_("STT"), "0"),
            (_("Mã chỉ số"), None),
            (_("Chỉ số thành phần"), None),
            (_("Loại"), None),
            (_("Việc còn thiếu"), None),
        ],
        rows,
    )
    for row in rows:
        sheet.row(row)
    if not rows:
        sheet.row([None, None, None, None, _("Không còn thiếu gì.")])
    workbook.close()
