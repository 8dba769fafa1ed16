"""gunicorn's settings for the portal, read from the working directory by default: the
production image (Dockerfile, docker-compose.yml) and the load benchmark
(bench/bench_load.py) run these, so what is measured is what is deployed.

Workers: sync, 2 per core plus 1 (GUNICORN_WORKERS to change it). nginx in front reads
each request whole and buffers each answer, so a worker is never held by a slow client
and works on one request from start to end; most of a request is Python (templates,
forms, serializers), which threads in one process could not run at once, and the rest
is PostgreSQL on the same cores, whose waits the extra worker covers. Each worker keeps
one database connection (``CONN_MAX_AGE``), so PostgreSQL sees as many connections as
workers however many users wait: they queue in gunicorn's backlog, not in the database.
Workers are replaced after about 2,000 requests, which bounds the memory a long-lived
process could gather.

Each worker, once it has loaded the portal, moves the objects of the load (Django's
models, the URLconf's modules: some 230,000) out of the garbage collector's reach
(``gc.freeze``): they live as long as the worker, and a full collection went through
them all, a pause of about 130 ms every few dozen requests (``bench/``, issue 20).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "" turns it off


def post_worker_init(worker) -> None:
    """The portal is loaded: what it holds now lives as long as the worker."""
    gc.freeze()
