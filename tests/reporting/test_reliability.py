"""Faults with real processes (PostgreSQL, a Redis of the test's own, ``celery worker``
and ``celery beat`` as production runs them): two people saving one report at the same
instant; Redis killed while jobs wait in its queue, under a running worker, and under a
worker holding a countdown; a worker killed mid-roll-up; a beat started two days late.

The other reliability guarantees have their tests beside the code they guard:
concurrent reminder runs (test_reminders.py, test_celery.py with a real worker), a
roll-up killed halfway (test_rollup.py), files and imports with bad rows
(test_workbooks.py, tests/indicators/test_resources.py), stale versions
(test_services.py, test_api.py)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

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


class WorkerProcess:
    """A real ``celery worker`` process, as production runs it (prefork, two children),
    on the test database and the test's broker, in a session of its own so that it
    can be killed whole, as a crash or the OOM killer would."""

    def __init__(self, broker: RedisBroker, directory: Path, name: str = "worker", **settings: str):
        self.broker, self.directory, self.name = broker, directory, name
        self.log_path = directory / f"{name}.log"
        database = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "dti_portal.settings.local",
            "DEBUG": "False",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "CELERY_BROKER_URL": broker.url,
            "EMAIL_URL": "filemail:///mails",  # directory/mails: one file per SMTP connection
            **settings,
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "WorkerProcess":
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
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
            cwd=self.directory,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: "ready" in self.log(), 60, f"the {self.name} did not start:\n{self.log()}")
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def kill(self) -> None:
        """SIGKILL to the worker and its pool's children: no task gets to finish or to
        record anything."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def log(self) -> str:
        return self.log_path.read_text()

    def received(self, task: str) -> int:
        return sum(f"tasks.{task}[" in line and "received" in line for line in self.log().splitlines())

    def alive(self) -> bool:
        return self.process.poll() is None


@needs_postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_carries_on_after_the_broker_restarts(
    broker, celery_on, province, dic_user, tmp_path
):
    """The broker is killed under a real worker and started again; the worker
    reconnects, and the reminders of the days before and after are each sent once."""
    for n in range(3):
        agency = AgencyFactory(parent=province, code=f"BG.W{n}", email=f"w{n}@bacgiang.gov.vn")
        reporting_setup(province, agency, dic_user, code_prefix=agency.code)
    with WorkerProcess(broker, tmp_path) as worker:
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
            "the worker did not take the jobs queued after the restart:\n" + worker.log(),
        )
        wait_for(lambda: broker.queued() == 0, 30, "a job stayed in the queue")
    worker_log = worker.log()
    assert "Connection to broker lost" in worker_log and worker_log.count("succeeded") == 3
    recipients = [
        line
        for mail_file in (tmp_path / "mails").iterdir()
        for line in mail_file.read_text().splitlines()
        if line.startswith("To: ")
    ]
    assert sorted(recipients) == sorted(f"To: w{n}@bacgiang.gov.vn" for n in range(3) for _day in range(2))


def q1_articles() -> Decimal | None:
    from reporting.models import ProvinceFigure

    figure = ProvinceFigure.objects.filter(
        period__year=2024, period__quarter=1, indicator__code__endswith="ARTICLES"
    ).first()
    return figure.value if figure else None


@needs_postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_holding_a_countdown_survives_a_broker_restart_and_the_sweeper_compiles_its_rollup(
    broker, celery_on, world, tmp_path
):
    """An approval asks for a roll-up in 60 s; the worker holds that countdown when
    Redis is killed and started again. Celery 5.7.0's worker died there
    (dti_portal.celery.Consumer); now it reconnects and takes new work. The held
    message stays unacknowledged in Redis until the visibility timeout (2 hours):
    the figures do not wait for it, the sweeper enqueues the run again."""
    from reporting.models import RollupRun

    from .world import report

    report(world, 0, 1, {"ARTICLES": {"value": 5}})  # approved
    # One pending run per period (the year and its quarters), each task with a countdown.
    pending = list(RollupRun.objects.filter(state="pending").values_list("pk", flat=True))
    assert len(pending) == 5
    with WorkerProcess(broker, tmp_path) as worker:
        wait_for(lambda: worker.received("compile_rollup") == 5, 30, "the worker did not take the countdowns")

        broker.kill()
        broker.start()
        forget_connections(celery_on)
        wait_for(
            lambda: worker.log().count("Connected to redis") == 2,
            60,
            "the worker did not reconnect:\n" + worker.log(),
        )
        assert worker.alive() and "Unrecoverable error" not in worker.log()

        # Ten minutes on, past the countdown and the sweeper's margin, the runs are
        # still pending: the sweeper (every 5 minutes in production) enqueues them.
        RollupRun.objects.filter(pk__in=pending).update(requested_at=timezone.now() - timedelta(minutes=10))
        tasks.sweep_background_work.apply_async()
        wait_for(
            lambda: RollupRun.objects.filter(pk__in=pending, state="done").count() == 5,
            60,
            "the sweeper did not compile the held runs:\n" + worker.log(),
        )
        assert worker.alive()
    assert q1_articles() == 5
    assert RollupRun.objects.count() == 5  # nothing compiled twice, no run left behind


