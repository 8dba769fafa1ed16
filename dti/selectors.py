"""The province's DTI as the ministry will assess it: the provisional score of a year
under the framework in force, set against the ministry's published score once it is
entered, and the evidence package the province submits in the assessment window.

A component is scored from the plan indicators mapped to it and, through
``ComponentSuccession``, from those mapped to the components it continues in earlier
frameworks: a plan indicator and its past figures follow the component when the
framework changes. Each function runs a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext as _

from dti_portal.collation import vietnamese, vietnamese_key
from indicators.choices import Comparison, Direction
from indicators.formatting import quarter_name
from indicators.measures import answered_q
from indicators.models import Indicator
from reporting.choices import SubmissionStatus
from reporting.models import Evidence, IndicatorValue, ProvinceFigure, ReportingPeriod

from . import scoring
from .choices import PackageProblem, ScoringRule
from .models import ComponentSuccession, DtiAssessment, Framework, FrameworkComponent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAST_YEARS = 3  # how many earlier years' figures a component row shows


def assessment_year(*, province, today: date) -> int | None:
    """The DTI year whose assessment window is open on ``today``, if one is."""
    return (
        DtiAssessment.objects.filter(province=province, opens_on__lte=today, closes_on__gte=today)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def component_indicators(components, *, province) -> dict[int, list]:
    """Each component's plan indicators of ``province``: its own and those of the
    components it continues, however many frameworks back (two queries)."""
    earlier_of = defaultdict(set)
    for later_id, earlier_id in ComponentSuccession.objects.values_list("later_id", "earlier_id"):
        earlier_of[later_id].add(earlier_id)
    lineage = {}
    for component in components:
        seen, todo = [component.pk], [component.pk]
        while todo:
            for earlier_id in earlier_of[todo.pop()]:
                if earlier_id not in seen:
                    seen.append(earlier_id)
                    todo.append(earlier_id)
        lineage[component.pk] = seen
    links = defaultdict(list)
    through = (
        FrameworkComponent.indicators.through.objects.filter(
            frameworkcomponent_id__in={pk for ids in lineage.values() for pk in ids},
            indicator__province=province,
        )
        .select_related("indicator")
        .order_by("indicator__code")
    )
    for link in through:
        links[link.frameworkcomponent_id].append(link.indicator)
    result = {}
    for component_id, ids in lineage.items():
        indicators: dict[int, Indicator] = {}
        for pk in ids:
            for indicator in links[pk]:
                indicators.setdefault(indicator.pk, indicator)
        result[component_id] = list(indicators.values())
    return result


# -- the provisional score -----------------------------------------------------------


@dataclass
class ComponentRow:
    component: FrameworkComponent
    figures: list  # the province's year figures of the component's indicators
    score: scoring.ComponentScore
    indicators: list = field(default_factory=list)  # the province's plan indicators it is scored from
    past: list = field(default_factory=list)  # earlier years' figures, newest first
    published: Decimal | None = None  # the ministry's points, once entered
    difference: Decimal | None = None  # published − provisional


@dataclass
class DtiScore:
    framework: Framework | None
    period: ReportingPeriod | None
    score: scoring.Score | None
    rows: dict  # main indicator → [ComponentRow]
    missing: list  # components the province reports that have no figure
    assessment: DtiAssessment | None = None
    published_points: Decimal | None = None  # Σ the ministry's component points

    @property
    def decided_components(self) -> int:
        """How many components the framework's decision has (its main indicators'
        stated counts; the file's own components where a count is not stated)."""
        return sum(main.component_count or len(rows) for main, rows in self.rows.items())

    @property
    def untracked_count(self) -> int:
        """Components of the decision the portal does not follow: not in the framework
        file, so neither in the index's points nor in its maximum."""
        return max(0, self.decided_components - sum(len(rows) for rows in self.rows.values()))

    @property
    def mains(self) -> list[tuple]:
        """Per main indicator: it, its component rows, and how many of them are mapped
        to the province's plan indicators."""
        return [(main, rows, sum(1 for row in rows if row.indicators)) for main, rows in self.rows.items()]

    @property
    def groups(self) -> list[tuple[str, Decimal, Decimal]]:
        """Per group of main indicators (foundation, activity): label, points, and the
        maximum of what the province reports — the main indicators' sums regrouped."""
        scores = {main.code: main for main in self.score.mains} if self.score else {}
        sums: dict = {}
        for main in self.rows:
            points, maximum = sums.get(main.get_group_display(), (Decimal(0), Decimal(0)))
            sums[main.get_group_display()] = (
                points + scores[main.code].points,
                maximum + scores[main.code].scored_max,
            )
        return [(label, points, maximum) for label, (points, maximum) in sums.items()]


