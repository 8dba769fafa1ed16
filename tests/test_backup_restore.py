"""Backup and restore as README documents them (issue 18): pg_dump of the database in
custom format, then the evidence files; pg_restore into an empty database gives every
table back row for row."""

import shutil
import subprocess

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
        reason="PostgreSQL's pg_dump and pg_restore",
    ),
]


def libpq_args(name):
    settings = connection.settings_dict
    args = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    return args + ["-U", settings["USER"] or "postgres", "-d", name]


def row_counts(cursor_factory):
    with cursor_factory() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 — names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def test_a_dump_restores_every_row(compiled, tmp_path, settings):
    import psycopg

    from reporting.models import ProvinceFigure

    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "dti.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), *libpq_args(source)], check=True, capture_output=True)
    admin = psycopg.connect(
        host=connection.settings_dict["HOST"] or "127.0.0.1",
        port=connection.settings_dict["PORT"] or 5432,
        user=connection.settings_dict["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
    admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", *libpq_args(restored), str(dump)],
            check=True,
            capture_output=True,
        )
        with psycopg.connect(
            host=connection.settings_dict["HOST"] or "127.0.0.1",
            port=connection.settings_dict["PORT"] or 5432,
            user=connection.settings_dict["USER"] or "postgres",
            dbname=restored,
        ) as copy:
            assert row_counts(copy.cursor) == row_counts(connection.cursor)
            with copy.cursor() as cursor:
                cursor.execute("SELECT sum(coalesce(value, 0)) FROM reporting_provincefigure")
                restored_sum = cursor.fetchone()[0]
        assert ProvinceFigure.objects.count() > 0
        assert restored_sum == sum(f.value or 0 for f in ProvinceFigure.objects.all())
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.close()
