"""The dashboards and the DTI score are kept in the cache (``dti_portal.caching``) and
never served stale: a compile, an approval, a catalogue edit, another reader or
another language each show at once, and so do a run or an approval that began first
and committed last, a new setting the pages state, and, for the review page's
comparison, a redefined indicator; an unchanged page is served from the cache."""

import re
import time
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.choices import Role
from dti_portal import caching
from indicators.choices import InstitutionRole, MeasureType, RatioScale
from indicators.models import ProvinceInstitution
from reporting import services
from reporting.choices import Action
from reporting.models import ChangeCount, Notification, ProvinceFigure, Submission, SubmissionEvent
from reporting.rollup.services import compile_province_rollup
from reporting.selectors.submissions import period_figures
from tests.dti.framework import FRAMEWORK
from tests.factories import AgencyFactory, IndicatorFactory, TargetFactory, make_user, reporting_setup
from tests.reporting.conftest import complete_values
from tests.reporting.world import period, report

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reporting:dashboard")
Q1 = {"year": 2024, "quarter": 1}


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens, masked anew for each response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def get(client, url, query):
    """The page and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_an_unchanged_overview_is_served_from_the_cache(client, compiled, steering_user):
    client.force_login(steering_user)
    first, cold = get(client, OVERVIEW, Q1)
    second, warm = get(client, OVERVIEW, Q1)
    assert without_tokens(second) == without_tokens(first)
    # The figures and their indicators, targets, pillars are not read again: only
    # the stamps (the catalogue's, the roll-up's) and what the page around reads.
    assert warm <= cold - 2


def test_a_compile_shows_at_once(client, compiled, steering_user):
    """Q1's RATE is (45 + 5) / (60 + 40) = 50/100; A2's 30/100 approved and compiled
    makes it (45 + 5 + 30) / (60 + 40 + 100) = 80/200 = 40%."""
    client.force_login(steering_user)
    page, _ = get(client, OVERVIEW, Q1)
    assert "50% (50/100)" in page
    report(compiled, 2, 1, {"RATE": {"numerator": 30, "denominator": 100}})
    # Approved, not compiled yet: the overview shows the roll-up as it stands.
    assert "50% (50/100)" in get(client, OVERVIEW, Q1)[0]
    compile_province_rollup(period=period(compiled, 1))
    page, _ = get(client, OVERVIEW, Q1)
    assert "40% (80/200)" in page and "50% (50/100)" not in page


def test_a_catalogue_edit_shows_at_once(client, compiled, steering_user):
    client.force_login(steering_user)
    rate = compiled["indicators"]["RATE"]
    page, _ = get(client, OVERVIEW, Q1)
    assert rate.name in page
    rate.name = "Tỷ lệ hồ sơ trực tuyến toàn trình (đã sửa)"
    rate.save()
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình (đã sửa)" in get(client, OVERVIEW, Q1)[0]
    # The target, edited in the admin: the figure keeps the target row it was judged on.
    target = rate.targets.get()
    target.value = Decimal(45)
    target.save()
    assert "≥ 45%" in get(client, OVERVIEW, Q1)[0]


def test_an_approval_shows_at_once_among_the_agencies_values(client, compiled, steering_user):
    """The indicator page lists each agency's approved value: A2's, approved after the
    compile, is there before the next compile."""
    client.force_login(steering_user)
    url = reverse("reporting:dashboard-indicator", args=[compiled["indicators"]["RATE"].pk])
    query = {**Q1, "period": period(compiled, 1).pk}
    page, _ = get(client, url, query)
    assert compiled["agencies"][2].name not in page
    assert without_tokens(get(client, url, query)[0]) == without_tokens(page)  # kept
    report(compiled, 2, 1, {"RATE": {"numerator": 30, "denominator": 100}})
    page, _ = get(client, url, query)
    assert compiled["agencies"][2].name in page and "30/100" in page


def test_a_page_kept_for_one_reader_is_not_served_to_another(client, compiled, dic_user, steering_user):
    """The DIC sees a link to give the unassigned indicator an agency; the steering
    committee, reading the same address next, does not."""
    rate = compiled["indicators"]["RATE"]
    unassigned = IndicatorFactory(province=compiled["province"], code="NOBODY", pillar=rate.pillar)
    TargetFactory(plan=rate.targets.get().plan, indicator=unassigned, year=2024)
    link = reverse("reporting:unassigned-indicators")
    client.force_login(dic_user)
    assert link in get(client, OVERVIEW, Q1)[0]
    client.force_login(steering_user)
    assert link not in get(client, OVERVIEW, Q1)[0]


def test_a_page_kept_in_one_language_is_not_served_in_another(client, compiled, steering_user):
    client.force_login(steering_user)
    year = {"year": 2024}  # no quarter, whose name the filters would hold in either language
    assert "Theo lĩnh vực" in get(client, OVERVIEW, year)[0]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page, _ = get(client, OVERVIEW, year)
    assert "Theo lĩnh vực" not in page and "By pillar" in page


def test_the_dti_score_shows_a_framework_edit_and_a_compile_at_once(
    client, compiled, steering_user, tmp_path
):
    """The seeded world's score: A.1 scores RATE's year figure, 50% against 50: all its
    40 points (tests/dti/test_score_page.py). Taken off A.1, RATE no longer counts:
    A.1 has no data."""
    from dti.models import FrameworkComponent
    from dti.services import framework_load

    path = tmp_path / "framework.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    framework_load(path=path)
    client.force_login(steering_user)
    url = reverse("dti:score")
    first = client.get(url, {"year": 2024})
    rows = {row.component.code: row for group in first.context["dti"].rows.values() for row in group}
    assert rows["A.1"].score.points == Decimal("40.00")
    kept = client.get(url, {"year": 2024})
    assert without_tokens(kept.content.decode()) == without_tokens(first.content.decode())
    assert kept.context.get("dti") is None  # not computed again
    # A many-to-many edit (the component's indicators), as the admin makes it.
    FrameworkComponent.objects.get(code="A.1").indicators.clear()
    second = client.get(url, {"year": 2024})
    rows = {row.component.code: row for group in second.context["dti"].rows.values() for row in group}
    assert rows["A.1"].score.points is None
    # A compile of the year moves the score's stamp too.
    compile_province_rollup(period=period(compiled, None))
    assert client.get(url, {"year": 2024}).context.get("dti") is not None  # drawn again


def test_every_catalogue_model_keeps_the_history_the_stamp_reads():
    """A catalogue model without history would change without moving the stamp."""
    for label in caching.CATALOGUE_APPS:
        for model in apps.get_app_config(label).get_models():
            if not hasattr(model, "instance_type"):  # a history model itself
                assert hasattr(model, "history"), f"{model._meta.label} keeps no history"
    assert len(caching.catalogue_stamp()) == len(caching.catalogue_models())


def kept_and_fresh(client, url, query) -> tuple[str, str]:
    """The page as served (``kept``), and as drawn afresh once the cache is emptied
    (``fresh``: what the reader should have seen)."""
    kept, _queries = get(client, url, query)
    cache.clear()
    return without_tokens(kept), without_tokens(get(client, url, query)[0])


def test_a_run_that_began_first_and_committed_last_shows_at_once(client, compiled, steering_user):
    """An approval requests two runs, its quarter's and its year's, under two period
    locks: two workers carry them out at once. The year's run reads its clock first
    and commits last, replacing as many figures at an older time than the quarter's
    run: neither the number of figures nor the latest time moves, and the kept year
    page must still go. RATE's year: 45 + 5 + 30 of 60 + 40 + 100 = 80/200 = 40 %."""
    client.force_login(steering_user)
    year = {"year": 2024}
    assert "50% (50/100)" in get(client, OVERVIEW, year)[0]
    report(compiled, 2, 1, {"RATE": {"numerator": 30, "denominator": 100}})
    compile_province_rollup(period=period(compiled, 1))  # the quick quarter's run commits first
    quarter_at = ProvinceFigure.objects.filter(period=period(compiled, 1)).first().compiled_at
    assert "50% (50/100)" in get(client, OVERVIEW, year)[0]  # drawn before the year's run commits
    with mock.patch("django.utils.timezone.now", return_value=quarter_at - timedelta(milliseconds=5)):
        compile_province_rollup(period=period(compiled, None))
    kept, fresh = kept_and_fresh(client, OVERVIEW, year)
    assert "40% (80/200)" in fresh
    assert kept == fresh


