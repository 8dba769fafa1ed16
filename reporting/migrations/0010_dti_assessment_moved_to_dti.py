"""The DTI assessments and published points moved to the ``dti`` app (issue 15): only
Django's record of them changes here; their tables and rows are taken over by ``dti.0001``."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0009_agency_due_dates'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalpublishedcomponentscore',
                    name='assessment',
                ),
                migrations.RemoveField(
                    model_name='publishedcomponentscore',
                    name='assessment',
                ),
                migrations.RemoveField(
                    model_name='historicaldtiassessment',
                    name='framework',
                ),
                migrations.RemoveField(
                    model_name='historicaldtiassessment',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaldtiassessment',
                    name='province',
                ),
                migrations.RemoveField(
                    model_name='historicalpublishedcomponentscore',
                    name='component',
                ),
                migrations.RemoveField(
                    model_name='historicalpublishedcomponentscore',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='publishedcomponentscore',
                    name='component',
                ),
                migrations.DeleteModel(
                    name='DtiAssessment',
                ),
                migrations.DeleteModel(
                    name='HistoricalDtiAssessment',
                ),
                migrations.DeleteModel(
                    name='HistoricalPublishedComponentScore',
                ),
                migrations.DeleteModel(
                    name='PublishedComponentScore',
                ),
            ],
            database_operations=[],
        ),
    ]
