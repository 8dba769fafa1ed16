"""A period's dates from the plans' reporting calendars, as pure functions.

Each plan states its own calendar (``Plan.quarterly_due_day`` ...). A province's period
takes the strictest rule among its plans in force that year (the earliest due date),
so no agency misses a deadline any plan sets; a province whose plans state none gets
``settings.REPORTING_DEFAULT_CALENDAR``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Calendar:
    """One plan's rule: quarterly due and compile days of the quarter's last month,
    yearly due and compile dates as "MM-DD"."""

    quarterly_due_day: int | None = None
    quarterly_compile_day: int | None = None
    yearly_due: str = ""
    yearly_compile: str = ""


@dataclass(frozen=True)
class PeriodDates:
    opens_on: date
    due_on: date
    compile_on: date


def _day_of_month(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_day(year: int, text: str) -> date:
    month, day = (int(part) for part in text.split("-"))
    return _day_of_month(year, month, day)


def period_dates(year: int, quarter: int | None, calendars: list[Calendar], default: Calendar) -> PeriodDates:
    """The dates of ``year``'s ``quarter`` (None: the whole year).

    A quarter opens on its first day; its due and compile dates fall in its last month.
    A year opens on 1 October (its last quarter) or on its due date if earlier.
    """
    if quarter is None:
        dues = [_month_day(year, c.yearly_due) for c in calendars if c.yearly_due]
        compiles = [_month_day(year, c.yearly_compile) for c in calendars if c.yearly_compile]
        due = min(dues) if dues else _month_day(year, default.yearly_due)
        compile_on = min(compiles) if compiles else _month_day(year, default.yearly_compile)
        opens = min(date(year, 10, 1), due)
    else:
        month = quarter * 3
        days = [day for c in calendars if (day := c.quarterly_due_day)]
        compile_days = [day for c in calendars if (day := c.quarterly_compile_day)]
        due = _day_of_month(year, month, min(days) if days else default.quarterly_due_day or 20)
        compile_on = _day_of_month(
            year, month, min(compile_days) if compile_days else default.quarterly_compile_day or 25
        )
        opens = date(year, month - 2, 1)
    return PeriodDates(opens_on=opens, due_on=due, compile_on=max(compile_on, due))


def reminder_due(
    due_on: date, today: date, *, days_before: tuple[int, ...], overdue_every: int
) -> str | None:
    """Which reminder an agency that has not submitted gets ``today``: "before" on each
    of ``days_before`` days ahead of the due date, "due" on it, "overdue" every
    ``overdue_every`` days after it; None on other days."""
    days = (due_on - today).days
    if days > 0:
        return "before" if days in days_before else None
    if days == 0:
        return "due"
    return "overdue" if (-days) % overdue_every == 0 else None


def reminder_last_scheduled(
    due_on: date, today: date, *, days_before: tuple[int, ...], overdue_every: int
) -> date | None:
    """The latest day on or before ``today`` on which ``reminder_due`` calls for a
    reminder (None before the first). A run that finds no reminder sent since that day
    sends one today, so a day missed (beat or broker down) is caught up by the next run."""
    days = (due_on - today).days
    if days > 0:
        ahead = [d for d in days_before if d >= days]
        return due_on - timedelta(days=min(ahead)) if ahead else None
    late = -days
    return due_on + timedelta(days=late - late % overdue_every)


def reminder_kind(due_on: date, today: date) -> str:
    """The reminder's wording on ``today``: before the due date, on it, or overdue."""
    return "before" if today < due_on else ("due" if today == due_on else "overdue")


def first_day(year: int, quarter: int | None) -> date:
    """The first day a period covers: its quarter's, or 1 January for the year."""
    return date(year, 3 * quarter - 2 if quarter else 1, 1)


def last_day(year: int, quarter: int | None) -> date:
    """The last day a period covers: its quarter's, or 31 December for the year."""
    if quarter is None:
        return date(year, 12, 31)
    return date(year, quarter * 3, calendar.monthrange(year, quarter * 3)[1])
