"""Evidence files are accepted by what they contain, not by their names."""

import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dti_portal.errors import DomainError
from reporting import services
from reporting.evidence import download_name, sniff_content_type, validate_evidence_file
from reporting.models import Evidence


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def docx_bytes() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"%PDF-1.7 ...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0....", "image/jpeg"),
        (b"GIF89a....", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_accepted_documents(content, content_type):
    assert sniff_content_type(upload("x", content)) == content_type


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable",
        b"<html><script>alert(1)</script>",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an OLE header and nothing of an Office file",
        b"PK\x03\x04 a zip that is no document",
        b"",
    ],
)
def test_refused_documents(content):
    with pytest.raises(ValidationError):
        validate_evidence_file(upload("bao-cao.pdf", content))


def test_a_zip_of_anything_else_is_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", "MZ")
    assert sniff_content_type(upload("x.docx", buffer.getvalue())) is None


def test_the_stored_and_downloaded_name_take_the_real_type():
    assert download_name("trang.html", "application/pdf") == "trang.pdf"
    assert download_name("Quyết định 12.PDF", "application/pdf") == "Quyết định 12.pdf"


@pytest.mark.django_db
def test_a_pdf_named_html_is_stored_as_pdf(submission, staff_user):
    file = upload("trang.html", b"%PDF-1.4 ok")
    validate_evidence_file(file)
    services.submission_save(
        submission=submission,
        actor=staff_user,
        version=1,
        evidence=[services.EvidenceUpload(value_id=submission.values.first().pk, file=file)],
    )
    evidence = Evidence.objects.get()
    assert evidence.file_name == "trang.pdf" and evidence.file.name.endswith(".pdf")
    assert evidence.content_type == "application/pdf"


@pytest.mark.django_db
def test_a_failed_save_leaves_no_file_behind(submission, staff_user, department):
    from django.core.files.storage import default_storage

    from reporting.models import Submission

    other_value = Submission.objects.get(
        agency=department, period__quarter=2, period__year=2024
    ).values.first()
    good = upload("a.pdf", b"%PDF-1.4 a")
    validate_evidence_file(good)
    before = (
        set(default_storage.listdir("evidence/2024")[1]) if default_storage.exists("evidence/2024") else set()
    )
    with pytest.raises(DomainError):
        services.submission_save(
            submission=submission,
            actor=staff_user,
            version=1,
            evidence=[
                services.EvidenceUpload(value_id=submission.values.first().pk, file=good),
                services.EvidenceUpload(value_id=other_value.pk, link="https://x.gov.vn"),
            ],
        )
    after = (
        set(default_storage.listdir("evidence/2024")[1]) if default_storage.exists("evidence/2024") else set()
    )
    assert after == before and not Evidence.objects.exists()
