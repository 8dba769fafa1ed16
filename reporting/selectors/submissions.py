"""Reads of the reporting workflow shared by pages, downloads and the API, always
for a user and always through ``visible_to``."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.choices import AssignmentRole
from assignments.models import IndicatorAssignment, ReportingObligation
from indicators.choices import TimeRollup
from indicators.formatting import share_percent
from indicators.measures import Reported
from indicators.models import Agency, Indicator, Pillar, Target

from .. import outliers
from ..access import log_refusal, user_agency_id
from ..choices import CellState, ReminderKind, RollupState, SubmissionStatus
from ..models import (
    Evidence,
    IndicatorValue,
    Notification,
    ReminderLog,
    ReportingPeriod,
    RollupRun,
    Submission,
    TaskProgress,
    overdue_q,
)
from ..rollup import rules


def submission_get_for_user(*, user, pk: int) -> Submission:
    """The submission if ``user`` may see it, else 404 (the same answer whether it
    exists or not; an attempt on one that exists is written to the audit log)."""
    try:
        return (
            Submission.objects.visible_to(user)
            .select_related("agency", "period__province", "last_saved_by", "approved_by")
            .get(pk=pk)
        )
    except Submission.DoesNotExist:
        if Submission.objects.filter(pk=pk).exists():
            log_refusal(user, "submission_get", Submission(pk=pk), "not visible")
        raise Http404(_("Không tìm thấy báo cáo.")) from None


def evidence_get_for_user(*, user, pk: int, reading: bool = False) -> Evidence:
    """A document, if its submission is visible to ``user`` (with ``reading``, for a
    download: readable, ``SubmissionQuerySet.readable_by``), else 404, logged."""
    scope = Submission.objects.readable_by(user) if reading else Submission.objects.visible_to(user)
    visible = scope.values("pk")
    try:
        return Evidence.objects.select_related("value__submission__period").get(
            pk=pk, value__submission__in=visible
        )
    except Evidence.DoesNotExist:
        if Evidence.objects.filter(pk=pk).exists():
            log_refusal(user, "evidence_get", Evidence(pk=pk), "not visible")
        raise Http404(_("Không tìm thấy minh chứng.")) from None


def _year_and_quarter_before(period: ReportingPeriod) -> tuple[int, int | None]:
    """The quarter before (Q4 of last year before Q1), or last year."""
    if period.quarter is None:
        return period.year - 1, None
    if period.quarter == 1:
        return period.year - 1, 4
    return period.year, period.quarter - 1


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    """The period before: the quarter before (Q4 of last year before Q1), or last year."""
    year, quarter = _year_and_quarter_before(period)
    return ReportingPeriod.objects.filter(province_id=period.province_id, year=year, quarter=quarter).first()


def previous_values(*, submission: Submission) -> dict[int, IndicatorValue]:
    """The agency's values of the period before, if it ever sent them, by indicator id.
    One query: the period before is found by its province, year and quarter (one
    period a province has each), not read first."""
    year, quarter = _year_and_quarter_before(submission.period)
    # Only figures the agency sent at least once (even if returned or reopened since):
    # a draft never submitted is not its previous figure.
    rows = IndicatorValue.objects.filter(
        submission__period__province_id=submission.period.province_id,
        submission__period__year=year,
        submission__period__quarter=quarter,
        submission__agency_id=submission.agency_id,
        submission__submitted_at__isnull=False,
    ).select_related("indicator")
    # One value an indicator: no order to keep (the model's joins five tables to sort).
    return {row.indicator_id: row for row in rows.order_by()}


def previous_figures(*, submission: Submission) -> dict[int, Decimal | None]:
    """The number each value is compared with for the 50% rule, by indicator id."""
    return {
        indicator_id: _own_figure(row) for indicator_id, row in previous_values(submission=submission).items()
    }


def review_aids(*, submission: Submission, groups: list[PillarRows], with_peers: bool) -> None:
    """The review page's aids, attached to ``submission_rows``' values: ``change`` (and
    ``change_share``) from the previous period's figure, and ``outliers``: flags against
    the agency's own history and, ``with_peers`` (reviewers only: the other agencies'
    figures are not yet approved), against the other agencies' of the period; and
    ``target_gap``, a figure far from its judging target (``target_gauges``). Five
    queries (four without peers), more when the peers' spreads are not cached."""
    values = [row for group in groups for row in group.values]
    indicators = {v.indicator_id: v.indicator for v in values}
    history = history_figures(submission=submission, indicators=indicators)
    peers = peer_spreads(submission=submission, indicators=indicators) if with_peers else {}
    judging = target_gauges(submission=submission, rows=values)
    for row in values:
        figure = _own_figure(row)
        before = _own_figure(row.previous) if row.previous else None
        row.change = figure - before if figure is not None and before is not None else None
        row.change_share = row.change / before if row.change is not None and before else None
        flags = [
            outliers.outlier(figure, history.get(row.indicator_id, []), basis="history"),
            outliers.judged(figure, peers.get(row.indicator_id), basis="peers"),
        ]
        row.outliers = [flag for flag in flags if flag is not None]
        row.target_gap = None
        if (target := judging.get(row.indicator_id)) is not None:
            share = row.indicator.measure.share_of_target(figure, target, indicator=row.indicator)
            # Judged as shown: "50 %" is never flagged as under half.
            if share is not None and share_percent(share) < outliers.FAR_FROM_TARGET * 100:
                row.target_gap = TargetGap(target=target, share=share)