@needs_postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_rollup_whose_worker_is_killed_mid_compile_is_taken_over_by_the_sweeper(
    broker, celery_on, world, tmp_path
):
    """The worker is killed (SIGKILL, as the OOM killer does) while compiling: its run
    stays ``running``. Once its lease has passed, the sweeper marks it failed and asks
    for the period again, and the next worker compiles it: the approved value is in the
    figures, and the dead run says what happened to it."""
    from reporting.models import ReportingPeriod, RollupRun

    from .world import report

    report(world, 0, 1, {"ARTICLES": {"value": 5}})  # approved
    # Q1's run, its countdown over (the other periods' runs are left to their own).
    (dead,) = RollupRun.objects.filter(state="pending", period__quarter=1)
    celery_on.control.purge()
    tasks.compile_rollup.apply_async(args=[dead.pk])
    # A long compilation: another session holds the periods, so the worker, having
    # claimed the runs, waits inside them.
    holding, release = threading.Event(), threading.Event()

    def hold_the_periods():
        with transaction.atomic():
            list(ReportingPeriod.objects.select_for_update())
            holding.set()
            release.wait(120)
        connection.close()

    holder = threading.Thread(target=hold_the_periods)
    holder.start()
    assert holding.wait(10)
    try:
        with WorkerProcess(broker, tmp_path, "dying", ROLLUP_COALESCE_SECONDS="1") as dying:
            wait_for(
                lambda: RollupRun.objects.filter(pk=dead.pk, state="running").exists(),
                60,
                "the worker did not start the run:\n" + dying.log(),
            )
            dying.kill()
    finally:
        release.set()
        holder.join(30)
    dead.refresh_from_db()
    assert dead.state == "running" and q1_articles() is None

    # The lease (30 minutes in production; 2 s here) passes; the beat's sweeper runs.
    time.sleep(2)
    with WorkerProcess(
        broker, tmp_path, "next", ROLLUP_COALESCE_SECONDS="1", ROLLUP_LEASE_SECONDS="2"
    ) as worker:
        tasks.sweep_background_work.apply_async()
        wait_for(
            lambda: RollupRun.objects.filter(period=dead.period, state="done").exists(),
            60,
            "the sweeper did not take over the dead runs:\n" + worker.log(),
        )
    assert q1_articles() == 5
    dead.refresh_from_db()
    assert (dead.state, dead.error) == ("failed", "abandoned: its worker stopped before finishing")
    assert list(
        RollupRun.objects.filter(period=dead.period).exclude(pk=dead.pk).values_list("trigger", "state")
    ) == [("sweep", "done")]


@needs_postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_beat_started_after_two_days_down_sends_each_missed_job_once(broker, tmp_path):
    """``celery beat`` as production runs it, its schedule last run two days ago: on
    start it sends each crontab job once (not once per missed day), whatever the hour."""
    import json

    import redis
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # The schedules the migrations create (an earlier transactional test emptied the tables).
    for migration in ("0003_beat_schedules", "0005_reminder_catch_up", "0012_background_sweeper"):
        import_module(f"reporting.migrations.{migration}").create(apps, None)
    schedules = sorted(
        PeriodicTask.objects.filter(enabled=True, crontab__isnull=False).values_list("task", flat=True)
    )
    crontab_tasks = set(schedules)
    assert {"reporting.tasks.send_reminders", "reporting.tasks.compile_rollups_nightly"} <= crontab_tasks
    PeriodicTask.objects.update(last_run_at=timezone.now() - timedelta(days=2))
    worker = WorkerProcess(broker, tmp_path)  # its environment: the test database and broker
    log = (tmp_path / "beat.log").open("w")
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dti_portal", "beat", "--loglevel=INFO"],
        cwd=tmp_path,
        env=worker.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    queue = redis.Redis.from_url(broker.url)

    def sent() -> list[str]:
        return [json.loads(message)["headers"]["task"] for message in queue.lrange("celery", 0, -1)]

    try:
        wait_for(
            lambda: crontab_tasks <= set(sent()),
            60,
            "beat did not catch up the missed jobs:\n" + (tmp_path / "beat.log").read_text(),
        )
        time.sleep(3)  # a few of beat's ticks more: nothing is sent a second time
    finally:
        beat.terminate()
        beat.wait(30)
        log.close()
    # One per schedule (the reminders have two: 08:00 and the 14:00 catch-up), and no
    # more: the default entry beat adds on start (celery.backend_cleanup) starts afresh.
    assert sorted(task for task in sent() if task in crontab_tasks) == schedules
