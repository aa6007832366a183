import datetime

from django.core.management import call_command
from django.utils import timezone

from bouwplaats.events.demo import weeks_from
from bouwplaats.events.models import Highlight, Registration, Session, SessionChange
from bouwplaats.spaces.models import Document

WEEKS_4 = datetime.timedelta(weeks=4)


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
    # Dated relative to the day the demo is loaded, on the seed's weekday and times
    # (issue 15 §2): the bouwsessie of Tuesday 6 September 2016 is the one past session.
    start = timezone.localtime(bouwsessie.start)
    assert start.strftime("%A %H:%M") == "Tuesday 13:00"
    assert timezone.localtime(bouwsessie.end).strftime("%H:%M") == "17:00"
    assert bouwsessie.end < timezone.now() and start.date() > timezone.localdate() - WEEKS_4
    assert Document.objects.filter(session=bouwsessie).exists()
    assert bouwsessie.parts.count() == 3 and len(bouwsessie.criteria) == 2
    assert sorted(bouwsessie.registrations.values_list("member__full_name", flat=True)) == [
        "Elles van Happen",
        "Esther de Lange",
        "Jens van der Weele",
    ]
    mirt = Session.objects.filter(programme__name="Leerplatform MIRT")
    assert mirt.count() == 4 and all(s.start > timezone.now() for s in mirt)
    days = {
        s.title: timezone.localtime(s.start).strftime("%A %H:%M") for s in mirt.order_by("start")
    }
    # Seed 001: Thursday 30 September, Tuesday 5 and Thursday 7 October, Tuesday 30 November.
    assert list(days.values()) == [
        "Thursday 12:45",
        "Tuesday 10:00",
        "Thursday 10:00",
        "Tuesday 09:30",
    ]
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


def test_demo_past_session_says_it_is_over(client, db):
    call_command("load_demo")
    bouwsessie = Session.objects.get(title="Programmamanagers: door ná 2017")
    page = client.get(bouwsessie.get_absolute_url()).text
    assert "Deze bouwsessie is afgelopen." in page and "Ja, ik praat mee" not in page
    upcoming = client.get("/sessies/").text
    assert "Opgaven verbinden" in upcoming and "Programmamanagers" not in upcoming


def test_weeks_from_keeps_the_weekday_and_the_order_of_a_week():
    tuesday, thursday = datetime.date(2021, 10, 5), datetime.date(2021, 10, 7)
    for offset in range(7):
        today = datetime.date(2026, 12, 1) + datetime.timedelta(days=offset)
        past = weeks_from(today, tuesday, -3)
        assert past.weekday() == 1 and past < today
        a, b = weeks_from(today, tuesday, 3), weeks_from(today, thursday, 3)
        assert (a.weekday(), b.weekday()) == (1, 3) and today < a < b
