"""Saving a submission: the query count must not depend on the number of indicators.

For submissions of 10, 20 and 40 indicators of mixed measure types (rates, counts,
amounts, yes/no, milestones, text) in the open quarter of P01, saves every value
(each one changed) twice: through the real service ``reporting.services.submission_save``
and through the real entry page (``POST /reporting/submissions/<id>/edit/``, as the
browser's form posts it, via Django's test client). Queries are counted with
``CaptureQueriesContext``; times are the median of five saves. Everything happens in
a transaction that is rolled back, so the data set is left as it was (the savepoints
this adds are counted alike for every size).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from bench.common import DRAFT_QUARTER, DRAFT_YEAR, client_for, median, save_result, setup_django, timed

SIZES = (10, 20, 40)
REPEATS = 5


def _service_fields(measure: str, i: int) -> dict:
    if measure == "rate":
        return {"numerator": Decimal(40 + i), "denominator": Decimal(60 + i)}
    if measure in ("count", "amount"):
        return {"value": Decimal(100 + i)}
    if measure == "yes_no":
        return {"is_done": i % 2 == 0}
    if measure == "milestone":
        return {"is_done": True, "done_on": datetime.date(DRAFT_YEAR, 10, 1 + i)}
    return {"text": f"Đã triển khai, lần lưu {i}"}


def _form_fields(prefix: str, measure: str, i: int) -> dict:
    fields = {f"{prefix}-note": f"Ghi chú {i}"}
    for name, value in _service_fields(measure, i).items():
        if isinstance(value, bool):
            value = "yes" if value else "no"
        fields[f"{prefix}-{name}"] = str(value)
    return fields


def _measure_size(size: int) -> dict:
    from django.contrib.auth.models import Group, User
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from assignments.choices import Role
    from assignments.models import UserProfile
    from indicators.models import Agency, Indicator
    from reporting.models import IndicatorValue, ReportingPeriod, Submission
    from reporting.services import submission_save

    result: dict = {"indicators": size}
    with transaction.atomic():
        province = Agency.objects.get(code="P01")
        period = ReportingPeriod.objects.get(province=province, year=DRAFT_YEAR, quarter=DRAFT_QUARTER)
        agency = Agency.objects.create(
            code=f"P01.BENCH-SAVE-{size}",
            name=f"Đơn vị đo lưu ({size})",
            kind="department",
            parent=province,
            province=province,
        )
        user = User.objects.create(username=f"bench_save_{size}")
        user.groups.add(Group.objects.get(name=Role.DEPARTMENT_STAFF))
        UserProfile.objects.create(user=user, agency=agency)
        indicators = list(Indicator.objects.filter(province=province).order_by("code"))
        chosen = [indicators[round(k * len(indicators) / size)] for k in range(size)]  # spread: mixed types
        submission = Submission.objects.create(agency=agency, period=period)
        values = IndicatorValue.objects.bulk_create(
            [IndicatorValue(submission=submission, indicator=i) for i in chosen]
        )
        measures = {value.pk: value.indicator.measure_type for value in values}
        result["measure_types"] = sorted(set(measures.values()))

        service_counts, service_times = [], []
        for i in range(REPEATS):
            changes = {pk: _service_fields(measure, i) for pk, measure in measures.items()}
            submission.refresh_from_db()
            with CaptureQueriesContext(connection) as queries:
                elapsed, _saved = timed(
                    lambda changes=changes: submission_save(
                        submission=submission, actor=user, version=submission.version, values=changes
                    )
                )
            service_counts.append(len(queries.captured_queries))
            service_times.append(elapsed)

        client = client_for(user)
        url = f"/reporting/submissions/{submission.pk}/edit/"
        page_counts, page_times = [], []
        for i in range(REPEATS):
            submission.refresh_from_db()
            data = {"version": str(submission.version), "action": "save"}
            for pk, measure in measures.items():
                data.update(_form_fields(f"v{pk}", measure, i + REPEATS))
            with CaptureQueriesContext(connection) as queries:
                elapsed, response = timed(lambda data=data: client.post(url, data))
            page_counts.append(len(queries.captured_queries))
            page_times.append(elapsed)
            assert response.status_code == 302, (response.status_code, response.content[:2000])
        saved = IndicatorValue.objects.filter(submission=submission).exclude(note="").count()
        assert saved == size, saved
        transaction.set_rollback(True)
    result.update(
        {
            "service_queries": service_counts,
            "service_median_ms": round(median(service_times) * 1000, 1),
            "page_queries": page_counts,
            "page_median_ms": round(median(page_times) * 1000, 1),
        }
    )
    return result


def main() -> None:
    setup_django()
    rows = [_measure_size(size) for size in SIZES]
    for row in rows:
        print(
            f"save: {row['indicators']} indicators: service {row['service_queries'][-1]} queries "
            f"{row['service_median_ms']} ms; page {row['page_queries'][-1]} queries {row['page_median_ms']} ms"
        )
    # The same count for every size, save by save (the first save of a user also reads
    # the user's roles, once per request).
    same = all(len({tuple(row[key]) for row in rows}) == 1 for key in ("service_queries", "page_queries"))
    save_result("save", {"rows": rows, "goal_met": same})


if __name__ == "__main__":
    main()
