"""Demo content: each app may have a ``demo`` module with ``load()``, run in dependency order."""

from django.db import transaction

from .hooks import app_modules


@transaction.atomic
def demo_load(*, stdout=None) -> list[str]:
    """Load every app's demo content (idempotent); return the apps that had some."""
    loaded = []
    for app, module in app_modules("demo"):
        module.load()
        loaded.append(app)
        if stdout is not None:
            stdout.write(f"demo: {app}")
    return loaded
