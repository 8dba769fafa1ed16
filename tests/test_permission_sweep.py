"""Every URL of the URLconf × every role × own and other agency or province, with the
answer each must get. A view added without an entry here fails the first test, so a
new page cannot ship without its permission being decided."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.choices import Role
from assignments.models import ReportingObligation, TaskAssignment
from reporting import services
from reporting.choices import SubmissionStatus
from reporting.models import Evidence, ExportJob, Notification, ProvinceFigure, RollupRun, Submission
from reporting.rollup.services import compile_province_rollup
from tests.factories import AgencyFactory, make_user, reporting_setup
from tests.indicators.test_views import PUBLIC as OPEN_TO_ANYONE
from tests.indicators.test_views import every_url_name

pytestmark = pytest.mark.django_db

ACTORS = [
    "staff",
    "staff_other_agency",
    "dic",
    "dic_other_province",
    "steering",
    "steering_other_province",
    "admin",
]
# Not decided per role: the pages open to anyone, and logging out.
PUBLIC = OPEN_TO_ANYONE | {"logout"}

ALL_200 = dict.fromkeys(ACTORS, 200)
SAME_PROVINCE_ONLY = {**ALL_200, "dic_other_province": 404, "steering_other_province": 404}
READ_SUBMISSION = {**SAME_PROVINCE_ONLY, "staff_other_agency": 404}
EDIT_SUBMISSION = {**READ_SUBMISSION, "dic": 403, "steering": 403}
REVIEW_SUBMISSION = {**READ_SUBMISSION, "staff": 403, "steering": 403}
PROVINCE_READERS = {**ALL_200, "staff": 403, "staff_other_agency": 403}
DIC_PAGES = {**PROVINCE_READERS, "steering": 403, "steering_other_province": 403}

# What a GET answers, by URL name and actor.
EXPECTED_GET = {
    "home": ALL_200,
    "indicators:plan-list": ALL_200,
    "indicators:plan-detail": SAME_PROVINCE_ONLY,
    "indicators:plan-tasks": SAME_PROVINCE_ONLY,
    "indicators:indicator-list": ALL_200,
    "indicators:indicator-detail": SAME_PROVINCE_ONLY,
    "indicators:agency-list": ALL_200,
    "indicators:agency-detail": SAME_PROVINCE_ONLY,
    "reporting:review-queue": PROVINCE_READERS,
    "reporting:submission-detail": READ_SUBMISSION,
    "reporting:submission-edit": EDIT_SUBMISSION,
    "reporting:submission-return": REVIEW_SUBMISSION,
    # POST only: a reviewer who may act gets "method not allowed" on GET.
    "reporting:submission-approve": {**REVIEW_SUBMISSION, "dic": 405, "admin": 405},
    "reporting:submission-bulk-approve": dict.fromkeys(ACTORS, 405),  # POST only, for everyone
    "reporting:submission-reopen": REVIEW_SUBMISSION,
    "reporting:submission-xlsx": READ_SUBMISSION,
    "reporting:submission-upload": EDIT_SUBMISSION,
    "reporting:evidence-download": READ_SUBMISSION,
    "reporting:evidence-delete": dict.fromkeys(ACTORS, 405),
    # The agency while its report is editable, the DIC at any time.
    "reporting:evidence-describe": {**READ_SUBMISSION, "steering": 403},
    "reporting:completeness": PROVINCE_READERS,
    "reporting:accounts": DIC_PAGES,
    "reporting:account-create": DIC_PAGES,
    # POST only: the DIC gets "method not allowed" on GET.
    "reporting:account-invite": {**DIC_PAGES, "dic": 405, "dic_other_province": 405, "admin": 405},
    "reporting:period-list": PROVINCE_READERS,
    "reporting:notifications": ALL_200,
    "reporting:reminder-log": PROVINCE_READERS,
    "reporting:period-compile": dict.fromkeys(ACTORS, 405),
    "reporting:dashboard": PROVINCE_READERS,
    "reporting:dashboard-indicator": {
        **PROVINCE_READERS,
        "dic_other_province": 404,
        "steering_other_province": 404,
    },
    "reporting:dashboard-agencies": PROVINCE_READERS,
    "reporting:dashboard-ranking": PROVINCE_READERS,
    # The user's own agency's page: everyone has one in the sweep's world.
    "reporting:dashboard-own": ALL_200,
    "dti:score": PROVINCE_READERS,
    # Another province's DIC gets their own province's list, as on the other DIC pages.
    "reporting:unassigned-indicators": DIC_PAGES,
    "reporting:dashboard-dic": DIC_PAGES,
    "dti:evidence": DIC_PAGES,
    # Another province's DIC gets their own province, which has no year here: back to the page.
    "dti:evidence-zip": {**DIC_PAGES, "dic_other_province": 302},
    # Another province's reader gets their own province, which has no period here: back to the dashboard.
    "reporting:ministry-export": {
        **PROVINCE_READERS,
        "dic_other_province": 302,
        "steering_other_province": 302,
    },
    # A background export is shown to the one who asked for it, here the DIC officer.
    "reporting:export-job": {
        **dict.fromkeys(ACTORS, 404),
        "staff": 403,
        "staff_other_agency": 403,
        "dic": 200,
    },
    "reporting:export-job-download": {**dict.fromkeys(ACTORS, 404), "staff": 403, "staff_other_agency": 403},
    # A notification opens (302) for its recipient only, here the DIC officer.
    "reporting:notification-open": {**dict.fromkeys(ACTORS, 404), "dic": 302},
    **{
        f"api:{name}-list": ALL_200
        for name in (
            "agency",
            "plan",
            "pillar",
            "indicator",
            "target",
            "task",
            "indicator-assignment",
            "task-assignment",
            "obligation",
        )
    },
    **{
        f"api:{name}-detail": SAME_PROVINCE_ONLY
        for name in (
            "agency",
            "plan",
            "indicator",
            "target",
            "task",
            "indicator-assignment",
            "task-assignment",
            "obligation",
        )
    },
    # Province figures are the dashboards' readers' (not department staff's), as on the pages.
    "api:figure-list": PROVINCE_READERS,
    # Without ?year= a reader is told what is missing.
    "api:dti-score": {**dict.fromkeys(ACTORS, 400), "staff": 403, "staff_other_agency": 403},
    "api:figure-detail": {**PROVINCE_READERS, "dic_other_province": 404, "steering_other_province": 404},
    "api:pillar-detail": ALL_200,  # the framework's pillars are shared by every province
    "api:period-list": ALL_200,
    "api:period-detail": SAME_PROVINCE_ONLY,
    "api:submission-list": ALL_200,
    "api:submission-detail": READ_SUBMISSION,
    # Workflow actions are POST only; the method is refused before anything is read.
    "api:submission-save": dict.fromkeys(ACTORS, 405),
    "api:submission-submit": dict.fromkeys(ACTORS, 405),
    "api:submission-return": dict.fromkeys(ACTORS, 405),
    "api:submission-approve": dict.fromkeys(ACTORS, 405),
    "api:submission-reopen": dict.fromkeys(ACTORS, 405),
}


@pytest.fixture
def world(province, other_province, department, dic, staff_user, dic_user, steering_user, admin_user_portal):
    """A draft submission of ``department`` with one evidence file, a notification for
    the DIC officer, and one user per actor."""
    plan, indicators = reporting_setup(province, department, dic_user)
    submission = Submission.objects.get(agency=department, period__year=2024, period__quarter=1)
    value = submission.values.first()
    upload = SimpleUploadedFile("qd.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    upload.portal_content_type = "application/pdf"
    services.submission_save(
        submission=submission,
        actor=staff_user,
        version=1,
        evidence=[services.EvidenceUpload(value_id=value.pk, file=upload)],
    )
    event = submission.events.create(
        actor=staff_user, action="submit", from_status="draft", to_status="draft"
    )
    notification = Notification.objects.create(recipient=dic_user, event=event, kind="submitted")
    job = ExportJob.objects.create(period=submission.period, requested_by=dic_user)
    compile_province_rollup(period=submission.period)
    figure = ProvinceFigure.objects.filter(period=submission.period).first()
    users = {
        "staff": staff_user,
        "staff_other_agency": make_user(
            Role.DEPARTMENT_STAFF, AgencyFactory(parent=province), username="khac"
        ),
        "dic": dic_user,
        "dic_other_province": make_user(
            Role.DIC_OFFICER, AgencyFactory(parent=other_province), username="tth_dic"
        ),
        "steering": steering_user,
        "steering_other_province": make_user(Role.STEERING_MEMBER, other_province, username="tth_bcd"),
        "admin": admin_user_portal,
    }
    objects = {
        "indicators:plan-detail": plan,
        "indicators:plan-tasks": plan,
        "indicators:indicator-detail": next(iter(indicators.values())),
        "indicators:agency-detail": department,
        "reporting:evidence-download": Evidence.objects.get(),
        "reporting:evidence-delete": Evidence.objects.get(),
        "reporting:evidence-describe": Evidence.objects.get(),
        "reporting:notification-open": notification,
        "api:period-detail": submission.period,
        "api:agency-detail": department,
        "api:plan-detail": plan,
        "api:pillar-detail": next(iter(indicators.values())).pillar,
        "api:indicator-detail": next(iter(indicators.values())),
        "api:target-detail": next(iter(indicators.values())).targets.first(),
        "api:task-detail": plan.tasks.first(),
        "api:indicator-assignment-detail": plan.indicator_assignments.first(),
        "api:task-assignment-detail": TaskAssignment.objects.filter(task__plan=plan).first(),
        "api:obligation-detail": ReportingObligation.objects.filter(agency=department).first(),
        "api:figure-detail": figure,
        "reporting:period-compile": submission.period,
        "reporting:dashboard-indicator": next(iter(indicators.values())),
        "reporting:export-job": job,
        "reporting:export-job-download": job,
    }
    return {"submission": submission, "users": users, "objects": objects}


def url_for(name, pattern, world):
    if not pattern.pattern.regex.groupindex:
        return reverse(name)
    obj = world["objects"].get(name, world["submission"])
    return reverse(name, args=[obj.pk])


def test_every_url_has_its_expected_answers():
    names = {name for name, _pattern in every_url_name()} - PUBLIC
    assert names == set(EXPECTED_GET), "a URL was added or removed: decide who may open it in EXPECTED_GET"


@pytest.mark.parametrize("actor", ACTORS)
def test_get_every_url_as_every_actor(client, world, actor):
    client.force_login(world["users"][actor])
    surprises = []
    for name, pattern in every_url_name():
        if name in PUBLIC:
            continue
        status = client.get(url_for(name, pattern, world)).status_code
        if status != EXPECTED_GET[name][actor]:
            surprises.append((name, status, EXPECTED_GET[name][actor]))
    assert surprises == []


# Writes that only some may make: everyone else is refused and nothing changes.
WRITERS = {
    "reporting:submission-edit": {"staff", "admin"},
    "reporting:submission-upload": {"staff", "admin"},
    "reporting:evidence-delete": {"staff", "admin"},
    "reporting:submission-return": {"dic", "admin"},
    "reporting:submission-approve": {"dic", "admin"},
    "reporting:submission-reopen": {"dic", "admin"},
    "reporting:period-list": {"dic", "dic_other_province", "admin"},
    # Another province's DIC posts for their own province (the form refuses this one's rows).
    "reporting:unassigned-indicators": {"dic", "dic_other_province", "admin"},
    "reporting:period-compile": {"dic", "admin"},
    "api:submission-save": {"staff", "admin"},
    "api:submission-submit": {"staff", "admin"},
    "api:submission-return": {"dic", "admin"},
    "api:submission-approve": {"dic", "admin"},
    "api:submission-reopen": {"dic", "admin"},
}


@pytest.mark.parametrize("actor", ACTORS)
def test_refused_writes_change_nothing(client, world, actor, caplog):
    client.force_login(world["users"][actor])
    submission = world["submission"]
    patterns = dict(every_url_name())
    for name, writers in WRITERS.items():
        if actor in writers:
            continue
        # The API reads JSON bodies only (a form body would be a 415 before any check).
        body_type = {"content_type": "application/json"} if name.startswith("api:") else {}
        response = client.post(
            url_for(name, patterns[name], world),
            {"year": 2030, "comment": "x", "reason": "x", "version": 2},
            **body_type,
        )
        assert response.status_code in (403, 404), (name, response.status_code)
    fresh = Submission.objects.get(pk=submission.pk)
    assert (fresh.status, fresh.version) == (SubmissionStatus.DRAFT, 2)
    assert Evidence.objects.count() == 1
    assert not submission.period.province.reporting_periods.filter(year=2030).exists()
    assert RollupRun.objects.count() == 1  # the fixture's own compilation only
