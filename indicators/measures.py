"""The measure types: one class each, and the only place that knows what a measure is.

A measure type owns the fields an agency's value is stored in, what a typed value must
be (its problems), what "has data" means, how a value and a province figure read,
which roll-ups across agencies and over time it allows, and how agencies' approved
values combine into the province figure. Forms, the xlsx template, the API, the save
service, the roll-up, the dashboards, the ministry workbook, the reminders and the DTI
score ask ``measure_of(indicator)``; no other module branches on the measure type.

Pure: plain values in, plain values out, no query. The roll-up's SQL sums arrive as
``Aggregates``; what combining them gives is a ``Figure``.

The units:
- a **rate** (tỷ lệ) is numerator / denominator in %, between 0 and 100 %;
- a **ratio** (tỷ số) is numerator / denominator × its scale (per 1, per 100, per
  1,000): 14 GB/tháng/thuê bao, 55 bưu gửi/người, 80 thiết bị/100 dân — never bounded
  by 100;
- a **count** (số lượng, tần suất) and an **amount** (số tiền, đồng) are numbers, whole
  unless the indicator says it is an average (2,5 lần/tuần);
- **yes/no** and a **milestone** are answers: one lead agency's answer is the province's
  ("có" / "không", stored as 1 / 0), many agencies' answers are the share of yes (%);
- **text** has no figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import AgencyRollup, Comparison, MeasureType, TimeRollup
from .formatting import PERCENT, format_number, with_unit

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
# A change larger than this share of the previous period's figure needs a note.
CHANGE_NEEDING_NOTE = Decimal("0.5")


@dataclass(frozen=True)
class Reported:
    """The fields of one agency's value, whatever its measure type."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    is_done: bool | None = None
    done_on: date | None = None
    text: str = ""
    note: str = ""

    @classmethod
    def of(cls, row) -> Reported:
        return cls(
            value=row.value,
            numerator=row.numerator,
            denominator=row.denominator,
            is_done=row.is_done,
            done_on=row.done_on,
            text=row.text,
            note=row.note,
        )


class ReportedFields(Protocol):
    """What ``own_figure`` and ``display`` read of a value: a ``Reported``, or a row with
    the same fields read as they are (the API's ``ValueRow`` of 2,000 values a page,
    which a ``Reported`` each would copy for nothing)."""

    @property
    def value(self) -> Decimal | None: ...
    @property
    def numerator(self) -> Decimal | None: ...
    @property
    def denominator(self) -> Decimal | None: ...
    @property
    def is_done(self) -> bool | None: ...
    @property
    def done_on(self) -> date | None: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Aggregates:
    """What the database sums up for one indicator in one period, over approved
    values: every agency's (``numerator`` … ``answered``) and the lead agencies' own
    (``lead_*``, which the roll-up reads only for an indicator whose figure is the
    lead's, ``AgencyRollup.LEAD_VALUE``, and leaves empty for the others).
    ``numerator``/``denominator`` sum the values that have both; ``not_applicable``
    counts approved rates of 0/0 (no case this period)."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    total: Decimal | None = None
    mean: Decimal | None = None
    yes: int = 0
    answered: int = 0
    not_applicable: int = 0
    lead_numerator: Decimal | None = None
    lead_denominator: Decimal | None = None
    lead_total: Decimal | None = None
    lead_yes: int = 0
    lead_answered: int = 0
    lead_required: int = 0  # the lead agencies' reports, approved or not
    latest_done: date | None = None  # milestones: the latest completion date among the yes
    lead_latest_done: date | None = None
    counted: int = 0  # the approved values ``mean`` is the mean of

    def __add__(self, other: Aggregates) -> Aggregates:
        """The aggregates of two sets of reports taken together (two provinces' before
        a merger): sums and counts add, the mean is weighted by what it counted, the
        latest date is the later."""

        def plus(a, b):
            return b if a is None else a if b is None else a + b

        def later(a, b):
            return max((d for d in (a, b) if d is not None), default=None)

        counted = self.counted + other.counted
        weighted = [
            (m, n) for m, n in ((self.mean, self.counted), (other.mean, other.counted)) if m is not None
        ]
        return Aggregates(
            numerator=plus(self.numerator, other.numerator),
            denominator=plus(self.denominator, other.denominator),
            total=plus(self.total, other.total),
            mean=sum((m * n for m, n in weighted), Decimal(0)) / counted if weighted and counted else None,
            yes=self.yes + other.yes,
            answered=self.answered + other.answered,
            not_applicable=self.not_applicable + other.not_applicable,
            lead_numerator=plus(self.lead_numerator, other.lead_numerator),
            lead_denominator=plus(self.lead_denominator, other.lead_denominator),
            lead_total=plus(self.lead_total, other.lead_total),
            lead_yes=self.lead_yes + other.lead_yes,
            lead_answered=self.lead_answered + other.lead_answered,
            lead_required=self.lead_required + other.lead_required,
            latest_done=later(self.latest_done, other.latest_done),
            lead_latest_done=later(self.lead_latest_done, other.lead_latest_done),
            counted=counted,
        )

    @classmethod
    def of_one(cls, reported: Reported) -> Aggregates:
        """One agency's approved value as if it were the only agency and the lead (its
        own figure, e.g. for the ranking)."""
        pair = reported.numerator is not None and reported.denominator is not None
        numerator, denominator = (reported.numerator, reported.denominator) if pair else (None, None)
        answered, yes = int(reported.is_done is not None), int(bool(reported.is_done))
        return cls(
            numerator=numerator,
            denominator=denominator,
            total=reported.value,
            mean=reported.value,
            yes=yes,
            answered=answered,
            lead_numerator=numerator,
            lead_denominator=denominator,
            lead_total=reported.value,
            lead_yes=yes,
            lead_answered=answered,
            lead_required=1,
            counted=int(reported.value is not None),
        )


@dataclass(frozen=True)
class Figure:
    """A province figure in the indicator's unit (a rate's %, a ratio per its scale, a
    count, an amount, a share of yes in %, or 1/0 for one agency's yes/no), with the
    numerator and denominator it was computed from when it is a quotient."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    done_by: date | None = (
        None  # a milestone's: the latest date it was done, to hold against the target's date
    )

    @property
    def has_data(self) -> bool:
        return self.value is not None


NO_DATA = Figure(None)


def quotient(numerator: Decimal | None, denominator: Decimal | None, scale: int | Decimal) -> Decimal | None:
    """numerator × scale / denominator; None without a positive denominator."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator * Decimal(scale) / denominator


# Figures are shown with at most this many decimals, and judged as shown: a status never
# disagrees with the number beside it (49,9995% is shown and judged as 50%).
SHOWN_PLACES = 2
SHOWN_EXPONENT = Decimal(1).scaleb(-SHOWN_PLACES)


def as_shown(value: Decimal) -> Decimal:
    """The figure as pages, sheets and statuses read it: rounded half up to SHOWN_PLACES."""
    return Decimal(value).quantize(SHOWN_EXPONENT, rounding=ROUND_HALF_UP)


def _number(value: Decimal | None) -> str:
    return "" if value is None else format_number(as_shown(value))


class Measure:
    """The rules every measure type answers; see the module docstring."""

    type: MeasureType
    # The IndicatorValue fields this measure stores, in the order they are typed.
    fields: tuple[str, ...] = ()
    agency_rollups: frozenset[str] = frozenset()
    time_rollups: frozenset[str] = frozenset({TimeRollup.STOCK})
    # What each field is called where it is typed (page, xlsx template).
    labels: dict[str, str | Promise] = {}
    # The only scale the measure allows (a percentage is per 100), or None: any RatioScale.
    fixed_scale: int | None = None
    # Whether a figure can be part of the way to its target (a count, a rate), so that
    # falling far short of it says something; an answer is yes or no.
    partial_progress: bool = True

    # -- one agency's value --------------------------------------------------------

    def problems(self, reported: Reported, *, indicator) -> dict[str, str]:
        """What stops this value from being submitted, as ``{field: message}``."""
        raise NotImplementedError

    # The fields that make a value answered ("has data"); a milestone's date is asked
    # for only once it is done. 0/0 for a rate is an answer.
    @property
    def required_fields(self) -> tuple[str, ...]:
        return self.fields

    def unanswered_q(self) -> Q:
        """The IndicatorValue rows of this measure type not yet answered (a required
        field empty): what the reminders list as still missing."""
        missing = Q()
        for name in self.required_fields:
            missing |= Q(**{name: ""}) if name == "text" else Q(**{f"{name}__isnull": True})
        return Q(indicator__measure_type=self.type) & missing

    def own_figure(self, reported: ReportedFields, *, indicator) -> Decimal | None:
        """The agency's own figure in the indicator's unit, compared with its previous
        period (None for answers and text, and for a rate of 0/0)."""
        return None

    def not_applicable(self, reported: Reported) -> bool:
        """An answer that there was no case this period ("không phát sinh"): a rate's 0/0."""
        return False

    def answer_words(self, reported: Reported) -> str:
        """An answer's words ("Có", "Đã hoàn thành"); empty for other measures."""
        return ""

    def display(self, reported: ReportedFields, *, indicator) -> str:
        """The value as a reader writes it: "45/60 (75%)", "2.000.000", "Có"."""
        return self.displayer(indicator=indicator)(reported)

    def displayer(self, *, indicator) -> Callable[[ReportedFields], str]:
        """``display`` for the values of one indicator: what is the same for each of
        them (an answer's words, a day's text) is looked up once, when first written. A
        page of the submission API writes 2,000 values of 40 indicators, and a word
        looked up per value was a tenth of its time. Make one per request: it keeps
        the words of the language it first wrote in."""
        raise NotImplementedError

    def change_problem(self, reported: Reported, previous: Decimal | None, *, indicator) -> dict[str, str]:
        """A note is asked for when the figure moved more than ``CHANGE_NEEDING_NOTE``
        of the previous period's (from 0 to anything else: always)."""
        current = self.own_figure(reported, indicator=indicator)
        if reported.note.strip() or previous is None or current is None or current == previous:
            return {}
        if previous == 0:
            return {
                "note": _("Kỳ trước là 0, kỳ này là %(current)s: hãy ghi giải trình.")
                % {"current": _number(current)}
            }
        change = abs(current - previous) / abs(previous)
        if change <= CHANGE_NEEDING_NOTE:
            return {}
        return {
            "note": _("Số liệu thay đổi %(change)s%% so với kỳ trước (%(previous)s): hãy ghi giải trình.")
            % {"change": format_number(round(change * 100)), "previous": _number(previous)}
        }

    # -- the province figure -------------------------------------------------------

    def combine(self, rule: str, data: Aggregates, *, indicator) -> Figure:
        """The province figure of one period from its agencies' approved values."""
        raise NotImplementedError

    def figure_display(
        self, value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None, *, indicator
    ) -> str:
        """A province figure as a reader writes it, with its unit: "75% (45/60)"."""
        if value is None:
            return "—"
        return with_unit(_number(value), indicator.unit)

    def result_cell(self, value: Decimal | None, *, indicator) -> Decimal | str | None:
        """The figure as a spreadsheet cell: a number where it is one, else its words."""
        return value

    def yes_level(self, *, indicator) -> Decimal:
        """The figure that means "done" for a target that is only a date."""
        return HUNDRED

    def is_yes(self, value: Decimal | None, *, indicator) -> bool | None:
        """For answers: whether the province figure says yes (all agencies, for a
        share); None for other measures or no figure."""
        return None

    def target_display(self, target, *, indicator) -> str:
        """A target as the plan states it: "≥ 85%", "75 – 100 thiết bị/100 dân"."""
        if target.target_date and target.value is None:
            return _("hoàn thành trước %(date)s") % {
                "date": date_format(target.target_date, "SHORT_DATE_FORMAT")
            }
        value = format_number(target.value)
        if target.comparison == Comparison.BETWEEN:
            text = f"{value} – {format_number(target.upper_value)}"
        else:
            text = f"{Comparison(target.comparison).label} {value}"
        return with_unit(text, indicator.unit)

    def share_of_target(self, value: Decimal | None, target, *, indicator) -> Decimal | None:
        """How far the figure goes towards its target, 1 = 100 %: the figure over the
        target for "≥, >, =", the target over the figure for a ceiling ("≤, <": 2
        against "≤ 4" is 200 %, 8 is 50 %); None where a share means nothing (no figure,
        no positive target, a range, a target that is only a date, a figure of 0
        against a ceiling)."""
        if value is None or target is None or target.value is None or target.value <= 0:
            return None
        if target.comparison == Comparison.BETWEEN:
            return None
        if target.comparison in (Comparison.LTE, Comparison.LT):
            return target.value / value if value > 0 else None
        return value / target.value

    def rollup_description(self, rule: str, *, indicator) -> str:
        """How the province figure is made from the agencies', in a sentence."""
        return str(AgencyRollup(rule).label)