def test_an_approval_committed_after_a_later_one_shows_at_once(client, compiled, steering_user):
    """Ids are handed out when a row is written, not when it commits: approval A writes
    its event, then waits (for a period a run is compiling); approval B, of another
    report, writes the next event and commits; a reader draws the indicator page; A
    commits. The newest event is still B's, and the kept page must still go: A's
    agency's 30/100 shows. A's event is given an id below B's to stand for it."""
    client.force_login(steering_user)
    url = reverse("reporting:dashboard-indicator", args=[compiled["indicators"]["RATE"].pk])
    query = {"year": 2024, "quarter": 1, "period": period(compiled, 1).pk}
    report(compiled, 2, 1, {"RATE": {"numerator": 30, "denominator": 100}}, approve=False)  # A, sent
    complete = {
        "RATE": {"numerator": 45, "denominator": 60},
        "ARTICLES": {"value": 12},
        "OPENDATA": {"is_done": True},
        "BUDGET": {"value": 3_000_000_000},
    }
    report(compiled, 0, 2, complete)  # B, approved
    late = compiled["agencies"][2]
    assert late.name not in get(client, url, query)[0]
    submission = Submission.objects.get(agency=late, period=period(compiled, 1))
    services.submission_approve(submission=submission, actor=compiled["dic_user"])
    event = SubmissionEvent.objects.get(submission=submission, action=Action.APPROVE)
    Notification.objects.filter(event_id=event.pk).delete()
    SubmissionEvent.objects.filter(pk=event.pk).update(id=-event.pk)  # an id taken before B's
    kept, fresh = kept_and_fresh(client, url, query)
    assert late.name in fresh and "30/100" in fresh
    assert kept == fresh


