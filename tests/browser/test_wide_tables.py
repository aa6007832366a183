"""Wide tables scroll inside their own box on a phone, hidden labels included.

The page-type walk visits one address per page type; these are the addresses where a table's
visually hidden action labels (absolutely positioned) escaped the scrolling box and widened the
page: a session's documents as a participant, and the works an organisation owns, as its
planner.
"""

import pytest

from bouwplaats.core.demo import demo_load

from .conftest import assert_accessible
from .test_phone_widths import WIDTHS, _log_in, _too_wide


@pytest.fixture
def demo(transactional_db):
    demo_load()


def _pages_for(email: str) -> list[str]:
    from bouwplaats.accounts.models import User
    from bouwplaats.planning.models import Work
    from bouwplaats.spaces.models import Document

    user = User.objects.get(email=email)
    if email.startswith("planner"):
        owned = Work.objects.filter(owner__memberships__user=user).distinct()
        return [work.get_absolute_url() for work in owned]
    sessions = {d.session for d in Document.objects.select_related("session")}
    return [s.get_absolute_url() for s in sessions]


@pytest.mark.parametrize(
    "email", ["planner.ede@demo.bouwplaats.nl", "jaco.pieper@demo.bouwplaats.nl"]
)
def test_tables_with_hidden_labels_stay_inside_the_phone(email, demo, page, live_server):
    page.set_default_timeout(15_000)
    _log_in(page.context, live_server.url, email)
    paths = _pages_for(email)
    assert paths, "the demo holds no such page"
    wide = {}
    for path in paths:
        page.set_viewport_size({"width": 390, "height": 800})
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page, live_server.url)
        for width in WIDTHS:
            scroll = _too_wide(page, width)
            if scroll is not None:
                wide[f"{path} @{width}"] = scroll
    assert wide == {}
