"""Load: gunicorn on PostgreSQL under 50 simulated users for 60 seconds (wrk).

gunicorn serves ``dti_portal.wsgi`` with the production settings (``bench.settings``:
DEBUG off, the cache in Redis) and the production layout's sync workers
(``gunicorn.conf.py``: 2 per core plus 1), on 127.0.0.1; wrk (2 threads,
50 connections, one user each at a time, no think time) sends, in a repeating cycle of
18 requests (``bench/load.lua``):

- 5 steering dashboards (DIC officers of ten provinces, a steering member, an
  administrator on two other provinces; session cookies), 2 indicator dashboards
  (an indicator's trend and its 300 agencies' values);
- 5 entry pages of the open quarter (50 department staff, each their own draft of 40
  indicators; session cookies);
- 2 API reads of a submission with its 40 values, 2 API reads of the province figures
  (``Authorization: Token``), and 2 API saves of 5 values of a draft, each with the
  submission's current version (so none is refused as stale).

Every request carries ``X-Forwarded-Proto: https`` as the TLS proxy's do. Sessions and
tokens are written straight to the database (no login form). A 5-second warm-up
without saves comes first. Reported: requests per second, p50/p95/p99 latency, and
errors (socket errors, timeouts, any status other than 200); where the machine's CPU
went, per request (gunicorn's workers, PostgreSQL, wrk, Redis, the rest) and how busy
its cores were, from /proc; and, measured before the load, each kind's time alone.
Goal: zero errors.
"""

from __future__ import annotations

import json
import os
import re
import resource
import runpy
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from bench.common import (
    BENCH_DIR,
    DRAFT_QUARTER,
    DRAFT_YEAR,
    PROXY_HEADERS,
    RESULTS,
    ROLLUP_QUARTER,
    ROLLUP_YEAR,
    ROOT,
    save_result,
    session_key_for,
    setup_django,
)

PORT = 8765
# wrk's threads; each step's users (connections, no think time) and seconds: the
# 50-user mix, then the ramp.
THREADS = 2
STEPS = ((50, 60), (100, 30), (200, 30))
STAFF = 50
CYCLE = [
    "overview",
    "entry",
    "api_submission",
    "overview",
    "entry",
    "save",
    "overview",
    "indicator",
    "entry",
    "api_figures",
    "overview",
    "entry",
    "api_submission",
    "overview",
    "entry",
    "save",
    "indicator",
    "api_figures",
]


def _lua(value) -> str:
    """``value`` as a Lua literal."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value))  # a JSON string is a valid Lua string here (ASCII escapes)


def _headers(extra: dict[str, str]) -> dict[str, str]:
    return {"Host": f"127.0.0.1:{PORT}", **PROXY_HEADERS, **extra}


def _pools() -> tuple[dict[str, list[dict]], list[dict]]:
    """The requests of each kind, and the saves (submission, version, bodies)."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from indicators.models import Agency, Indicator
    from reporting.models import IndicatorValue, Submission

    def cookie(user) -> dict[str, str]:
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key_for(user)}"}

    def token(user) -> dict[str, str]:
        return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}

    provinces = {a.code: a.pk for a in Agency.objects.provinces()}
    query = f"year={ROLLUP_YEAR}&quarter={ROLLUP_QUARTER}"
    readers = [(f"p{p:02d}_dic", f"P{p:02d}") for p in range(1, 11)]
    readers += [("p01_bcd", "P01"), ("bench_admin", "P20"), ("bench_admin", "P34")]
    overview = [
        {
            "method": "GET",
            "path": f"/reporting/dashboard/?province={provinces[code]}&{query}",
            "headers": _headers(cookie(User.objects.get(username=name))),
        }
        for name, code in readers
    ]
    dic = User.objects.get(username="p01_dic")
    indicator = [
        {
            "method": "GET",
            "path": f"/reporting/dashboard/indicators/{i.pk}/?province={provinces['P01']}&{query}",
            "headers": _headers(cookie(dic)),
        }
        for i in Indicator.objects.filter(province_id=provinces["P01"]).order_by("code")
    ]
    staff = [User.objects.get(username=f"p01_staff_{n:03d}") for n in range(1, STAFF + 1)]
    drafts = {
        s.agency_id: s
        for s in Submission.objects.filter(
            period__province_id=provinces["P01"], period__year=DRAFT_YEAR, period__quarter=DRAFT_QUARTER
        )
    }
    entry, api_submission, saves = [], [], []
    for user in staff:
        submission = drafts[user.profile.agency_id]
        entry.append(
            {
                "method": "GET",
                "path": f"/reporting/submissions/{submission.pk}/edit/",
                "headers": _headers(cookie(user)),
            }
        )
        auth = token(user)
        api_submission.append(
            {"method": "GET", "path": f"/api/v1/submissions/{submission.pk}/", "headers": _headers(auth)}
        )
        rates = list(
            IndicatorValue.objects.filter(submission=submission, indicator__measure_type="rate")
            .order_by("indicator__code")
            .values_list("pk", flat=True)[:5]
        )

        def body(numerator: int, rates: list[int] = rates) -> str:
            values = [
                {"id": pk, "numerator": str(numerator + k), "denominator": "90"} for k, pk in enumerate(rates)
            ]
            return json.dumps({"version": 999999, "values": values}).replace("999999", "VERSION")

        saves.append(
            {
                "method": "POST",
                "path": f"/api/v1/submissions/{submission.pk}/save/",
                "headers": _headers({**auth, "Content-Type": "application/json"}),
                "version": submission.version,
                "body_a": body(45),
                "body_b": body(60),
            }
        )
    api_figures = [
        {
            "method": "GET",
            "path": f"/api/v1/figures/?province={provinces['P01']}&{query}",
            "headers": _headers(token(dic)),
        }
    ]
    pools = {
        "overview": overview,
        "indicator": indicator,
        "entry": entry,
        "api_submission": api_submission,
        "api_figures": api_figures,
    }
    return pools, saves


