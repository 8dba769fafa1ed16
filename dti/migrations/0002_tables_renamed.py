"""The DTI tables take the app's names (``dti_framework``, …; the link table of
components to plan indicators with them), and the content types of the moved
models move with them, so that the roles' permissions, the admin's log and the
history pages keep pointing at the same rows. On PostgreSQL the indexes, constraints
and sequences keep their old names: Django finds them by introspection when it alters
them, and nothing reads the names."""

from django.db import migrations

MOVED = {
    "indicators": [
        "framework",
        "frameworkindicator",
        "frameworkcomponent",
        "componentsuccession",
        "historicalframework",
        "historicalframeworkindicator",
    ],
    "reporting": [
        "dtiassessment",
        "publishedcomponentscore",
        "historicaldtiassessment",
        "historicalpublishedcomponentscore",
    ],
}


def _move_content_types(apps, source: dict[str, tuple[str, str]]) -> None:
    """Give each moved model's content type its new app label (``source`` maps a model
    to the labels it leaves and takes). A row under the new label made before this ran
    (by a ``migrate`` of the new code stopped half-way) holds nothing yet: it gives way
    to the old row, which keeps the users' permissions and the admin's log."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, (old, new) in source.items():
        if ContentType.objects.filter(app_label=old, model=model).exists():
            ContentType.objects.filter(app_label=new, model=model).delete()
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_to_dti(apps, schema_editor) -> None:
    _move_content_types(apps, {model: (app, "dti") for app, models in MOVED.items() for model in models})


def content_types_back(apps, schema_editor) -> None:
    _move_content_types(apps, {model: ("dti", app) for app, models in MOVED.items() for model in models})


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('dti', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='componentsuccession',
            table=None,
        ),
        migrations.AlterModelTable(
            name='dtiassessment',
            table=None,
        ),
        migrations.AlterModelTable(
            name='framework',
            table=None,
        ),
        migrations.AlterModelTable(
            name='frameworkcomponent',
            table=None,
        ),
        migrations.AlterModelTable(
            name='frameworkindicator',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicaldtiassessment',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicalframework',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicalframeworkindicator',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicalpublishedcomponentscore',
            table=None,
        ),
        migrations.AlterModelTable(
            name='publishedcomponentscore',
            table=None,
        ),
        migrations.RunPython(content_types_to_dti, content_types_back),
    ]
