import datetime

import pytest
from django.utils import timezone

from bouwplaats.accounts import demo as accounts_demo
from bouwplaats.events.models import SessionChange
from bouwplaats.newsletters import demo, selectors
from bouwplaats.newsletters.models import Issue, Subscription
from bouwplaats.programmes import demo as programmes_demo
from bouwplaats.programmes.models import Programme
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_sessions_and_flags_a_changed_session(client):
    accounts_demo.load()
    programmes_demo.load()
    demo.load()
    demo.load()
    sent = Issue.objects.get(subject=demo.SUBJECT)
    assert sent.status == "sent" and sent.signature_name == "Diana Kool"
    assert sent.agenda[0]["changed"] is True
    assert Subscription.objects.filter(status="confirmed").count() == len(demo.BELANGSTELLENDEN)
    page = client.get(sent.get_absolute_url()).content.decode()
    # The reason a subscriber gets it belongs in the mail, not on the web archive.
    assert "U ontvangt deze nieuwsflits, omdat u als belangstellende" not in page
    assert "Let op: de datum en het programma zijn gewijzigd" in page

    # With the sessions demo's changed leerplatformsessie, the draft flags it.
    programme = Programme.objects.get(name="Leerplatform MIRT")
    session = SessionFactory(
        programme=programme,
        type="leerplatformsessie",
        title="Opgaven verbinden: integraal, gebiedsgericht of opgavegericht werken?",
        start=timezone.now() + datetime.timedelta(days=120),
    )
    SessionChange.objects.create(session=session, field="start", old="30 sept", new="later")
    demo.load()
    draft = Issue.objects.get(subject=demo.DRAFT_SUBJECT)
    assert draft.agenda_days >= 120
    agenda = selectors.agenda_build(draft)
    assert [(item["title"], item["changed"]) for item in agenda] == [
        (demo.LEERPLATFORMSESSIE, True)
    ]
