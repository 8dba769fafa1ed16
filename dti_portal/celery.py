"""The portal's Celery application.

With ``CELERY_BROKER_URL`` unset the settings make tasks run eagerly, in-process, so
``make run`` needs no broker; with it set, a worker and beat run them from Redis.
"""

import os

from celery import Celery
from celery.utils.threads import bound_open_broker_sockets
from celery.worker.consumer import consumer
from kombu import Connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti_portal.settings.local")

app = Celery("dti_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Consumer(consumer.Consumer):
    """Celery's consumer, surviving a Redis restart while it holds a countdown task.

    On a lost connection Celery 5.7.0 first ``collect()``s the connection, then
    ``close()``s it. With a countdown (ETA) task held, the collect's attempt to put it
    back fails on the dead connection before the Redis channel is marked closed, and
    then releases the transport; the close then closes that channel again, with no
    transport, and the worker dies ("'NoneType' object has no attribute 'hostname'"),
    leaving the held tasks to the broker's visibility timeout. Here the connection is
    collected once, as Celery 5.6 did, and not closed a second time. The held message
    stays in Redis's unacknowledged set and comes back after the visibility timeout;
    what it asked for does not wait for that (``sweep_background_work``)."""

    def on_connection_error_after_connected(self, exc):
        connection: Connection | None = getattr(self, "connection", None)
        self.connection = None
        if connection is not None:
            bound_open_broker_sockets(connection, consumer.COLLECT_SOCKET_TIMEOUT)
            try:
                connection.collect(socket_timeout=consumer.COLLECT_SOCKET_TIMEOUT)
            except Exception:  # noqa: BLE001, S110 — a teardown path, as in Celery's own
                pass
        super().on_connection_error_after_connected(exc)
