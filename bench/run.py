"""`make bench`: run every benchmark of issue 7 in turn and write bench/README.md.

Steps, each in its own process: the data set (bench/generate.py, reused when complete),
static files for the production settings, then the roll-up, dashboard, save, Excel
export, DTI evidence package and load benchmarks (bench/bench_*.py), whose raw results
go to bench/.results/*.json; the table of bench/README.md is made from those.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench.common import (
    AGENCIES,
    APPROVED_VALUES,
    BENCH_DIR,
    DRAFT_VALUES,
    INDICATORS,
    PROVINCES,
    QUARTERS,
    RESULTS,
    ROOT,
    load_result,
    save_result,
)

STEPS = [
    "generate",
    "collectstatic",
    "bench_rollup",
    "bench_dashboard",
    "bench_pages",
    "bench_save",
    "bench_export",
    "bench_package",
    "bench_load",
]


def _run(step: str) -> float:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    if step == "collectstatic":
        command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    else:
        command = [sys.executable, "-m", f"bench.{step}"]
    print(f"== {step}", flush=True)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo", encoding="utf-8")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1])
        for line in open("/proc/meminfo", encoding="utf-8")
        if line.startswith("MemTotal")
    )

    def show(setting: str) -> str:
        command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", f"show {setting}"]
        return subprocess.run(command, capture_output=True, text=True).stdout.strip() or "?"

    return (
        f"{os.cpu_count()} cores ({cpu}), {memory / 2**20:.0f} GB RAM, PostgreSQL {show('server_version')} "
        f"(default settings but autovacuum {show('autovacuum')}) on the same machine, Python "
        f"{platform.python_version()}"
    )


def _speed() -> dict[str, float]:
    """How fast this machine is at this moment, by two fixed pieces of work: a Python loop
    (one core) and a PostgreSQL round trip (``SELECT 1``). Machines of the same kind
    differ, and one machine's neighbours come and go: the figures of two runs compare
    only beside these."""
    import psycopg

    start = time.perf_counter()
    sum(i * i for i in range(10**7))
    loop = time.perf_counter() - start
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dti_bench")
    with psycopg.connect(url, dbname="postgres") as connection:  # there before the data set
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
        start = time.perf_counter()
        for _ in range(2000):
            cursor.execute("SELECT 1")
            cursor.fetchall()
        round_trip = (time.perf_counter() - start) / 2000
    return {"python_loop_seconds": loop, "round_trip_us": round_trip * 1e6}


def _speeds(run: dict) -> str:
    before, after = run.get("speed_before"), run.get("speed_after")
    if not before or not after:
        return ""
    return (
        f"; speed reference before/after the run (`bench/run.py`, `_speed`): Python loop "
        f"{before['python_loop_seconds']:.2f}/{after['python_loop_seconds']:.2f} s, PostgreSQL round trip "
        f"{before['round_trip_us']:.0f}/{after['round_trip_us']:.0f} µs"
    )


def _yes(met: bool) -> str:
    return "**yes**" if met else "**NO**"


def _table(durations: dict[str, float]) -> list[str]:
    gen, roll, dash = load_result("generate"), load_result("rollup"), load_result("dashboard")
    save, export, load = load_result("save"), load_result("export"), load_result("load")
    package = load_result("package")
    rows = ["| # | Benchmark | Result | Goal | Met |", "|---|---|---|---|---|"]
    built = f" in {gen['built_seconds']:.0f} s" if gen.get("built_seconds") else ""
    made = f"reused (generated{built} by an earlier run)" if gen["reused"] else f"generated{built}"
    rows.append(
        f"| 1 | National data set | {APPROVED_VALUES:,} approved values + {DRAFT_VALUES:,} draft values, "
        f"{made} | fast, reused by later runs | — |"
    )
    rows.append(
        f"| 2 | Roll-up of {roll['period']}, {roll['provinces']} provinces, as production runs it (real "
        f"service: requested, compiled by `{roll['worker']}`) | {roll['rollup_worker_median']:.2f} s from the "
        f"request to the last run done ({roll['figures']:,} figures) | ≤ 1.5 × raw GROUP BY | "
        f"{_yes(roll['goal_met'])} |"
    )
    rows.append(
        f"| 2a | Raw SQL GROUP BY, same aggregates over the same {roll['values_read']:,} values (PostgreSQL's "
        f"parallel workers on both cores) | {roll['raw_same_values_median']:.2f} s → roll-up = "
        f"**{roll['ratio_worker']:.2f} ×** (in one process: {roll['ratio']:.2f} ×) | baseline of 2 | — |"
    )
    rows.append(
        f"| 2b | The same roll-up in one process (`compile_province_rollup` for each province in turn) | "
        f"{roll['rollup_median']:.2f} s ({roll['rollup_median'] / roll['provinces'] * 1000:.0f} ms and "
        f"{roll['queries_per_province']} queries per province) | for reference | — |"
    )
    rows.append(
        f"| 2c | Raw SQL GROUP BY of {roll['period']}'s {roll['quarter_approved_values']:,} approved values only | "
        f"{roll['raw_quarter_only_median']:.2f} s → roll-up in one process = {roll['ratio_quarter_only']:.1f} × | "
        f"for reference | — |"
    )
    for n, row in enumerate(dash["rows"], start=1):
        rows.append(
            f"| 3{chr(96 + n)} | Steering dashboard, {row['role']} ({row['provinces_visible']} province"
            f"{'s' if row['provinces_visible'] > 1 else ''} visible), {row['province']} | "
            f"{row['queries']} queries, {row['median_ms']:.0f} ms ({row['figures']} figures) | "
            f"fixed count; national ≤ province + 1 (province selector) | {_yes(dash['goal_met'])} |"
        )
    for n, row in enumerate(save["rows"], start=1):
        rows.append(
            f"| 4{chr(96 + n)} | Save a {row['indicators']}-indicator submission | service: "
            f"{'/'.join(map(str, row['service_queries']))} queries, {row['service_median_ms']:.0f} ms; entry page "
            f"POST: {'/'.join(map(str, row['page_queries']))} queries, {row['page_median_ms']:.0f} ms | "
            f"same counts for 10, 20, 40 | {_yes(save['goal_met'])} |"
        )
    results, faster = export["results"], export["faster_raw"]
    project = results["project"]
    rows.append(
        f"| 5a | Excel report, {export['rows']:,} rows: project's ministry export (xlsxwriter) | "
        f"{project['seconds']:.1f} s (CPU {project['cpu_seconds']:.1f} s), peak RSS {project['peak_rss_mb']:.0f} MB "
        f"({project['rss_before_mb']:.0f} MB before); median of {export['repeats']} | ≤ 1.2 × the faster raw "
        f"writer; < 200 MB | {_yes(export['time_goal_met'])}; {_yes(export['memory_goal_met'])} |"
    )
    for row, mode, name in (
        ("5b", "openpyxl", "openpyxl write-only"),
        ("5c", "xlsxwriter", "xlsxwriter constant-memory"),
    ):
        raw = results[mode]
        ratio = project["seconds"] / raw["seconds"]
        shown = f"**{ratio:.2f} ×** (the faster raw writer)" if mode == faster else f"{ratio:.2f} ×"
        rows.append(
            f"| {row} | Same cells and formats, {name} alone | {raw['seconds']:.1f} s (CPU {raw['cpu_seconds']:.1f} s), "
            f"peak RSS {raw['peak_rss_mb']:.0f} MB → project = {shown} | baseline of 5a | — |"
        )
    rows.append(
        f"| 5d | Same query and rows, nothing written | {results['read']['seconds']:.1f} s (CPU "
        f"{results['read']['cpu_seconds']:.1f} s); openpyxl alone = {export['raw_ratio']:.2f} × xlsxwriter alone | "
        f"for reference | — |"
    )
    alone = ", ".join(f"{kind} {ms:.0f} ms" for kind, ms in load["alone_ms"].items())
    for n, step in enumerate(load["steps"]):
        goal = "≥ 100 req/s, p95 < 1 s, zero errors" if n == 0 else "zero errors"
        met = load["goal_met"] if n == 0 else step["errors"] == 0 and step["not_200"] == 0
        rows.append(
            f"| 6{'' if n == 0 else chr(97 + n)} | Load: gunicorn ({load['workers']} {load['worker_class']} "
            f"workers), {step['users']} users, {step['seconds']:.0f} s | **{step['rps']} req/s**, p50 "
            f"{step['p50_ms']:.0f} ms, p95 {step['p95_ms']:.0f} ms, p99 {step['p99_ms']:.0f} ms; "
            f"{step['requests']:,} requests ({step['saves']} saves), {step['errors']} errors, "
            f"{step['not_200']} not 200; largest worker {step['worker_mb_max']} MB (all "
            f"{step['workers_total_mb_max']} MB), {step['db_connections_max']} database connections; "
            f"{_cpu(step['cpu'])} | {goal} | {_yes(met)} |"
        )
    rows.append(f"| 6d | Each kind alone (one client, before the load) | {alone} | for reference | — |")
    for n, page in enumerate(package["pages"], start=1):
        rows.append(
            f"| 7{chr(96 + n)} | DTI evidence package page, {page['documents']:,} documents ({page['components']} "
            f"components, {page['approved_values']:,} approved values) | {page['queries']} queries, "
            f"{page['median_ms'] / 1000:.1f} s ({page['problems']:,} problems in the checklist) | "
            f"same count for {' and '.join(f'{size:,}' for size in package['sizes'])} documents | "
            f"{_yes(package['page_goal_met'])} |"
        )
    large, small = max(package["sizes"]), min(package["sizes"])
    project, baseline = package["zips"][f"project_{large}"], package["zips"][f"zipfile_{large}"]
    n = len(package["pages"])
    rows.append(
        f"| 7{chr(97 + n)} | Evidence zip, {large:,} files of {package['file_bytes'] // 1024} KB "
        f"({project['bytes'] / 2**20:.0f} MB): project's package and zip | {project['seconds']:.1f} s (package "
        f"{project['package_seconds']:.1f} s, index workbook {project['index_seconds']:.1f} s, files "
        f"{project['zip_seconds'] - project['index_seconds']:.1f} s), peak RSS {project['peak_rss_mb']:.0f} MB "
        f"({project['rss_before_mb']:.0f} MB before; {package['zips'][f'project_{small}']['peak_rss_mb']:.0f} MB "
        f"with {small:,} files: {package['rss_per_1000_documents_mb']:.0f} MB per 1,000 documents) | files ≤ 1.5 × "
        f"zipfile, all < 10 s; < 250 MB | {_yes(package['time_goal_met'])}; {_yes(package['rss_under_goal'])} |"
    )
    rows.append(
        f"| 7{chr(98 + n)} | Same files, zipfile alone (ZIP_STORED, copyfileobj) | {baseline['seconds']:.2f} s, peak "
        f"RSS {baseline['peak_rss_mb']:.0f} MB → project's copying = **{package['files_ratio']:.1f} ×**, whole "
        f"download = {package['ratio']:.1f} × | baseline of 7{chr(97 + n)} | — |"
    )
    pages = load_result("pages")
    for n, page in enumerate(pages["rows"], start=1):
        rows.append(
            f"| 8{chr(96 + n)} | {page['page']} | **{page['median_ms']:.0f} ms** (first {page['first_ms']:.0f} ms), "
            f"{page['queries']} queries, {page['kilobytes']} KB | ≤ {pages['goal_ms']} ms | "
            f"{_yes(page['median_ms'] <= pages['goal_ms'])} |"
        )
    return rows


def _cpu(cpu: dict) -> str:
    """Where a load step's CPU went, per request (``bench_load._cpu_per_request``)."""
    stolen = f", {cpu['steal_percent']} % taken by the host" if cpu["steal_percent"] else ""
    return (
        f"CPU a request: gunicorn {cpu['gunicorn_ms']:.1f} ms, PostgreSQL {cpu['postgres_ms']:.1f}, "
        f"wrk {cpu['wrk_ms']:.1f}, Redis {cpu['redis_ms']:.1f}, rest {cpu['other_ms']:.1f} "
        f"(all {cpu['busy_ms']:.1f} ms; {cpu['cores']} cores {cpu['busy_percent']} % busy{stolen})"
    )