class _Quotient(Measure):
    """A rate or a ratio: numerator and denominator, combined as Σ numerators / Σ
    denominators (the lead agencies' when the lead's value counts), times the scale."""

    fields = ("numerator", "denominator")
    labels = {"numerator": gettext_lazy("Tử số"), "denominator": gettext_lazy("Mẫu số")}
    agency_rollups = frozenset({AgencyRollup.RATIO_OF_SUMS, AgencyRollup.LEAD_VALUE})
    time_rollups = frozenset({TimeRollup.STOCK, TimeRollup.FLOW})
    bounded = False

    def scale(self, indicator) -> int:
        return indicator.scale

    def problems(self, reported: Reported, *, indicator) -> dict[str, str]:
        problems = {}
        numerator, denominator = reported.numerator, reported.denominator
        if numerator is None:
            problems["numerator"] = _("Hãy nhập tử số.")
        elif numerator < 0:
            problems["numerator"] = _("Tử số không được âm.")
        if denominator is None:
            problems["denominator"] = _("Hãy nhập mẫu số.")
        elif denominator < 0:
            problems["denominator"] = _("Mẫu số không được âm.")
        if problems or numerator is None or denominator is None:
            return problems
        if denominator == 0 and numerator != 0:
            return {"denominator": _("Mẫu số bằng 0 thì tử số cũng phải bằng 0 (kỳ này không phát sinh).")}
        if self.bounded and numerator > denominator:
            return {"numerator": _("Tử số không được lớn hơn mẫu số: tỷ lệ phải từ 0 đến 100%.")}
        return {}

    def own_figure(self, reported: ReportedFields, *, indicator) -> Decimal | None:
        return quotient(reported.numerator, reported.denominator, self.scale(indicator))

    def not_applicable(self, reported: Reported) -> bool:
        return reported.numerator == 0 and reported.denominator == 0

    def displayer(self, *, indicator) -> Callable[[ReportedFields], str]:
        def display(reported: ReportedFields) -> str:
            numerator, denominator = reported.numerator, reported.denominator
            if numerator is None or denominator is None:
                return ""
            parts = f"{format_number(numerator)}/{format_number(denominator)}"
            figure = self.own_figure(reported, indicator=indicator)
            if figure is None:  # 0/0
                return _("%(parts)s (không phát sinh)") % {"parts": parts}
            return f"{parts} ({self._figure_text(figure, indicator)})"

        return display

    def _figure_text(self, value: Decimal, indicator) -> str:
        return with_unit(_number(value), indicator.unit)

    def combine(self, rule: str, data: Aggregates, *, indicator) -> Figure:
        if rule == AgencyRollup.LEAD_VALUE:
            numerator, denominator = data.lead_numerator, data.lead_denominator
        else:
            numerator, denominator = data.numerator, data.denominator
        value = quotient(numerator, denominator, self.scale(indicator))
        return NO_DATA if value is None else Figure(value, numerator, denominator)

    def figure_display(self, value, numerator, denominator, *, indicator) -> str:
        if value is None:
            return "—"
        text = self._figure_text(value, indicator)
        if denominator:
            text += f" ({format_number(numerator)}/{format_number(denominator)})"
        return text

    def rollup_description(self, rule: str, *, indicator) -> str:
        if rule == AgencyRollup.LEAD_VALUE:
            return _("Tổng tử số / tổng mẫu số của (các) cơ quan chủ trì")
        return _("Tổng tử số / tổng mẫu số của các đơn vị")


