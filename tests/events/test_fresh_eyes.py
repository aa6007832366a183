"""Stumbles of a fresh-eyes walk of the session pages (full sessions, publication wording)."""

import pytest
from django.urls import reverse

from tests.factories import RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

FULL_BUTTON = "Vol – zet mij op de wachtlijst"


def _full_session(programme, *, waiting=0, **kwargs):
    session = SessionFactory(programme=programme, capacity=1, **kwargs)
    RegistrationFactory(session=session)
    for _ in range(waiting):
        RegistrationFactory(session=session, status="waitlisted")
    return session


# --- 1. A full session says so before the click -------------------------------------------------


def test_full_session_button_and_text_name_the_waiting_list(client, member, programme):
    session = _full_session(programme, waiting=2)
    client.force_login(member)
    page = client.get(session.get_absolute_url()).text
    assert FULL_BUTTON in page
    assert "Ja, ik praat mee" not in page
    assert "waar 2 personen voor u staan" in page


def test_full_session_with_nobody_waiting_says_first_on_the_list(client, member, programme):
    session = _full_session(programme)
    client.force_login(member)
    page = client.get(session.get_absolute_url()).text
    assert FULL_BUTTON in page
    assert "als eerste op de wachtlijst" in page


def test_full_session_tells_a_visitor_too(client, programme):
    session = _full_session(programme, waiting=1)
    page = client.get(session.get_absolute_url()).text
    assert FULL_BUTTON in page
    assert "waar 1 persoon voor u staat" in page


def test_session_with_seats_keeps_the_plain_button(client, member, programme):
    session = SessionFactory(programme=programme, capacity=2)
    RegistrationFactory(session=session)
    client.force_login(member)
    page = client.get(session.get_absolute_url()).text
    assert "Ja, ik praat mee" in page
    assert FULL_BUTTON not in page
    assert "wachtlijst" not in page


def test_full_session_with_approval_has_no_waiting_list_words(client, member, programme):
    # Registrations wait for the organiser's review there, not on a waiting list.
    session = _full_session(programme, requires_approval=True)
    client.force_login(member)
    page = client.get(session.get_absolute_url()).text
    assert FULL_BUTTON not in page
    assert "Ja, ik praat mee" in page


def test_session_list_marks_a_full_session(client, programme):
    full = _full_session(programme)
    open_one = SessionFactory(programme=programme, capacity=5)
    page = client.get(reverse("events:list")).text
    cards = {s.pk: page[page.index(s.title) :] for s in (full, open_one)}
    badge = "Vol – aanmelden zet u op de wachtlijst"
    assert badge in cards[full.pk].split("</li>")[0]
    assert badge not in cards[open_one.pk].split("</li>")[0]


def test_cancel_page_promises_the_seat_to_the_waiting_list_only_when_someone_waits(
    client, programme
):
    session = SessionFactory(programme=programme, capacity=1)
    mine = RegistrationFactory(session=session)
    client.force_login(mine.member)
    url = reverse("events:unregister", args=[session.pk])
    page = client.get(url).text
    assert "wachtlijst" not in page
    assert "Meldt u zich later opnieuw aan, dan kan de sessie vol zijn." in page
    RegistrationFactory(session=session, status="waitlisted", member=UserFactory())
    page = client.get(url).text
    assert "Uw plaats gaat naar wie op de wachtlijst staat" in page


# --- 3. What the session page shows is searchable -----------------------------------------------


def _found(client, q):
    return client.get(reverse("search:results"), {"q": q}).text


def test_search_finds_a_session_by_its_highlights_parts_and_themes(client, programme):
    from bouwplaats.events.models import Highlight, SessionPart
    from tests.factories import ThemeFactory

    session = SessionFactory(programme=programme, title="Werk-met-werk in Ede", intro="Samen")
    Highlight.objects.create(
        session=session, speaker="Anna", organisation="Liander",
        quote="We plannen via KIP, de kaart voor integrale planning.",
    )  # fmt: skip
    SessionPart.objects.create(session=session, title="Deel 1", text="Rondgang langs de dijk")
    session.themes.add(ThemeFactory(name="Verankering", slug="verankering"))
    for q in ["KIP", "Liander", "dijk", "verankering"]:
        assert session.title in _found(client, q), q


