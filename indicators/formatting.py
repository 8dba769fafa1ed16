"""Numbers and targets written the Vietnamese way: "1.234,5", "≥ 85 %", "Quý I/2024"."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def format_number(value: Decimal | int | float | None) -> str:
    """Thousands with dots, decimals with a comma, trailing zeros dropped: 2.000.000.000; 0,25."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _sep, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    if fraction:
        result = f"{result},{fraction}"
    return sign + result


def quarter_name(quarter: int, year: int) -> str:
    return _("Quý %(quarter)s/%(year)s") % {"quarter": ROMAN_QUARTERS[quarter], "year": year}
