"""Files that expand (issue 17): zip-based uploads — an evidence document, the offline
template, a framework table, an admin import — are refused from their zip directory
when they would expand too far, before anything is decompressed, with a Vietnamese
message; the process's memory does not grow while they are refused. The hostile files
are built here."""

import io
import os
import re
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.framework_files import framework_data_read
from dti.services import FrameworkError
from indicators.archives import ArchiveRefused, check_zip
from reporting.evidence import validate_evidence_file

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def zip_with(entries: dict[str, int | bytes], **kwargs) -> bytes:
    """A zip whose entries are given bytes or that many bytes of "a", written in 1 MB
    chunks: a 256 MB entry takes 256 KB here and never 256 MB of memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, content in entries.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as entry:
                chunk = b"a" * MB
                for _ in range(content // MB):
                    entry.write(chunk)
    return buffer.getvalue()


OOXML = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


def test_an_evidence_document_whose_mimetype_inflates_to_64_mb_is_refused():
    data = zip_with({"mimetype": 64 * MB, "content.xml": b"<x/>"})
    assert len(data) < 100 * 1024  # about 63 KB on disk
    with pytest.raises(ValidationError) as refused:
        validate_evidence_file(SimpleUploadedFile("bao-cao.odt", data))
    assert "bị nén bất thường" in refused.value.messages[0] and "bao-cao.odt" in refused.value.messages[0]


def test_an_evidence_document_of_ordinary_size_is_accepted():
    content = SimpleUploadedFile("ke-hoach.docx", zip_with({**OOXML, "word/media/anh.png": 2 * MB}))
    # 2 MB of one repeated byte is far beyond a real image's ratio: a real document's
    # parts over 1 MB compress a few times at most.
    with pytest.raises(ValidationError):
        validate_evidence_file(content)
    real = SimpleUploadedFile("ke-hoach.docx", zip_with(OOXML))
    assert validate_evidence_file(real).endswith("wordprocessingml.document")


def test_too_many_entries_and_too_much_in_all_are_refused(settings):
    settings.UPLOAD_ZIP_MAX_ENTRIES = 10
    with pytest.raises(ArchiveRefused, match="quá nhiều"):
        check_zip(io.BytesIO(zip_with({f"p{n}.xml": b"<x/>" for n in range(11)})), max_unzipped=MB)
    with pytest.raises(ArchiveRefused, match="vượt giới hạn"):
        check_zip(io.BytesIO(zip_with({"a.xml": b"x" * 600_000, "b.xml": b"y" * 600_000})), max_unzipped=MB)


def test_the_template_with_a_256_mb_shared_string_is_refused_without_growing(client, staff_user, submission):
    data = zip_with(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/sharedStrings.xml": 256 * MB}
    )
    upload = io.BytesIO(data)
    upload.name = "bao-cao.xlsx"
    client.force_login(staff_user)
    tracemalloc.start()
    try:
        response = client.post(reverse("reporting:submission-upload", args=[submission.pk]), {"file": upload})
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert "khi giải nén sẽ thành 256,0\xa0MB, vượt giới hạn 30,0\xa0MB" in response.content.decode()
    assert peak < 20 * MB  # the request's own allocations, the 256 KB file included


def test_a_framework_table_and_an_admin_import_that_expand_are_refused(tmp_path, client, dic_user):
    bomb = zip_with({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": 64 * MB})
    path = Path(tmp_path) / "bo-chi-so.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(FrameworkError, match="khi giải nén sẽ thành"):
        framework_data_read(path)
    client.force_login(dic_user)
    upload = io.BytesIO(bomb)
    upload.name = "agencies.xlsx"
    response = client.post(
        reverse("admin:indicators_agency_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert response.status_code == 200 and "khi giải nén sẽ thành 64,0\xa0MB" in response.content.decode()


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc/self/status")


SERVER_PROCESS = "DTI_BOMBS_IN_A_FRESH_PROCESS"


@pytest.mark.skipif(
    not os.environ.get(SERVER_PROCESS), reason="run by the test below, in a process of its own"
)
def test_the_bombs_through_the_portal(client, staff_user, dic_user, submission):
    """Each hostile file through the request stack, in this process only."""
    template = zip_with(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/sharedStrings.xml": 256 * MB}
    )
    client.force_login(staff_user)
    for _ in range(3):
        upload = io.BytesIO(template)
        upload.name = "bao-cao.xlsx"
        assert (
            client.post(
                reverse("reporting:submission-upload", args=[submission.pk]), {"file": upload}
            ).status_code
            == 400
        )
    with pytest.raises(ValidationError):
        validate_evidence_file(SimpleUploadedFile("bao-cao.odt", zip_with({"mimetype": 256 * MB})))
    client.force_login(dic_user)
    upload = io.BytesIO(zip_with({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": 256 * MB}))
    upload.name = "agencies.xlsx"
    response = client.post(
        reverse("admin:indicators_agency_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert "khi giải nén sẽ thành" in response.content.decode()
    print(f"VmHWM {peak_memory_mb():.0f} MB")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_server_process_stays_under_300_mb_while_bombs_are_refused():
    """The test above in a fresh Python process (Django, the test database, the
    portal's request stack): its peak resident memory over its whole life, the 256 MB
    bombs included, stays under 300 MB (an unbounded read took it past 630 MB)."""
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:xdist", "-p", "no:cacheprovider"]
        + [f"{__file__}::test_the_bombs_through_the_portal"],
        # Its own test database (SQLite in memory): the parent's PostgreSQL test
        # database is in use by the parent.
        env={**os.environ, SERVER_PROCESS: "1", "DATABASE_URL": "sqlite://:memory:", "CELERY_BROKER_URL": ""},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-2000:]
    peak = float(re.search(r"VmHWM (\d+) MB", child.stdout).group(1))
    assert peak < 300, peak
