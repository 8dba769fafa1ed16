"""Free text as it comes in and as it goes out to spreadsheets, in one module.

In: what users type is stored in Unicode NFC (Unikey and some phones send "Có" as
"C" + "o" + a combining acute accent, which would not match "Có"), with line breaks as
"\\n" and no control characters (a vertical tab pasted from Word is invisible on a page
and makes a spreadsheet unreadable). Out: a spreadsheet cell never holds a character
XML 1.0 forbids, so text stored before this rule cannot break a download.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["cell_text", "clean_text"]

# C0 controls except tab and line feed, DEL, the C1 controls, and the two
# non-characters XML refuses.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# What an xlsx cell (XML 1.0) cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE and the
# non-characters.
_ILLEGAL_IN_CELL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Text as the portal stores it: NFC, "\\r\\n" and "\\r" as "\\n", control
    characters removed (tab and line feed kept)."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def cell_text(value: str) -> str:
    """``value`` without the characters a spreadsheet cell cannot hold."""
    return _ILLEGAL_IN_CELL.sub("", value)