def _points(component, figure) -> Decimal | None:
    # A lower figure is better when the indicator says so or its target is a ceiling.
    lower_is_better = figure.indicator.direction == Direction.DECREASE or (
        figure.target is not None and figure.target.comparison in (Comparison.LTE, Comparison.LT)
    )
    return scoring.component_points(
        rule=component.rule,
        max_points=component.max_points,
        figure=figure.value,
        target=figure.target.value if figure.target else None,
        thresholds=component.thresholds,
        is_done=figure.indicator.measure.is_yes(figure.value, indicator=figure.indicator)
        if component.rule == ScoringRule.YES_NO
        else None,
        lower_is_better=lower_is_better,
    )


def dti_score(*, province, year: int) -> DtiScore:
    """The provisional DTI score of ``province`` for ``year``: each component of the
    framework of the year's assessment (else the one in force) scored from the year's
    province figures of its plan indicators (the mean of their points when several
    are), summed per main indicator and into the 0–1 index; with each component's
    figures of the earlier years and, once the ministry's score is entered, its
    points and the difference."""
    assessment = (
        DtiAssessment.objects.filter(province=province, year=year)
        .select_related("framework")
        .prefetch_related("component_scores")
        .first()
    )
    framework = assessment.framework if assessment else Framework.objects.in_force(year)
    period = ReportingPeriod.objects.filter(province=province, year=year, quarter__isnull=True).first()
    if framework is None:
        return DtiScore(framework=None, period=period, score=None, rows={}, missing=[])
    components = list(FrameworkComponent.objects.filter(main__framework=framework).select_related("main"))
    indicators = component_indicators(components, province=province)
    all_ids = {indicator.pk for ids in indicators.values() for indicator in ids}
    figures, past = {}, defaultdict(list)
    for figure in (
        ProvinceFigure.objects.filter(
            period__province=province,
            period__quarter__isnull=True,
            indicator_id__in=all_ids,
            period__year__gte=year - PAST_YEARS,
            period__year__lte=year,
            value__isnull=False,
        )
        .select_related("indicator", "target__indicator", "period")
        .order_by("-period__year", "indicator__code")
    ):
        if figure.period.year == year:
            figures[figure.indicator_id] = figure
        else:
            past[figure.indicator_id].append(figure)
    published = (
        {score.component_id: score.points for score in assessment.component_scores.all()}
        if assessment
        else {}
    )
    rows: dict = {}
    for component in components:
        mine = indicators[component.pk]
        own = [figures[i.pk] for i in mine if i.pk in figures]
        points = scoring.mean_points([_points(component, figure) for figure in own])
        row = ComponentRow(
            component,
            own,
            scoring.ComponentScore(
                code=component.code,
                main_code=component.main.code,
                max_points=component.max_points,
                points=points,
                measured_by_ministry=component.measured_by_ministry,
            ),
            indicators=mine,
            past=sorted(
                (f for i in mine for f in past[i.pk]), key=lambda f: (-f.period.year, f.indicator.code)
            ),
        )
        if component.pk in published:
            row.published = published[component.pk]
            if not component.measured_by_ministry:  # not in the provisional score: nothing to compare
                row.difference = scoring.differences(
                    {component.code: points}, {component.code: row.published}
                ).get(component.code)
        rows.setdefault(component.main, []).append(row)
    mains = list(framework.main_indicators.order_by("order"))
    rows = {main: rows.get(main, []) for main in mains}
    result = scoring.score(
        [row.score for group in rows.values() for row in group],
        [(main.code, main.max_points) for main in mains],
    )
    missing = [
        row
        for group in rows.values()
        for row in group
        if row.score.points is None and not row.score.measured_by_ministry
    ]
    return DtiScore(
        framework=framework,
        period=period,
        score=result,
        rows=rows,
        missing=missing,
        assessment=assessment,
        published_points=sum(published.values(), Decimal(0)) if published else None,
    )


# -- the evidence package ------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    kind: PackageProblem
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Document:
    """One evidence document of a component: the approved value it proves, and where
    its file goes in the zip ("" for a link, or a file no longer on the server)."""

    value: IndicatorValue
    evidence: Evidence
    zip_name: str = ""


@dataclass
class ComponentEvidence:
    component: FrameworkComponent
    indicators: list  # the province's plan indicators it is scored from
    figures: list  # their year figures
    documents: list[Document]  # the evidence of the approved values they rest on
    agencies: list  # the agencies of those approved values
    problems: list[Problem]  # what the ministry's assessment will find missing