def test_a_new_coverage_threshold_shows_at_once(client, compiled, steering_user):
    """The threshold the overview states is a setting (``ROLLUP_COVERAGE_THRESHOLD``):
    a restart with another value must not serve the pages written with the old one."""
    client.force_login(steering_user)
    assert "dưới 50%" in get(client, OVERVIEW, Q1)[0]
    with override_settings(ROLLUP_COVERAGE_THRESHOLD=70):
        kept, fresh = kept_and_fresh(client, OVERVIEW, Q1)
    assert "dưới 70%" in fresh
    assert kept == fresh


def test_two_readers_of_every_province_each_read_their_own_dics_name(
    client, province, other_province, admin_user_portal
):
    """The overview names the reader's own DIC; two administrators both read every
    province, and the second must not be served the first one's words."""
    ProvinceInstitution.objects.create(
        province=other_province,
        role=InstitutionRole.DIC,
        name="Sở KH&CN tỉnh Thừa Thiên Huế",
        short_name="Sở KHCN Huế",
        since=None,
    )
    other = make_user(Role.ADMINISTRATOR, AgencyFactory(parent=other_province, code="TTH.X"), username="qt2")
    query = {"province": province.pk, "year": 2030}  # no period: the body names the DIC
    client.force_login(admin_user_portal)
    get(client, OVERVIEW, query)
    client.force_login(other)
    kept, fresh = kept_and_fresh(client, OVERVIEW, query)

    def words(html: str) -> str:
        return re.search(r"Chưa có kỳ báo cáo này\.[^<]*", html).group(0)

    assert "Sở KHCN Huế" in words(fresh)
    assert kept == fresh


def test_the_other_agencies_figures_follow_a_redefined_indicator(province, department, dic_user, staff_user):
    """The review page compares a report with the other agencies' figures of the
    period, kept in the cache (``selectors.submissions.period_figures``): an indicator
    redefined in the admin (a ratio per one made per thousand) must not be compared in
    its old unit. complete_values' ratio is 28,000/2,000: 14 per one, 14,000 per
    thousand."""
    _plan, indicators = reporting_setup(province, department, dic_user)
    submission = Submission.objects.get(agency=department, period__year=2024, period__quarter=1)
    saved = services.submission_save(
        submission=submission,
        actor=staff_user,
        version=submission.version,
        values=complete_values(submission),
    )
    services.submission_submit(submission=saved, actor=staff_user)
    ratio = indicators[MeasureType.RATIO]
    ratio.scale = RatioScale.PER_ONE
    ratio.save()
    before = period_figures(period=submission.period, indicators={ratio.pk: ratio})
    ratio.scale = RatioScale.PER_THOUSAND
    ratio.save()
    kept = period_figures(period=submission.period, indicators={ratio.pk: ratio})
    cache.clear()
    fresh = period_figures(period=submission.period, indicators={ratio.pk: ratio})
    assert before == {ratio.pk: {department.pk: Decimal("14")}}
    assert fresh == {ratio.pk: {department.pk: Decimal("14000")}}
    assert kept == fresh


def test_a_change_count_moves_with_each_change_and_never_back_to_a_restored_number():
    """Each change moves its count, to the next number or to the clock in microseconds,
    whichever is larger: a database restored to an earlier count never counts again
    through numbers it held before (pages may be kept under them)."""
    assert ChangeCount.objects.counts(["a", "b"]) == (0, 0)
    clock = time.time_ns() // 1000
    ChangeCount.objects.add_one("a")
    (first,) = ChangeCount.objects.counts(["a"])
    ChangeCount.objects.add_one("a")
    assert clock <= first < ChangeCount.objects.counts(["a"])[0]
    ahead = clock + 10**12  # a count ahead of the clock: the next number
    ChangeCount.objects.filter(name="a").update(count=ahead)
    ChangeCount.objects.add_one("a")
    assert ChangeCount.objects.counts(["a"]) == (ahead + 1,)
    ChangeCount.objects.create(name="b", count=5)  # as a restored database holds it
    ChangeCount.objects.add_one("b")
    assert ChangeCount.objects.counts(["b", "c"])[0] >= clock and ChangeCount.objects.counts(["c"]) == (0,)
