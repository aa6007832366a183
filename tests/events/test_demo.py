from django.core.management import call_command
from django.utils import timezone

from bouwplaats.events.models import Highlight, Registration, Session, SessionChange


def test_demo_loads_seed_sessions_idempotently(db):
    call_command("load_demo")
    counts = (Session.objects.count(), Registration.objects.count(), SessionChange.objects.count())
    call_command("load_demo")
    assert counts == (
        Session.objects.count(),
        Registration.objects.count(),
        SessionChange.objects.count(),
    )
    bouwsessie = Session.objects.get(title="Programmamanagers: door ná 2017")
    assert bouwsessie.host.full_name == "Jaco Pieper" and bouwsessie.location == "Utrecht"
    assert timezone.localtime(bouwsessie.start).date().isoformat() == "2016-09-06"
    assert bouwsessie.parts.count() == 3 and len(bouwsessie.criteria) == 2
    assert sorted(bouwsessie.registrations.values_list("member__full_name", flat=True)) == [
        "Elles van Happen",
        "Esther de Lange",
        "Jens van der Weele",
    ]
    mirt = Session.objects.filter(programme__name="Leerplatform MIRT")
    assert mirt.count() == 4 and all(s.start > timezone.now() for s in mirt)
    changed = mirt.get(type="leerplatformsessie")
    assert set(changed.changes.values_list("field", flat=True)) == {"start", "end", "parts"}
    assert timezone.localtime(changed.start).strftime("%H:%M") == "12:45"
    bor = Session.objects.get(programme__name="Beheer openbare ruimte")
    assert list(Highlight.objects.filter(session=bor).values_list("organisation", flat=True)) == [
        "Deventer",
        "Losser",
        "Ede",
    ]


def test_demo_pages_render(client, db):
    call_command("load_demo")
    assert "Programmamanagers: door ná 2017" in client.get("/sessies/?wanneer=voorbij").text
    for session in Session.objects.all():
        assert client.get(session.get_absolute_url()).status_code == 200
    changed = Session.objects.get(type="leerplatformsessie")
    assert "Gewijzigd op" in client.get(changed.get_absolute_url()).text