@dataclass
class EvidencePackage:
    province: object
    year: int
    framework: Framework | None
    assessment: DtiAssessment | None
    components: list[ComponentEvidence]

    @property
    def documents(self) -> list[tuple[ComponentEvidence, Document]]:
        return [(entry, document) for entry in self.components for document in entry.documents]

    @property
    def checklist(self) -> list[tuple[ComponentEvidence, Problem]]:
        return [(entry, problem) for entry in self.components for problem in entry.problems]

    @property
    def problem_counts(self) -> list[tuple[StrOrPromise, int]]:
        """How many problems of each kind, in the kinds' order, the kinds that occur."""
        counts = Counter(problem.kind for _entry, problem in self.checklist)
        return [(kind.label, counts[kind]) for kind in PackageProblem if counts[kind]]


class Source(NamedTuple):
    """An agency an approved value of a component comes from."""

    pk: int
    code: str
    name: str


def _period_name(quarter: int | None, year: int) -> str:
    return quarter_name(quarter, year) if quarter else _("Năm %(year)s") % {"year": year}


def zip_part(text: str, limit: int) -> str:
    """A file or folder name that unzips the same on Windows: no separators or
    reserved characters, Vietnamese letters kept, at most ``limit`` characters with
    the extension kept, no trailing dot or space."""
    cleaned = "".join("-" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in str(text))
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or len(suffix) > 10 or not stem:
        stem, suffix = cleaned, ""
    suffix = f".{suffix}" if suffix else ""
    stem = stem.strip(" .")[: max(1, limit - len(suffix))].rstrip(" .")
    return f"{stem or '-'}{suffix}"