@dataclass(frozen=True)
class TargetGap:
    """A figure far from its target: the judging target and how far the figure goes
    towards it (``Measure.share_of_target``), below ``outliers.FAR_FROM_TARGET``."""

    target: Target
    share: Decimal


def target_gauges(*, submission: Submission, rows: list[IndicatorValue]) -> dict[int, Target]:
    """The judging target (``TargetQuerySet.judging``) of each indicator whose figure in
    this report can be held against it alone, by indicator id:
    - the agency's own figure can stand for the province's (``rules.judged_alone``: not
      one part of a sum; a lead value only from a lead, or from the collector holding the
      obligation of a lead that does not report itself, and a count or an amount only
      from the sole lead);
    - the period's figure is the year's kind of figure: a stock in any period, a flow
      only in the year's report (a quarter's flow is one part of the year's total);
    - the figure can be part of the way (``Measure.partial_progress``; not an answer).
    ``rows`` are ``submission_rows``' values (whose ``collected_for`` says for which body
    the agency holds each). Three queries."""
    period = submission.period
    indicators = [row.indicator for row in rows]
    indicator_ids = [indicator.pk for indicator in indicators]
    targets = Target.objects.judging(
        province_id=period.province_id, year=period.year, indicator_ids=indicator_ids
    )
    # Whose figure each is: the agency's own, or the body's it holds the obligation for.
    own = submission.agency_id
    whose = {row.indicator_id: row.collected_for[0].pk if row.collected_for else own for row in rows}
    leads, lead_counts = set(), Counter[int]()
    for agency_id, indicator_id in (
        IndicatorAssignment.objects.filter(
            indicator_id__in=indicator_ids, year=period.year, role=AssignmentRole.LEAD
        )
        .order_by()  # counted: no order to keep
        .values_list("agency_id", "indicator_id")
    ):
        lead_counts[indicator_id] += 1
        if whose[indicator_id] == agency_id:
            leads.add(indicator_id)
    gauges = {}
    for indicator in indicators:
        target = targets.get(indicator.pk)
        if (
            target is not None
            and target.value is not None
            and indicator.measure.partial_progress
            and rules.judged_alone(indicator, is_lead=indicator.pk in leads, leads=lead_counts[indicator.pk])
            and (indicator.rollup_time == TimeRollup.STOCK or period.quarter is None)
        ):
            target.indicator = indicator  # its display needs the unit
            gauges[indicator.pk] = target
    return gauges


