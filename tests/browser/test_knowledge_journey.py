"""Open questions in the browser (axe on every page, desktop and phone width): a member asks a
question and sees a likely duplicate while typing, another member answers, the asker votes and
accepts the answer, the question is found through the header's search box, a third member
follows it and is mailed the next answer."""

import re

import pytest
from django.core import mail

from bouwplaats.knowledge import services
from bouwplaats.knowledge.models import Question
from tests.factories import PASSWORD, ProgrammeFactory, ThemeFactory, UserFactory

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
EARLIER = (
    "Hoe kun je transitieopgaven effectief oppakken terwijl je weinig formele macht over "
    "deelnemende partijen hebt (regievoeren zonder macht)?"
)
NEW = "Hoe pak je een transitieopgave op zonder formele macht over de partners?"


def switch_to(site, user):
    """Log out by dropping the session cookie, then log in as ``user`` through the form."""
    site.context.clear_cookies()
    login(site, user.email, PASSWORD)


@WIDTHS
def test_ask_answer_vote_accept_find_follow(site, transactional_db, width, settings):
    settings.SITE_URL = site.base_url
    site.set_viewport_size({"width": width, "height": 900})
    programme = ProgrammeFactory(name="Coöperatief programmamanagement", slug="cooperatief")
    theme = ThemeFactory(name="Participatie", slug="participatie")
    asker = UserFactory(full_name="Anna Vraagsteller", email="anna@example.nl")
    answerer = UserFactory(full_name="Bram Antwoorder", email="bram@example.nl")
    follower = UserFactory(full_name="Carla Volger", email="carla@example.nl")
    services.question_create(actor=follower, title=EARLIER, programme=programme, themes=[theme])

    # Anna asks; while she types, the earlier question shows up as a likely duplicate.
    login(site, asker.email, PASSWORD)
    site.goto("/kennis/")
    site.get_by_role("link", name="Open vragen", exact=True).first.click()
    site.check()
    site.get_by_role("link", name="Vraag stellen").click()
    site.check()
    site.get_by_label("Uw vraag").press_sequentially(NEW, delay=5)
    similar = site.locator("#similar-questions")
    similar.get_by_role("link", name=EARLIER).wait_for()
    assert "misschien al uw antwoord" in similar.inner_text()
    site.check()
    site.get_by_label(re.compile("^Toelichting")).fill("Wij werken met **veel** partners.")
    site.get_by_label("Participatie").check()
    site.get_by_role("button", name="Vraag stellen").click()
    site.check()
    question = Question.objects.get(title=NEW)
    assert site.page.url.endswith(question.get_absolute_url())
    assert "U volgt haar" in site.locator("main").inner_text()

    # Bram answers.
    switch_to(site, answerer)
    site.goto(question.get_absolute_url())
    site.get_by_label("Uw antwoord").fill("Begin met **vertrouwen winnen**, krijgen en behouden.")
    site.get_by_role("button", name="Antwoord plaatsen").click()
    site.check()
    assert "Uw antwoord staat online" in site.locator("main").inner_text()

    # Anna votes the answer up and accepts it.
    switch_to(site, asker)
    site.goto(question.get_absolute_url())
    site.get_by_role("button", name="Stem op antwoord van Bram Antwoorder").click()
    site.check()
    assert site.locator("[data-votes='1']").count() == 1
    site.get_by_role("button", name="Accepteer antwoord van Bram Antwoorder").click()
    site.check()
    assert site.locator("[data-accepted='1']").count() == 1

    # Carla finds the question through the search box in the header, and follows it.
    switch_to(site, follower)
    site.goto("/")
    site.get_by_role("searchbox", name="Zoeken").fill("transitieopgaven formele macht")
    site.get_by_role("button", name="Zoek", exact=True).click()
    site.check()
    site.get_by_role("link", name=NEW).first.click()
    site.check()
    site.get_by_role("button", name="Volgen").click()
    site.check()
    assert "U volgt deze vraag" in site.locator("main").inner_text()

    # Bram adds to his answer; Carla and Anna, who follow the question, get the mail.
    mail.outbox.clear()
    switch_to(site, answerer)
    site.goto(question.get_absolute_url())
    site.get_by_label("Uw antwoord").fill("Aanvulling: maak na het formaliseermoment afspraken.")
    site.get_by_role("button", name="Antwoord plaatsen").click()
    site.check()
    mailed = sorted(address for message in mail.outbox for address in message.to)
    assert [re.sub(r".*<|>", "", a) for a in mailed] == ["anna@example.nl", "carla@example.nl"]
    body = next(m.body for m in mail.outbox if "carla@example.nl" in m.to[0])
    assert "Aanvulling: maak na het formaliseermoment afspraken." in body
    assert site.base_url + question.get_absolute_url() in body
    site.goto(body.split(site.base_url, 1)[1].split()[0])
    assert "Aanvulling" in site.locator("main").inner_text()
