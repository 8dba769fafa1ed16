"""The API's contract: one error shape with the status codes the schema lists (401
without valid credentials, 400 with the fields, 404 past the last page, 415 for a
body that is not JSON, 429), Vietnamese messages, tokens that expire and can be
revoked, and a schema whose names are ASCII and whose error answers are documented.
(Every answer of the suite is also validated against the schema: tests/api_contract.py.)"""

import inspect
import json
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation
from openapi_core.validation.response.exceptions import InvalidData
from rest_framework import exceptions, fields, relations, serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import api_contract

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"


def token_for(username, password=PASSWORD):
    response = APIClient().post("/api/v1/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def client_with(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


# -- errors --------------------------------------------------------------------------


def test_no_credentials_is_a_401_naming_the_scheme(dic_user):
    response = APIClient().get("/api/v1/plans/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Thông tin xác thực không được cung cấp.",
    }


def test_a_wrong_token_is_a_401_in_vietnamese(dic_user):
    response = client_with("khong-co-that").get("/api/v1/plans/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Mã truy cập không hợp lệ hoặc đã bị thu hồi.",
    }


def test_field_errors_come_in_the_error_shape(dic_user):
    api = APIClient()
    api.force_authenticate(dic_user)
    response = api.get("/api/v1/targets/", {"year": "abc"})
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid" and list(body["fields"]) == ["year"]
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ: xem lỗi của từng trường."


def test_a_page_past_the_last_is_a_404(dic_user):
    api = APIClient()
    api.force_authenticate(dic_user)
    response = api.get("/api/v1/plans/", {"page": 2})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Trang không hợp lệ."}


def test_a_body_that_is_not_json_is_a_415_and_changes_nothing(submission, staff_user):
    from reporting.models import IndicatorValue

    value = submission.values.filter(indicator__measure_type="count").get()
    api = APIClient()
    api.force_authenticate(staff_user)
    response = api.post(
        f"/api/v1/submissions/{submission.pk}/save/",
        {"version": submission.version, "values": json.dumps([{"id": value.pk, "value": 7}])},
        format="multipart",
    )
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    assert IndicatorValue.objects.get(pk=value.pk).value is None
    submission.refresh_from_db()
    assert submission.version == 1


def test_broken_json_is_named_in_vietnamese(submission, staff_user):
    api = APIClient()
    api.force_authenticate(staff_user)
    response = api.post(
        f"/api/v1/submissions/{submission.pk}/save/",
        '{"version": 1,\n "values": [}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "parse_error",
        "detail": "Nội dung không phải JSON hợp lệ (dòng 2, cột 13).",
    }
    nan = api.post(
        f"/api/v1/submissions/{submission.pk}/save/", '{"version": NaN}', content_type="application/json"
    )
    assert nan.json()["detail"] == "JSON không cho phép NaN hay Infinity."


def test_a_number_out_of_bounds_is_refused_in_vietnamese(submission, staff_user):
    value = submission.values.filter(indicator__measure_type="count").get()
    api = APIClient()
    api.force_authenticate(staff_user)
    response = api.post(
        f"/api/v1/submissions/{submission.pk}/save/",
        {"version": 1, "values": [{"id": value.pk, "value": "1" + "0" * 20}]},
    )
    assert response.status_code == 400
    # DRF keys a list's errors by the row's index.
    assert response.json()["fields"] == {"values": {"0": {"value": ["Số không được có quá 20 chữ số."]}}}


def test_throttling_is_a_429_in_vietnamese(dic_user, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "1/min"})
    api = APIClient()
    assert api.post("/api/v1/token/", {"username": "sotttt", "password": PASSWORD}).status_code == 200
    response = api.post("/api/v1/token/", {"username": "sotttt", "password": PASSWORD})
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert response.json() == {"code": "throttled", "detail": "Quá nhiều yêu cầu: hãy thử lại sau 60 giây."}
    cache.clear()


def test_every_message_drf_can_answer_is_vietnamese():
    messages = []
    for module in (fields, serializers, relations):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            messages += getattr(cls, "default_error_messages", {}).values()
    for _name, cls in inspect.getmembers(exceptions, inspect.isclass):
        messages += [getattr(cls, a) for a in ("default_detail", "extra_detail_singular") if hasattr(cls, a)]
    from rest_framework import authentication

    source = inspect.getsource(authentication)
    messages += [
        translation.gettext_lazy(m)
        for m in ("Invalid token.", "Invalid token header. No credentials provided.")
    ]
    assert "Invalid token." in source
    english = []
    for message in messages:
        with translation.override("en"):
            source_text = str(message)
        with translation.override("vi"):
            if str(message) == source_text:
                english.append(source_text)
    assert english == []


# -- tokens --------------------------------------------------------------------------


