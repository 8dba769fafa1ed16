"""Faults: two people saving one report at the same instant, and the Redis broker
restarting while reminder jobs wait in its queue.

The other reliability guarantees have their tests beside the code they guard:
concurrent reminder runs (test_reminders.py, test_celery.py with a real worker), a
roll-up killed halfway (test_rollup.py), files and imports with bad rows
(test_workbooks.py, tests/indicators/test_resources.py), stale versions
(test_services.py, test_api.py)."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from dti_portal.errors import Conflict
from reporting import services, tasks
from reporting.models import IndicatorValue, ReminderLog, Submission
from reporting.rollup.services import compile_province_rollup
from tests.factories import AgencyFactory, reporting_setup

from .conftest import complete_values

ROOT = Path(settings.BASE_DIR)
needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (CI's second pass): row locks, and a database another process can open",
)

# Concurrent saves -----------------------------------------------------------------


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_instant_never_lose_an_update(submission, staff_user, monkeypatch):
    """Both people opened version N. The first to take the row lock saves; the second
    waits for the lock, then sees version N+1 and is refused: its values are not mixed
    into the first person's, and the first person's are all there."""
    from reporting.services import workflow

    locked = threading.Event()
    real_lock = workflow._lock

    def slow_lock(submission):
        row = real_lock(submission)
        if threading.current_thread().name == "first":
            locked.set()
            time.sleep(0.5)  # hold the row lock while the second save arrives
        return row

    monkeypatch.setattr(workflow, "_lock", slow_lock)
    version = submission.version
    first_values = complete_values(submission)
    second_values = {pk: {**change, "note": "lần hai"} for pk, change in first_values.items()}
    outcome = {}

    def save(name, values):
        try:
            services.submission_save(
                submission=Submission.objects.get(pk=submission.pk),
                actor=staff_user,
                version=version,
                values=values,
            )
            outcome[name] = "saved"
        except Conflict as refused:
            outcome[name] = refused.code
        finally:
            connection.close()

    first = threading.Thread(target=save, args=("first", first_values), name="first")
    second = threading.Thread(target=save, args=("second", second_values), name="second")
    first.start()
    assert locked.wait(10)
    second.start()
    first.join(20)
    second.join(20)

    assert outcome == {"first": "saved", "second": "stale_version"}
    submission.refresh_from_db()
    assert submission.version == version + 1
    assert not IndicatorValue.objects.filter(submission=submission, note="lần hai").exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_compilations_of_one_period_at_once_both_finish_with_the_latest_figures(world, monkeypatch):
    """The DIC presses "tổng hợp ngay" while a worker compiles the same period: the
    second waits for the first's lock, then writes figures from the same (latest)
    values; neither fails on the figures' unique key."""
    from reporting.models import ProvinceFigure, RollupRun

    from .world import period, report

    report(world, 0, 1, {"ARTICLES": {"value": 5}})
    q1 = period(world, 1)
    started = threading.Event()
    real_bulk_create = ProvinceFigure.objects.bulk_create

    def slow_bulk_create(figures, *args, **kwargs):
        if threading.current_thread().name == "worker":
            started.set()
            time.sleep(0.5)  # between clearing the period's figures and writing them
        return real_bulk_create(figures, *args, **kwargs)

    monkeypatch.setattr(ProvinceFigure.objects, "bulk_create", slow_bulk_create)
    errors = []

    def compile_now():
        try:
            compile_province_rollup(period=q1)
        except Exception as error:  # noqa: BLE001 — the test reports any failure
            errors.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=compile_now, name="worker")
    button = threading.Thread(target=compile_now, name="button")
    worker.start()
    assert started.wait(10)
    button.start()
    worker.join(20)
    button.join(20)
    assert errors == []
    assert (
        list(RollupRun.objects.filter(period=q1, trigger="manual").values_list("state", flat=True))
        == ["done"] * 2
    )
    assert ProvinceFigure.objects.get(period=q1, indicator__code__endswith="ARTICLES").value == 5


