"""The admin reads in Vietnamese, third-party apps included, and roles are words.

The catalogue test walks the registered models of the third-party apps, so a field
added by an upgrade without a Vietnamese translation fails here."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from assignments.choices import Role

THIRD_PARTY_APPS = ("axes", "django_celery_beat", "import_export")


def third_party_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in THIRD_PARTY_APPS),
        key=lambda model: model._meta.label,
    )


def texts_of(model) -> dict[str, str]:
    """Every text about ``model`` that the admin shows, keyed by where it comes from."""
    texts = {
        "verbose_name": model._meta.verbose_name,
        "verbose_name_plural": model._meta.verbose_name_plural,
    }
    for field in model._meta.get_fields():
        if field.auto_created or not hasattr(field, "verbose_name"):
            continue
        texts[f"{field.name}.verbose_name"] = field.verbose_name
        if field.help_text:
            texts[f"{field.name}.help_text"] = field.help_text
        if field.name == "timezone":  # the choices are the IANA zones' own names
            continue
        for value, label in field.flatchoices or ():
            texts[f"{field.name}.choice.{value}"] = label
    return texts


def test_the_third_party_models_are_those_expected():
    labels = {model._meta.label for model in third_party_models()}
    assert {"axes.AccessAttempt", "axes.AccessLog", "django_celery_beat.PeriodicTask"} <= labels


@pytest.mark.parametrize("model", third_party_models(), ids=lambda model: model._meta.label)
def test_every_text_of_a_third_party_model_is_translated(model):
    with translation.override("en"):
        english = {key: str(text) for key, text in texts_of(model).items()}
    with translation.override("vi"):
        vietnamese = {key: str(text) for key, text in texts_of(model).items()}
    untranslated = {key: text for key, text in english.items() if vietnamese[key] == text}
    assert not untranslated
    with translation.override("vi"):
        assert str(model._meta.app_config.verbose_name) in {"Khóa đăng nhập", "Tác vụ định kỳ"}


# English a Vietnamese official saw in these pages before they were translated.
ENGLISH = [
    "Access attempt",
    "Access log",
    "Access failure",
    "Attempt Time",
    "Failed Logins",
    "Attempt Remaining",
    "Locked Out",
    "Periodic task",
    "Periodic Tasks",
    "Crontabs",
    "Intervals",
    "Short Description",
    "Enabled",
    "Start Datetime",
    "Last Run",
    "One-off",
    "Positional Arguments",
    "Execution Options",
    "Set only one schedule type",
    "Human readable",
    "Cron Minutes",
    "Enable selected tasks",
    "Show counts",
    "Reset password",
    "department_staff",
]


@pytest.fixture
def schedules(db):
    crontab = CrontabSchedule.objects.create(minute="0", hour="8", timezone="Asia/Ho_Chi_Minh")
    interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    task = PeriodicTask.objects.create(
        name="Nhắc hạn", task="reporting.tasks.send_reminders", crontab=crontab
    )
    return crontab, interval, task


def admin_pages(schedules):
    crontab, interval, task = schedules
    pages = [reverse("admin:index")]
    for model in third_party_models():
        model_admin = admin.site._registry[model]
        pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        if model_admin.has_add_permission is not None and model._meta.app_label == "django_celery_beat":
            pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    pages += [
        reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]),
        reverse("admin:django_celery_beat_crontabschedule_change", args=[crontab.pk]),
        reverse("admin:django_celery_beat_intervalschedule_change", args=[interval.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_user_changelist"),
    ]
    return pages


def test_the_third_party_admin_pages_read_in_vietnamese(client, admin_user, schedules, staff_user):
    client.force_login(admin_user)
    english = {}
    for page in admin_pages(schedules) + [reverse("admin:auth_user_change", args=[staff_user.pk])]:
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 200, page
        html = response.content.decode()
        if found := [word for word in ENGLISH if word in html]:
            english[page] = found
    assert not english


def test_the_groups_list_names_the_roles_in_words(client, admin_user_portal):
    client.force_login(admin_user_portal)
    html = client.get(reverse("admin:auth_group_changelist")).content.decode()
    for role in Role:
        assert str(role.label) in html
    assert "department_staff" not in html


def test_the_group_page_names_the_role_in_words_and_keeps_its_code_name(client, admin_user_portal):
    client.force_login(admin_user_portal)
    group = Group.objects.get(name="department_staff")
    response = client.get(reverse("admin:auth_group_change", args=[group.pk]))
    html = response.content.decode()
    assert "<h2>Cán bộ nhập liệu của đơn vị</h2>" in html
    assert 'name="name"' not in html  # the code name the portal looks the group up by is not editable


def test_the_user_page_picks_and_filters_roles_in_words(client, admin_user_portal, staff_user):
    client.force_login(admin_user_portal)
    html = client.get(reverse("admin:auth_user_change", args=[staff_user.pk])).content.decode()
    assert ">Cán bộ nhập liệu của đơn vị</option>" in html
    assert ">Thành viên Ban Chỉ đạo</option>" in html
    assert "department_staff" not in html
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Cán bộ nhập liệu của đơn vị" in listing
    assert "department_staff" not in listing and "steering_member" not in listing


def test_permissions_read_as_words_not_djangos_english_names(client, admin_user_portal, staff_user):
    client.force_login(admin_user_portal)
    group = Group.objects.get(name="dic_officer")
    pages = [
        client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode(),
        client.get(reverse("admin:auth_user_change", args=[staff_user.pk])).content.decode(),
    ]
    for html in pages:
        assert "Can add" not in html and "Can view" not in html and "historical" not in html
        assert ">Danh mục kế hoạch và chỉ tiêu | chỉ tiêu | Sửa</option>" in html
        assert ">Danh mục kế hoạch và chỉ tiêu | lịch sử chỉ tiêu | Xem</option>" in html
        assert ">Danh mục kế hoạch và chỉ tiêu | cơ quan, đơn vị | Xem dữ liệu của mọi tỉnh</option>" in html
        assert "mục nhật ký thay đổi | Xem" in html  # Django's "log entry", not "đăng nhập"


def test_the_export_page_names_columns_as_the_file_heads_them(client, admin_user_portal):
    client.force_login(admin_user_portal)
    html = client.get(reverse("admin:indicators_agency_export")).content.decode()
    for heading in ("Mã", "Tên viết tắt", "Đơn vị cấp trên (mã)", "Tồn tại đến hết ngày"):
        assert f"> {heading}</label>" in html or f">{heading}</label>" in html, heading
    assert "Short Name" not in html and "Exists Until" not in html
