"""What apps above events add to Mijn Bouwplaats (hook ``mine_sections``).

events may not import the apps above it (planning, projects, ...), so each of those apps
offers a module ``mine_sections`` with ``waiting(*, user) -> list[Waiting]`` (what waits for
the member's decision or action, shown under "Wacht op u") and optionally
``mine(*, user) -> list[MineSection]`` (blocks of the member's own things, such as their
submissions to calls).
"""

from bouwplaats.core.hooks import app_modules
from bouwplaats.core.mine_items import MineSection, Waiting


def waiting_for(*, user) -> list[Waiting]:
    """Return what every app has waiting for ``user``, grouped by heading in app order."""
    found: list[Waiting] = []
    for _app, module in app_modules("mine_sections"):
        found.extend(module.waiting(user=user))
    return found


def mine_sections(*, user) -> list[MineSection]:
    """Return every app's blocks of ``user``'s own things, by order."""
    found: list[MineSection] = []
    for _app, module in app_modules("mine_sections"):
        if hasattr(module, "mine"):
            found.extend(module.mine(user=user))
    return sorted(found, key=lambda section: section.order)
