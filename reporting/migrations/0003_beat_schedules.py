"""The two schedules of the reporting jobs, as django-celery-beat rows (editable in the
admin): reminders every morning at 08:00 and the roll-up every night at 01:00, both
Asia/Ho_Chi_Minh."""

from django.db import migrations

SCHEDULES = [
    ("Nhắc hạn báo cáo hằng ngày (08:00)", "reporting.tasks.send_reminders", "0", "8"),
    ("Tổng hợp số liệu của tỉnh hằng đêm (01:00)", "reporting.tasks.compile_rollups_nightly", "0", "1"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in SCHEDULES:
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Ho_Chi_Minh",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_rest in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_rollup_and_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