def _own_figure(row: IndicatorValue) -> Decimal | None:
    return row.indicator.measure.own_figure(Reported.of(row), indicator=row.indicator)


HISTORY_PERIODS = 8  # the agency's earlier quarters (or years) a figure is compared with


def history_figures(*, submission: Submission, indicators: dict[int, Indicator]) -> dict[int, list[Decimal]]:
    """What ``reporting.outliers`` compares each figure with first, by indicator id: the
    agency's own figures of its last ``HISTORY_PERIODS`` earlier periods of the same
    kind (quarters, or years), sent at least once, in the indicator's unit, read as
    their fields only. (The other agencies' are ``peer_spreads``.) One query."""
    period = submission.period
    # A subquery: the periods are read with the figures.
    earlier = (
        ReportingPeriod.objects.filter(province_id=period.province_id, quarter__isnull=period.quarter is None)
        .filter(Q(year__lt=period.year) | Q(year=period.year, quarter__lt=period.quarter or 0))
        .order_by("-year", "-quarter")
        .values_list("pk", flat=True)[:HISTORY_PERIODS]
    )
    history: dict[int, list[Decimal]] = defaultdict(list)
    # The model's order within one agency's indicator (its periods, latest year first),
    # without the joins it sorts the rest by: equal figures written differently ("1.0",
    # "1") are met in the same order, so the median is written the same.
    for indicator_id, _agency_id, figure in _sent_figures(
        indicators,
        order=("-submission__period__year", "submission__period__quarter"),
        submission__agency_id=submission.agency_id,
        submission__period_id__in=earlier,
    ):
        history[indicator_id].append(figure)
    return history


PERIOD_FIGURES_SECONDS = 60 * 60


def period_figures(
    *, period: ReportingPeriod, indicators: dict[int, Indicator]
) -> dict[int, dict[int, Decimal]]:
    """Every agency's figure of ``period`` for each of ``indicators``, of the reports
    sent at least once: indicator id → {agency id: figure}.

    The period's figures of an indicator (300 agencies in a national province) are the
    same for every report of the period a reviewer opens: they are kept in Django's
    cache under the period's sent reports' stamp (how many, the sum of their versions,
    the latest sending), which any save or sending of one of them changes, so a changed
    figure is never compared with stale ones. One query, two when some indicator is
    not cached."""
    return _period_figures_at(period=period, indicators=indicators, stamp=_sent_stamp(period=period))


def peer_spreads(*, submission: Submission, indicators: dict[int, Indicator]) -> dict[int, outliers.Spread]:
    """What ``outliers.judged`` holds each of the submission's figures against: the
    ``Spread`` of the other agencies' figures of the period (``period_figures`` less
    the agency's own), by indicator id; an indicator with fewer than ``outliers.MIN_POINTS`` of
    them is left out. Each indicator's spreads for every agency of the period
    (``outliers.leaving_one_out``) are cached under the same stamp as
    ``period_figures``: a few spreads and a map of agency ids load in a fraction of
    the time of 300 figures, and leave nothing to sort. One query, two when some
    indicator is not cached (three when its figures are not either)."""
    period = submission.period
    stamp = _sent_stamp(period=period)
    keys = _cache_keys("peer-spreads", period=period, indicators=indicators, stamp=stamp)
    cached = cache.get_many(list(keys.values()))
    found = {indicator_id: cached[key] for indicator_id, key in keys.items() if key in cached}
    missing = {pk: indicator for pk, indicator in indicators.items() if pk not in found}
    if missing:
        figures = _period_figures_at(period=period, indicators=missing, stamp=stamp)
        fresh = {indicator_id: outliers.leaving_one_out(found) for indicator_id, found in figures.items()}
        cache.set_many({keys[i]: spreads for i, spreads in fresh.items()}, timeout=PERIOD_FIGURES_SECONDS)
        found |= fresh
    spreads = {}
    for indicator_id, (everyone, leaving_out) in found.items():
        # An agency that never sent the report is not among the figures: all of them.
        spread = leaving_out.get(submission.agency_id, everyone)
        if spread is not None:
            spreads[indicator_id] = spread
    return spreads


