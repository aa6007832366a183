"""A session part's heading shows its number once: never "Deel 1: Deel 1" (issue 17)."""

import pytest

from bouwplaats.events import services
from bouwplaats.events.models import SessionChange, part_heading
from tests.factories import SessionFactory


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("Welkom", "Deel 1: Welkom"),
        ("Deel 1: Welkom", "Deel 1: Welkom"),
        ("deel 1 - Welkom", "Deel 1: Welkom"),
        ("Deel 1", "Deel 1"),
        ("Deel 1:", "Deel 1"),
        ("Part 1: Welcome", "Deel 1: Welcome"),
        # Not a label: a title that only begins with the word.
        ("Deel 10 jaar Beter Benutten", "Deel 1: Deel 10 jaar Beter Benutten"),
        ("Deelnemers stellen zich voor", "Deel 1: Deelnemers stellen zich voor"),
    ],
)
def test_part_heading_leaves_out_a_typed_label(title, heading):
    assert part_heading(1, title) == heading


def test_session_page_shows_each_part_number_once(client, programme):
    session = SessionFactory(programme=programme)
    for position, title in enumerate(["Deel 1", "Deel 2: Structurele verbeteringen", "Panel"]):
        session.parts.create(title=title, position=position)
    page = client.get(session.get_absolute_url()).text
    assert "Deel 1: Deel 1" not in page and "Deel 2: Deel 2" not in page
    assert "<h3>Deel 1</h3>" in page
    assert "<h3>Deel 2: Structurele verbeteringen</h3>" in page
    assert "<h3>Deel 3: Panel</h3>" in page


def test_recorded_change_of_the_programme_shows_each_part_number_once(programme):
    session = SessionFactory(programme=programme)
    services.session_update(
        session=session, actor=session.host, parts=[{"title": "Deel 1: Welkom", "time": "13:00"}]
    )
    change = SessionChange.objects.get(session=session, field="parts")
    assert change.new == "Deel 1: Welkom (13:00)"
