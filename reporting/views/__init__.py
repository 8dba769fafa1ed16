"""Pages of the ``reporting`` app: the workflow's (``workflow``) and the dashboards'
(``dashboards``)."""

from .dashboards import *  # noqa: F403
from .workflow import *  # noqa: F403
