"""The Celery side: schedules as django-celery-beat rows in Asia/Ho_Chi_Minh, task
options, and — where a Redis broker is configured, as in CI's second pass — a real
worker running the reminder job twice at once and the roll-up task."""

import os
from datetime import UTC, datetime, timedelta
from smtplib import SMTPException
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.db import OperationalError
from django_celery_beat.models import PeriodicTask

from reporting import tasks
from reporting.rollup.services import rollup_request

UTC = UTC


@pytest.mark.django_db
def test_the_reminder_schedule_at_8_in_hanoi_is_due_at_1_utc():
    schedule = PeriodicTask.objects.get(name="Nhắc hạn báo cáo hằng ngày (08:00)").crontab.schedule
    last_run = datetime(2024, 3, 12, 1, 0, tzinfo=UTC)
    schedule.nowfun = lambda: datetime(2024, 3, 13, 0, 59, tzinfo=UTC)
    assert not schedule.is_due(last_run).is_due
    schedule.nowfun = lambda: datetime(2024, 3, 13, 1, 0, tzinfo=UTC)
    due = schedule.is_due(last_run)
    assert due.is_due and due.next == timedelta(days=1).total_seconds()


@pytest.mark.django_db
def test_a_beat_started_late_runs_each_missed_job_once_at_once(monkeypatch):
    """Beat last ran the morning reminders and the nightly roll-up on 11 March, was down
    all of 12 March, and starts again at 11:00 on the 13th: both jobs are due at once
    (once, however many runs were missed), then at their usual hour."""
    from django_celery_beat import schedulers as stock

    from dti_portal.beat import DatabaseScheduler
    from dti_portal.celery import app

    eleven = datetime(2024, 3, 13, 4, 0, tzinfo=UTC)  # 11:00 in Hà Nội
    monkeypatch.setattr(stock, "aware_now", lambda: eleven)
    morning = "Nhắc hạn báo cáo hằng ngày (08:00)"
    nightly = "Tổng hợp số liệu của tỉnh hằng đêm (01:00)"
    PeriodicTask.objects.filter(name=morning).update(last_run_at=datetime(2024, 3, 11, 1, 0, tzinfo=UTC))
    PeriodicTask.objects.filter(name=nightly).update(last_run_at=datetime(2024, 3, 10, 18, 0, tzinfo=UTC))

    # django-celery-beat's own scheduler reads only the tasks of 09:00 to 13:00 (and 04:00).
    assert not {morning, nightly} & set(stock.DatabaseScheduler(app=app, lazy=True).all_as_schedule())

    entries = DatabaseScheduler(app=app, lazy=True).all_as_schedule()
    assert set(entries) == set(PeriodicTask.objects.filter(enabled=True).values_list("name", flat=True))
    for name in (morning, nightly):
        entries[name].schedule.nowfun = lambda: eleven
        assert entries[name].is_due().is_due, name

    # Run now, each is next due at its own hour: 08:00 and 01:00 the next day.
    PeriodicTask.objects.filter(name__in=[morning, nightly]).update(last_run_at=eleven)
    entries = DatabaseScheduler(app=app, lazy=True).all_as_schedule()
    for name, hours in ((morning, 21), (nightly, 14)):
        entries[name].schedule.nowfun = lambda: eleven
        assert entries[name].is_due() == (False, hours * 3600), name


@pytest.mark.django_db
def test_a_second_reminder_run_in_the_afternoon_sends_only_what_the_morning_did_not(submission, department):
    department.email = "skhdt@bacgiang.gov.vn"
    department.save()
    catch_up = PeriodicTask.objects.get(name="Nhắc hạn báo cáo: lần chạy bù (14:00)")
    assert (catch_up.task, catch_up.crontab.hour, str(catch_up.crontab.timezone)) == (
        "reporting.tasks.send_reminders",
        "14",
        "Asia/Ho_Chi_Minh",
    )
    morning = tasks.send_reminders.apply(args=["2024-03-13"]).get()
    afternoon = tasks.send_reminders.apply(args=["2024-03-13"]).get()
    assert (morning["sent"], afternoon["sent"]) == (1, 0)


