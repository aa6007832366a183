"""Settings for the test suite: the real settings with test-friendly defaults."""

import os

os.environ.setdefault("BOUWPLAATS_TESTING", "1")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from bouwplaats.settings import *  # noqa: E402,F403
