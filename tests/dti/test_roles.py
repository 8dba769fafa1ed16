"""The roles' permissions on the DTI app's models, as they were before the models moved
(issue 15): every role reads the frameworks and their history; the DIC enters the
ministry's assessments and points; nobody edits a history row."""

import pytest
from django.contrib.auth.models import Group

from assignments.choices import Role

pytestmark = pytest.mark.django_db

FRAMEWORK_MODELS = [
    "framework",
    "frameworkindicator",
    "frameworkcomponent",
    "componentsuccession",
    "historicalframework",
    "historicalframeworkindicator",
    "historicalframeworkcomponent",
    "historicalframeworkcomponent_indicators",
    "historicalcomponentsuccession",
]
ASSESSMENT_MODELS = ["dtiassessment", "publishedcomponentscore"]
ASSESSMENT_HISTORY = ["historicaldtiassessment", "historicalpublishedcomponentscore"]


def dti_codenames(role: Role) -> set[str]:
    group = Group.objects.get(name=role)
    return set(group.permissions.filter(content_type__app_label="dti").values_list("codename", flat=True))


def every(actions, models) -> set[str]:
    return {f"{action}_{model}" for action in actions for model in models}


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.STEERING_MEMBER])
def test_readers_see_the_frameworks_not_the_assessments(role):
    assert dti_codenames(role) == every(["view"], FRAMEWORK_MODELS)


def test_the_dic_enters_assessments_reads_the_shared_frameworks_and_never_edits_history():
    # Frameworks are every province's: only administrators write them (issue 17).
    assert dti_codenames(Role.DIC_OFFICER) == (
        every(["add", "change", "delete", "view"], ASSESSMENT_MODELS)
        | every(["view"], FRAMEWORK_MODELS + ASSESSMENT_HISTORY)
    )


def test_only_administrators_write_the_pillars_every_province_shares(client, dic_user):
    from django.urls import reverse

    from tests.factories import PillarFactory

    group = Group.objects.get(name=Role.DIC_OFFICER)
    pillar_codenames = set(
        group.permissions.filter(content_type__model="pillar").values_list("codename", flat=True)
    )
    assert pillar_codenames == {"view_pillar"}
    pillar = PillarFactory()
    client.force_login(dic_user)
    page = client.post(
        reverse("admin:indicators_pillar_change", args=[pillar.pk]), {"code": pillar.code, "name": "Đổi tên"}
    )
    assert page.status_code == 403
    pillar.refresh_from_db()
    assert pillar.name != "Đổi tên"


def test_administrators_hold_every_dti_permission():
    assert dti_codenames(Role.ADMINISTRATOR) == every(
        ["add", "change", "delete", "view"], FRAMEWORK_MODELS + ASSESSMENT_MODELS + ASSESSMENT_HISTORY
    )