class Rate(_Quotient):
    type = MeasureType.RATE
    bounded = True
    fixed_scale = 100

    def scale(self, indicator) -> int:
        return 100

    def _figure_text(self, value: Decimal, indicator) -> str:
        return with_unit(_number(value), PERCENT)


class Ratio(_Quotient):
    type = MeasureType.RATIO


class _Number(Measure):
    """A count or an amount: one number, added up across agencies (or their mean, or
    the lead agencies' sum) and over a flow's quarters."""

    fields = ("value",)
    agency_rollups = frozenset({AgencyRollup.SUM, AgencyRollup.MEAN, AgencyRollup.LEAD_VALUE})
    time_rollups = frozenset({TimeRollup.STOCK, TimeRollup.FLOW})

    @property
    def negative_message(self) -> str:
        raise NotImplementedError

    @property
    def whole_message(self) -> str:
        raise NotImplementedError

    def problems(self, reported: Reported, *, indicator) -> dict[str, str]:
        value = reported.value
        if value is None:
            return {"value": _("Hãy nhập số liệu.")}
        if value < 0:
            return {"value": self.negative_message}
        if not indicator.allows_decimals and value != value.to_integral_value():
            return {"value": self.whole_message}
        return {}

    def own_figure(self, reported: ReportedFields, *, indicator) -> Decimal | None:
        return reported.value

    def displayer(self, *, indicator) -> Callable[[ReportedFields], str]:
        return lambda reported: format_number(reported.value)

    def combine(self, rule: str, data: Aggregates, *, indicator) -> Figure:
        if rule == AgencyRollup.MEAN:
            return Figure(data.mean)
        if rule == AgencyRollup.LEAD_VALUE:
            return Figure(data.lead_total)
        return Figure(data.total)

    def rollup_description(self, rule: str, *, indicator) -> str:
        if rule == AgencyRollup.LEAD_VALUE:
            return _("Số liệu của cơ quan chủ trì (cộng lại khi có nhiều cơ quan chủ trì)")
        return super().rollup_description(rule, indicator=indicator)