def _sent_stamp(*, period: ReportingPeriod) -> str:
    """The period's sent reports' stamp (``period_figures``): how many, the sum of
    their versions, the latest sending. One query."""
    stamp = Submission.objects.filter(period=period, submitted_at__isnull=False).aggregate(
        sent=Count("id"), versions=Sum("version"), latest=Max("submitted_at")
    )
    latest = stamp["latest"].isoformat() if stamp["latest"] else "-"
    return f"{stamp['sent']}:{stamp['versions']}:{latest}"


def _period_figures_at(
    *, period: ReportingPeriod, indicators: dict[int, Indicator], stamp: str
) -> dict[int, dict[int, Decimal]]:
    """``period_figures`` under a stamp already read: no query, one when some
    indicator is not cached."""
    keys = _cache_keys("period-figures", period=period, indicators=indicators, stamp=stamp)
    cached = cache.get_many(list(keys.values()))
    found = {indicator_id: cached[key] for indicator_id, key in keys.items() if key in cached}
    missing = {pk: indicator for pk, indicator in indicators.items() if pk not in found}
    if missing:
        fresh: dict[int, dict[int, Decimal]] = {indicator_id: {} for indicator_id in missing}
        for indicator_id, agency_id, figure in _sent_figures(missing, submission__period=period):
            fresh[indicator_id][agency_id] = figure
        cache.set_many({keys[i]: figures for i, figures in fresh.items()}, timeout=PERIOD_FIGURES_SECONDS)
        found |= fresh
    return found


def _sent_figures(indicators: dict[int, Indicator], *, order: tuple[str, ...] | None = None, **where):
    """(indicator id, agency id, figure) of the values of ``indicators`` in reports sent
    at least once that match ``where``, with a figure, in ``order`` (else the model's)."""
    values = IndicatorValue.objects.filter(
        indicator_id__in=list(indicators), submission__submitted_at__isnull=False, **where
    )
    if order is not None:
        values = values.order_by(*order)
    for indicator_id, agency_id, *fields in values.values_list(
        "indicator_id", "submission__agency_id", *FIGURE_FIELDS
    ):
        indicator = indicators[indicator_id]
        reported = Reported(**dict(zip(FIGURE_FIELDS, fields, strict=True)))
        if (figure := indicator.measure.own_figure(reported, indicator=indicator)) is not None:
            yield indicator_id, agency_id, figure


# The fields a figure is made of (``Measure.own_figure``): not the text or the note.
FIGURE_FIELDS = ("value", "numerator", "denominator", "is_done", "done_on")
# What ``Measure.own_figure`` reads of the indicator: a figure kept in the cache is kept
# under them too, so that an indicator redefined in the admin (a ratio per thousand
# made per one) is never compared in its old unit.
FIGURE_DEFINITION = ("measure_type", "scale")


def _cache_keys(
    kind: str, *, period: ReportingPeriod, indicators: dict[int, Indicator], stamp: str
) -> dict[int, str]:
    """Each indicator's cache key of ``kind`` for the period's figures: the period, the
    indicator and what its figure reads of it (``FIGURE_DEFINITION``), the stamp."""
    return {
        pk: f"{kind}:{period.pk}:{pk}:"
        + ":".join(str(getattr(indicator, name)) for name in FIGURE_DEFINITION)
        + f":{stamp}"
        for pk, indicator in indicators.items()
    }


