"""What the benchmarks share: the data set's shape, Django set-up on the bench settings,
and the raw results each script writes to ``bench/.results/<name>.json``."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / ".results"

# The national data set of issue 7.
PROVINCES = 34
AGENCIES = 300  # reporting agencies per province
INDICATORS = 40  # indicators each agency reports
YEARS = (2024, 2025)  # 8 quarters, all approved
QUARTERS = len(YEARS) * 4
# The quarter being entered now: drafts of every agency of the first province.
DRAFT_YEAR, DRAFT_QUARTER = 2026, 4
# The quarter the roll-up benchmark compiles for the whole country (its flows are
# judged year to date, so it reads the year's four quarters).
ROLLUP_YEAR, ROLLUP_QUARTER = 2025, 4
APPROVED_VALUES = PROVINCES * AGENCIES * INDICATORS * QUARTERS
DRAFT_VALUES = AGENCIES * INDICATORS
# Changing the generator means changing this: a data set of another version is rebuilt.
DATASET_VERSION = f"dti-bench-4:{PROVINCES}x{AGENCIES}x{INDICATORS}x{QUARTERS}"
# What the TLS-terminating proxy in front of gunicorn adds to every request.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def setup_django() -> None:
    """Configure Django on ``bench.settings`` (production, DEBUG off, dti_bench)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def province_code(number: int) -> str:
    return f"P{number:02d}"


def save_result(name: str, data: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")


def load_result(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """Seconds taken by ``function()`` and what it returned."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def median(values: list[float]) -> float:
    return statistics.median(values)


def session_key_for(user) -> str:
    """A logged-in session for ``user``, written straight to the session store: the
    benchmarks never go through the login form (nor its throttling)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    backend = next(
        (b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend")),
        settings.AUTHENTICATION_BACKENDS[0],
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    try:  # a fresh login's stamp, where the portal renews idle sessions
        from dti_portal.middleware import RENEWED_AT
    except ImportError:
        pass
    else:
        session[RENEWED_AT] = int(time.time())
    session.create()
    return session.session_key


def client_for(user):
    """A Django test client logged in as ``user`` through a session of its own."""
    from django.conf import settings
    from django.test import Client

    client = Client(headers=PROXY_HEADERS)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key_for(user)
    return client