class Count(_Number):
    type = MeasureType.COUNT
    labels = {"value": gettext_lazy("Số lượng")}

    @property
    def negative_message(self) -> str:
        return _("Số lượng không được âm.")

    @property
    def whole_message(self) -> str:
        return _("Số lượng phải là số nguyên.")


class Amount(_Number):
    type = MeasureType.AMOUNT
    labels = {"value": gettext_lazy("Số tiền (đồng)")}

    @property
    def negative_message(self) -> str:
        return _("Số tiền không được âm.")

    @property
    def whole_message(self) -> str:
        return _("Số tiền tính bằng đồng, không có phần lẻ.")


class _Answer(Measure):
    """Yes/no or a milestone. One lead agency's answer is the province's: 1 for yes,
    0 for no; with several lead agencies, no as soon as one says no, yes only once every
    one has said yes (before that, no figure). Many agencies' answers make the share of
    yes in % (the yes over those who answered)."""

    agency_rollups = frozenset({AgencyRollup.SHARE_YES, AgencyRollup.LEAD_VALUE})
    partial_progress = False

    def combine(self, rule: str, data: Aggregates, *, indicator) -> Figure:
        if rule == AgencyRollup.LEAD_VALUE:
            if data.lead_yes < data.lead_answered:
                return Figure(ZERO)  # a lead said no
            if not data.lead_answered or data.lead_answered < data.lead_required:
                return NO_DATA  # a lead has not answered yet
            return Figure(ONE, done_by=data.lead_latest_done)
        if not data.answered:
            return NO_DATA
        return Figure(
            Decimal(data.yes) * HUNDRED / data.answered,
            Decimal(data.yes),
            Decimal(data.answered),
            done_by=data.latest_done,
        )

    def yes_level(self, *, indicator) -> Decimal:
        return ONE if indicator.rollup_agencies == AgencyRollup.LEAD_VALUE else HUNDRED

    def is_yes(self, value, *, indicator) -> bool | None:
        return None if value is None else value >= self.yes_level(indicator=indicator)

    def answer_words(self, reported: Reported) -> str:
        return "" if reported.is_done is None else self._words(reported.is_done)

    answers: tuple[str | Promise, str | Promise] = ("", "")  # the words for yes and for no

    def _words(self, yes: bool) -> str:
        raise NotImplementedError

    def figure_display(self, value, numerator, denominator, *, indicator) -> str:
        if value is None:
            return "—"
        if indicator.rollup_agencies == AgencyRollup.LEAD_VALUE:
            return self._words(value >= ONE)
        return _("%(share)s%% (%(yes)s/%(answered)s đơn vị)") % {
            "share": _number(value),
            "yes": format_number(numerator),
            "answered": format_number(denominator),
        }

    def result_cell(self, value, *, indicator):
        if value is not None and indicator.rollup_agencies == AgencyRollup.LEAD_VALUE:
            return self._words(value >= ONE)
        return value

    def target_display(self, target, *, indicator) -> str:
        if indicator.rollup_agencies == AgencyRollup.LEAD_VALUE and target.value is not None:
            return f"= {self._words(target.value >= ONE).lower()}"
        return super().target_display(target, indicator=indicator)

    def share_of_target(self, value, target, *, indicator):
        if indicator.rollup_agencies == AgencyRollup.LEAD_VALUE:
            return None  # "có" against "= có": met or not, never a percentage
        return super().share_of_target(value, target, indicator=indicator)

    def rollup_description(self, rule: str, *, indicator) -> str:
        if rule == AgencyRollup.LEAD_VALUE:
            return _("Câu trả lời của cơ quan chủ trì (có khi mọi cơ quan chủ trì trả lời có)")
        return _("Tỷ lệ đơn vị trả lời có trên số đơn vị đã trả lời")