def year_targets(*, province_id: int, year: int, indicators: dict[int, Indicator]) -> dict[int, list[Target]]:
    """The targets plans set for these indicators (by id) in ``year``, by indicator id,
    each with its plan and, as its ``indicator``, the one given (its display needs
    the unit): the caller has read them already."""
    targets = defaultdict(list)
    for target in (
        Target.objects.filter(plan__province_id=province_id, year=year, indicator_id__in=list(indicators))
        .select_related("plan")
        .order_by("plan__number")
    ):
        target.indicator = indicators[target.indicator_id]
        targets[target.indicator_id].append(target)
    return targets


@dataclass
class PillarRows:
    pillar: Pillar
    values: list[IndicatorValue] = field(default_factory=list)


def submission_rows(*, submission: Submission) -> tuple[list[PillarRows], list[TaskProgress]]:
    """The submission's values grouped by pillar, each with ``targets`` (the year's),
    ``previous`` (last period's value) and ``collected_for`` (the bodies whose figure
    it is, for a collector) attached, and its task progress lines.
    A fixed number of queries whatever the number of indicators."""
    values = list(
        submission.values.select_related("indicator__pillar")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
        .order_by("indicator__pillar__order", "indicator__code")
    )
    targets = year_targets(
        province_id=submission.period.province_id,
        year=submission.period.year,
        indicators={v.indicator_id: v.indicator for v in values},
    )
    previous = previous_values(submission=submission)
    # The bodies that do not report themselves whose figure this agency enters.
    bodies: dict[int, list[Agency]] = defaultdict(list)
    for obligation in ReportingObligation.objects.filter(
        agency_id=submission.agency_id,
        year=submission.period.year,
        indicator_id__in=[v.indicator_id for v in values],
        on_behalf_of__isnull=False,
    ).select_related("on_behalf_of"):
        bodies[obligation.indicator_id].append(obligation.on_behalf_of)  # type: ignore[arg-type]
    for row in values:
        row.targets = targets.get(row.indicator_id, [])
        row.previous = previous.get(row.indicator_id)
        row.collected_for = bodies.get(row.indicator_id, [])
    groups = [
        PillarRows(pillar=pillar, values=list(rows))
        for pillar, rows in groupby(values, key=lambda v: v.indicator.pillar)
    ]
    tasks = list(
        submission.task_progress.select_related("task__plan").order_by("task__plan__number", "task__sort_key")
    )
    return groups, tasks


class ValueRow(NamedTuple):
    """An agency's value as the API writes it, read as plain fields with its indicator
    (``IndicatorValue``'s fields: a measure reads its figure and display from it as
    from a ``Reported``, ``measures.ReportedFields``). A page of the submission list
    holds 2,000 values; a model instance each was a fifth of its time."""

    pk: int
    indicator_id: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    is_done: bool | None
    done_on: date | None
    text: str
    note: str
    review_comment: str
    indicator: Indicator


def submissions_with_value_rows(submissions: list[Submission]) -> list[Submission]:
    """``submissions`` (already read for their reader), each with ``value_rows``: its
    values as ``ValueRow``s in the entry page's order (pillar, then code). Two queries
    whatever the number of submissions and values. The database orders the few
    indicators, not the 2,000 values of a page (joining each to its indicator and pillar
    to sort them was most of the query's time); a submission holds one value per
    indicator, so the indicators' order is its values'."""
    values = list(
        IndicatorValue.objects.filter(submission_id__in=[s.pk for s in submissions])
        .order_by()
        .values_list("submission_id", *(name for name in ValueRow._fields if name != "indicator"))
    )
    indicators = list(
        Indicator.objects.filter(pk__in={row[2] for row in values}).order_by("pillar__order", "code", "pk")
    )
    rank = {indicator.pk: place for place, indicator in enumerate(indicators)}
    by_pk = {indicator.pk: indicator for indicator in indicators}
    values.sort(key=lambda row: rank[row[2]])
    rows: dict[int, list[ValueRow]] = defaultdict(list)
    for submission_id, pk, indicator_id, *fields in values:
        rows[submission_id].append(ValueRow._make((pk, indicator_id, *fields, by_pk[indicator_id])))
    for submission in submissions:
        submission.value_rows = rows[submission.pk]
    return submissions


