"""Approving from the review queue (issue 19): a confirmation before approving, and
several submitted reports approved at once, each through the approval service (its
event, its roll-up request), all or none."""

import pytest
from django.urls import reverse

from reporting.models import RollupRun, Submission, SubmissionEvent

from .world import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sent(world):
    report(world, 0, 1, {"ARTICLES": {"value": 5}}, approve=False)
    report(world, 1, 1, {"ARTICLES": {"value": 7}}, approve=False)
    return list(Submission.objects.filter(status="submitted").order_by("agency__code"))


def picked(*submissions):
    return {"report": [f"{s.pk}:{s.version}" for s in submissions]}


def test_the_queue_offers_the_submitted_reports_to_approve_together(client, world, two_sent):
    client.force_login(world["dic_user"])
    page = client.get(reverse("reporting:review-queue")).content.decode()
    for submission in two_sent:
        assert f'value="{submission.pk}:{submission.version}" form="bulk-approve"' in page
    assert 'data-confirm="Phê duyệt tất cả các báo cáo đã chọn?' in page
    assert "Phê duyệt các báo cáo đã chọn</button>" in page
    nothing_to_pick = client.get(reverse("reporting:review-queue"), {"status": "approved"}).content.decode()
    assert "Phê duyệt các báo cáo đã chọn</button>" not in nothing_to_pick
    detail = client.get(reverse("reporting:submission-detail", args=[two_sent[0].pk])).content.decode()
    first = two_sent[0]
    assert (
        f'data-confirm="Phê duyệt báo cáo {first.period.name} của {first.agency.name}? '
        "Số liệu được duyệt sẽ vào số tổng hợp của tỉnh" in detail
    )


def test_several_reports_are_approved_each_through_the_service(client, world, two_sent):
    client.force_login(world["dic_user"])
    RollupRun.objects.all().delete()
    page = client.post(reverse("reporting:submission-bulk-approve"), picked(*two_sent), follow=True)
    assert "Đã phê duyệt 2 báo cáo." in page.content.decode()
    assert set(
        Submission.objects.filter(pk__in=[s.pk for s in two_sent]).values_list("status", flat=True)
    ) == {"approved"}
    assert (
        SubmissionEvent.objects.filter(
            submission__in=two_sent, action="approve", actor=world["dic_user"]
        ).count()
        == 2
    )
    assert RollupRun.objects.exists()  # the roll-up each approval asks for


def test_one_refusal_approves_none_and_says_which(client, world, two_sent):
    first, second = two_sent
    Submission.objects.filter(pk=second.pk).update(version=second.version + 1)  # someone acted meanwhile
    client.force_login(world["dic_user"])
    page = client.post(
        reverse("reporting:submission-bulk-approve"), picked(first, second), follow=True
    ).content.decode()
    assert f"{second.agency.name}, {second.period.name}:" in page and "Chưa báo cáo nào được duyệt." in page
    assert set(Submission.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        "submitted"
    }
    assert not SubmissionEvent.objects.filter(action="approve").exists()


def test_only_the_provinces_reviewers_may(client, world, two_sent, staff_user, steering_user, dic_user):
    for outsider in (world["staff"][0], steering_user):
        client.force_login(outsider)
        assert client.post(reverse("reporting:submission-bulk-approve"), picked(*two_sent)).status_code == 403
    assert not Submission.objects.filter(status="approved").exists()


def test_a_report_out_of_sight_or_a_forged_choice_is_refused(client, world, two_sent, other_province):
    from assignments.choices import Role
    from tests.factories import AgencyFactory, make_user

    stranger = make_user(Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth_dic")
    client.force_login(stranger)
    assert client.post(reverse("reporting:submission-bulk-approve"), picked(*two_sent)).status_code == 404
    client.force_login(world["dic_user"])
    for forged in ("x:1", "²:1", "1:²", ":"):
        assert (
            client.post(reverse("reporting:submission-bulk-approve"), {"report": [forged]}).status_code == 400
        )
    empty = client.post(reverse("reporting:submission-bulk-approve"), {}, follow=True).content.decode()
    assert "Chưa chọn báo cáo nào để duyệt." in empty
    assert not Submission.objects.filter(status="approved").exists()


def test_several_approvals_are_counted_once_after_the_last_one_has_its_periods(world, two_sent, monkeypatch):
    """The count of approvals (``ChangeCount``, one row for the country) is taken once,
    after every approval has locked its periods: taken after each, it would be held
    while the next waited for its periods, and an approval elsewhere holding those
    periods and waiting for the count would deadlock with it."""
    from reporting.services import workflow

    steps = []
    approve = workflow._approve
    monkeypatch.setattr(workflow, "_approve", lambda *args: steps.append("approve") or approve(*args))
    monkeypatch.setattr(workflow, "_count_approved_change", lambda: steps.append("count"))
    workflow.submissions_approve(items=[(s, s.version) for s in two_sent], actor=world["dic_user"])
    assert steps == ["approve", "approve", "count"]
