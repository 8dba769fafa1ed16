"""Four eyes (``REPORTING_FOUR_EYES``): whoever saved or submitted a report may not
approve it, administrators included; off by default."""

import pytest

from dti_portal.errors import PermissionDenied
from reporting import services
from reporting.choices import SubmissionStatus
from reporting.models import Submission, SubmissionEvent

from .test_services import fill

pytestmark = pytest.mark.django_db


def test_who_entered_a_report_may_not_approve_it(submission, admin_user_portal, dic_user, settings):
    settings.REPORTING_FOUR_EYES = True
    fill(submission, admin_user_portal)  # an administrator may enter for an agency
    services.submission_submit(submission=Submission.objects.get(pk=submission.pk), actor=admin_user_portal)
    with pytest.raises(PermissionDenied) as refused:
        services.submission_approve(
            submission=Submission.objects.get(pk=submission.pk), actor=admin_user_portal
        )
    assert refused.value.code == "four_eyes" and "không được tự duyệt" in refused.value.message
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED
    assert not SubmissionEvent.objects.filter(submission=submission, action="approve").exists()
    approved = services.submission_approve(
        submission=Submission.objects.get(pk=submission.pk), actor=dic_user
    )
    assert approved.status == SubmissionStatus.APPROVED and approved.approved_by == dic_user


def test_an_earlier_saver_counts_too(submission, staff_user, admin_user_portal, dic_user, settings):
    settings.REPORTING_FOUR_EYES = True
    fill(submission, admin_user_portal)  # the administrator typed the figures in first
    fill(Submission.objects.get(pk=submission.pk), staff_user)  # the department saved last
    services.submission_submit(submission=Submission.objects.get(pk=submission.pk), actor=staff_user)
    with pytest.raises(PermissionDenied):
        services.submission_approve(
            submission=Submission.objects.get(pk=submission.pk), actor=admin_user_portal
        )
    services.submission_approve(submission=Submission.objects.get(pk=submission.pk), actor=dic_user)


def test_off_by_default(submission, admin_user_portal, settings):
    assert settings.REPORTING_FOUR_EYES is False
    fill(submission, admin_user_portal)
    services.submission_submit(submission=Submission.objects.get(pk=submission.pk), actor=admin_user_portal)
    approved = services.submission_approve(
        submission=Submission.objects.get(pk=submission.pk), actor=admin_user_portal
    )
    assert approved.status == SubmissionStatus.APPROVED


def test_the_review_page_says_why(client, submission, admin_user_portal, settings):
    from django.urls import reverse

    settings.REPORTING_FOUR_EYES = True
    fill(submission, admin_user_portal)
    submitted = services.submission_submit(
        submission=Submission.objects.get(pk=submission.pk), actor=admin_user_portal
    )
    client.force_login(admin_user_portal)
    response = client.post(
        reverse("reporting:submission-approve", args=[submission.pk]),
        {"version": submitted.version},
        follow=True,
    )
    assert "không được tự duyệt" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED
