"""Production settings for the benchmarks: ``dti_portal.settings.production`` with DEBUG
off, on the bench database (``dti_bench``), served over plain http on 127.0.0.1.

The security settings stay as in production: the benchmarks' requests carry
``X-Forwarded-Proto: https``, as those of the TLS-terminating proxy do. What differs
is only what a local run needs: a throw-away secret key, the hosts of the test client
and of gunicorn, no Celery broker unless ``BENCH_BROKER_URL`` names one (tasks run
in-process, as under ``make run``; the roll-up benchmark sets it to run the national
roll-up through a worker), quiet logs, and static files collected into
``bench/.staticfiles``, not the project's. The cache is Redis, as in production
(``BENCH_CACHE_URL``, by default database 15 of the machine's Redis).
"""

from __future__ import annotations

import os
from pathlib import Path

# Never the project's own database: BENCH_DATABASE_URL, not DATABASE_URL, names it (the
# generator drops and recreates it), and its name must start with "dti_bench".
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dti_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")

from dti_portal.settings.production import *  # noqa: E402, F403

# The production connection settings (persistent, health-checked) on the bench database.
KEPT = ("ATOMIC_REQUESTS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
CONNECTION = {key: DATABASES["default"][key] for key in KEPT}  # noqa: F405
DATABASES = {"default": {**env.db_url_config(BENCH_DATABASE_URL), **CONNECTION}}  # noqa: F405
if not DATABASES["default"]["NAME"].startswith("dti_bench"):
    raise RuntimeError("the bench database's name must start with dti_bench")

# Django's cache in Redis, as in production (docker-compose.yml): gunicorn's workers
# share the kept pages, where each would keep its own in local memory. A database of
# its own, which the benchmarks empty (never the tests' or the project's).
CACHES = {"default": env.cache_url_config(os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15"))}  # noqa: F405

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
CELERY_BROKER_URL = os.environ.get("BENCH_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = Path(__file__).resolve().parent / ".staticfiles"
# The load test must not print a line per request; warnings and errors still show.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