@dataclass
class ValueChange:
    """One saved change of a value, as the history table shows it."""

    at: datetime
    user: object
    indicator: object
    before: str
    after: str
    note: str | None
    review_comment: str | None


def submission_timeline(*, submission: Submission) -> dict:
    """The workflow's events and every change of a value, newest first. Each history
    row is compared with the one before it for the same value, so that a row shows
    what changed (the figure, the note, the DIC's comment), and rows that changed
    nothing a reader sees are left out. Three queries."""
    events = list(submission.events.select_related("actor").order_by("-at", "-pk"))
    # The newest 1000 records: enough for the page; the oldest of them has no
    # predecessor and reads as a first entry.
    newest = (
        IndicatorValue.history.filter(submission_id=submission.pk)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1000]
    )
    records = (
        IndicatorValue.history.filter(history_id__in=newest)
        .select_related("history_user", "indicator")
        .order_by("id", "history_date", "history_id")
    )
    changes: list[ValueChange] = []
    previous: dict[int, tuple[str, str, str]] = {}
    for record in records:
        instance = record.instance
        instance.indicator = record.indicator
        before = previous.get(record.id)
        previous[record.id] = (instance.display, instance.note, instance.review_comment)
        old = before or ("", "", "")
        now = previous[record.id]
        change = ValueChange(
            at=record.history_date,
            user=record.history_user,
            indicator=record.indicator,
            before=old[0],
            after=now[0],
            note=now[1] if now[1] != old[1] else None,
            # A comment cleared on approval is not news to a reader.
            review_comment=now[2] if now[2] != old[2] and now[2] else None,
        )
        if change.before == change.after and change.note is None and change.review_comment is None:
            continue
        changes.append(change)
    changes.sort(key=lambda c: c.at, reverse=True)
    task_changes = list(
        TaskProgress.history.filter(submission_id=submission.pk)
        .select_related("history_user", "task")
        .order_by("-history_date", "-history_id")[:100]
    )
    return {"events": events, "value_changes": changes[:300], "task_changes": task_changes}


