"""The session page asks the database for its co-hosts once (issue 17 point 4).

The page reads the co-hosts along with the session; every rule that asks "is this member a
host?" (manage, the online link, the participant list) answers from them. Its themes,
highlights, parts, co-hosts and changes are read only when the session has any (issue 17 §5).
"""

import pytest
from django.urls import reverse

from bouwplaats.events.forms import ANSWER_MAX_LENGTH
from bouwplaats.events.models import Highlight, SessionChange, SessionPart
from tests.factories import RegistrationFactory, SessionFactory, ThemeFactory, UserFactory

# django session, user, the session (with whether it has themes, highlights, parts and
# co-hosts, and its last change), its co-hosts, the member's own registration (which also
# answers "may they sign up?" and "confirmed participant?"), "on the programme team?" (asked
# by three rules, answered once), the participants shown, the space's policy and photos.
PAGE_QUERIES = 9
# With themes, highlights, parts and changes too: each list read along, once.
FULL_PAGE_QUERIES = PAGE_QUERIES + 4


@pytest.mark.parametrize("co_hosts", [1, 5])
def test_session_page_queries_for_a_member(client, programme, co_hosts, django_assert_num_queries):
    session = SessionFactory(programme=programme, online=True, online_url="https://meet.example")
    session.co_hosts.add(*UserFactory.create_batch(co_hosts))
    RegistrationFactory.create_batch(3, session=session)
    member = UserFactory()
    client.force_login(member)
    with django_assert_num_queries(PAGE_QUERIES):
        page = client.get(session.get_absolute_url())
    assert page.status_code == 200
    assert "Beheer deze sessie" not in page.text and "https://meet.example" not in page.text


@pytest.mark.parametrize("count", [1, 3])
def test_a_session_with_every_list_reads_each_once(
    client, programme, count, django_assert_num_queries
):
    session = SessionFactory(programme=programme)
    session.co_hosts.add(*UserFactory.create_batch(count))
    session.themes.add(*ThemeFactory.create_batch(count))
    for n in range(count):
        SessionPart.objects.create(session=session, position=n, title=f"Welkom {n}", text="Tekst")
        Highlight.objects.create(session=session, position=n, speaker=f"Spreker {n}", quote="Ja")
        SessionChange.objects.create(session=session, field="location", old="A", new=f"B{n}")
    client.force_login(UserFactory())
    with django_assert_num_queries(FULL_PAGE_QUERIES):
        page = client.get(session.get_absolute_url()).text
    assert all(f"Welkom {n}" in page and f"Spreker {n}" in page for n in range(count))
    assert f"B{count - 1}" in page and "Wijzigingen" in page


def test_a_session_without_lists_shows_none_of_their_headings(client, programme):
    session = SessionFactory(programme=programme)
    page = client.get(session.get_absolute_url()).text
    assert "Programma</h2>" not in page and "Highlights programma" not in page
    assert "Wijzigingen" not in page and "Thema" not in page


def test_a_co_host_still_manages_from_the_page(client, programme):
    session = SessionFactory(programme=programme, online=True, online_url="https://meet.example")
    co_host = UserFactory()
    session.co_hosts.add(UserFactory(), co_host)
    client.force_login(co_host)
    page = client.get(session.get_absolute_url()).text
    assert "Beheer deze sessie" in page and "https://meet.example" in page


def test_the_answers_the_page_remembers_are_each_members_own(client, programme):
    from bouwplaats.programmes.models import ProgrammeMembership

    session = SessionFactory(programme=programme, online=True, online_url="https://meet.example")
    participant, team, declined = UserFactory(), UserFactory(), UserFactory()
    RegistrationFactory(session=session, member=participant, status="confirmed")
    RegistrationFactory(session=session, member=declined, status="declined")
    ProgrammeMembership.objects.create(programme=programme, user=team, role="medewerker")
    client.force_login(participant)
    page = client.get(session.get_absolute_url()).text
    assert "https://meet.example" in page and "Beheer deze sessie" not in page
    client.force_login(team)
    page = client.get(session.get_absolute_url()).text
    assert "https://meet.example" in page and "Beheer deze sessie" in page
    client.force_login(declined)
    page = client.get(session.get_absolute_url()).text
    assert "https://meet.example" not in page and "Ja, ik praat mee" not in page
    client.force_login(UserFactory())
    page = client.get(session.get_absolute_url()).text
    assert "https://meet.example" not in page and "Beheer deze sessie" not in page
    assert "Ja, ik praat mee" in page


# django session, user, the session as the member may see it (without its counts, themes or
# parts: the page is not shown), then what the service reads, locks and writes.
REGISTER_QUERIES = 10  # 12 when the post read the whole page's session


def test_registering_reads_the_session_bare_and_the_page_again_only_when_refused(
    client, programme, django_assert_num_queries
):
    session = SessionFactory(programme=programme, questions=["Uw gemeente?"])
    session.themes.add(ThemeFactory())
    SessionPart.objects.create(session=session, position=0, title="Welkom", text="Tekst")
    member = UserFactory()
    client.force_login(member)
    url = reverse("events:register", args=[session.pk])
    refused = client.post(url, {"q0": "x" * (ANSWER_MAX_LENGTH + 1)})
    assert refused.status_code == 422 and "Welkom" in refused.text  # the whole page again
    with django_assert_num_queries(REGISTER_QUERIES):
        answer = client.post(url, {"q0": "Ede"})
    assert answer.status_code == 302
    assert session.registrations.get().member == member
