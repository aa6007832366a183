"""The session page asks the database for its co-hosts once (issue 17 point 4).

The page reads the co-hosts along with the session; every rule that asks "is this member a
host?" (manage, the online link, the participant list) answers from them.
"""

import pytest

from tests.factories import RegistrationFactory, SessionFactory, UserFactory

# django session, user, the session, its themes, highlights, parts and co-hosts, the member's
# own registration (which also answers "may they sign up?" and "confirmed participant?"),
# "on the programme team?" (asked by three rules, answered once), the participants shown, the
# changes, the space's policy and photos.
PAGE_QUERIES = 13


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
