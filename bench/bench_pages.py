"""The main journeys' pages, one request at a time: server time and queries.

Each page of the journeys (the steering committee's overview, an indicator with its
300 agencies, the DTI score; a department's entry page of 40 indicators; the DIC's
queue, review page and completeness grid; the API's list and object reads) is
requested through Django's test client, in-process, with production settings (DEBUG
off), as the user who works on it. The cache is emptied first, so the first request of
a cached page (the dashboards, the DTI score, the review page's comparison) is timed
as "first"; then the pages are requested in turns, ``REPEATS`` times each, and each
page's median is reported with the query count of one request and the page's size.
Before the turns the process freezes what it has loaded, as gunicorn's workers do
(``gunicorn.conf.py``). Goal: every median ≤ 50 ms.
"""

from __future__ import annotations

import gc

from bench.common import (
    DRAFT_QUARTER,
    DRAFT_YEAR,
    ROLLUP_QUARTER,
    ROLLUP_YEAR,
    client_for,
    median,
    save_result,
    setup_django,
    timed,
)

REPEATS = 25
GOAL_MS = 50


def _pages() -> list[tuple[str, str, str]]:
    """(page, user, address) of each page measured, in P01."""
    from django.contrib.auth.models import User

    from indicators.models import Agency, Indicator
    from reporting.models import Submission

    province = Agency.objects.get(code="P01")
    query = f"province={province.pk}&year={ROLLUP_YEAR}&quarter={ROLLUP_QUARTER}"
    indicator = Indicator.objects.filter(province=province).order_by("code").first()
    staff_agency = User.objects.get(username="p01_staff_001").profile.agency
    draft = Submission.objects.get(
        agency=staff_agency, period__year=DRAFT_YEAR, period__quarter=DRAFT_QUARTER
    )
    approved = Submission.objects.get(
        agency=staff_agency, period__year=ROLLUP_YEAR, period__quarter=ROLLUP_QUARTER
    )
    return [
        ("Overview (steering member)", "p01_bcd", f"/reporting/dashboard/?{query}"),
        (
            "Indicator, 300 agencies (DIC officer)",
            "p01_dic",
            f"/reporting/dashboard/indicators/{indicator.pk}/?{query}",
        ),
        (
            "DTI score (steering member)",
            "p01_bcd",
            f"/reporting/dashboard/dti/?province={province.pk}&year={ROLLUP_YEAR}",
        ),
        ("Entry page, 40 indicators (staff)", "p01_staff_001", f"/reporting/submissions/{draft.pk}/edit/"),
        ("Review page, 40 indicators (DIC officer)", "p01_dic", f"/reporting/submissions/{approved.pk}/"),
        ("Review queue (DIC officer)", "p01_dic", "/reporting/submissions/"),
        ("Completeness grid, 300 agencies (DIC officer)", "p01_dic", f"/reporting/completeness/?{query}"),
        ("API: submissions list, page of 50 (DIC officer)", "p01_dic", f"/api/v1/submissions/?{query}"),
        ("API: one submission, 40 values (staff)", "p01_staff_001", f"/api/v1/submissions/{draft.pk}/"),
        ("API: province figures (DIC officer)", "p01_dic", f"/api/v1/figures/?{query}"),
    ]


def main() -> None:
    setup_django()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    pages = []
    for page, username, url in _pages():
        client = client_for(User.objects.get(username=username))
        first, response = timed(lambda client=client, url=url: client.get(url))
        assert response.status_code == 200, (page, url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        pages.append((page, username, url, client, first, len(queries.captured_queries), response))
    # What was loaded stays, as in a gunicorn worker (gunicorn.conf.py's post_worker_init).
    gc.freeze()
    # The pages in turns, so that whatever else the machine does at one moment weighs
    # on every page alike rather than on the one measured then.
    times: list[list[float]] = [[] for _ in pages]
    for _ in range(REPEATS):
        for index, (*_, client, _first, _queries, _response) in enumerate(pages):
            times[index].append(timed(lambda client=client, url=pages[index][2]: client.get(url))[0])
    rows = []
    for (page, username, url, _client, first, query_count, response), page_times in zip(
        pages, times, strict=True
    ):
        rows.append(
            {
                "page": page,
                "user": username,
                "url": url,
                "first_ms": round(first * 1000, 1),
                "median_ms": round(median(page_times) * 1000, 1),
                "queries": query_count,
                "kilobytes": round(len(response.content) / 1024),
            }
        )
        print(
            f"pages: {page}: {rows[-1]['median_ms']} ms (first {rows[-1]['first_ms']} ms), {query_count} queries"
        )
    save_result(
        "pages", {"rows": rows, "goal_ms": GOAL_MS, "goal_met": all(r["median_ms"] <= GOAL_MS for r in rows)}
    )


if __name__ == "__main__":
    main()
