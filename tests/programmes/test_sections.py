"""The programme page's sections from other apps (hook ``programme_sections``): upcoming
sessions with the calendar feed (events) and the nieuwsflits sign-up (newsletters)."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.newsletters.models import NewsletterList, Subscription
from bouwplaats.programmes import sections as sections_module
from bouwplaats.programmes.sections import Section, programme_sections
from tests.factories import ProgrammeFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(client, programme):
    response = client.get(f"/programmas/{programme.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_page_lists_the_programmes_upcoming_sessions_that_the_visitor_may_see(client, programme):
    SessionFactory(programme=programme, title="Bouwsessie Verankering")
    SessionFactory(
        programme=programme,
        title="Afgelopen bouwsessie",
        start=timezone.now() - datetime.timedelta(days=3),
        end=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    SessionFactory(programme=programme, title="Concept van de trekker", status="draft")
    SessionFactory(title="Sessie van een ander programma")
    html = _page(client, programme)
    assert 'data-section="sessions"' in html
    assert "Komende sessies" in html and "Bouwsessie Verankering" in html
    assert "Afgelopen bouwsessie" not in html
    assert "Concept van de trekker" not in html
    assert "Sessie van een ander programma" not in html
    assert f'href="/sessies/programma/{programme.slug}.ics"' in html


def test_page_shows_the_sessions_in_dutch_dates_and_caps_the_list(client, programme):
    start = timezone.now() + datetime.timedelta(days=10)
    for n in range(7):
        SessionFactory(programme=programme, title=f"Sessie {n}", start=start)
    html = _page(client, programme)
    assert html.count("Sessie ") >= 5 and "Sessie 5" not in html
    assert "Alle sessies van dit programma" in html
    assert timezone.localtime(start).strftime("%Y") in html


def test_page_without_sessions_says_so_and_still_offers_the_feed(client, programme):
    html = _page(client, programme)
    assert "Er zijn nog geen komende sessies gepland." in html
    assert ".ics" in html
    assert "Alle sessies van dit programma" not in html


def test_nieuwsflits_signup_on_the_programme_page_subscribes(client, programme):
    newsletter = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Beter Benutten", slug="nieuwsflits-bb"
    )
    NewsletterList.objects.create(
        programme=ProgrammeFactory(), name="Nieuwsflits Elders", slug="elders"
    )
    html = _page(client, programme)
    assert 'data-section="nieuwsflits"' in html
    assert "Abonneren op de Nieuwsflits Beter Benutten" in html
    assert "Nieuwsflits Elders" not in html
    assert f'action="/nieuwsflits/{newsletter.slug}/aanmelden/"' in html
    assert f'name="list{newsletter.pk}-email"' in html
    # The form's field names are the ones the subscribe view reads.
    response = client.post(
        f"/nieuwsflits/{newsletter.slug}/aanmelden/",
        {f"list{newsletter.pk}-email": "lezer@example.nl", f"list{newsletter.pk}-name": "Lezer"},
    )
    assert response.status_code == 200
    assert Subscription.objects.filter(newsletter_list=newsletter, email="lezer@example.nl")


def test_no_nieuwsflits_section_without_a_list(client, programme):
    assert 'data-section="nieuwsflits"' not in _page(client, programme)


def test_signup_form_is_filled_in_for_a_member(client, programme):
    NewsletterList.objects.create(programme=programme, name="Nieuwsflits", slug="nf")
    member = UserFactory(email="lid@example.nl", full_name="Lid Lezer")
    client.force_login(member)
    html = _page(client, programme)
    assert 'value="lid@example.nl"' in html


def test_sections_come_from_every_app_in_order(programme, monkeypatch):
    found = [s.template for s in programme_sections(programme=programme, user=None)]
    assert found == ["events/_programme_sessions.html", "knowledge/_programme_knowledge.html"]
    NewsletterList.objects.create(programme=programme, name="Nieuwsflits", slug="nf")

    class Extra:
        @staticmethod
        def sections(*, programme, user):
            return [Section(template="x.html", order=15)]

    real = sections_module.app_modules

    def with_extra(name):
        yield from real(name)
        yield "bouwplaats.extra", Extra

    monkeypatch.setattr(sections_module, "app_modules", with_extra)
    found = [s.template for s in programme_sections(programme=programme, user=None)]
    assert found == [
        "events/_programme_sessions.html",
        "x.html",
        "newsletters/_programme_signup.html",
        "knowledge/_programme_knowledge.html",
    ]
