"""Which evidence files the portal accepts, decided by their content, not their name.

Accepted: PDF, PNG, JPEG, GIF, WebP images, and Office documents (Word, Excel,
PowerPoint in both the OOXML and the old binary formats, OpenDocument).
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from indicators.archives import ArchiveRefused, check_zip

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
OOXML_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_TYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
)
# Old binary Office files are OLE compound files; the stream at their root says which.
OLE_TYPES = {
    "WordDocument": "application/msword",
    "Workbook": "application/vnd.ms-excel",
    "Book": "application/vnd.ms-excel",
    "PowerPoint Document": "application/vnd.ms-powerpoint",
}
# The extension a stored or downloaded file gets, from its detected type: a file named
# "page.html" that is really a PDF is saved and served as ".pdf".
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
    OOXML_TYPES["word/"]: ".docx",
    OOXML_TYPES["xl/"]: ".xlsx",
    OOXML_TYPES["ppt/"]: ".pptx",
    ODF_TYPES[0]: ".odt",
    ODF_TYPES[1]: ".ods",
    ODF_TYPES[2]: ".odp",
}


def sniff_content_type(upload) -> str | None:
    """The MIME type of an accepted document, read from its bytes; None otherwise."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(OLE_MAGIC):
        return _ole_document_type(upload)
    if head.startswith(ZIP_MAGIC):
        return _zip_document_type(upload)
    return None


def _zip_document_type(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as entry:  # a few bytes, whatever it declares
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                return mimetype if mimetype in ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for folder, mimetype in OOXML_TYPES.items():
                    if any(name.startswith(folder) for name in names):
                        return mimetype
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def _ole_document_type(upload) -> str | None:
    try:
        with olefile.OleFileIO(upload) as ole:
            for stream, mimetype in OLE_TYPES.items():
                if ole.exists(stream):
                    return mimetype
    except (OSError, ValueError):  # olefile raises OSError for a damaged file
        return None
    finally:
        upload.seek(0)
    return None


def download_name(original: str, content_type: str) -> str:
    """The user's file name with the extension of what the file really is."""
    stem = PurePath(original).stem[:200] or "minh-chung"
    return stem + EXTENSIONS.get(content_type, "")


def validate_evidence_file(upload) -> str:
    """Refuse a file that is too large or not an accepted document; return its type."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” nặng %(size)s, vượt quá giới hạn %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    try:
        check_zip(
            upload,
            max_unzipped=settings.EVIDENCE_MAX_UNZIPPED_BYTES,
            name=_("Tệp “%(name)s”") % {"name": upload.name},
        )
    except ArchiveRefused as error:
        raise ValidationError(error.message, code="expands") from error
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải PDF, ảnh hay tài liệu Office (Word, Excel, PowerPoint); "
                "hệ thống kiểm tra nội dung tệp chứ không chỉ phần đuôi tên."
            )
            % {"name": upload.name},
            code="bad_type",
        )
    upload.portal_content_type = content_type
    return content_type
