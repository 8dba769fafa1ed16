"""Load: gunicorn on PostgreSQL under 50 simulated users for 60 seconds (wrk).

gunicorn serves ``dti_portal.wsgi`` with the production settings (``bench.settings``:
DEBUG off) and the production layout's 3 sync workers, on 127.0.0.1; wrk (2 threads,
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
errors (socket errors, timeouts, any status other than 200), and, measured before the
load, each kind's time alone. Goal: zero errors.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
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
WORKERS = 3
THREADS, CONNECTIONS, DURATION = 2, 50, 60
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
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "dti_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "60",
        ],
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


def _wrk(seconds: int, data: Path) -> dict:
    env = {**os.environ, "BENCH_LOAD_DATA": str(data)}
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(THREADS),
            "-c",
            str(CONNECTIONS),
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


def main() -> None:
    setup_django()
    from reporting.models import Submission

    RESULTS.mkdir(exist_ok=True)
    process = _start_gunicorn()
    try:
        # Every kind of request answers 200 before the load (a redirect would not count
        # as an error in wrk's figures).
        # Each kind's time alone (one client, no load): the median of five requests.
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
        _wrk(5, _write_data(with_saves=False))  # warm-up: workers' imports, caches
        versions_before = sum(
            Submission.objects.filter(period__year=DRAFT_YEAR).values_list("version", flat=True)
        )
        result = _wrk(DURATION, _write_data(with_saves=True))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    saved = (
        sum(Submission.objects.filter(period__year=DRAFT_YEAR).values_list("version", flat=True))
        - versions_before
    )
    seconds = result["duration_us"] / 1e6
    errors = sum(
        result[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    summary = {
        "workers": WORKERS,
        "threads": THREADS,
        "connections": CONNECTIONS,
        "seconds": round(seconds, 1),
        "requests": result["requests"],
        "rps": round(result["requests"] / seconds, 1),
        "p50_ms": round(result["p50_us"] / 1000, 1),
        "p95_ms": round(result["p95_us"] / 1000, 1),
        "p99_ms": round(result["p99_us"] / 1000, 1),
        "max_ms": round(result["max_us"] / 1000, 1),
        "errors": errors,
        "not_200": result["not_200"],
        "saves": saved,
        "cycle": CYCLE,
        "alone_ms": alone,
        "wrk": result,
    }
    summary["goal_met"] = errors == 0 and result["not_200"] == 0
    save_result("load", summary)
    print(
        f"load: {summary['rps']} req/s, p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"errors {errors}, not 200: {result['not_200']}, saves {saved}"
    )


if __name__ == "__main__":
    main()
