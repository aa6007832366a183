"""The ``owed`` hook of `manage.py requeue_owed_work` (bouwplaats/core/hooks.py)."""

from .services import owed_work_requeue as requeue

__all__ = ["requeue"]
