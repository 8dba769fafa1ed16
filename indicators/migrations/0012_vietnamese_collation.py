"""The ``vietnamese`` collation on PostgreSQL (ICU, CLDR's Vietnamese order), for
``dti_portal.collation.vietnamese``. SQLite gets it from Python on each connection."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE COLLATION IF NOT EXISTS vietnamese (provider = icu, locale = 'vi-VN')")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS vietnamese")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0011_indicator_continuation")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
