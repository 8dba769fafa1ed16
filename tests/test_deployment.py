"""The production layout and settings."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed")
def test_docker_compose_accepts_the_production_layout():
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "SECRET_KEY": "compose-check"},
    )
    assert result.returncode == 0, result.stderr
    for service in ("proxy:", "web:", "worker:", "beat:", "postgres:", "redis:"):
        assert service in result.stdout
    # The web service runs gunicorn on its settings file, with nothing overridden.
    assert "gunicorn dti_portal.wsgi:application" in result.stdout and "--workers" not in result.stdout


def test_gunicorn_reads_the_layout_of_its_settings_file():
    """The image, the compose file and the load benchmark start gunicorn in the
    project's folder, where it reads gunicorn.conf.py: sync workers, 2 per core + 1."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GUNICORN_")}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "dti_portal.wsgi:application"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    printed = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    )
    assert printed["worker_class"] == "sync" and printed["threads"] == "1"
    assert printed["workers"] == str(2 * os.cpu_count() + 1)
    assert printed["bind"] == "['0.0.0.0:8000']" and printed["timeout"] == "60"
    # Each worker keeps one database connection between requests.
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def test_a_worker_freezes_what_it_loaded(monkeypatch):
    """gunicorn calls the settings file's post_worker_init once a worker has loaded the
    portal: from then on the garbage collector leaves what was loaded alone."""
    import gc
    import runpy

    hook = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"]
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    hook(worker=None)
    assert frozen == [True]


def test_the_proxy_buffers_requests_and_bounds_them():
    """Slow clients hold nginx connections, not gunicorn workers: the whole request is
    read first, within time and size limits."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    for directive in (
        "proxy_request_buffering on;",
        "client_body_timeout 20s;",
        "client_header_timeout 20s;",
        "client_max_body_size 25m;",
        "proxy_pass http://web:8000;",
    ):
        assert directive in conf
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in compose
    assert "TRUSTED_PROXY_COUNT: ${TRUSTED_PROXY_COUNT:-2}" in compose


def requirements(name: str) -> list[str]:
    return [
        line.strip()
        for line in (ROOT / name).read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_every_requirement_is_pinned():
    runtime, dev = requirements("requirements.txt"), requirements("requirements-dev.txt")
    assert runtime and all("==" in line for line in runtime)
    assert dev[0] == "-r requirements.txt" and all("==" in line for line in dev[1:])


def test_a_server_installs_only_what_the_portal_runs():
    """The image and `make run` install requirements.txt: no test runner, linter or
    browser driver; `make test` adds requirements-dev.txt."""
    runtime = {line.split("==")[0].split("[")[0].lower() for line in requirements("requirements.txt")}
    assert not runtime & {"pytest", "playwright", "ruff", "mypy", "schemathesis", "factory_boy", "bandit"}
    assert {"django", "gunicorn", "celery", "psycopg", "openpyxl"} <= runtime
    assert "-r requirements.txt" in (ROOT / "Dockerfile").read_text().replace(
        "requirements.txt", "requirements.txt"
    )
    assert "requirements-dev" not in (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "\nrun: setup\n" in makefile and "\ntest: setup install-dev\n" in makefile


def test_settings_read_the_environment(monkeypatch):
    import importlib

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dti")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("ALLOWED_HOSTS", "dti.example.vn,localhost")
    from dti_portal.settings import base

    reloaded = importlib.reload(base)
    try:
        assert reloaded.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        assert reloaded.CELERY_TASK_ALWAYS_EAGER is False
        assert reloaded.ALLOWED_HOSTS == ["dti.example.vn", "localhost"]
        assert reloaded.LANGUAGE_CODE == "vi" and reloaded.TIME_ZONE == "Asia/Ho_Chi_Minh" and reloaded.USE_TZ
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_no_page_loads_assets_from_outside_the_portal():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, template


def test_the_api_settings_resolve_first_thing_in_a_fresh_process():
    """DRF imports the classes its settings name when first asked, in whatever order a
    command asks (``migrate`` asks for the pagination class first): a module named there
    must not import ``rest_framework.views``, which reads the parser setting while it is
    imported (the JSON parser lives in ``dti_portal.parsers`` for that reason)."""
    import sys

    code = (
        "import django; django.setup()\n"
        "from rest_framework.settings import api_settings\n"
        "print(api_settings.DEFAULT_PAGINATION_CLASS.__name__, api_settings.DEFAULT_PARSER_CLASSES[0].__module__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "dti_portal.settings.test"},
        cwd=Path(settings.BASE_DIR),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["Pagination", "dti_portal.parsers"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_where_it_is_told_and_email_links_follow():
    commands = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0", "PORT=8123"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    ).stdout
    run = next(line for line in commands.splitlines() if "runserver" in line)
    assert 'PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://0.0.0.0:8123}"' in run and run.endswith(
        "runserver 0.0.0.0:8123"
    )