@pytest.mark.django_db
def test_the_rollup_runs_every_night():
    task = PeriodicTask.objects.get(task="reporting.tasks.compile_rollups_nightly")
    assert (task.enabled, task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
        True,
        "1",
        "0",
        "Asia/Ho_Chi_Minh",
    )


@pytest.mark.parametrize(
    "task",
    [tasks.send_reminders, tasks.compile_rollup, tasks.send_event_email, tasks.compile_rollups_nightly],
)
def test_tasks_retry_passing_failures_with_backoff_and_a_time_limit(task):
    assert task.max_retries == 5 and task.retry_backoff and task.retry_jitter
    assert {SMTPException, OperationalError} <= set(task.autoretry_for)
    assert task.time_limit and task.soft_time_limit < task.time_limit


def test_no_countdown_is_longer_than_the_visibility_timeout(settings):
    assert not [e for e in run_checks() if e.id == "reporting.E001"]
    settings.ROLLUP_COALESCE_SECONDS = 3 * 60 * 60
    assert [e.id for e in run_checks() if e.id == "reporting.E001"] == ["reporting.E001"]


def broker_of_this_process() -> str:
    """CI's Redis, a database of its own for each pytest-xdist process (gw0 takes 1,
    gw1 takes 2, ...), so that each process's worker takes only its own tasks."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    process = os.environ.get("PYTEST_XDIST_WORKER")
    if not url.startswith("redis://") or not process:
        return url
    return urlsplit(url)._replace(path=f"/{int(process.removeprefix('gw')) % 15 + 1}").geturl()


BROKER = broker_of_this_process()


def redis_reachable() -> bool:
    if not BROKER.startswith("redis://"):
        return False
    import redis

    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(
    not redis_reachable(), reason="needs CELERY_BROKER_URL pointing at a running Redis"
)


@pytest.fixture
def worker(transactional_db):
    """A real Celery worker (two threads) on the Redis broker, results in Redis."""
    from celery.contrib.testing.worker import start_worker

    from dti_portal.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=BROKER, result_backend=BROKER)
    forget_backend(app)
    app.loader.import_module("celery.contrib.testing.tasks")
    app.control.purge()  # nothing left over from another run
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30):
        yield app
    app.control.purge()  # e.g. the coalesced roll-up still waiting for its countdown
    app.conf.update(saved)
    forget_backend(app)


def forget_backend(app):
    """Celery caches its result backend: drop it so that a changed setting applies."""
    import threading

    app._backend_cache = None
    app._local = threading.local()


@needs_redis
@pytest.mark.slow
def test_a_real_worker_runs_the_reminder_job_twice_at_once_and_sends_one_email_per_agency(
    worker, province, dic_user
):
    from tests.factories import AgencyFactory, reporting_setup

    for n in range(3):
        agency = AgencyFactory(parent=province, code=f"BG.R{n}", email=f"r{n}@bacgiang.gov.vn")
        reporting_setup(province, agency, dic_user, code_prefix=agency.code)
    mail.outbox.clear()
    first = tasks.send_reminders.apply_async(args=["2024-03-13"])
    second = tasks.send_reminders.apply_async(args=["2024-03-13"])
    results = [first.get(timeout=60), second.get(timeout=60)]
    assert sum(r["sent"] for r in results) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "r0@bacgiang.gov.vn",
        "r1@bacgiang.gov.vn",
        "r2@bacgiang.gov.vn",
    ]


@needs_redis
@pytest.mark.slow
def test_a_real_worker_compiles_the_requested_rollup(worker, province, department, dic_user, staff_user):
    from reporting import services
    from reporting.models import ProvinceFigure, Submission
    from tests.factories import reporting_setup

    from .conftest import complete_values

    reporting_setup(province, department, dic_user)
    submission = Submission.objects.get(agency=department, period__year=2024, period__quarter=1)
    services.submission_save(
        submission=submission, actor=staff_user, version=1, values=complete_values(submission)
    )
    services.submission_submit(submission=Submission.objects.get(pk=submission.pk), actor=staff_user)
    (run,) = rollup_request(periods=[submission.period], trigger="manual")
    # One figure per measure type's indicator (seven), none with a value: nothing approved yet.
    assert tasks.compile_rollup.apply_async(args=[run.pk]).get(timeout=60) == 7
    assert ProvinceFigure.objects.filter(period=submission.period, value__isnull=True).count() == 7