def _load_explained(cpu: dict, goal_rps: int = 100) -> str:
    """What a load step's CPU (``bench_load._cpu_per_request``) says of the goal: when
    the cores were saturated, the rate they allow at that cost and what gunicorn's part
    would have to be for ``goal_rps`` with the rest as it is."""
    cores, busy = cpu["cores"], cpu["busy_ms"]
    measured = f"The step's CPU, read from /proc before and after it: {_cpu(cpu)}."
    if cpu["busy_percent"] + cpu["steal_percent"] < 90 or busy <= 0:
        return (
            f"{measured} The cores were not saturated: the rate is bounded by something other "
            f"than their time (waits on the database or the network, or too few workers)."
        )
    budget = cores * 1000 / goal_rps - (busy - cpu["gunicorn_ms"])
    ceiling = f"{cores} × 1,000 ms / {busy:.1f} ms ≈ {cores * 1000 / busy:.0f} req/s"
    if budget <= 0:
        need = (
            f"Even with no Python at all, PostgreSQL, wrk and the rest take more than "
            f"{cores * 1000 / goal_rps:.0f} ms a request: {goal_rps} req/s needs more cores."
        )
    else:
        need = (
            f"{goal_rps} req/s leaves {cores * 1000 / goal_rps:.0f} ms of CPU a request in all; "
            f"with PostgreSQL, wrk and the rest as they are, gunicorn's part would have to go "
            f"from {cpu['gunicorn_ms']:.1f} ms to {budget:.1f} ms, {1 - budget / cpu['gunicorn_ms']:.0%} "
            f"less Python in every request."
        )
    return (
        f"{measured} The cores were saturated, so the rate is their time over what a request "
        f"costs: {ceiling}. {need}"
    )


