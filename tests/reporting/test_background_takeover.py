"""Background work a later run takes over (issue 18), simulated in seconds: a broker
that refuses the enqueue, a worker killed mid-run (a run or an export left running
with an expired lease), a database fault mid-compile. Each ends with every approved
value in the figures, every export delivered and every email sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from reporting import tasks
from reporting.choices import RollupState, SubmissionStatus
from reporting.exports.services import export_job_request, exports_sweep
from reporting.models import ExportJob, ProvinceFigure, RollupRun, Submission
from reporting.rollup.services import rollup_request, rollup_run, rollups_sweep

from .world import period, report

pytestmark = pytest.mark.django_db


def rate_figure(world, quarter=1):
    return ProvinceFigure.objects.get(period=period(world, quarter), indicator=world["indicators"]["RATE"])


@pytest.fixture
def broker_down(monkeypatch):
    """apply_async refuses, as with Redis down; the fixture's ``up()`` brings it back."""
    refused = []
    originals = {task: task.apply_async for task in (tasks.compile_rollup, tasks.send_event_email)}

    def refuse(task):
        def apply_async(*args, **kwargs):
            refused.append(task.name)
            raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return apply_async

    for task in originals:
        monkeypatch.setattr(task, "apply_async", refuse(task))

    class Broker:
        def up(self):
            for task, original in originals.items():
                monkeypatch.setattr(task, "apply_async", original)

    Broker.refused = refused
    return Broker()