def _write_data(with_saves: bool) -> Path:
    pools, saves = _pools()
    cycle = [kind for kind in CYCLE if with_saves or kind != "save"]
    per_thread = [[s for n, s in enumerate(saves) if n % THREADS == t] for t in range(THREADS)]
    path = RESULTS / "load_data.lua"
    path.write_text(
        "return " + _lua({"cycle": cycle, "pools": pools, "saves": per_thread}) + "\n", encoding="utf-8"
    )
    return path


def _get(path: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _start_gunicorn() -> subprocess.Popen:
    """gunicorn with the production settings of gunicorn.conf.py (read from ROOT)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_ACCESS_LOG": "",
    }
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "dti_portal.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(RESULTS / "gunicorn.log").open("w"),
    )
    for _ in range(120):
        time.sleep(0.5)
        try:
            _get("/login/", _headers({}))
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("gunicorn did not start: see bench/.results/gunicorn.log") from None
    raise RuntimeError("gunicorn did not answer in 60 s")


def _workers(master: int) -> list[int]:
    """gunicorn's worker processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _rss_mb(pid: int) -> float:
    """A process's resident memory (VmRSS), in MB; 0 once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


TICKS = os.sysconf("SC_CLK_TCK")
# The processes whose CPU time a step reports, by their command name (gunicorn's by
# process, its master's and workers').
PROGRAMS = {"postgres": "postgres", "redis-server": "redis"}


def _cpu_seconds(master: int) -> dict[str, float]:
    """CPU time (user and system) used so far by gunicorn (the master, its workers and
    the workers it has replaced, which the master has reaped), PostgreSQL and Redis;
    by this process's children that have ended (``wrk``: the steps' wrk, reaped by
    ``subprocess.run``); by the whole machine (``busy``) and by the host for other
    machines (``steal``), from /proc/stat; ``cores``, and ``at`` (a monotonic clock)."""
    at = time.monotonic()
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = {"gunicorn": 0.0, "postgres": 0.0, "wrk": ended.ru_utime + ended.ru_stime, "redis": 0.0}
    gunicorn = {master, *_workers(master)}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        # utime, stime, and the same of its children that have ended (fields 14 to 17).
        ticks = sum(int(field) for field in fields[11:15])
        group = "gunicorn" if int(entry.name) in gunicorn else PROGRAMS.get(name)
        if group:
            used[group] += ticks / TICKS
    # user, nice, system, idle, iowait, irq, softirq, steal (the first eight of "cpu").
    cpu = [int(field) for field in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    used["busy"] = (sum(cpu[:3]) + cpu[5] + cpu[6]) / TICKS
    used["steal"] = cpu[7] / TICKS
    used["cores"] = os.cpu_count() or 1
    used["at"] = at
    return used


def _cpu_per_request(before: dict, after: dict, requests: int) -> dict:
    """Each group's CPU milliseconds per request between two readings, the rest of the
    machine's (``other``: this benchmark's sampler, the system), the host's (``steal``),
    and the share of the cores' time between the readings that was busy, and stolen."""
    groups = ("gunicorn", "postgres", "wrk", "redis", "busy", "steal")
    spent = {group: after[group] - before[group] for group in groups}
    spent["other"] = spent["busy"] - sum(spent[group] for group in ("gunicorn", "postgres", "wrk", "redis"))
    result: dict = {f"{group}_ms": round(cpu * 1000 / max(requests, 1), 1) for group, cpu in spent.items()}
    window = (after["at"] - before["at"]) * after["cores"]
    result["busy_percent"] = round(100 * spent["busy"] / window)
    result["steal_percent"] = round(100 * spent["steal"] / window)
    result["cores"] = after["cores"]
    return result


