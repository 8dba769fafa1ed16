"""Pages of the ``reporting`` app: the workflow's (``workflow``), the dashboards'
(``dashboards``) and the reporting obligations' (``obligations``)."""

from .dashboards import *  # noqa: F403
from .obligations import *  # noqa: F403
from .workflow import *  # noqa: F403