def values_changed_since(*, submission: Submission, version: int) -> list[str]:
    """The codes of the indicators whose values were saved after the submission stood
    at ``version``: what a colleague changed while the user was typing."""
    read_at = (
        Submission.history.filter(id=submission.pk, version=version)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    changes = IndicatorValue.history.filter(submission_id=submission.pk)
    if read_at is not None:
        changes = changes.filter(history_date__gt=read_at)
    return sorted(set(changes.values_list("indicator__code", flat=True)))


def agency_submissions(*, user) -> QuerySet[Submission]:
    """The user's own agency's submissions, open periods first, latest first."""
    agency_id = user_agency_id(user)
    if agency_id is None:
        return Submission.objects.none()
    return (
        Submission.objects.visible_to(user)
        .filter(agency_id=agency_id)
        .select_related("period", "agency")
        .annotate(
            value_count=Count("values", distinct=True), task_count=Count("task_progress", distinct=True)
        )
        .with_deadline()
        .order_by("-period__state", F("deadline_on"))
    )


def review_queue(*, user, filterset_class, data) -> tuple:
    queryset = (
        Submission.objects.visible_to(user)
        .select_related("agency", "period__province", "last_saved_by")
        .annotate(value_count=Count("values"))
    )
    filterset = filterset_class(data, queryset=queryset, user=user)
    return filterset, filterset.qs.with_deadline().with_first_sent().order_by(
        "deadline_on", "status", "agency__code"
    )


@dataclass
class CompletenessRow:
    agency: Agency
    cells: list  # per period: (GridSubmission or None, CellState or None, overdue)


class GridSubmission(NamedTuple):
    """What a grid cell shows of its submission: the link and the agency's own due date."""

    pk: int
    due_on: date | None


def cell_state(status: str, *, is_started: bool) -> CellState:
    """A grid cell: the submission's status, or ``not_started`` when nothing was saved
    (``Submission.is_started``). Whether it is also overdue is ``overdue_q``."""
    if status == SubmissionStatus.DRAFT and not is_started:
        return CellState.NOT_STARTED
    return CellState(status)


def completeness_grid(
    *, user, province_id: int, year: int, today
) -> tuple[list[ReportingPeriod], list[CompletenessRow]]:
    """Agencies × periods of a year: each cell a submission, its state and whether it is
    overdue on ``today`` (``overdue_q``, the rule the overdue counts use;
    ``Submission.is_overdue`` in Python). Three queries; the submissions are read as
    values, not models (a province's grid has 300 agencies × 5 periods)."""
    periods = list(
        ReportingPeriod.objects.visible_to(user)
        .filter(province_id=province_id, year=year)
        .order_by("quarter")
    )
    periods.sort(key=lambda p: (p.quarter is None, p.quarter or 0))
    submissions = (
        Submission.objects.visible_to(user)
        .filter(period__in=periods)
        .with_deadline()
        .annotate(
            late=Case(When(overdue_q(today), then=Value(True)), default=Value(False)),
            started=Case(When(last_saved_at__isnull=False, then=Value(True)), default=Value(False)),
        )
        .order_by()
        .values_list("pk", "agency_id", "period_id", "status", "started", "due_on", "late")
    )
    by_agency: dict[int, dict[int, tuple]] = defaultdict(dict)
    for pk, agency_id, period_id, status, started, due_on, late in submissions:
        state = cell_state(status, is_started=started)
        by_agency[agency_id][period_id] = (GridSubmission(pk, due_on), state, late)
    agencies = list(Agency.objects.filter(pk__in=list(by_agency))) if by_agency else []
    empty = (None, None, False)
    return periods, [
        CompletenessRow(agency=agency, cells=[by_agency[agency.pk].get(p.pk, empty) for p in periods])
        for agency in sorted(agencies, key=lambda a: (a.kind, a.code))
    ]


def period_list(*, user) -> QuerySet[ReportingPeriod]:
    return (
        ReportingPeriod.objects.visible_to(user)
        .select_related("province")
        .annotate(
            submission_count=Count("submissions"),
            approved_count=Count("submissions", filter=Q(submissions__status=SubmissionStatus.APPROVED)),
            submitted_count=Count("submissions", filter=Q(submissions__status=SubmissionStatus.SUBMITTED)),
            last_compiled_at=Subquery(
                RollupRun.objects.filter(period=OuterRef("pk"), state=RollupState.DONE)
                .order_by("-finished_at")
                .values("finished_at")[:1]
            ),
        )
        # The year after its quarters on every database (SQLite puts NULL first).
        .order_by("-year", "province__code", F("quarter").asc(nulls_last=True))
    )


def user_notifications(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related(
        "event__actor", "event__submission__agency", "event__submission__period"
    )


def unread_notification_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def review_workload(*, user) -> dict[str, int]:
    """How many of the province's submissions await review, came back, are approved,
    and are overdue: one aggregate query."""
    today = timezone.localdate()
    return (
        Submission.objects.visible_to(user)
        .with_deadline()
        .aggregate(
            submitted=Count("pk", filter=Q(status=SubmissionStatus.SUBMITTED)),
            returned=Count("pk", filter=Q(status=SubmissionStatus.RETURNED)),
            approved=Count("pk", filter=Q(status=SubmissionStatus.APPROVED)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    )


def period_years(*, user, province_id: int) -> list[int]:
    return sorted(
        set(
            ReportingPeriod.objects.visible_to(user)
            .filter(province_id=province_id)
            .values_list("year", flat=True)
        ),
        reverse=True,
    )


def reminder_log(*, user, kind: str | None = None) -> QuerySet[ReminderLog]:
    queryset = ReminderLog.objects.visible_to(user).select_related("agency", "period", "province")
    if kind in ReminderKind.values:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-day", "-created_at", "agency__code")
