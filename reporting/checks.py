"""System checks of the reporting jobs' settings."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def countdown_below_visibility_timeout(app_configs, **kwargs):
    """A Redis broker redelivers a task not acknowledged within its visibility
    timeout: a countdown longer than that would run the task twice."""
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    if settings.ROLLUP_COALESCE_SECONDS >= timeout:
        return [
            Error(
                f"ROLLUP_COALESCE_SECONDS ({settings.ROLLUP_COALESCE_SECONDS}) must be shorter than "
                f"the broker's "
                f"visibility_timeout ({timeout}).",
                id="reporting.E001",
            )
        ]
    return []