def test_a_renamed_theme_is_found_under_its_new_name(client, programme):
    from tests.factories import ThemeFactory

    theme = ThemeFactory(name="Verankering", slug="verankering")
    session = SessionFactory(programme=programme, title="Werk-met-werk in Ede")
    session.themes.add(theme)
    theme.name = "Borging"
    theme.save()
    assert session.title in _found(client, "borging")


# --- 7. The demo has a bouwsessie ahead to sign up for -------------------------------------------


def test_demo_has_an_upcoming_bouwsessie_open_for_sign_up(client):
    from django.core.management import call_command
    from django.utils import timezone

    from bouwplaats.accounts.models import User
    from bouwplaats.events.models import Registration, Session
    from bouwplaats.events.permissions import registration_open

    call_command("load_demo")
    call_command("load_demo")  # idempotent: still one
    ahead = Session.objects.filter(
        programme__name="Beter Benutten",
        type=Session.Type.BOUWSESSIE,
        status=Session.Status.PUBLISHED,
        start__gt=timezone.now(),
    )
    assert ahead.count() == 1
    session = ahead.get()
    assert registration_open(session)
    member = User.objects.get(email="jan.pluim@demo.bouwplaats.nl")
    client.force_login(member)
    assert "Ja, ik praat mee" in client.get(session.get_absolute_url()).text
    client.post(reverse("events:register", args=[session.pk]))
    assert Registration.objects.get(session=session, member=member).status == "confirmed"


# --- 2. An organiser asks the programme team to publish, with or without facilitation ----------


def test_concept_offers_publication_with_or_without_facilitation(client, member, programme):
    from tests.events.test_validation import form_data

    client.force_login(member)
    response = client.post(reverse("events:create"), form_data(programme), follow=True)
    page = response.text
    assert "Vraag publicatie aan" in page
    assert "Vraag publicatie en facilitering aan" in page
    assert "Vraag facilitering aan om haar te laten publiceren" not in page
    assert "Het programmateam publiceert haar: vraag dat hieronder aan" in page


def test_asking_publication_only_reaches_the_team_without_facilitation(
    client, member, programme, team_member, mailoutbox, django_capture_on_commit_callbacks
):
    from bouwplaats.core.models import AuditEntry
    from bouwplaats.events.models import Session

    draft = SessionFactory(programme=programme, host=member, status="draft")
    client.force_login(member)
    url = reverse("events:request_facilitation", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "", "facilitering": "nee"}, follow=True)
    assert "Uw vraag om publicatie is naar het programmateam gestuurd." in response.text
    assert "Publicatie is aangevraagd" in response.text
    draft.refresh_from_db()
    assert (draft.facilitation, draft.facilitation_wanted) == ("requested", False)
    assert AuditEntry.objects.filter(action="events.session.publication_requested").exists()
    assert any("] Publicatie gevraagd: " in m.subject for m in mailoutbox), [
        m.subject for m in mailoutbox
    ]
    # The team sees it in its queue as a publication request, and publishes it.
    client.force_login(team_member)
    queue = client.get(reverse("events:queue")).text
    assert "Vraagt alleen publicatie" in queue and draft.title in queue
    client.post(reverse("events:publish", args=[draft.pk]), {"from": "queue"})
    draft.refresh_from_db()
    assert draft.status == Session.Status.PUBLISHED


def test_asking_publication_and_facilitation_keeps_the_facilitation_request(
    client, member, programme
):
    draft = SessionFactory(programme=programme, host=member, status="draft")
    client.force_login(member)
    url = reverse("events:request_facilitation", args=[draft.pk])
    response = client.post(url, {"note": "Zaal", "facilitering": "ja"}, follow=True)
    assert "Publicatie en facilitering zijn aangevraagd" in response.text
    draft.refresh_from_db()
    assert (draft.facilitation, draft.facilitation_wanted) == ("requested", True)
