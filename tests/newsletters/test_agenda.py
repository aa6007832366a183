import datetime

import pytest
from django.utils import timezone

from bouwplaats.events.models import SessionChange
from bouwplaats.newsletters import rendering, selectors
from bouwplaats.newsletters.models import Issue
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

MARKER = "Let op: de datum en het programma zijn gewijzigd sinds de vorige nieuwsbrief"


# Seed 001's case: the date moved a week and a part was added.
SEED_CHANGES = (
    ("start", "23-09-2027 12:45", "30-09-2027 12:45"),
    ("parts", "Deel 1: Dilemma's", "Deel 1: Dilemma's\nDeel 2: Panel"),
)


def _change(session, *, days_ago: int, changes=SEED_CHANGES) -> None:
    for field, old, new in changes:
        change = SessionChange.objects.create(session=session, field=field, old=old, new=new)
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


@pytest.mark.parametrize(
    ("changes", "notice"),
    [
        # Issue 15 §9: after a location-only change the issue said "de datum en het programma".
        ([("location", "Utrecht", "Den Haag")],
         "Let op: de locatie is gewijzigd sinds de vorige nieuwsbrief"),
        ([("start", "30-09-2027 12:45", "30-09-2027 13:15"),
          ("end", "30-09-2027 15:30", "30-09-2027 16:00")],
         "Let op: de tijd is gewijzigd sinds de vorige nieuwsbrief"),
        ([("end", "30-09-2027 15:30", "01-10-2027 15:30")],
         "Let op: de datum is gewijzigd sinds de vorige nieuwsbrief"),
        ([("online", "nee", "ja"), ("start", "23-09-2027 12:45", "30-09-2027 13:00"),
          ("parts", "", "Deel 1: Panel")],
         "Let op: de datum, de tijd, de locatie en het programma zijn gewijzigd sinds de "
         "vorige nieuwsbrief"),
    ],
)  # fmt: skip
def test_notice_names_exactly_what_changed(newsletter_list, previous_issue, changes, notice):
    session = SessionFactory(
        programme=newsletter_list.programme,
        title="Opgaven verbinden",
        start=timezone.now() + datetime.timedelta(days=8),
    )
    _change(session, days_ago=2, changes=changes)
    # A change before the previous issue is not news any more.
    _change(session, days_ago=20, changes=[("parts", "a", "b")] if "programma" not in notice
            else [("location", "a", "b")])  # fmt: skip
    draft = Issue.objects.create(newsletter_list=newsletter_list, subject="Oktober", agenda_days=30)
    rendered = rendering.issue_render(draft)
    for body in (rendered.text, rendered.html):
        assert body.count("Let op:") == 1 and notice in body.replace("\n", " ")
    if "datum" not in notice:
        assert "de datum" not in rendered.text and "de datum" not in rendered.html


def test_an_agenda_frozen_without_aspects_keeps_a_neutral_notice():
    [item] = rendering.agenda_for_template(
        [{"start": "2027-09-30T12:45:00+02:00", "title": "x", "changed": True}]
    )
    assert item["notice"] == "Let op: deze sessie is gewijzigd sinds de vorige nieuwsbrief"