class Sampler(threading.Thread):
    """Every half second during a step: each worker's memory, and the bench
    database's connections other than this process's own."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.stop = threading.Event()
        self.worker_mb: list[float] = []
        self.workers_total_mb: list[float] = []
        self.connections: list[int] = []

    def run(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            while not self.stop.wait(0.5):
                sizes = [_rss_mb(pid) for pid in _workers(self.master)]
                self.worker_mb.append(max(sizes, default=0.0))
                self.workers_total_mb.append(sum(sizes))
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                self.connections.append(cursor.fetchone()[0])
        connection.close()

    def summary(self) -> dict:
        return {
            "worker_mb_max": round(max(self.worker_mb, default=0.0)),
            "workers_total_mb_max": round(max(self.workers_total_mb, default=0.0)),
            "db_connections_max": max(self.connections, default=0),
        }


def _wrk(seconds: int, data: Path, connections: int) -> dict:
    env = {**os.environ, "BENCH_LOAD_DATA": str(data)}
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(THREADS),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(BENCH_DIR / "load.lua"),
            f"http://127.0.0.1:{PORT}/",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"BENCH_JSON (\{.*\})", output)
    if not found:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    return json.loads(found.group(1))


def _step(master: int, users: int, seconds: int) -> dict:
    """One step of the load: its throughput, latency, errors, memory and connections."""
    from reporting.models import Submission

    drafts = Submission.objects.filter(period__year=DRAFT_YEAR)
    # The requests wrk left in flight at the end of the step before are still being
    # answered: wait until the saves stop, or this step's versions would be stale.
    versions_before = -1
    while (versions := sum(drafts.values_list("version", flat=True))) != versions_before:
        versions_before = versions
        time.sleep(3)
    sampler = Sampler(master)
    sampler.start()
    data = _write_data(with_saves=True)
    cpu_before = _cpu_seconds(master)
    try:
        result = _wrk(seconds, data, users)
    finally:
        cpu_after = _cpu_seconds(master)
        sampler.stop.set()
        sampler.join()
    saved = sum(drafts.values_list("version", flat=True)) - versions_before
    took = result["duration_us"] / 1e6
    errors = sum(
        result[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return {
        "users": users,
        "seconds": round(took, 1),
        "requests": result["requests"],
        "rps": round(result["requests"] / took, 1),
        "p50_ms": round(result["p50_us"] / 1000, 1),
        "p95_ms": round(result["p95_us"] / 1000, 1),
        "p99_ms": round(result["p99_us"] / 1000, 1),
        "max_ms": round(result["max_us"] / 1000, 1),
        "errors": errors,
        "not_200": result["not_200"],
        "saves": saved,
        **sampler.summary(),
        "cpu": _cpu_per_request(cpu_before, cpu_after, result["requests"]),
        "wrk": result,
    }


def main() -> None:
    setup_django()
    RESULTS.mkdir(exist_ok=True)
    process = _start_gunicorn()
    try:
        # Every kind of request answers 200 before the load (a redirect would not count
        # as an error in wrk's figures).
        # Each kind's time alone (one client, no load): the median of five requests,
        # the first of a page kept in the cache included.
        pools, _saves = _pools()
        alone = {}
        for kind, pool in pools.items():
            times = []
            for item in (pool * 5)[:5]:
                start = time.perf_counter()
                status = _get(item["path"], item["headers"])
                times.append(time.perf_counter() - start)
                if status != 200:
                    raise RuntimeError(f"{kind} {item['path']} answered {status}")
            alone[kind] = round(sorted(times)[2] * 1000, 1)
        _wrk(5, _write_data(with_saves=False), STEPS[0][0])  # warm-up: workers' imports, caches
        workers = len(_workers(process.pid))
        steps = [_step(process.pid, users, seconds) for users, seconds in STEPS]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    layout = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    summary = {
        "workers": workers,
        "worker_class": layout["worker_class"],
        "threads": THREADS,
        "steps": steps,
        "cycle": CYCLE,
        "alone_ms": alone,
    }
    first = steps[0]
    summary["goal_met"] = (
        first["rps"] >= 100
        and first["p95_ms"] < 1000
        and all(step["errors"] == 0 and step["not_200"] == 0 for step in steps)
    )
    save_result("load", summary)
    for step in steps:
        print(
            f"load, {step['users']} users: {step['rps']} req/s, p50 {step['p50_ms']} ms, "
            f"p95 {step['p95_ms']} ms, p99 {step['p99_ms']} ms, errors {step['errors']}, "
            f"not 200: {step['not_200']}, saves {step['saves']}, worker ≤ {step['worker_mb_max']} MB, "
            f"database connections ≤ {step['db_connections_max']}"
        )


if __name__ == "__main__":
    main()
