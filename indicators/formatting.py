"""Numbers the Vietnamese way, in one module: written ("1.234,5"), read as users type
them (``parse_number``), as spreadsheet cells (``excel_number``), and quarter names
("Quý I/2024")."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}

PERCENT = "%"


def with_unit(text: str, unit: str) -> str:
    """A number with its unit, as the provincial plans write it: the per cent sign
    attaches to the number ("75%", "≥ 50%", "5%/năm"), any other unit follows a space
    ("20 tin, bài", "2.000.000.000 đồng"). Every percentage the portal writes comes here."""
    unit = (unit or "").strip()
    if unit.startswith(PERCENT):
        return f"{text}{unit}"
    return f"{text} {unit}".strip()


def percent(value: Decimal | int | float) -> str:
    """A number of per cent as written: 78.21 → "78,21%", -12.5 → "-12,5%"."""
    return with_unit(format_number(value), PERCENT)


def format_number(value: Decimal | int | float | None) -> str:
    """Thousands with dots, decimals with a comma, trailing zeros dropped: 2.000.000.000;
    0,25; -1.234,5; 0 for a negative zero. Raises ``decimal.InvalidOperation`` for NaN
    and infinity. Python's own grouping writes it: a page of the submission API writes
    3,000 numbers."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    if not number.is_finite():
        raise InvalidOperation(f"{number} is not a number to write")
    if not number:
        return "0"
    # Python writes "1,234.5": the marks are swapped through a space, which it never
    # writes (three replaces take a third of the time of a translate).
    return format(number, ",f").replace(",", " ").replace(".", ",").replace(" ", ".")


def quarter_name(quarter: int, year: int) -> str:
    return _("Quý %(quarter)s/%(year)s") % {"quarter": ROMAN_QUARTERS[quarter], "year": year}


_GROUPS = r"\d{1,3}(?:%s\d{3})+"


def parse_number(text: str) -> Decimal:
    """A number as users type it. Vietnamese first: "1.234,5", "2.000.000", "12,5";
    "1.000" is a thousand. Also "12.5", and the English "1,234.5" or "1,234,567":
    where both marks appear, the last one is the decimal mark and the other must group
    digits by three. Anything else ambiguous is refused. Raises ``ValueError``."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    sign = ""
    if text and text[0] in "+-":
        sign, text = text[0].replace("+", ""), text[1:]
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _mark, fraction = text.rpartition(decimal_mark)
        if not re.fullmatch(_GROUPS % re.escape(group_mark), whole) or not fraction.isdigit():
            raise ValueError(text)
        text = whole.replace(group_mark, "") + "." + fraction
    elif text.count(",") > 1 or text.count(".") > 1:
        mark = "," if "," in text else "."
        if not re.fullmatch(_GROUPS % re.escape(mark), text):
            raise ValueError(text)
        text = text.replace(mark, "")
    elif "," in text:
        text = text.replace(",", ".")
    elif re.fullmatch(_GROUPS % r"\.", text):
        text = text.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", text):
        raise ValueError(text)
    return Decimal(sign + text)


# What a figure column holds (DecimalField(max_digits=20, decimal_places=4)).
STORED_PLACES = Decimal("0.0001")
STORED_BOUND = Decimal(10) ** 16


def storable(number: Decimal) -> Decimal:
    """``number`` as a figure is stored: rounded half up to four decimals. Raises
    ``ValueError`` for what no figure column can hold: not a finite number (NaN or
    infinity from a spreadsheet), or 16 whole digits or more *after* rounding
    (9999999999999999,99995 rounds to 10^16). The one bound every way in applies:
    the entry form, the offline template and the API."""
    if not number.is_finite():
        raise ValueError(number)
    rounded = number.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)
    if abs(rounded) >= STORED_BOUND:
        raise ValueError(number)
    return rounded


def excel_number(value: Decimal | int | float | None) -> int | float | None:
    """A number as a spreadsheet cell stores it: an int when whole (no trailing mark
    under a "#,##0" format), else a float; None stays empty."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def share_percent(share: Decimal) -> Decimal:
    """A share (1 = 100 %) as the per cent pages write it: to one decimal, half up
    (0.49996 → 50.0). A verdict on a share is taken on this, so that it never
    disagrees with the number beside it."""
    return (Decimal(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
