"""Checks of reported figures, as pure functions over plain values.

A draft may hold anything that parses; submitting asks for every value to be complete
and plausible. Each problem is a message for one field, shown next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indicators.choices import MeasureType
from indicators.formatting import format_number

from .choices import TaskStatus

# A change larger than this share of the previous period's figure needs a note.
CHANGE_NEEDING_NOTE = Decimal("0.5")


@dataclass(frozen=True)
class Figure:
    """The fields of one reported value, whatever its measure type."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    is_done: bool | None = None
    done_on: object | None = None
    text: str = ""
    note: str = ""

    @classmethod
    def of(cls, row) -> Figure:
        return cls(
            value=row.value, numerator=row.numerator, denominator=row.denominator,
            is_done=row.is_done, done_on=row.done_on, text=row.text, note=row.note,
        )


def comparable(measure_type: str, figure: Figure) -> Decimal | None:
    """The number compared with the previous period: a rate's percentage, a count's
    or an amount's value; None for other measures or a missing figure."""
    if measure_type == MeasureType.RATE:
        if figure.numerator is None or not figure.denominator:
            return None
        return figure.numerator * 100 / figure.denominator
    if measure_type in (MeasureType.COUNT, MeasureType.AMOUNT):
        return figure.value
    return None


def figure_problems(measure_type: str, figure: Figure, *, previous: Decimal | None = None) -> dict[str, str]:
    """What stops this figure from being submitted, as ``{field: message}``."""
    problems: dict[str, str] = {}
    if measure_type == MeasureType.RATE:
        if figure.numerator is None:
            problems["numerator"] = _("Hãy nhập tử số.")
        elif figure.numerator < 0:
            problems["numerator"] = _("Tử số không được âm.")
        if figure.denominator is None:
            problems["denominator"] = _("Hãy nhập mẫu số.")
        elif figure.denominator <= 0:
            problems["denominator"] = _("Mẫu số phải lớn hơn 0.")
        if not problems and figure.numerator > figure.denominator:
            problems["numerator"] = _(
                "Tử số không được lớn hơn mẫu số: tỷ lệ phải từ 0 đến 100%."
            )
    elif measure_type in (MeasureType.COUNT, MeasureType.AMOUNT):
        if figure.value is None:
            problems["value"] = _("Hãy nhập số liệu.")
        elif figure.value < 0:
            problems["value"] = (
                _("Số tiền không được âm.") if measure_type == MeasureType.AMOUNT else _("Số lượng không được âm.")
            )
        elif measure_type == MeasureType.COUNT and figure.value != figure.value.to_integral_value():
            problems["value"] = _("Số lượng phải là số nguyên.")
    elif measure_type == MeasureType.MILESTONE:
        if figure.is_done is None:
            problems["is_done"] = _("Hãy chọn đã hoàn thành hay chưa.")
        elif figure.is_done and figure.done_on is None:
            problems["done_on"] = _("Hãy nhập ngày hoàn thành.")
    elif measure_type == MeasureType.YES_NO:
        if figure.is_done is None:
            problems["is_done"] = _("Hãy chọn Có hoặc Không.")
    elif measure_type == MeasureType.TEXT and not figure.text.strip():
        problems["text"] = _("Hãy nhập nội dung.")
    if not problems and not figure.note.strip():
        change = relative_change(previous, comparable(measure_type, figure))
        if change is not None and change > CHANGE_NEEDING_NOTE:
            problems["note"] = _(
                "Số liệu thay đổi %(change)s%% so với kỳ trước (%(previous)s): hãy ghi giải trình."
            ) % {"change": format_number(round(change * 100)), "previous": format_number(round(previous, 2))}
    return problems


def relative_change(previous: Decimal | None, current: Decimal | None) -> Decimal | None:
    """|current − previous| / |previous|; a change from zero to anything else counts
    as larger than any threshold; None when either is missing."""
    if previous is None or current is None:
        return None
    if previous == 0:
        return None if current == 0 else Decimal("Infinity")
    return abs(current - previous) / abs(previous)


def task_problems(status: str, note: str) -> dict[str, str]:
    if status == TaskStatus.LATE and not note.strip():
        return {"note": _("Nhiệm vụ chậm tiến độ: hãy ghi lý do.")}
    return {}


def value_display(row) -> str:
    """A reported value as a reader writes it: "45/60 (75%)", "2.000.000", "Có"."""
    measure = row.indicator.measure_type
    if measure == MeasureType.RATE:
        if row.numerator is None or not row.denominator:
            return ""
        percentage = (row.numerator * 100 / row.denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{format_number(row.numerator)}/{format_number(row.denominator)} ({format_number(percentage)}%)"
    if measure in (MeasureType.COUNT, MeasureType.AMOUNT):
        return format_number(row.value)
    if measure == MeasureType.MILESTONE:
        if row.is_done is None:
            return ""
        if row.is_done:
            return _("Đã hoàn thành %(date)s") % {
                "date": date_format(row.done_on, "SHORT_DATE_FORMAT") if row.done_on else ""
            }
        return _("Chưa hoàn thành")
    if measure == MeasureType.YES_NO:
        return "" if row.is_done is None else (_("Có") if row.is_done else _("Không"))
    return row.text
