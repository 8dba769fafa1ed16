from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package as an app: the hooks that belong to no domain app."""

    name = "dti_portal"
    verbose_name = "DTI Portal"

    def ready(self) -> None:
        from .collation import install_on_sqlite
        from .middleware import stamp_session_at_login
        from .security import forget_failures_at_login
        from .tokens import revoke_tokens_at_password_change

        mark_celery_beat_task_name_for_translation()
        user_logged_in.connect(stamp_session_at_login, dispatch_uid="dti_portal.stamp_session_at_login")
        user_logged_in.connect(forget_failures_at_login, dispatch_uid="dti_portal.forget_failures_at_login")
        connection_created.connect(install_on_sqlite, dispatch_uid="dti_portal.install_on_sqlite")
        pre_save.connect(
            revoke_tokens_at_password_change,
            sender=get_user_model(),
            dispatch_uid="dti_portal.revoke_tokens_at_password_change",
        )


def mark_celery_beat_task_name_for_translation() -> None:
    """django-celery-beat left one verbose name, the periodic task's "Task Name", out of
    its catalogue; the same English msgid made lazy reads as the catalogue's Vietnamese
    and, being equal to the English, makes no migration."""
    from django_celery_beat.models import PeriodicTask

    PeriodicTask._meta.get_field("task").verbose_name = _("Task Name")


class AxesConfig(AxesAppConfig):
    """django-axes under a Vietnamese heading in the admin (its own has no verbose name,
    so the admin would show "Axes")."""

    verbose_name = _("Khóa đăng nhập")