def _readme(durations: dict[str, float], total: float, run: dict) -> str:
    template = (BENCH_DIR / "README.template.md").read_text(encoding="utf-8")
    steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in durations.items())
    gen, roll, pages = load_result("generate"), load_result("rollup"), load_result("pages")
    load, export = load_result("load"), load_result("export")
    over = [
        f"{page['page']} {page['median_ms']:.0f} ms"
        for page in pages["rows"]
        if page["median_ms"] > pages["goal_ms"]
    ]
    pages_verdict = (
        f"in this run every page is under {pages['goal_ms']} ms"
        if not over
        else f"in this run {len(pages['rows']) - len(over)} of the {len(pages['rows'])} pages are under "
        f"{pages['goal_ms']} ms and these are not: {'; '.join(over)}"
    )
    fifty = load["steps"][0]
    if gen["reused"] and gen.get("built_seconds"):
        steps += f"; the data set was reused: generating it took {gen['built_seconds']:.0f} s more on the first run"
    return template.format(
        date=run.get("finished") or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=_machine() + _speeds(run),
        total=f"{total / 60:.1f} min ({steps})",
        table="\n".join(_table(durations)),
        provinces=PROVINCES,
        agencies=AGENCIES,
        indicators=INDICATORS,
        quarters=QUARTERS,
        values=f"{APPROVED_VALUES:,}",
        rollup_worker=f"{roll['rollup_worker_median']:.2f} s",
        ratio_worker=f"{roll['ratio_worker']:.2f} ×",
        ratio_one=f"{roll['ratio']:.2f} ×",
        pages_verdict=pages_verdict,
        load_50=f"{fifty['rps']:.1f} req/s, p95 {fifty['p95_ms'] / 1000:.2f} s,",
        load_explained=_load_explained(fifty["cpu"]),
        export_ratio=f"{export['ratio']:.2f} ×",
    )


def main() -> None:
    """Every step, then bench/README.md; with ``--readme``, only the file again from the
    last run's results (after a change of the template or of the table's wording)."""
    if sys.argv[1:] == ["--readme"]:
        run = load_result("run")
        (BENCH_DIR / "README.md").write_text(_readme(run["durations"], run["total"], run), encoding="utf-8")
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is needed for the load benchmark: apt-get install -y wrk")
    RESULTS.mkdir(exist_ok=True)
    speed_before = _speed()
    start = time.perf_counter()
    durations = {step: _run(step) for step in STEPS}
    total = time.perf_counter() - start
    run = {
        "durations": durations,
        "total": total,
        "speed_before": speed_before,
        "speed_after": _speed(),
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    save_result("run", run)
    (BENCH_DIR / "README.md").write_text(_readme(durations, total, run), encoding="utf-8")
    print(f"bench: done in {total / 60:.1f} min; results in bench/README.md")


if __name__ == "__main__":
    main()
