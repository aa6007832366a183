import datetime

import pytest
from django.utils import timezone

from bouwplaats.events.models import SessionChange
from bouwplaats.newsletters import rendering, selectors
from bouwplaats.newsletters.models import Issue
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

MARKER = "Let op: de datum en het programma zijn gewijzigd sinds de vorige nieuwsbrief"


def _change(session, *, days_ago: int) -> None:
    change = SessionChange.objects.create(session=session, field="start", old="a", new="b")
    # changed_at is set on insert; move it to the moment the test needs.
    SessionChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


@pytest.fixture
def previous_issue(newsletter_list):
    return Issue.objects.create(
        newsletter_list=newsletter_list,
        subject="Nieuwsflits september",
        status=Issue.Status.SENT,
        sent_at=timezone.now() - datetime.timedelta(days=10),
    )


def test_marker_for_change_after_previous_issue_and_not_before(
    newsletter_list, previous_issue, client
):
    programme = newsletter_list.programme
    now = timezone.now()
    changed_after = SessionFactory(
        programme=programme,
        type="leerplatformsessie",
        title="Opgaven verbinden",
        start=now + datetime.timedelta(days=8),
    )
    changed_before = SessionFactory(
        programme=programme,
        type="webinar",
        title="MIRT light webinar",
        start=now + datetime.timedelta(days=13),
    )
    _change(changed_after, days_ago=2)
    _change(changed_before, days_ago=20)
    draft = Issue.objects.create(newsletter_list=newsletter_list, subject="Oktober", agenda_days=30)

    agenda = selectors.agenda_build(draft)

    assert [(item["title"], item["changed"]) for item in agenda] == [
        ("Leerplatformsessie - Opgaven verbinden", True),
        ("MIRT light webinar", False),
    ]
    rendered = rendering.issue_render(draft)
    assert rendered.text.count(MARKER) == 1
    assert rendered.html.count(MARKER) == 1
    # The marker sits in the changed session's own block, right under its title.
    assert f"Leerplatformsessie - Opgaven verbinden\n{MARKER}\n" in rendered.text
    webinar_block = rendered.text[rendered.text.rindex("MIRT light webinar\n") :]
    assert MARKER not in webinar_block


def test_no_marker_without_a_previous_sent_issue(newsletter_list):
    session = SessionFactory(programme=newsletter_list.programme)
    _change(session, days_ago=1)
    draft = Issue.objects.create(newsletter_list=newsletter_list, subject="Eerste")
    assert [item["changed"] for item in selectors.agenda_build(draft)] == [False]


def test_agenda_keeps_only_published_upcoming_sessions_of_the_programme_within_the_window(
    newsletter_list, previous_issue
):
    programme = newsletter_list.programme
    now = timezone.now()
    inside = SessionFactory(programme=programme, start=now + datetime.timedelta(days=3))
    SessionFactory(programme=programme, start=now + datetime.timedelta(days=40))
    SessionFactory(programme=programme, start=now - datetime.timedelta(days=3))
    SessionFactory(programme=programme, status="draft", start=now + datetime.timedelta(days=4))
    SessionFactory(start=now + datetime.timedelta(days=5))
    draft = Issue.objects.create(newsletter_list=newsletter_list, subject="X", agenda_days=30)
    agenda = selectors.agenda_build(draft)
    assert [item["session_id"] for item in agenda] == [inside.pk]
    item = agenda[0]
    assert item["line"] == "Welke waardevolle lessen willen we verankeren?"
    assert item["url"].startswith("https://bouwplaats.example.nl/sessies/")


def test_previous_issue_of_a_sent_issue_is_the_one_before_it(newsletter_list, previous_issue):
    later = Issue.objects.create(
        newsletter_list=newsletter_list,
        subject="Later",
        status=Issue.Status.SENT,
        sent_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert selectors.previous_sent_issue(later) == previous_issue
    assert selectors.previous_sent_issue(previous_issue) is None
    draft = Issue.objects.create(newsletter_list=newsletter_list, subject="Concept")
    assert selectors.previous_sent_issue(draft) == later
