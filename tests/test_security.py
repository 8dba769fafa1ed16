"""Security settings and behaviour: the deployment check, response headers and the
content security policy, login throttling (django-axes), the idle session timeout and
where uploaded evidence lives. The permission sweep is tests/test_permission_sweep.py."""

import os
import re
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

ROOT = Path(settings.BASE_DIR)
PASSWORD = "mat-khau-thu-nghiem"


def test_production_settings_pass_the_deployment_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dti_portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "dti.example.gov.vn",
    }
    for variable in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the latter is set by the browser tests
        env.pop(variable, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def policy_of(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/reporting/submissions/999999/", "/catalogue/plans/"])
def test_every_answer_carries_the_security_headers(client, staff_user, url):
    client.force_login(staff_user)
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy and "http" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_answers_of_the_outer_middleware_carry_the_policy_too(client):
    response = client.get("/login/", HTTP_HOST="ke-gia-mao.example")  # refused by CommonMiddleware
    assert response.status_code == 400
    assert policy_of(response)["script-src"] == "'self'" and response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/", "/api/docs/"])
def test_third_party_pages_may_use_inline_styles_but_never_inline_scripts(client, admin_user_portal, url):
    client.force_login(admin_user_portal)
    response = client.get(url)
    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["style-src"] == "'self' 'unsafe-inline'" and policy["script-src"] == "'self'"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
PORTAL_TEMPLATES = [
    ROOT / "templates",
    *(ROOT / app / "templates" for app in ("indicators", "assignments", "reporting")),
]


def test_no_template_needs_what_the_policy_refuses():
    """No inline script, event handler attribute or style attribute in the portal's own
    templates: the policy would block them and the page would silently break."""
    templates = [
        template for folder in PORTAL_TEMPLATES if folder.exists() for template in folder.rglob("*.html")
    ]
    assert len(templates) > 20
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), template
        assert not INLINE_HANDLER.search(text), template
        assert "style=" not in text and "<style" not in text, template
        assert "javascript:" not in text, template


# Login throttling --------------------------------------------------------------


def attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_and_the_address(client, staff_user, dic_user):
    for _ in range(4):
        response = attempt(client, "canbo", "sai-mat-khau")
        assert response.status_code == 200
        assert "mật khẩu chính xác" in response.content.decode()  # Django's own "wrong password"
    response = attempt(client, "canbo", "sai-mat-khau")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Đã nhập sai mật khẩu 5 lần" in body and "tạm khoá 15 phút" in body
    assert response["Retry-After"] == str(15 * 60)

    # Locked: the right password no longer opens the account, from this or another address,
    assert attempt(client, "canbo", PASSWORD).status_code == 429
    assert attempt(client, "canbo", PASSWORD, address="10.0.0.2").status_code == 429
    # and this address can try no other account,
    assert attempt(client, "sotttt", PASSWORD).status_code == 429
    # while a colleague elsewhere logs in as usual.
    assert attempt(client, "sotttt", PASSWORD, address="10.0.0.3").status_code == 302


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, staff_user):
    for _ in range(5):
        attempt(client, "canbo", "sai-mat-khau")
    assert attempt(client, "canbo", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = attempt(client, "canbo", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_successful_login_clears_the_count(client, staff_user):
    for _ in range(4):
        attempt(client, "canbo", "sai-mat-khau")
    assert attempt(client, "canbo", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "canbo", "sai-mat-khau").status_code == 200
    assert attempt(client, "canbo", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_logging_in_to_ones_own_account_does_not_clear_a_guessers_count(client, staff_user, dic_user):
    """From one address: four wrong passwords for the DIC officer's account, a good
    login to one's own, one more guess: the officer's account locks all the same."""
    for _ in range(4):
        attempt(client, "sotttt", "doan-mo")
    assert attempt(client, "canbo", PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "sotttt", "doan-mo").status_code == 429
    assert attempt(client, "sotttt", PASSWORD, address="10.0.0.4").status_code == 429


@pytest.mark.django_db
def test_the_login_page_says_when_the_account_locks(client):
    assert "Nhập sai mật khẩu 5 lần liên tiếp" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_the_api_token_endpoint_shares_the_lock_and_answers_json(client, staff_user):
    url = reverse("api:token")
    for _ in range(5):
        response = client.post(
            url, {"username": "canbo", "password": "sai"}, "application/json", REMOTE_ADDR="10.0.0.9"
        )
        assert response.status_code in (400, 429)
    response = client.post(
        url, {"username": "canbo", "password": PASSWORD}, "application/json", REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out" and "tạm khoá" in response.json()["detail"]
    assert "token" not in response.json()


@pytest.mark.django_db
def test_the_admin_login_shares_the_lock(client, admin_user_portal):
    for _ in range(5):
        client.post(
            reverse("admin:login"), {"username": "quantri", "password": "sai"}, REMOTE_ADDR="10.0.0.7"
        )
    response = client.post(
        reverse("admin:login"), {"username": "quantri", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(rf, settings):
    from dti_portal.security import client_ip_address

    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    assert client_ip_address(request) == "10.9.9.9"  # no proxy trusted: the header is the client's to forge
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(request) == "203.0.113.5"  # what our proxy appended, not what the client wrote
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip_address(request) == "10.9.9.9"  # too short a header: not trusted


# Sessions ------------------------------------------------------------------------


def session_of(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


@pytest.mark.django_db
def test_a_session_ends_after_the_idle_timeout(client, staff_user):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_HTTPONLY
    assert attempt(client, "canbo", PASSWORD).status_code == 302
    session = session_of(client)
    assert abs((session.expire_date - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_activity_renews_the_session_at_most_every_few_minutes(client, staff_user, django_assert_num_queries):
    assert attempt(client, "canbo", PASSWORD).status_code == 302
    first = session_of(client).expire_date
    client.get(reverse("home"))
    assert session_of(client).expire_date == first  # a request right after: no write

    session = client.session
    session["renewed_at"] = int(time.time()) - settings.SESSION_RENEW_AFTER
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    client.get(reverse("home"))
    renewed = session_of(client).expire_date
    assert (renewed - timezone.now()).total_seconds() > settings.SESSION_COOKIE_AGE - 60


def test_production_cookies_are_secure(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.delitem(sys.modules, "dti_portal.settings.production", raising=False)
    production = importlib.import_module("dti_portal.settings.production")
    monkeypatch.delitem(sys.modules, "dti_portal.settings.production")
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 365 * 24 * 60 * 60 and production.SECURE_SSL_REDIRECT


# Uploaded evidence ---------------------------------------------------------------


def test_uploads_are_stored_outside_everything_served_as_static():
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT)] + [
        Path(d[1] if isinstance(d, tuple) else d) for d in settings.STATICFILES_DIRS
    ]
    for folder in served:
        folder = folder.resolve()
        assert not media.is_relative_to(folder) and not folder.is_relative_to(media), folder


@pytest.mark.django_db
def test_media_files_are_not_served_by_url(client, staff_user):
    """Evidence is reached only through the download view, which checks the reader."""
    client.force_login(staff_user)
    Path(settings.MEDIA_ROOT, "evidence").mkdir(parents=True, exist_ok=True)
    Path(settings.MEDIA_ROOT, "evidence", "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    assert client.get(settings.MEDIA_URL + "evidence/secret.pdf").status_code == 404
    assert client.get("/static/../media/evidence/secret.pdf").status_code == 404


@pytest.mark.django_db
def test_an_administrator_unlocks_an_account_in_the_admin(client, staff_user, dic_user, admin_user_portal):
    for _ in range(5):
        attempt(client, "canbo", "sai-mat-khau")
    assert attempt(client, "canbo", PASSWORD, address="10.0.0.5").status_code == 429

    client.force_login(dic_user)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    client.force_login(admin_user_portal)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    locked = list(AccessAttempt.objects.filter(username="canbo").values_list("pk", flat=True))
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": locked, "post": "yes"},
    )
    assert response.status_code == 302 and not AccessAttempt.objects.filter(username="canbo").exists()
    client.logout()
    assert attempt(client, "canbo", PASSWORD, address="10.0.0.5").status_code == 302


@pytest.mark.django_db
def test_demo_accounts_with_the_published_password_are_refused_when_debug_is_off(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="mật khẩu mặc định"):
        call_command("create_demo_accounts")


@pytest.mark.django_db
def test_the_schedule_page_of_the_admin_needs_no_inline_script(client, admin_user_portal):
    from django_celery_beat.models import PeriodicTask

    client.force_login(admin_user_portal)
    task = PeriodicTask.objects.get(name="Nhắc hạn báo cáo hằng ngày (08:00)")
    page = client.get(
        reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
    ).content.decode()
    assert "js/periodic_task_form.js" in page and 'id="crontab-help"' in page
    assert not INLINE_SCRIPT.search(page)