def test_a_token_expires_after_its_lifetime(dic_user, settings):
    settings.API_TOKEN_DAYS = 30
    answer = token_for("sotttt")
    token = Token.objects.get(key=answer["token"])
    assert datetime.fromisoformat(answer["expires_at"]) == token.created + timedelta(days=30)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=30, seconds=1))
    response = client_with(answer["token"]).get("/api/v1/plans/")
    assert response.status_code == 401 and response.json()["code"] == "token_expired"
    assert not Token.objects.filter(pk=token.pk).exists()
    fresh = token_for("sotttt")
    assert fresh["token"] != answer["token"]
    assert client_with(fresh["token"]).get("/api/v1/plans/").status_code == 200


def test_a_valid_token_is_given_again_and_a_stale_one_sent_along_does_not_matter(dic_user):
    first = token_for("sotttt")
    again = client_with("stale").post("/api/v1/token/", {"username": "sotttt", "password": PASSWORD})
    assert again.status_code == 200 and again.json()["token"] == first["token"]


def test_the_user_revokes_their_token(dic_user):
    token = token_for("sotttt")["token"]
    api = client_with(token)
    assert api.delete("/api/v1/token/").status_code == 204
    assert api.get("/api/v1/plans/").status_code == 401
    assert not Token.objects.filter(user=dic_user).exists()


def test_a_password_change_revokes_the_token(dic_user, staff_user):
    token = token_for("sotttt")["token"]
    other = token_for("canbo")["token"]
    dic_user.last_login = timezone.now()
    dic_user.save(update_fields=["last_login"])  # a login is no password change
    assert client_with(token).get("/api/v1/plans/").status_code == 200
    dic_user.set_password("mat-khau-moi-2026")
    dic_user.save()
    assert client_with(token).get("/api/v1/plans/").status_code == 401
    assert client_with(other).get("/api/v1/plans/").status_code == 200  # another user's stays


def test_an_administrator_revokes_a_token_in_the_admin(client, dic_user):
    from assignments.choices import Role
    from tests.factories import make_user

    admin = make_user(Role.ADMINISTRATOR, dic_user.profile.agency, username="quantri")
    token = Token.objects.create(user=dic_user)
    client.force_login(dic_user)
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 403  # a DIC officer may not
    client.force_login(admin)
    changelist = client.get("/admin/authtoken/tokenproxy/").content.decode()
    assert "sotttt" in changelist and "Hết hạn lúc" in changelist and "Mã truy cập API" in changelist
    response = client.post(f"/admin/authtoken/tokenproxy/{dic_user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Token.objects.filter(pk=token.pk).exists()


# -- the schema ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_names_in_the_schema_are_ascii(schema):
    names = list(schema["components"]["schemas"])
    for component in schema["components"]["schemas"].values():
        names += list(component.get("properties", {}))
    for operations in schema["paths"].values():
        for operation in operations.values():
            names.append(operation["operationId"])
            names += [parameter["name"] for parameter in operation.get("parameters", [])]
    assert all(name.isascii() for name in names)

    def titles(node):
        if isinstance(node, dict):
            yield from ([node["title"]] if isinstance(node.get("title"), str) else [])
            for value in node.values():
                yield from titles(value)
        elif isinstance(node, list):
            for value in node:
                yield from titles(value)

    assert list(titles(schema["paths"])) == list(titles(schema["components"])) == []


def test_every_refusal_is_documented_with_the_error_shape(schema):
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = operation["responses"]
            for code, answer in codes.items():
                if code >= "400":
                    assert answer["content"]["application/json"]["schema"] == error, (path, method, code)
            if path != "/api/v1/token/" or method == "delete":
                assert {"401", "403"} <= set(codes), (path, method)
            if method == "post":
                assert set(operation["requestBody"]["content"]) == {"application/json"}
                assert {"400", "415"} <= set(codes)
    submissions = schema["paths"]["/api/v1/submissions/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404", "500", "503"} == set(submissions)
    token = schema["paths"]["/api/v1/token/"]["post"]
    assert token["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TokenRequest"
    }
    assert token["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TokenAnswer"
    }
    assert "429" in token["responses"] and "security" not in token


def test_the_contract_check_catches_an_answer_the_schema_does_not_describe(dic_user):
    api = APIClient()
    api.force_authenticate(dic_user)
    response = api.get("/api/v1/plans/")
    response.content = json.dumps({"count": "nhiều"}).encode()
    with pytest.raises(InvalidData):
        api_contract.check_answer(response)


def test_a_path_the_api_does_not_have_is_a_json_404(dic_user):
    api = APIClient()
    api.force_authenticate(dic_user)
    for path in ("/api/v1/agencies/0.5/", "/api/v1/khong-co/"):
        response = api.get(path)
        assert response.status_code == 404 and response.json() == {
            "code": "not_found",
            "detail": "Không tìm thấy.",
        }
    post = Client(enforce_csrf_checks=True).post("/api/v1/submissions/0.5/approve/", {}, "application/json")
    assert post.status_code == 404 and post.json()["code"] == "not_found"


def test_an_api_client_may_ask_for_english(dic_user):
    english = APIClient().get("/api/v1/plans/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english.json()["detail"] == "Authentication credentials were not provided."
    assert APIClient().get("/api/v1/plans/").json()["detail"] == "Thông tin xác thực không được cung cấp."
