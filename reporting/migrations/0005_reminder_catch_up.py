"""A second reminder run at 14:00 (Asia/Ho_Chi_Minh). Reminders are claimed once per
agency, period, kind and day, so it sends only what the morning run did not: a morning
job lost with the broker, or refused while the broker was down, is caught up the same
day and never sent twice."""

from django.db import migrations

NAME = "Nhắc hạn báo cáo: lần chạy bù (14:00)"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="14", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "reporting.tasks.send_reminders", "crontab": crontab, "enabled": True}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_export_jobs")]

    operations = [migrations.RunPython(create, remove)]
