"""DTI evidence package: the package page's queries and time, and the zip against zipfile alone.

In ``dti_bench``, for P01 and the year 2025, the benchmark sets up a DTI framework of
its own (decision ``BENCH/QĐ``, first year 2025, two main indicators) whose 20
components each map to one plan indicator (CT01, CT03, …, CT39: rates, counts,
amounts, yes/no, a milestone and lead-agency indicators) in every province, and P01's
assessment of 2025 on that framework (window 01/03–30/04/2026), created with the ORM
(no file to write and remove). The
year's province figures are compiled (``compile_province_rollup``) if missing. The 20
indicators have 24,000 approved values in P01's 2025 (300 agencies × 4 quarters).
Evidence rows are written with ``bulk_create`` (the upload service's history is not
what is measured) on approved values spread over agencies and quarters, one document
per value: first 500, then 1,500 more (2,000), 25 and 100 per indicator. Each is a
real file of 100 KB (``%PDF-1.4`` and random bytes) under a temporary ``MEDIA_ROOT``
(the environment variable the settings read, so the subprocesses see it too; never
the repository's ``media/``); 80 % carry a document number, date and issuer, 10 %
lack the number, 10 % the issuer, 2 % are dated after the window closes. Whatever
the benchmark created (framework, assessment, evidence, their history rows, files)
is removed at the end, and at the start in case a run died; the compiled figures
stay, as the Excel benchmark leaves them.

Measured:

- **the package page** ``/reporting/dashboard/dti/evidence/?year=2025&province=<P01>``
  through Django's test client as P01's DIC officer, production settings with DEBUG
  off, at 500 and 2,000 documents: the queries of one request after a warm-up
  (``CaptureQueriesContext``) and the median time of the next 3 requests. The page
  builds the whole package (every approved value of the 20 indicators and its
  evidence, a file check per document, the checklist, where the ~22,000 approved
  values without evidence are a problem per agency and indicator) and shows at most 50 documents and
  50 problems per component. Goal: the same number of queries at both sizes.
- **the zip** the download view writes: ``dti.exports.evidence_package_zip(
  dti.selectors.evidence_package(…), tempfile)`` (the package's queries, the index workbook,
  every file copied), in a fresh subprocess: at 2,000 files the median time of 3
  runs, at 500 one run (for its memory). The index workbook's share is timed by
  wrapping ``exports.evidence_index_workbook`` (which the zip calls) in a timer; the
  rest of the zip's time is copying files. Peak memory is the process's
  ``ru_maxrss`` (the interpreter, Django and the driver included; the resident memory
  before it starts is given beside it; the highest of the runs). The baseline: the
  same files at the same names copied into a zip by ``zipfile`` alone (``ZIP_STORED``,
  ``shutil.copyfileobj`` in 1 MiB chunks), in a fresh subprocess without Django. The
  files were just written, so both read them from the page cache. The subprocesses
  are started through ``sh``: Linux carries a process's peak memory across ``exec``,
  so a child started straight from this process (several hundred MB after the page)
  would report this process's peak as its own. Goals: copying the files ≤ 1.5 × the
  baseline's time at 2,000 files, and the whole download (package, index, files)
  under 10 s, a third of a sync worker's 30 s timeout; peak memory < 250 MB. Memory
  grows with the documents listed (each a row of the index), not with the files'
  bytes: reported per 1,000 documents (2,000 against 500).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import ROLLUP_YEAR, ROOT, client_for, median, save_result, setup_django, timed

PROVINCE_CODE = "P01"
DECISION = "BENCH/QĐ"
MAIN_CODES = ("BENCH-A", "BENCH-B")
INDICATOR_CODES = [f"CT{k:02d}" for k in range(1, 40, 2)]  # 20 of the 40, every other one
SIZES = (500, 2000)
FILE_BYTES = 100 * 1024
FILE_PREFIX = f"evidence/{ROLLUP_YEAR}/bench-package-"
PAGE_REPEATS = 3
ZIP_REPEATS = 3  # at 2,000 files; once at 500 (for its memory)
WINDOW = (date(ROLLUP_YEAR + 1, 3, 1), date(ROLLUP_YEAR + 1, 4, 30))


# -- set-up and clean-up -------------------------------------------------------------


def _cleanup() -> None:
    """Remove every row this benchmark creates, with the history rows its deletes write."""
    from dti.models import DtiAssessment, Framework, FrameworkIndicator
    from reporting.models import Evidence

    evidence = Evidence.objects.filter(file__startswith=FILE_PREFIX)
    evidence.delete()
    Evidence.history.filter(file__startswith=FILE_PREFIX).delete()
    framework_ids = set(Framework.objects.filter(decision=DECISION).values_list("pk", flat=True)) | set(
        Framework.history.filter(decision=DECISION).values_list("id", flat=True)
    )
    DtiAssessment.objects.filter(framework_id__in=framework_ids).delete()
    DtiAssessment.history.filter(framework_id__in=framework_ids).delete()
    Framework.objects.filter(pk__in=framework_ids).delete()  # its main indicators and components with it
    FrameworkIndicator.history.filter(framework_id__in=framework_ids).delete()
    Framework.history.filter(id__in=framework_ids).delete()


def _framework(province) -> None:
    """The benchmark's framework, 20 components on 20 plan indicators of every province,
    and P01's assessment of the year on it."""
    from dti.models import DtiAssessment, Framework, FrameworkComponent, FrameworkIndicator
    from indicators.models import Indicator

    framework = Framework.objects.create(
        decision=DECISION,
        issued_on=date(ROLLUP_YEAR, 1, 1),
        title="Bộ chỉ số đo hồ sơ minh chứng",
        first_year=ROLLUP_YEAR,
        max_points=200,
    )
    mains = [
        FrameworkIndicator.objects.create(
            framework=framework, code=code, name=name, group=group, max_points=100, order=order
        )
        for order, (code, name, group) in enumerate(
            [(MAIN_CODES[0], "Nền tảng (đo)", "foundation"), (MAIN_CODES[1], "Hoạt động (đo)", "activity")],
            start=1,
        )
    ]
    by_code: dict[str, list[int]] = {}
    for pk, code in Indicator.objects.filter(code__in=INDICATOR_CODES).values_list("pk", "code"):
        by_code.setdefault(code, []).append(pk)
    measures = dict(
        Indicator.objects.filter(province=province, code__in=INDICATOR_CODES).values_list(
            "code", "measure_type"
        )
    )
    links = []
    for n, code in enumerate(INDICATOR_CODES):
        main = mains[n // 10]
        component = FrameworkComponent.objects.create(
            main=main,
            code=f"{'AB'[n // 10]}.{n % 10 + 1}",
            name=f"Thành phần {n + 1} ({measures[code]})",
            max_points=10,
            rule="yes_no" if measures[code] in ("yes_no", "milestone") else "share_of_target",
            order=n % 10 + 1,
        )
        links += [
            FrameworkComponent.indicators.through(frameworkcomponent_id=component.pk, indicator_id=pk)
            for pk in by_code[code]
        ]
    FrameworkComponent.indicators.through.objects.bulk_create(links)
    DtiAssessment.objects.create(
        province=province, year=ROLLUP_YEAR, framework=framework, opens_on=WINDOW[0], closes_on=WINDOW[1]
    )


def _targets(province) -> tuple[list[int], int]:
    """The 2,000 approved values to carry a document, in the order they get one: per
    indicator 100 spread over its 1,200 values (agencies, quarters); the first 500 are
    every fourth of them, so the smaller size is a spread subset of the larger. And
    how many approved values the 20 indicators have in the year."""
    from reporting.choices import SubmissionStatus
    from reporting.models import IndicatorValue

    per_indicator: dict[str, list[int]] = {}
    for pk, code in (
        IndicatorValue.objects.filter(
            submission__period__province=province,
            submission__period__year=ROLLUP_YEAR,
            submission__status=SubmissionStatus.APPROVED,
            indicator__code__in=INDICATOR_CODES,
        )
        .order_by("indicator__code", "submission__agency_id", "submission__period__quarter")
        .values_list("pk", "indicator__code")
    ):
        per_indicator.setdefault(code, []).append(pk)
    each = max(SIZES) // len(INDICATOR_CODES)
    picks = [(j, values[j * len(values) // each]) for values in per_indicator.values() for j in range(each)]
    first = [pk for j, pk in picks if j % 4 == 0]
    return first + [pk for j, pk in picks if j % 4 != 0], sum(
        len(values) for values in per_indicator.values()
    )


def _add_evidence(value_ids: list[int], start: int, uploader) -> None:
    """One 100 KB file and its Evidence row per value, numbered from ``start``."""
    from django.conf import settings

    from reporting.models import Evidence

    folder = Path(settings.MEDIA_ROOT) / FILE_PREFIX.rsplit("/", 1)[0]
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n, value_id in enumerate(value_ids, start=start):
        name = f"{FILE_PREFIX}{n:05d}.pdf"
        (Path(settings.MEDIA_ROOT) / name).write_bytes(b"%PDF-1.4\n" + os.urandom(FILE_BYTES - 9))
        late = n % 50 == 7
        rows.append(
            Evidence(
                value_id=value_id,
                file=name,
                file_name=f"Báo cáo kết quả chuyển đổi số {n:04d}.pdf",
                content_type="application/pdf",
                size=FILE_BYTES,
                uploaded_by=uploader,
                description="Báo cáo của đơn vị",
                document_number="" if n % 10 == 1 else f"{n}/BC-UBND",
                document_date=WINDOW[1] + timedelta(days=15)
                if late
                else date(ROLLUP_YEAR, 1, 1) + timedelta(days=n % 360),
                issuer="" if n % 10 == 6 else "UBND cấp huyện",
            )
        )
    Evidence.objects.bulk_create(rows, batch_size=1000)


def _package(province, manifest: Path) -> dict:
    """The package's size, and the files it puts in the zip with their names there
    written to ``manifest`` for the baseline."""
    from django.conf import settings
    from django.utils import translation

    from dti import selectors

    with translation.override(settings.LANGUAGE_CODE):
        package = selectors.evidence_package(province=province, year=ROLLUP_YEAR)
    files = [
        (document.evidence.file.path, document.zip_name)
        for _entry, document in package.documents
        if document.zip_name
    ]
    manifest.write_text(json.dumps(files), encoding="utf-8")
    return {
        "components": len(package.components),
        "documents": len(package.documents),
        "files": len(files),
        "problems": len(package.checklist),
    }


# -- the page ------------------------------------------------------------------------


def _page(client, province) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/reporting/dashboard/dti/evidence/?year={ROLLUP_YEAR}&province={province.pk}"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries.captured_queries)  # read now: the next request clears the log
    assert response.status_code == 200 and DECISION in response.content.decode()
    times = [timed(lambda: client.get(url))[0] for _ in range(PAGE_REPEATS)]
    return {
        "queries": query_count,
        "median_ms": round(median(times) * 1000, 1),
        "bytes": len(response.content),
    }


# -- the zip, in fresh processes -----------------------------------------------------


def child(mode: str, manifest: str) -> dict:
    """One zip, in this (fresh) process: ``project`` (the package and its zip, as the
    download view writes them) or ``zipfile`` (the manifest's files, zipfile alone)."""
    import zipfile

    if mode == "project":
        setup_django()
        # Django, the models and openpyxl loaded before measuring, as in a running worker.
        from django.conf import settings
        from django.utils import translation

        from dti import exports, selectors
        from indicators.models import Agency

        province = Agency.objects.get(code=PROVINCE_CODE)
        # The index workbook's share of the zip's time: the function the zip calls,
        # wrapped in a timer (the rest is copying files).
        index_seconds, index_workbook = [], exports.evidence_index_workbook

        def timed_index(package, output):
            index_start = time.perf_counter()
            index_workbook(package, output)
            index_seconds.append(time.perf_counter() - index_start)

        exports.evidence_index_workbook = timed_index
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict = {"mode": mode}
    with tempfile.TemporaryFile() as handle:
        start = time.perf_counter()
        if mode == "project":
            with translation.override(settings.LANGUAGE_CODE):  # as the view does
                package = selectors.evidence_package(province=province, year=ROLLUP_YEAR)
                built = time.perf_counter()
                exports.evidence_package_zip(package, handle)
            result["package_seconds"] = round(built - start, 2)
            result["zip_seconds"] = round(time.perf_counter() - built, 2)
            result["index_seconds"] = round(sum(index_seconds), 2)
        else:
            files = json.loads(Path(manifest).read_text(encoding="utf-8"))
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
                for path, name in files:
                    with open(path, "rb") as source, archive.open(name, "w") as target:
                        shutil.copyfileobj(source, target, 1024 * 1024)
        result["seconds"] = round(time.perf_counter() - start, 2)
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        result["rss_before_mb"] = round(rss_before, 1)
        result["bytes"] = handle.seek(0, 2)
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            result["entries"] = len(archive.namelist())
    return result


def _run_child(mode: str, manifest: Path) -> dict:
    # Through a shell that forks it: Linux carries a process's peak memory across exec,
    # so a child started straight from this process (hundreds of MB after the page)
    # would report this process's peak as its own ru_maxrss.
    command = [
        "sh",
        "-c",
        '"$@"; exit $?',
        "sh",
        sys.executable,
        "-m",
        "bench.bench_package",
        "--child",
        mode,
        str(manifest),
    ]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _zip(mode: str, manifest: Path, repeats: int) -> dict:
    """Median time of ``repeats`` fresh processes, and the highest peak memory."""
    runs = [_run_child(mode, manifest) for _ in range(repeats)]
    result = dict(runs[0])
    for key in ("seconds", "package_seconds", "zip_seconds", "index_seconds"):
        if key in result:
            result[key] = round(median([run[key] for run in runs]), 2)
    result["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
    result["rss_before_mb"] = max(run["rss_before_mb"] for run in runs)
    result["runs_seconds"] = [run["seconds"] for run in runs]
    return result


def main(media_root: Path) -> None:
    setup_django()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import transaction

    from indicators.models import Agency
    from reporting.models import ProvinceFigure, ReportingPeriod
    from reporting.rollup.services import compile_province_rollup

    assert Path(settings.MEDIA_ROOT) == media_root, "MEDIA_ROOT must be the benchmark's temporary folder"
    province = Agency.objects.get(code=PROVINCE_CODE)
    year = ReportingPeriod.objects.get(province=province, year=ROLLUP_YEAR, quarter__isnull=True)
    if not ProvinceFigure.objects.filter(period=year).exists():
        compile_province_rollup(period=year, trigger="bench")  # the year's figures the package shows
    _cleanup()
    try:
        with transaction.atomic():
            _framework(province)
        targets, approved_values = _targets(province)
        assert len(targets) == max(SIZES), len(targets)
        client = client_for(User.objects.get(username=f"{PROVINCE_CODE.lower()}_dic"))
        uploader = User.objects.get(username=f"{PROVINCE_CODE.lower()}_staff")
        rows, zips, done = [], {}, 0
        for size in SIZES:
            _add_evidence(targets[done:size], done + 1, uploader)
            done = size
            manifest = media_root / f"manifest-{size}.json"
            counts = _package(province, manifest)
            assert counts["documents"] == counts["files"] == size, counts
            row = {"approved_values": approved_values, **counts, **_page(client, province)}
            rows.append(row)
            print(f"package: page with {size} documents: {row}", flush=True)
            for mode in ("zipfile", "project"):
                repeats = ZIP_REPEATS if size == max(SIZES) else 1
                zips[f"{mode}_{size}"] = result = _zip(mode, manifest, repeats)
                assert result["entries"] == size + (mode == "project"), result
                print(f"package: zip, {mode}, {size} files: {result}", flush=True)
    finally:
        _cleanup()
    large, small = max(SIZES), min(SIZES)
    project, baseline = zips[f"project_{large}"], zips[f"zipfile_{large}"]
    ratio = project["seconds"] / baseline["seconds"]
    # Copying the files is what zipfile alone does; the package and its index are work
    # zipfile does not do, held to the download's own budget (a sync worker's 30 s
    # timeout, with a third of it as margin).
    files_ratio = (project["zip_seconds"] - project["index_seconds"]) / baseline["seconds"]
    # Memory grows with the documents listed (each is a row of the index), not with
    # the bytes of the files: reported per 1,000 documents.
    growth = project["peak_rss_mb"] - zips[f"project_{small}"]["peak_rss_mb"]
    save_result(
        "package",
        {
            "province": PROVINCE_CODE,
            "year": ROLLUP_YEAR,
            "file_bytes": FILE_BYTES,
            "sizes": list(SIZES),
            "pages": rows,
            "zips": zips,
            "ratio": ratio,
            "files_ratio": files_ratio,
            "rss_growth_mb": round(growth, 1),
            "rss_per_1000_documents_mb": round(growth * 1000 / (large - small), 1),
            "page_goal_met": len({row["queries"] for row in rows}) == 1,
            "time_goal_met": files_ratio <= 1.5 and project["seconds"] < 10,
            "rss_under_goal": project["peak_rss_mb"] < 250,
            "memory_goal_met": project["peak_rss_mb"] < 250,
        },
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        at = sys.argv.index("--child")
        print(json.dumps(child(sys.argv[at + 1], sys.argv[at + 2])))
    else:
        # The evidence files live in a temporary MEDIA_ROOT (read by the settings from
        # the environment, so the subprocesses inherit it), removed at the end.
        media = Path(tempfile.mkdtemp(prefix="dti-bench-media-"))
        os.environ["MEDIA_ROOT"] = str(media)
        try:
            main(media)
        finally:
            shutil.rmtree(media, ignore_errors=True)