def test_an_approval_with_the_broker_down_succeeds_and_its_work_is_done_after(
    client, world, broker_down, django_capture_on_commit_callbacks
):
    world["dic_user"].email = "sotttt@bacgiang.gov.vn"
    world["dic_user"].save()
    report(world, 0, 1, {"RATE": {"numerator": 45, "denominator": 60}}, approve=False)
    submission = Submission.objects.get(agency=world["agencies"][0], period=period(world, 1))
    client.force_login(world["dic_user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:submission-approve", args=[submission.pk]), {"version": submission.version}
        )
    assert response.status_code == 302  # stored, and said so: not a 500
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.APPROVED
    assert "reporting.tasks.compile_rollup" in broker_down.refused
    assert not ProvinceFigure.objects.filter(period=period(world, 1)).exists()
    broker_down.up()
    later = timezone.now() + timedelta(minutes=10)
    RollupRun.objects.update(requested_at=timezone.now() - timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        swept = rollups_sweep(now=later)
    assert swept["rollups_enqueued"] >= 1
    figure = rate_figure(world)
    assert (figure.numerator, figure.denominator, figure.approved_agencies) == (45, 60, 1)


def test_a_run_whose_worker_died_is_taken_over(world, django_capture_on_commit_callbacks):
    report(world, 0, 1, {"RATE": {"numerator": 45, "denominator": 60}}, approve=True)
    # The worker was killed (kill -9) while compiling: the run says "running" for ever.
    dead = RollupRun.objects.create(
        period=period(world, 1),
        trigger="approval",
        state=RollupState.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
    )
    RollupRun.objects.filter(state=RollupState.PENDING).delete()  # its own request was consumed
    with django_capture_on_commit_callbacks(execute=True):
        swept = rollups_sweep()
    assert swept["rollups_abandoned"] == 1 and swept["rollups_retried"] == 1
    dead.refresh_from_db()
    assert dead.state == RollupState.FAILED and "abandoned" in dead.error
    assert rate_figure(world).approved_agencies == 1
    assert rollups_sweep()["rollups_retried"] == 0  # done: nothing more to take over


def test_a_run_that_lost_its_database_is_retried_not_stranded(world, monkeypatch):
    report(world, 0, 1, {"RATE": {"numerator": 45, "denominator": 60}}, approve=True)
    RollupRun.objects.all().delete()
    (run,) = rollup_request(periods=[period(world, 1)], trigger="approval")
    from reporting.rollup import services as rollup_services

    real = rollup_services.period_figures
    faults = iter([OperationalError("server closed the connection unexpectedly")])

    def flaky(period_):
        for fault in faults:
            raise fault
        return real(period_)

    monkeypatch.setattr(rollup_services, "period_figures", flaky)
    with pytest.raises(OperationalError):
        rollup_run(run_id=run.pk, retry_on=tasks.PASSING_FAILURES)
    assert RollupRun.objects.get(pk=run.pk).state == RollupState.PENDING  # for the task's retry
    assert rollup_run(run_id=run.pk, retry_on=tasks.PASSING_FAILURES).state == RollupState.DONE
    assert rate_figure(world).numerator == 45


def test_a_failing_period_is_retried_a_few_times_then_left_to_the_dic(world, settings):
    settings.ROLLUP_MAX_ATTEMPTS = 3
    q1 = period(world, 1)
    RollupRun.objects.all().delete()
    for _ in range(2):
        RollupRun.objects.create(period=q1, trigger="approval", state=RollupState.FAILED, error="x")
    assert rollups_sweep()["rollups_retried"] == 1  # two failures in a row: once more
    RollupRun.objects.filter(state=RollupState.PENDING).update(state=RollupState.FAILED)
    assert rollups_sweep()["rollups_retried"] == 0  # three: the DIC sees the error


def test_an_export_whose_worker_died_is_delivered_not_handed_back_dead(
    compiled, dic_user, django_capture_on_commit_callbacks
):
    q1 = period(compiled, 1)
    dead = ExportJob.objects.create(
        period=q1,
        requested_by=dic_user,
        state=RollupState.RUNNING,
        done=5,
        total=8,
        started_at=timezone.now() - timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_request(period=q1, actor=dic_user)
    assert job.pk == dead.pk
    job.refresh_from_db()
    assert job.state == RollupState.DONE and job.file and job.done == job.total == 8
    assert ExportJob.objects.count() == 1  # delivered once


def test_the_sweeper_enqueues_exports_and_emails_the_broker_lost(
    compiled, dic_user, django_capture_on_commit_callbacks
):
    job = ExportJob.objects.create(period=period(compiled, 1), requested_by=dic_user)
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert exports_sweep() == {"exports_released": 0, "exports_enqueued": 1}
    assert ExportJob.objects.get(pk=job.pk).state == RollupState.DONE


def test_workflow_emails_the_broker_lost_are_sent_once_by_the_sweeper(
    world, broker_down, django_capture_on_commit_callbacks
):
    from reporting.models import Notification
    from reporting.services import event_emails_sweep

    world["dic_user"].email = "sotttt@bacgiang.gov.vn"
    world["dic_user"].save()
    with django_capture_on_commit_callbacks(execute=True):
        report(world, 0, 1, {}, approve=False)  # submitted: the DIC is notified
    assert mail.outbox == [] and Notification.objects.filter(emailed_at__isnull=True).exists()
    broker_down.up()
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    for _ in range(2):  # two sweeps, or a sweep and a redelivery
        with django_capture_on_commit_callbacks(execute=True):
            event_emails_sweep()
    assert [message.to for message in mail.outbox] == [["sotttt@bacgiang.gov.vn"]]


def test_the_sweeper_runs_every_five_minutes_and_does_all_three():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reporting.tasks.sweep_background_work")
    assert task.enabled and (task.interval.every, task.interval.period) == (5, "minutes")
    assert tasks.sweep_background_work.apply().get() == {
        "rollups_abandoned": 0,
        "rollups_retried": 0,
        "rollups_enqueued": 0,
        "exports_released": 0,
        "exports_enqueued": 0,
        "event_emails_enqueued": 0,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql", reason="row locks between two connections"
)
def test_an_approval_committing_while_its_run_starts_reading_is_in_the_figures(world):
    """The window of issue 18: an approval relies on a pending run, which a worker
    starts while the approval has not committed yet. The approval locks the period,
    so the run reads only after the commit, approval included."""
    import threading
    import time

    from django.db import connection, transaction

    from reporting import services

    q1 = period(world, 1)
    report(world, 0, 1, {"RATE": {"numerator": 45, "denominator": 60}}, approve=False)
    RollupRun.objects.all().delete()
    pending = RollupRun.objects.create(period=q1, trigger="approval")  # an earlier approval's run
    submission = Submission.objects.get(agency=world["agencies"][0], period=q1)
    outcome = {}

    def worker():
        try:
            outcome["run"] = rollup_run(run_id=pending.pk)
        finally:
            connection.close()

    with transaction.atomic():
        services.submission_approve(submission=submission, actor=world["dic_user"])
        thread = threading.Thread(target=worker)
        thread.start()
        time.sleep(1)  # the worker claims the run and waits for the period's lock
        assert RollupRun.objects.get(pk=pending.pk).state == RollupState.RUNNING
    thread.join(timeout=30)
    assert outcome["run"].state == RollupState.DONE
    assert rate_figure(world).approved_agencies == 1
