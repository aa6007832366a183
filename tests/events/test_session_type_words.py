"""A session is named by its own type with the right demonstrative (issue 15 §8).

"deze bouwsessie" only for a bouwsessie; a congres and a webinar are het-words: "dit congres".
"""

import datetime

import pytest
from django.utils import timezone

from tests.factories import RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("session_type", "this"),
    [("bouwsessie", "deze bouwsessie"), ("congres", "dit congres"), ("webinar", "dit webinar"),
     ("cursus", "deze cursus")],
)  # fmt: skip
def test_the_session_page_names_the_session_by_its_type(client, session_type, this):
    session = SessionFactory(type=session_type, status="published")
    member = UserFactory()
    RegistrationFactory(session=session, member=member, status="confirmed")
    client.force_login(member)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f"Over {this}" in page
    assert f"U bent aangemeld voor {this}." in page
    wrong = {"deze congres", "deze webinar", "dit bouwsessie", "dit cursus"}
    assert not [w for w in wrong if w in page]


def test_a_past_congres_says_dit_congres_is_afgelopen(client):
    start = timezone.now() - datetime.timedelta(days=30)
    session = SessionFactory(
        type="congres", status="published", start=start, end=start + datetime.timedelta(hours=8)
    )
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Dit congres is afgelopen." in page
    assert "Bekijk wat dit congres heeft opgeleverd" in page
