"""The completeness grid is read as values and written by the ``completeness_rows`` tag
(issue 20). What it shows must not change: each cell's state and overdue flag are
those the grid computed from model rows (``Submission.is_overdue``), and the page is
the one the template's loop over rows and cells wrote, byte for byte."""

import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from indicators.choices import AgencyKind
from indicators.models import Agency
from reporting.choices import CellState, SubmissionStatus
from reporting.models import IndicatorValue, ReportingPeriod, Submission, TaskProgress
from reporting.selectors import submissions as selectors
from reporting.selectors.submissions import CompletenessRow, completeness_grid

pytestmark = pytest.mark.django_db

# The grid's rows as reporting/completeness.html wrote them before the tag.
OLD_LOOP = """  {% for row in rows %}
    <tr><td>{{ row.agency.name }}{% if row.agency.exists_until %} <span class="small text-muted">({% blocktranslate with day=row.agency.exists_until|date:"d/m/Y" %}đến hết {{ day }}{% endblocktranslate %})</span>{% endif %}</td>
      {% for submission, state, late in row.cells %}
        <td class="text-center">{% if submission %}<a href="{{ submission.get_absolute_url }}" class="text-decoration-none">{% status_badge state state.label %}{% if late %} {% status_badge "overdue" overdue_label %}{% endif %}</a>{% if submission.due_on %}<div class="small text-muted">{% translate "hạn riêng" %} {{ submission.due_on|date:"d/m" }}</div>{% endif %}{% else %}<span class="text-muted">—</span>{% endif %}</td>
      {% endfor %}
    </tr>
  {% endfor %}
"""  # noqa: E501


def old_grid(*, user, province_id, year, today):
    """The grid as it was computed before, from model rows."""
    periods = list(
        ReportingPeriod.objects.visible_to(user)
        .filter(province_id=province_id, year=year)
        .order_by("quarter")
    )
    periods.sort(key=lambda p: (p.quarter is None, p.quarter or 0))
    submissions = (
        Submission.objects.visible_to(user).filter(period__in=periods).select_related("agency", "period")
    )
    by_agency = defaultdict(dict)
    agencies = {}
    for submission in submissions:
        agencies[submission.agency_id] = submission.agency
        by_agency[submission.agency_id][submission.period_id] = submission
    rows = []
    for agency in sorted(agencies.values(), key=lambda a: (a.kind, a.code)):
        cells = []
        for period in periods:
            found = by_agency[agency.pk].get(period.pk)
            if found is None:
                cells.append((None, None, False))
                continue
            state = CellState(found.status)
            if found.status == SubmissionStatus.DRAFT and not found.is_started:
                state = CellState.NOT_STARTED
            cells.append((found, state, found.is_overdue(today)))
        rows.append(CompletenessRow(agency=agency, cells=cells))
    return periods, rows


@pytest.fixture
def grid(world):
    """The world's three agencies over 2024 (Q1 due 20/3, Q2 20/6, Q3 20/9, Q4 20/12),
    in every state a cell can show:

    - BG.A0 "Sở A & B <thử>": Q1 approved, Q2 submitted with its own due date 30/6,
      Q3 sent back, Q4 saved as a draft with its own due date 10/12;
    - BG.A1, ended on 31/5: Q1 and Q2 never started (Q1 fell due before its end and
      stays required, Q2 after it and is not), Q3 approved, Q4 never started;
    - BG.A2, a district (listed after the departments): Q1 saved as a draft, no Q2
      report (an empty cell), Q3 and Q4 never started.
    """
    a0, a1, a2 = world["agencies"]
    Agency.objects.filter(pk=a0.pk).update(name="Sở A & B <thử>")
    Agency.objects.filter(pk=a1.pk).update(exists_until=date(2024, 5, 31))
    Agency.objects.filter(pk=a2.pk).update(kind=AgencyKind.DISTRICT)
    saved = timezone.make_aware(datetime(2024, 3, 1, 9))

    def set_(agency, quarter, **fields):
        Submission.objects.filter(agency=agency, period__year=2024, period__quarter=quarter).update(**fields)

    set_(a0, 1, status=SubmissionStatus.APPROVED, last_saved_at=saved)
    set_(a0, 2, status=SubmissionStatus.SUBMITTED, last_saved_at=saved, due_on=date(2024, 6, 30))
    set_(a0, 3, status=SubmissionStatus.RETURNED, last_saved_at=saved, review_comment="Sửa lại")
    set_(a0, 4, last_saved_at=saved, due_on=date(2024, 12, 10))
    set_(a1, 3, status=SubmissionStatus.APPROVED, last_saved_at=saved)
    set_(a2, 1, last_saved_at=saved)
    gone = Submission.objects.get(agency=a2, period__year=2024, period__quarter=2)
    IndicatorValue.objects.filter(submission=gone).delete()
    TaskProgress.objects.filter(submission=gone).delete()
    gone.delete()
    return world


