"""Excel report of 100,000 rows: the project's ministry export against the two writers
it could be written with, openpyxl's write-only mode and xlsxwriter's constant-memory mode.

The report is ``reporting.exports.report.ministry_report`` of P01's year 2025 (its figures compiled
first), whose agency-values sheet is fed 100,000 approved values (those of 2025 in
P01–P03, in the report's own order, streamed by the report's own query). It is
written to a temporary file by:

- ``project``: the project's ``reporting.exports.workbook.ministry_workbook`` (xlsxwriter in
  constant-memory mode, four sheets: widths, wrapping, row heights, print settings);
- ``openpyxl``: openpyxl's write-only mode appending the same 11 values per row, read by
  the same query, each cell with the values sheet's formats (a number format, at the
  top, text wrapped), each format built once and copied (a raw writer);
- ``xlsxwriter``: xlsxwriter's constant-memory mode writing the same cells with the same
  formats, text by ``write_string`` (never a formula) (the other raw writer);
- ``read``: the same query and row building without writing anything (for reference).

Each runs in a fresh subprocess, the four in turn, REPEATS times (the median time; the
process's CPU time beside it, less disturbed by other work on the machine), with the
process's peak resident memory (``ru_maxrss``, the highest of the runs: the interpreter,
Django and the database driver included, so an upper bound of what the export itself
needs; the resident memory before the export starts is reported beside it). The
subprocesses are started through ``sh``: Linux carries a process's peak memory across
``exec``, so a child started straight from this process would report this process's
peak as its own. Goals: project ≤ 1.2 × the faster raw writer's time, peak memory < 200 MB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time

from bench.common import ROLLUP_YEAR, ROOT, median, save_result, setup_django

ROWS = 100_000
REPEATS = 3
MODES = ("read", "openpyxl", "xlsxwriter", "project")
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
    """The 11 cells of each agency value, as the project's sheet holds them (a period's
    name worked out once, as the project does)."""
    from indicators.formatting import excel_number as _number

    periods: dict[int, str] = {}
    for value in report.values:
        is_done, submission = value.is_done, value.submission
        period = periods.get(submission.period_id)
        if period is None:
            period = periods[submission.period_id] = str(submission.period.name)
        yield [
            submission.agency.name,
            period,
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


# The raw writers give each cell the values sheet's formats (reporting.exports.workbook):
# a whole number "#,##0", another "#,##0.####", a date DD/MM/YYYY, text wrapped, and
# every cell at the top, as the project does in a row of several lines.


def _openpyxl(report, output) -> int:
    """openpyxl's write-only mode: each cell styled by copying a style built once."""
    from copy import copy
    from datetime import date

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Số liệu đơn vị")

    def style(number_format: str | None, wrap: bool):
        probe = WriteOnlyCell(sheet)
        if number_format:
            probe.number_format = number_format
        probe.alignment = Alignment(wrap_text=wrap, vertical="top")
        return probe._style

    text, whole, number, day = (
        style(None, True),
        style("#,##0", False),
        style("#,##0.####", False),
        style("DD/MM/YYYY", False),
    )
    rows = 0
    for row in _rows(report):
        cells = []
        for value in row:
            if value is None or value == "":
                cells.append(None)
                continue
            cell = WriteOnlyCell(sheet, value)
            if isinstance(value, str):
                cell.data_type = "s"
                cell._style = copy(text)
            elif isinstance(value, date):
                cell._style = copy(day)
            else:
                cell._style = copy(whole if isinstance(value, int) else number)
            cells.append(cell)
        sheet.append(cells)
        rows += 1
    workbook.save(output)
    return rows


def _xlsxwriter(report, output) -> int:
    """xlsxwriter's constant-memory mode: each cell written by its type's method (text by
    write_string, never a formula) with a format made once."""
    from datetime import date

    import xlsxwriter

    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = workbook.add_worksheet("Số liệu đơn vị")
    text = workbook.add_format({"text_wrap": True, "valign": "top"})
    whole = workbook.add_format({"num_format": "#,##0", "valign": "top"})
    number = workbook.add_format({"num_format": "#,##0.####", "valign": "top"})
    day = workbook.add_format({"num_format": "DD/MM/YYYY", "valign": "top"})
    rows = 0
    for row in _rows(report):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(rows, column, value, text)
            elif isinstance(value, date):
                sheet.write_datetime(rows, column, value, day)
            else:
                sheet.write_number(rows, column, value, whole if isinstance(value, int) else number)
        rows += 1
    workbook.close()
    return rows


def _write(mode: str, output) -> int:
    """Write (or only read, for ``read``) the rows; the number of rows."""
    from django.conf import settings
    from django.utils import translation

    from reporting.exports.workbook import ministry_workbook

    with translation.override(settings.LANGUAGE_CODE):
        report = _report()
        if mode == "project":
            counted = []
            ministry_workbook(report, output, progress=lambda done, total: counted.append(done))
            return counted[-1]
        if mode == "openpyxl":
            return _openpyxl(report, output)
        if mode == "xlsxwriter":
            return _xlsxwriter(report, output)
        return sum(1 for _row in _rows(report))


def child(mode: str) -> dict:
    """One measurement, in this (fresh) process."""
    setup_django()
    # Django, the models and both writers loaded before measuring, as in a running worker.
    import openpyxl  # noqa: F401
    import xlsxwriter  # noqa: F401

    import reporting.exports.workbook  # noqa: F401

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryFile() as handle:
        start, cpu_start = time.perf_counter(), time.process_time()
        rows = _write(mode, handle)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        size = handle.seek(0, 2)
    return {
        "mode": mode,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _run_child(mode: str) -> dict:
    # Through a shell that forks it, for its own ru_maxrss (see the module's docstring).
    command = ["sh", "-c", '"$@"; exit $?', "sh", sys.executable, "-m", "bench.bench_export", "--child", mode]
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
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for _repeat in range(REPEATS):  # in turn, so that a busy moment weighs on every mode
        for mode in MODES:
            runs[mode].append(_run_child(mode))
            print(f"export: {mode}: {runs[mode][-1]}", flush=True)
    results = {}
    for mode, each in runs.items():
        results[mode] = {
            **each[0],
            "seconds": round(median([run["seconds"] for run in each]), 2),
            "cpu_seconds": round(median([run["cpu_seconds"] for run in each]), 2),
            "runs_seconds": [run["seconds"] for run in each],
            "rss_before_mb": max(run["rss_before_mb"] for run in each),
            "peak_rss_mb": max(run["peak_rss_mb"] for run in each),
        }
    faster = min(("openpyxl", "xlsxwriter"), key=lambda mode: results[mode]["seconds"])
    ratio = results["project"]["seconds"] / results[faster]["seconds"]
    save_result(
        "export",
        {
            "rows": ROWS,
            "repeats": REPEATS,
            "results": results,
            "faster_raw": faster,
            "ratio": ratio,
            "cpu_ratio": results["project"]["cpu_seconds"] / results[faster]["cpu_seconds"],
            "raw_ratio": results["openpyxl"]["seconds"] / results["xlsxwriter"]["seconds"],
            "time_goal_met": ratio <= 1.2,
            "memory_goal_met": results["project"]["peak_rss_mb"] < 200,
        },
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child(sys.argv[sys.argv.index("--child") + 1])))
    else:
        main()
