"""Before registering, a member is told who will see their name on the participant list.

PRODUCT.md §1 gives the list a visibility per session (public, participants, hosts); AVG asks
that people know before they hand over their name, not after it is shown.
"""

import pytest

from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

SAID = {
    "public": "die iedereen kan zien",
    "participants": "die alleen de deelnemers zien",
    "hosts": "ziet alleen de organisator",
}


@pytest.mark.parametrize("visibility", list(SAID))
@pytest.mark.parametrize("signed_in", [True, False])
def test_the_registration_says_who_sees_the_name(client, visibility, signed_in):
    session = SessionFactory(participant_visibility=visibility, status="published")
    if signed_in:
        client.force_login(UserFactory())
    page = client.get(session.get_absolute_url()).content.decode()
    assert SAID[visibility] in page
    for other, words in SAID.items():
        if other != visibility:
            assert words not in page