DAYS = [
    date(2024, 3, 1),
    date(2024, 3, 21),
    date(2024, 6, 1),
    date(2024, 6, 21),
    date(2024, 12, 15),
    date(2025, 1, 5),
]


@pytest.mark.parametrize("today", DAYS)
def test_each_cell_shows_what_the_model_rows_showed(grid, today):
    kwargs = {"user": grid["dic_user"], "province_id": grid["province"].pk, "year": 2024, "today": today}
    old_periods, old_rows = old_grid(**kwargs)
    periods, rows = completeness_grid(**kwargs)
    assert periods == old_periods
    assert [row.agency for row in rows] == [row.agency for row in old_rows]
    for row, old_row in zip(rows, old_rows, strict=True):
        for (submission, state, late), (old_submission, old_state, old_late) in zip(
            row.cells, old_row.cells, strict=True
        ):
            assert (submission is None) == (old_submission is None)
            if submission is not None:
                assert (submission.pk, submission.due_on) == (old_submission.pk, old_submission.due_on)
            assert (state, late) == (old_state, old_late)
            assert type(late) is bool


def test_the_fixture_reaches_every_kind_of_cell(grid):
    """Each branch of the tag is exercised: on 21 June 2024, A0's Q3 (returned) is not
    yet due; A1's Q1 (due 20/3, before its end on 31/5) is overdue, its Q2 (due 20/6,
    after its end) is not; A2's Q1 draft (due 20/3) is overdue; A0's Q2 has its own due
    date (30/6) and is sent; A2 has no Q2 report."""
    _periods, rows = completeness_grid(
        user=grid["dic_user"], province_id=grid["province"].pk, year=2024, today=date(2024, 6, 21)
    )
    cells = {row.agency.code: row.cells for row in rows}
    assert [row.agency.code for row in rows] == ["BG.A0", "BG.A1", "BG.A2"]
    states = {
        code: [(str(state) if state else None, late) for _s, state, late in row]
        for code, row in cells.items()
    }
    assert states["BG.A0"][:4] == [
        ("approved", False),
        ("submitted", False),
        ("returned", False),
        ("draft", False),
    ]
    assert states["BG.A1"][:4] == [
        ("not_started", True),
        ("not_started", False),
        ("approved", False),
        ("not_started", False),
    ]
    assert states["BG.A2"][:4] == [
        ("draft", True),
        (None, False),
        ("not_started", False),
        ("not_started", False),
    ]
    assert cells["BG.A0"][1][0].due_on == date(2024, 6, 30)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("today", DAYS)
def test_the_tag_writes_what_the_loop_wrote(grid, today, language):
    kwargs = {"user": grid["dic_user"], "province_id": grid["province"].pk, "year": 2024, "today": today}
    with translation.override(language):
        old = Template(
            '{% load i18n reporting %}{% translate "Quá hạn" as overdue_label %}' + OLD_LOOP
        ).render(Context({"rows": old_grid(**kwargs)[1]}))
        new = Template("{% load reporting %}  {% completeness_rows rows %}\n").render(
            Context({"rows": completeness_grid(**kwargs)[1]})
        )
    assert new == old
    assert "Sở A &amp; B &lt;thử&gt;" in new
    assert new.count("<tr>") == 3


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_is_what_the_template_loop_wrote(grid, client, settings, tmp_path, monkeypatch, language):
    """The whole page, once as it is and once with the old template and the old grid."""
    client.force_login(grid["dic_user"])
    url = reverse("reporting:completeness")
    query = {"year": 2024, "province": grid["province"].pk}
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def get() -> str:
        html = client.get(url, query).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    page = get()

    source = (Path(settings.BASE_DIR) / "templates/reporting/completeness.html").read_text(encoding="utf-8")
    assert "  {% completeness_rows rows %}\n" in source
    old_template = tmp_path / "reporting" / "completeness.html"
    old_template.parent.mkdir()
    old_template.write_text(source.replace("  {% completeness_rows rows %}\n", OLD_LOOP), encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    monkeypatch.setattr(selectors, "completeness_grid", old_grid)
    old_page = get()

    assert page == old_page
    assert page.count('<td class="text-center">') == 3 * 5
    assert ("Quá hạn" if language == "vi" else "Overdue") in page


def test_the_grid_query_count_does_not_grow_with_agencies(grid, client, django_assert_max_num_queries):
    from .test_views import grow

    client.force_login(grid["dic_user"])
    url = reverse("reporting:completeness")
    with django_assert_max_num_queries(30) as small:
        client.get(url, {"year": 2024})
    grow(grid["province"], 3, grid["dic_user"], 2024)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"year": 2024})
    assert len(response.context["rows"]) == 6