class YesNo(_Answer):
    type = MeasureType.YES_NO
    fields = ("is_done",)
    labels = {"is_done": gettext_lazy("Trả lời")}
    answers = (gettext_lazy("Có"), gettext_lazy("Không"))

    def problems(self, reported: Reported, *, indicator) -> dict[str, str]:
        return {"is_done": _("Hãy chọn Có hoặc Không.")} if reported.is_done is None else {}

    def displayer(self, *, indicator) -> Callable[[ReportedFields], str]:
        words: dict[bool, str] = {}  # each looked up when first written

        def display(reported: ReportedFields) -> str:
            if reported.is_done is None:
                return ""
            yes = bool(reported.is_done)
            word = words.get(yes)
            if word is None:
                word = words[yes] = self._words(yes)
            return word

        return display

    def _words(self, yes: bool) -> str:
        return str(self.answers[0] if yes else self.answers[1])


class Milestone(_Answer):
    type = MeasureType.MILESTONE
    fields = ("is_done", "done_on")
    required_fields = ("is_done",)
    labels = {"is_done": gettext_lazy("Tình trạng"), "done_on": gettext_lazy("Ngày hoàn thành")}
    answers = (gettext_lazy("Đã hoàn thành"), gettext_lazy("Chưa hoàn thành"))

    def problems(self, reported: Reported, *, indicator) -> dict[str, str]:
        if reported.is_done is None:
            return {"is_done": _("Hãy chọn đã hoàn thành hay chưa.")}
        if reported.is_done and reported.done_on is None:
            return {"done_on": _("Hãy nhập ngày hoàn thành.")}
        return {}

    def displayer(self, *, indicator) -> Callable[[ReportedFields], str]:
        # Each text looked up or written when first needed: "not done", and "done" on
        # each day (many agencies finish on the same day).
        not_done: str | None = None
        done_on: dict[date | None, str] = {}

        def display(reported: ReportedFields) -> str:
            nonlocal not_done
            if reported.is_done is None:
                return ""
            if not reported.is_done:
                if not_done is None:
                    not_done = _("Chưa hoàn thành")
                return not_done
            day = reported.done_on
            text = done_on.get(day)
            if text is None:
                written = date_format(day, "SHORT_DATE_FORMAT") if day else ""
                text = done_on[day] = _("Đã hoàn thành %(date)s") % {"date": written}
            return text

        return display

    def _words(self, yes: bool) -> str:
        return str(self.answers[0] if yes else self.answers[1])


class Text(Measure):
    """Words only: shown and exported, never a figure."""

    type = MeasureType.TEXT
    fields = ("text",)
    labels = {"text": gettext_lazy("Nội dung")}
    agency_rollups = frozenset({AgencyRollup.LEAD_VALUE})

    def problems(self, reported: Reported, *, indicator) -> dict[str, str]:
        return {} if reported.text.strip() else {"text": _("Hãy nhập nội dung.")}

    def displayer(self, *, indicator) -> Callable[[ReportedFields], str]:
        return lambda reported: reported.text

    def combine(self, rule: str, data: Aggregates, *, indicator) -> Figure:
        return NO_DATA


MEASURES: dict[str, Measure] = {
    m.type.value: m for m in (Rate(), Ratio(), Count(), Amount(), YesNo(), Milestone(), Text())
}
# Every IndicatorValue field any measure stores.
VALUE_FIELDS = ("value", "numerator", "denominator", "is_done", "done_on", "text")


def unanswered_q() -> Q:
    """The IndicatorValue rows whose measure type says they are not yet answered."""
    condition = Q(pk__in=[])
    for measure in MEASURES.values():
        condition |= measure.unanswered_q()
    return condition


def answered_q() -> Q:
    """The IndicatorValue rows their measure type calls answered ("has data")."""
    return ~unanswered_q()


def measure_of(indicator) -> Measure:
    """The measure of an indicator (anything with ``measure_type``)."""
    return MEASURES[indicator.measure_type]


def value_problems(indicator, reported: Reported, *, previous: Decimal | None = None) -> dict[str, str]:
    """What stops an agency's value from being submitted: the measure's problems,
    then a note for a large change against the previous period's figure."""
    measure = measure_of(indicator)
    return measure.problems(reported, indicator=indicator) or measure.change_problem(
        reported, previous, indicator=indicator
    )
