"""The workflow through a client generated from /api/schema/ by an independent
generator (openapi-python-client), against a running server: if the schema lied
about a body, a field or a status code, the generated client would fail to build a
request or to read the answer (it raises on any status the schema does not list)."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reporting.models import Submission

from .conftest import complete_values

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(scope="module")
def dti_client(tmp_path_factory):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    folder = tmp_path_factory.mktemp("generated")
    schema = folder / "schema.json"
    schema.write_bytes(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    config = folder / "config.yml"
    config.write_text(yaml.safe_dump({"post_hooks": [], "package_name_override": "dti_client"}))
    generator = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run(
        [generator, "generate", "--path", schema, "--config", config, "--meta", "none"]
        + ["--output-path", folder / "dti_client"],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("dti_client")
    finally:
        sys.path.remove(str(folder))


def as_json(figure):
    """A figure as the schema carries it: decimals as strings, yes/no and text as they are."""
    return figure if isinstance(figure, (bool, str)) else str(figure)


def api(dti_client, name):
    return importlib.import_module(f"dti_client.api.v1.{name}")


def test_the_workflow_through_the_generated_client(dti_client, live_server, submission, staff_user, dic_user):
    from dti_client import AuthenticatedClient, Client
    from dti_client.models import (
        Error,
        ReopenInput,
        ReturnInput,
        SaveInput,
        TokenRequest,
        V1SubmissionsListStatus,
        ValueInput,
        VersionInput,
    )

    def signed_in(username):
        anonymous = Client(base_url=live_server.url, raise_on_unexpected_status=True)
        answer = api(dti_client, "v1_token_create").sync(
            client=anonymous, body=TokenRequest(username=username, password=PASSWORD)
        )
        return AuthenticatedClient(
            base_url=live_server.url, token=answer.token, prefix="Token", raise_on_unexpected_status=True
        )

    staff, dic = signed_in("canbo"), signed_in("sotttt")
    drafts = api(dti_client, "v1_submissions_list").sync(
        client=staff, status=V1SubmissionsListStatus.DRAFT, period=submission.period_id
    )
    assert [row.id for row in drafts.results] == [submission.pk]

    values = [
        ValueInput(id=pk, **{name: as_json(figure) for name, figure in fields.items()})
        for pk, fields in complete_values(submission).items()
    ]
    saved = api(dti_client, "v1_submissions_save_create").sync(
        submission.pk, client=staff, body=SaveInput(version=submission.version, values=values)
    )
    assert saved.version == 2 and all(value.display for value in saved.values)

    refused = api(dti_client, "v1_submissions_approve_create").sync(
        submission.pk, client=staff, body=VersionInput()
    )
    assert isinstance(refused, Error) and refused.code == "permission_denied"

    submitted = api(dti_client, "v1_submissions_submit_create").sync(
        submission.pk, client=staff, body=VersionInput(version=saved.version)
    )
    assert submitted.status.value == "submitted"
    returned = api(dti_client, "v1_submissions_return_create").sync(
        submission.pk, client=dic, body=ReturnInput(comment="Bổ sung minh chứng", version=submitted.version)
    )
    assert returned.status.value == "returned" and returned.review_comment == "Bổ sung minh chứng"
    resubmitted = api(dti_client, "v1_submissions_submit_create").sync(
        submission.pk, client=staff, body=VersionInput()
    )
    approved = api(dti_client, "v1_submissions_approve_create").sync(
        submission.pk, client=dic, body=VersionInput(version=resubmitted.version)
    )
    assert approved.status.value == "approved" and approved.approved_by == dic_user.pk
    assert Submission.objects.get(pk=submission.pk).status == "approved"

    stale = api(dti_client, "v1_submissions_reopen_create").sync(
        submission.pk, client=dic, body=ReopenInput(reason="Sửa số liệu", version=1)
    )
    assert isinstance(stale, Error) and stale.code == "stale_version"
    assert api(dti_client, "v1_token_destroy").sync_detailed(client=staff).status_code == 204
    gone = api(dti_client, "v1_submissions_list").sync_detailed(client=staff)
    assert gone.status_code == 401 and isinstance(gone.parsed, Error)