# The broker restarting -------------------------------------------------------------

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisBroker:
    """A Redis server of the test's own, with production's persistence (append-only
    file, written every second, as in docker-compose.yml), that the test can kill and
    start again."""

    def __init__(self, directory: Path):
        self.directory, self.port, self.process = directory, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(100):
            if self.process.poll() is not None:  # e.g. the port was taken meanwhile
                raise RuntimeError(f"the test's Redis exited at start (port {self.port})")
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("the test's Redis did not start")

    def kill(self) -> None:
        """As a crash would (SIGKILL): no time to save. What Redis had written to its
        append-only file survives; a power cut could lose up to the last second, which
        the 14:00 catch-up run of the reminders covers."""
        self.process.kill()
        self.process.wait(10)

    def wait_written(self, needles: list[str], seconds: float = 10) -> None:
        """Wait until every one of ``needles`` is in the append-only file on disk."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            written = b"".join(path.read_bytes() for path in self.directory.rglob("*.aof*") if path.is_file())
            if all(needle.encode() in written for needle in needles):
                return
            time.sleep(0.1)
        raise AssertionError("Redis did not write the messages to its append-only file in time")

    def queued(self) -> int:
        import redis

        return redis.Redis.from_url(self.url).llen("celery")


@pytest.fixture
def broker(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    server = RedisBroker(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


@pytest.fixture
def celery_on(broker):
    from dti_portal.celery import app

    keys = ("task_always_eager", "broker_url", "broker_read_url", "broker_write_url", "result_backend")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=broker.url,
        broker_read_url=broker.url,
        broker_write_url=broker.url,
        result_backend=broker.url,
    )
    forget_connections(app)
    yield app
    app.conf.update(saved)
    forget_connections(app)


def forget_connections(app):
    """Celery keeps its broker connections and result backend: drop them so that a
    changed broker URL applies."""
    from kombu import pools

    from .test_celery import forget_backend

    forget_backend(app)
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_reminders_queued_when_the_broker_dies_are_sent_once_after_it_restarts(
    broker, celery_on, province, dic_user
):
    from celery.contrib.testing.worker import start_worker

    for n in range(3):
        agency = AgencyFactory(parent=province, code=f"BG.K{n}", email=f"k{n}@bacgiang.gov.vn")
        reporting_setup(province, agency, dic_user, code_prefix=agency.code)
    mail.outbox.clear()

    # Beat queued the morning's job, and someone ran it again by hand; no worker yet.
    queued = [tasks.send_reminders.apply_async(args=["2024-03-13"]) for _ in range(2)]
    assert broker.queued() == 2
    # "everysec" persistence may hold a write back for up to a second or two under load (a
    # crash then loses it: the 14:00 catch-up covers that); the point here is what was
    # written survives a SIGKILL, so wait until both messages are in the append-only file.
    broker.wait_written([job.id for job in queued])

    broker.kill()
    broker.start()
    assert broker.queued() == 2  # the append-only file kept both messages

    celery_on.loader.import_module("celery.contrib.testing.tasks")
    # One thread: the point is the restart (two runs racing are test_celery.py's).
    with start_worker(
        celery_on, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=30
    ):
        results = [job.get(timeout=120) for job in queued]

    assert (
        sum(result["sent"] for result in results) == 3
    )  # one of the two runs sent, the other found them claimed
    assert sorted(message.to[0] for message in mail.outbox) == [f"k{n}@bacgiang.gov.vn" for n in range(3)]
    assert ReminderLog.objects.filter(sent_at__isnull=False).count() == 3


def reminders_sent(day: str) -> int:
    return ReminderLog.objects.filter(day=day, sent_at__isnull=False).count()


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


@needs_postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_carries_on_after_the_broker_restarts(
    broker, celery_on, province, dic_user, tmp_path
):
    """A real ``celery worker`` process, as production runs it, on the test database:
    the broker is killed under it and started again; the worker reconnects, and the
    reminders of the days before and after are each sent once."""
    for n in range(3):
        agency = AgencyFactory(parent=province, code=f"BG.W{n}", email=f"w{n}@bacgiang.gov.vn")
        reporting_setup(province, agency, dic_user, code_prefix=agency.code)
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dti_portal.settings.local",
        "DEBUG": "False",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "CELERY_BROKER_URL": broker.url,
        "EMAIL_URL": "filemail:///mails",  # tmp_path/mails: one file per SMTP connection
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dti_portal",
            "worker",
            "--concurrency=2",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: "ready" in (tmp_path / "worker.log").read_text(), 60, "the worker did not start")
        tasks.send_reminders.apply_async(args=["2024-03-13"])
        wait_for(lambda: reminders_sent("2024-03-13") == 3, 60, "the first job was not run")

        broker.kill()
        broker.start()
        forget_connections(celery_on)
        tasks.send_reminders.apply_async(args=["2024-03-17"])
        tasks.send_reminders.apply_async(args=["2024-03-17"])  # and once more, by hand
        wait_for(
            lambda: reminders_sent("2024-03-17") == 3,
            90,
            "the worker did not take the jobs queued after the restart:\n"
            + (tmp_path / "worker.log").read_text(),
        )
        wait_for(lambda: broker.queued() == 0, 30, "a job stayed in the queue")
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)
        log.close()
    worker_log = (tmp_path / "worker.log").read_text()
    assert "Connection to broker lost" in worker_log and worker_log.count("succeeded") == 3
    recipients = [
        line
        for mail_file in (tmp_path / "mails").iterdir()
        for line in mail_file.read_text().splitlines()
        if line.startswith("To: ")
    ]
    assert sorted(recipients) == sorted(f"To: w{n}@bacgiang.gov.vn" for n in range(3) for _day in range(2))
