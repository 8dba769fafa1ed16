"""Writes of the ``reporting`` app: the submission workflow, the roll-up and the
reminders. Views, the API, admin actions, commands and tasks call these; nothing
else assigns a status or writes a figure."""

from .compilation import *  # noqa: F403
from .exports import *  # noqa: F403
from .reminders import *  # noqa: F403
from .workflow import *  # noqa: F403
