"""Open questions in the browser (axe on every page, desktop and phone width): a member asks a
question and sees a likely duplicate while typing, another member answers, the asker votes and
accepts the answer, the question is found through the header's search box, a third member
follows it and is mailed the next answer."""

import re

import pytest
from django.core import mail

from bouwplaats.knowledge import demo, services
from bouwplaats.knowledge.models import KnowledgeItem, Question
from tests.factories import PASSWORD, MembershipFactory, ProgrammeFactory, ThemeFactory, UserFactory
from tests.knowledge.conftest import LESSON

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


@WIDTHS
def test_lesson_recorded_and_the_model_read(site, transactional_db, width):
    """The programme team records a lesson in its fixed form (a missing theme is refused) and
    publishes it; a visitor reads the model with its figure and text alternative, the course
    catalogue and the programme's lessons."""

    site.set_viewport_size({"width": width, "height": 900})
    programme = ProgrammeFactory(name="Coöperatief programmamanagement", slug="cooperatief")
    ThemeFactory(name="Gebiedstransformatie", slug="gebiedstransformatie")
    participatie = ThemeFactory(name="Participatie", slug="participatie")
    team = UserFactory(full_name="Petra Programmateam", email="petra@example.nl")
    MembershipFactory(programme=programme, user=team)
    services.knowledge_item_create(
        actor=team, type="model", title=demo.MODEL_TITLE, programme=programme,
        themes=[participatie], body=demo.MODEL_BODY, figure="cooperatief_programmamanagement",
        figure_text=demo.MODEL_FIGURE_TEXT, publish=True,
    )  # fmt: skip

    login(site, team.email, PASSWORD)
    site.goto("/kennis/les/nieuw/")
    site.get_by_label("Titel").fill("Bewoners vroeg betrekken")
    parts = {"Context": "context", "Wat er gebeurde": "what_happened",
             "Wat u anders zou doen": "do_differently", "Onderbouwing": "evidence"}  # fmt: skip
    for label, name in parts.items():
        site.get_by_label(re.compile(f"^{label}")).fill(LESSON[name])
    site.get_by_role("button", name="Opslaan").click()  # forgot the theme
    site.check()
    assert "Kies ten minste één thema" in site.locator("main").inner_text()
    site.get_by_label("Gebiedstransformatie").check()
    site.get_by_label("Programma").select_option(label="Coöperatief programmamanagement")
    site.get_by_label("Meteen publiceren").check()
    site.get_by_role("button", name="Opslaan").click()
    site.check()
    lesson = KnowledgeItem.objects.get(title="Bewoners vroeg betrekken")
    assert lesson.status == "gepubliceerd"
    assert "Wat u anders zou doen" in site.locator("main").inner_text()

    site.context.clear_cookies()
    site.goto("/kennis/")
    site.get_by_role("link", name=demo.MODEL_TITLE).first.click()
    site.check()
    figure = site.get_by_role("img", name=re.compile("Coöperatief programmamanagement"))
    assert figure.count() == 1
    site.get_by_text("Beschrijving van de figuur").click()
    assert "belangenveld" in site.locator("main details").inner_text()
    site.goto("/kennis/cursussen/")
    site.goto(f"/kennis/?programme={programme.pk}&type=les")
    assert "Bewoners vroeg betrekken" in site.locator("main").inner_text()
