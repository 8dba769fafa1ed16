"""Zip-based files (xlsx, docx, odt …) read without letting them expand.

An Office file is a zip: 60 KB on disk can declare an entry of hundreds of megabytes.
``check_zip`` reads only the zip's directory and refuses, before anything is
decompressed, a file whose entries together would expand past a limit or whose large
entries are compressed beyond any real document's ratio. Python's zip reader never
decompresses past an entry's declared size, so a file that passes cannot grow beyond
what it declared. The XML inside is parsed by openpyxl with defusedxml (installed by
requirements.txt), which refuses entity expansion.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

__all__ = ["ArchiveRefused", "check_zip"]

# Entries smaller than this are never held against the ratio: a short XML part of
# repeated tags compresses far beyond what a large one can.
RATIO_FLOOR = 1024 * 1024


class FileRefused(ValueError):
    """An uploaded file refused before it is read whole; ``message`` says why, in
    Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ArchiveRefused(FileRefused):
    """A zip that would expand too much."""


def check_zip(source, *, max_unzipped: int, name: str = "") -> None:
    """Raise ``ArchiveRefused`` if the zip ``source`` (a path or a seekable binary file,
    rewound afterwards) would expand past ``max_unzipped`` bytes in all, has more
    than ``settings.UPLOAD_ZIP_MAX_ENTRIES`` entries, or has an entry of more than
    ``RATIO_FLOOR`` bytes compressed more than ``settings.UPLOAD_ZIP_MAX_RATIO`` times.
    A file that is not a zip passes: its reader says it cannot read it."""
    label = name or _("Tệp")
    position = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        if position is not None:
            source.seek(position)
    if len(entries) > settings.UPLOAD_ZIP_MAX_ENTRIES:
        raise ArchiveRefused(
            _("%(name)s chứa %(count)s tệp nén bên trong, quá nhiều để là một tài liệu.")
            % {"name": label, "count": len(entries)}
        )
    total = sum(entry.file_size for entry in entries)
    if total > max_unzipped:
        raise ArchiveRefused(
            _("%(name)s khi giải nén sẽ thành %(size)s, vượt giới hạn %(limit)s; hệ thống không đọc tệp này.")
            % {"name": label, "size": filesizeformat(total), "limit": filesizeformat(max_unzipped)}
        )
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > settings.UPLOAD_ZIP_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise ArchiveRefused(
                _(
                    "%(name)s có phần “%(part)s” bị nén bất thường (%(size)s nén còn %(packed)s); "
                    "hệ thống không đọc tệp này."
                )
                % {
                    "name": label,
                    "part": entry.filename[:80],
                    "size": filesizeformat(entry.file_size),
                    "packed": filesizeformat(entry.compress_size),
                }
            )
