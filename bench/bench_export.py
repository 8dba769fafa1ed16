"""Excel report of 100,000 rows: the project's ministry export against openpyxl alone.

The report is ``reporting.exports.report.ministry_report`` of P01's year 2025 (its figures compiled
first), whose agency-values sheet is fed 100,000 approved values (those of 2025 in
P01–P03, in the report's own order, streamed by the report's own query). It is
written to a temporary file by:

- ``project``: the project's ``reporting.exports.workbook.ministry_workbook`` (write-only
  openpyxl, styled cells, four sheets);
- ``openpyxl``: openpyxl's own write-only mode appending the same 11 values per row,
  read by the same query, with no styling (the baseline);
- ``read``: the same query and row building without writing anything (for reference).

Each runs in a fresh subprocess, timed once, with the process's peak resident memory
(``ru_maxrss``: the interpreter, Django and the database driver included, so an upper
bound of what the export itself needs; the resident memory before the export starts
is reported beside it). Goals: project ≤ 1.5 × openpyxl's time, peak memory < 200 MB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time

from bench.common import ROLLUP_YEAR, ROOT, save_result, setup_django

ROWS = 100_000
PROVINCE_CODES = ("P01", "P02", "P03")


def _report():
    """P01's 2025 report, its values replaced by the 100,000-row stream."""
    from reporting.choices import SubmissionStatus
    from reporting.exports.report import ministry_report
    from reporting.models import IndicatorValue, ReportingPeriod

    period = ReportingPeriod.objects.get(
        province__code=PROVINCE_CODES[0], year=ROLLUP_YEAR, quarter__isnull=True
    )
    report = ministry_report(period=period)
    approved = IndicatorValue.objects.filter(
        submission__period__province__code__in=PROVINCE_CODES,
        submission__period__year=ROLLUP_YEAR,
        submission__status=SubmissionStatus.APPROVED,
    )
    # The report's own query (reporting.exports.report.ministry_report), over three provinces.
    report.values = (
        approved.select_related("indicator", "submission__agency", "submission__period")
        .order_by(
            "submission__agency__kind",
            "submission__agency__name",
            "submission__period__quarter",
            "indicator__code",
        )[:ROWS]
        .iterator(chunk_size=2000)
    )
    report.value_count = ROWS
    return report


def _rows(report):
    """The 11 cells of each agency value, as the project's sheet holds them."""
    from indicators.formatting import excel_number as _number

    for value in report.values:
        is_done = value.is_done
        yield [
            value.submission.agency.name,
            str(value.submission.period.name),
            value.indicator.code,
            value.indicator.name,
            _number(value.value),
            _number(value.numerator),
            _number(value.denominator),
            "" if is_done is None else ("Có" if is_done else "Không"),
            value.done_on,
            value.text,
            value.note,
        ]


def _write(mode: str, output) -> int:
    """Write (or only read, for ``read``) the rows; the number of rows."""
    from django.conf import settings
    from django.utils import translation
    from openpyxl import Workbook

    from reporting.exports.workbook import ministry_workbook

    with translation.override(settings.LANGUAGE_CODE):
        report = _report()
        if mode == "project":
            counted = []
            ministry_workbook(report, output, progress=lambda done, total: counted.append(done))
            return counted[-1]
        if mode == "openpyxl":
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("Số liệu đơn vị")
            rows = 0
            for row in _rows(report):
                sheet.append(row)
                rows += 1
            workbook.save(output)
            return rows
        return sum(1 for _row in _rows(report))


def child(mode: str) -> dict:
    """One measurement, in this (fresh) process."""
    setup_django()
    # Django, the models and openpyxl loaded before measuring, as in a running worker.
    import openpyxl  # noqa: F401

    import reporting.exports.workbook  # noqa: F401

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryFile() as handle:
        start = time.perf_counter()
        rows = _write(mode, handle)
        seconds = time.perf_counter() - start
        size = handle.seek(0, 2)
    return {
        "mode": mode,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _run_child(mode: str) -> dict:
    command = [sys.executable, "-m", "bench.bench_export", "--child", mode]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    setup_django()
    from reporting.models import ReportingPeriod
    from reporting.rollup.services import compile_province_rollup

    year = ReportingPeriod.objects.get(
        province__code=PROVINCE_CODES[0], year=ROLLUP_YEAR, quarter__isnull=True
    )
    compile_province_rollup(period=year, trigger="bench")  # the report's figures
    results = {}
    for mode in ("read", "openpyxl", "project"):
        results[mode] = _run_child(mode)
        print(f"export: {mode}: {results[mode]}", flush=True)
    project, baseline = results["project"], results["openpyxl"]
    ratio = project["seconds"] / baseline["seconds"]
    save_result(
        "export",
        {
            "rows": ROWS,
            "results": results,
            "ratio": ratio,
            "time_goal_met": ratio <= 1.5,
            "memory_goal_met": project["peak_rss_mb"] < 200,
        },
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child(sys.argv[sys.argv.index("--child") + 1])))
    else:
        main()
