"""Background work that a later run can take over (issue 18): an export records when
it started (its lease), and every five minutes a sweeper takes over roll-ups, exports
and emails that a dead worker or an unreachable broker left behind."""

from django.db import migrations, models

NAME = "Tiếp quản việc chạy nền bị bỏ dở (5 phút một lần)"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _created = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "reporting.tasks.sweep_background_work", "interval": every, "enabled": True}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0011_dic_named_by_province"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu"),
        ),
        migrations.AlterField(
            model_name="rolluprun",
            name="trigger",
            field=models.CharField(
                choices=[
                    ("approval", "Duyệt báo cáo"),
                    ("reopen", "Mở lại báo cáo"),
                    ("manual", "Cơ quan đầu mối yêu cầu"),
                    ("nightly", "Định kỳ hằng đêm"),
                    ("command", "Lệnh quản trị"),
                    ("sweep", "Chạy lại lần lỗi hoặc bị bỏ dở"),
                ],
                max_length=20,
                verbose_name="lý do chạy",
            ),
        ),
        migrations.RunPython(create, remove),
    ]
