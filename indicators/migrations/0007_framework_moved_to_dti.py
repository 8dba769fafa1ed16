"""The DTI framework's models moved to the ``dti`` app (issue 15): only Django's record
of them changes here; their tables and rows are taken over by ``dti.0001``."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0006_agency_due_dates'),
        ('reporting', '0010_dti_assessment_moved_to_dti'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalframeworkindicator',
                    name='framework',
                ),
                migrations.RemoveField(
                    model_name='frameworkindicator',
                    name='framework',
                ),
                migrations.RemoveField(
                    model_name='frameworkcomponent',
                    name='indicators',
                ),
                migrations.RemoveField(
                    model_name='frameworkcomponent',
                    name='main',
                ),
                migrations.RemoveField(
                    model_name='historicalframework',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalframeworkindicator',
                    name='history_user',
                ),
                migrations.DeleteModel(
                    name='ComponentSuccession',
                ),
                migrations.DeleteModel(
                    name='Framework',
                ),
                migrations.DeleteModel(
                    name='FrameworkComponent',
                ),
                migrations.DeleteModel(
                    name='FrameworkIndicator',
                ),
                migrations.DeleteModel(
                    name='HistoricalFramework',
                ),
                migrations.DeleteModel(
                    name='HistoricalFrameworkIndicator',
                ),
            ],
            database_operations=[],
        ),
    ]