def evidence_package(*, province, year: int) -> EvidencePackage:
    """For the year's assessment, per component the province reports: its figures, the
    agencies its approved values come from, the evidence documents of those values
    (each file named for its place in the zip), and the checklist of what the
    ministry would find missing: no indicator mapped, no year figure, reports not yet
    approved (one line per report), approved values without evidence (one line per
    agency and indicator), documents without number, date or issuer, documents dated
    after the window closes, files no longer on the server. Only evidence of approved
    values. A fixed number of queries (and one file check per document); the year's
    values are read as plain rows, model objects only for the documents."""
    assessment = (
        DtiAssessment.objects.filter(province=province, year=year).select_related("framework").first()
    )
    framework = assessment.framework if assessment else Framework.objects.in_force(year)
    if framework is None:
        return EvidencePackage(province, year, None, assessment, [])
    components = list(
        FrameworkComponent.objects.filter(main__framework=framework, measured_by_ministry=False)
        .select_related("main")
        .order_by("main__order", "order")
    )
    indicators = component_indicators(components, province=province)
    all_ids = {indicator.pk for ids in indicators.values() for indicator in ids}
    figures = {
        figure.indicator_id: figure
        for figure in ProvinceFigure.objects.filter(
            period__province=province,
            period__year=year,
            period__quarter__isnull=True,
            indicator_id__in=all_ids,
        ).select_related("indicator", "target__indicator")
    }
    year_values = IndicatorValue.objects.filter(
        submission__period__province=province,
        submission__period__year=year,
        indicator_id__in=all_ids,
    )
    approved = year_values.filter(answered_q(), submission__status=SubmissionStatus.APPROVED)
    sources: dict[int, dict[int, Source]] = defaultdict(dict)  # indicator → {agency id: Source}
    for indicator_id, agency_id, agency_code, agency_name in (
        approved.values_list(
            "indicator_id",
            "submission__agency_id",
            "submission__agency__code",
            "submission__agency__name",
        )
        .order_by()
        .distinct()
    ):
        sources[indicator_id][agency_id] = Source(agency_id, agency_code, agency_name)
    # indicator → agency name → quarters without evidence
    bare: dict[int, dict[str, list[int | None]]] = defaultdict(lambda: defaultdict(list))
    for indicator_id, agency, quarter in (
        approved.filter(evidence__isnull=True)
        .values_list(
            "indicator_id",
            "submission__agency__name",
            "submission__period__quarter",
        )
        .order_by(vietnamese("submission__agency__name"), "submission__period__quarter")
    ):
        bare[indicator_id][agency].append(quarter)
    # indicator → {submission id: (agency, quarter, status)}
    unapproved: dict[int, dict[int, tuple[str, int | None, str]]] = defaultdict(dict)
    for indicator_id, submission_id, agency_name, quarter, status in year_values.exclude(
        submission__status=SubmissionStatus.APPROVED
    ).values_list(
        "indicator_id",
        "submission_id",
        "submission__agency__name",
        "submission__period__quarter",
        "submission__status",
    ):
        unapproved[indicator_id][submission_id] = (agency_name, quarter, status)
    evidence = defaultdict(list)  # indicator → its approved values' documents
    for item in (
        Evidence.objects.filter(value__in=approved)
        .select_related("value__indicator", "value__submission__agency", "value__submission__period")
        .order_by(
            "value__indicator__code",
            vietnamese("value__submission__agency__name"),
            "value__submission__period__quarter",
            "uploaded_at",
            "pk",
        )
    ):
        evidence[item.value.indicator_id].append(item)
    closes_on = assessment.closes_on if assessment else None
    on_disk: dict[int, bool] = {}
    entries = []
    for component in components:
        mine = indicators[component.pk]
        problems = []
        if not mine:
            problems.append(
                Problem(PackageProblem.NO_INDICATOR, _("Chưa gắn chỉ tiêu nào của tỉnh với chỉ số này."))
            )
        elif not any(
            indicator.pk in figures and figures[indicator.pk].value is not None for indicator in mine
        ):
            problems.append(
                Problem(PackageProblem.NO_FIGURE, _("Chưa có số liệu cả năm đã duyệt và tổng hợp."))
            )
        reports: dict[int, tuple[tuple[str, int | None, str], list[str]]] = {}
        for indicator in mine:
            for submission_id, report in unapproved[indicator.pk].items():
                reports.setdefault(submission_id, (report, []))[1].append(indicator.name)
        for (agency, quarter, status), names in sorted(
            reports.values(), key=lambda r: (vietnamese_key(r[0][0]), r[0][1] or 5)
        ):
            problems.append(
                Problem(
                    PackageProblem.NOT_APPROVED,
                    _("%(agency)s: báo cáo %(period)s chưa được duyệt (%(status)s) — %(indicators)s.")
                    % {
                        "agency": agency,
                        "period": _period_name(quarter, year),
                        "status": SubmissionStatus(status).label,
                        "indicators": "; ".join(names),
                    },
                )
            )
        for indicator in mine:
            for agency, quarters in bare[indicator.pk].items():
                problems.append(
                    Problem(
                        PackageProblem.NO_EVIDENCE,
                        _("%(agency)s — %(indicator)s: số liệu đã duyệt của %(periods)s chưa có minh chứng.")
                        % {
                            "agency": agency,
                            "indicator": indicator.name,
                            "periods": ", ".join(_period_name(quarter, year) for quarter in quarters),
                        },
                    )
                )
        documents, number = [], 0
        for item in (item for indicator in mine for item in evidence[indicator.pk]):
            value = item.value
            where = {
                "agency": value.submission.agency.name,
                "period": value.submission.period.name,
                "indicator": value.indicator.name,
            }
            document = Document(value, item)
            if item.file:
                if item.pk not in on_disk:
                    on_disk[item.pk] = item.file.storage.exists(str(item.file.name))
                if on_disk[item.pk]:
                    number += 1
                    document.zip_name = (
                        f"{zip_part(component.code, 20)}/{number:02d}-"
                        f"{zip_part(value.submission.agency.name, 40)}-{zip_part(item.file_name, 80)}"
                    )
                else:
                    problems.append(
                        Problem(
                            PackageProblem.MISSING_FILE,
                            _(
                                "%(agency)s, %(period)s — %(indicator)s: tệp “%(name)s” không còn "
                                "trên máy chủ, hãy tải lên lại."
                            )
                            % {**where, "name": item},
                        )
                    )
            documents.append(document)
            if lacking := item.missing_document_fields:
                problems.append(
                    Problem(
                        PackageProblem.INCOMPLETE_DOCUMENT,
                        _("%(agency)s, %(period)s — %(indicator)s: minh chứng “%(name)s” thiếu %(fields)s.")
                        % {**where, "name": item, "fields": ", ".join(lacking)},
                    )
                )
            if closes_on and item.document_date and item.document_date > closes_on:
                problems.append(
                    Problem(
                        PackageProblem.LATE_DOCUMENT,
                        _(
                            "%(agency)s, %(period)s — %(indicator)s: văn bản “%(name)s” ban hành sau "
                            "hạn gửi minh chứng (%(date)s)."
                        )
                        % {**where, "name": item, "date": closes_on.strftime("%d/%m/%Y")},
                    )
                )
        agencies = {pk: source for indicator in mine for pk, source in sources[indicator.pk].items()}
        entries.append(
            ComponentEvidence(
                component=component,
                indicators=mine,
                figures=[figures[i.pk] for i in mine if i.pk in figures],
                documents=documents,
                agencies=sorted(agencies.values(), key=lambda source: vietnamese_key(source.name)),
                problems=problems,
            )
        )
    return EvidencePackage(province, year, framework, assessment, entries)
