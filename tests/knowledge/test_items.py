"""Knowledge items: the lesson's fixed form, drafts, curation, a pilot's lessons, links."""

import datetime

import pytest
from django.urls import reverse

from bouwplaats.knowledge import services
from bouwplaats.knowledge.models import KnowledgeItem

from .conftest import LESSON, make_lesson

pytestmark = pytest.mark.django_db


def _lesson_post(theme, **extra):
    return {"type": "les", "title": "Bewoners vroeg betrekken", "themes": [theme.pk], **LESSON,
            **extra}  # fmt: skip


def test_pilot_team_records_a_lesson_linked_to_the_pilot(client, pilot, planner, theme, team):
    client.force_login(planner)
    url = reverse("knowledge:lesson_create") + f"?pilot={pilot.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert pilot.title in page.content.decode()
    response = client.post(url, _lesson_post(theme, programme=pilot.programme_id))
    item = KnowledgeItem.objects.get()
    assert response.status_code == 302
    assert list(item.pilots.all()) == [pilot]
    assert item.status == KnowledgeItem.Status.DRAFT
    assert list(item.authors.all()) == [planner]
    # The programme team publishes it; then /kennis/?pilot= lists it for everyone.
    services.knowledge_item_curate(actor=team, item=item, status="gepubliceerd")
    client.logout()
    listing = client.get(reverse("knowledge:index") + f"?pilot={pilot.pk}").content.decode()
    assert "Bewoners vroeg betrekken" in listing


def test_someone_outside_the_pilot_may_not_record_its_lessons(client, pilot, voter, theme):
    client.force_login(voter)
    url = reverse("knowledge:lesson_create") + f"?pilot={pilot.pk}"
    assert client.get(url).status_code == 404  # may not even see the pilot
    assert client.post(url, _lesson_post(theme)).status_code == 404
    assert not KnowledgeItem.objects.exists()


@pytest.mark.parametrize("missing", ["context", "what_happened", "do_differently", "evidence"])
def test_a_lesson_needs_every_part_of_its_form(client, team, theme, missing):
    client.force_login(team)
    data = _lesson_post(theme, **{missing: " "})
    response = client.post(reverse("knowledge:lesson_create"), data)
    assert response.status_code == 200
    assert not KnowledgeItem.objects.exists()
    assert response.context["form"].errors[missing]


def test_a_lesson_needs_a_theme(client, team):
    client.force_login(team)
    data = {"type": "les", "title": "Zonder thema", **LESSON}
    response = client.post(reverse("knowledge:lesson_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["themes"]
    assert not KnowledgeItem.objects.exists()


def test_team_publishes_at_once_a_member_only_drafts(client, team, voter, theme, programme):
    client.force_login(voter)
    client.post(reverse("knowledge:item_create"), _lesson_post(theme, publish="on"))
    assert KnowledgeItem.objects.get().status == KnowledgeItem.Status.DRAFT
    client.force_login(team)
    client.post(
        reverse("knowledge:item_create"),
        _lesson_post(theme, title="Tweede les", programme=programme.pk, publish="on"),
    )
    assert KnowledgeItem.objects.get(title="Tweede les").status == KnowledgeItem.Status.PUBLISHED


def test_drafts_and_archived_items_are_seen_by_authors_and_team_only(
    client, team, other_team, voter, asker, theme, programme
):
    draft = make_lesson(actor=asker, themes=[theme], programme=programme, publish=False)
    archived = make_lesson(actor=team, themes=[theme], programme=programme, title="Oud")
    services.knowledge_item_curate(actor=team, item=archived, status="gearchiveerd")
    for item in (draft, archived):
        url = item.get_absolute_url()
        client.logout()
        assert client.get(url).status_code == 404
        for outsider in (voter, other_team):
            client.force_login(outsider)
            assert client.get(url).status_code == 404
        client.force_login(team)
        assert client.get(url).status_code == 200
    client.force_login(asker)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.logout()
    assert "Oud" not in client.get(reverse("knowledge:index")).content.decode()


@pytest.mark.parametrize("who,may", [("team", True), ("author", False), ("other_team", False),
                                     ("voter", False)])  # fmt: skip
def test_only_the_team_curates(client, request, team, asker, theme, programme, who, may):
    actor = asker if who == "author" else request.getfixturevalue(who)
    item = make_lesson(actor=asker, themes=[theme], programme=programme, publish=False)
    client.force_login(actor)
    check = datetime.date(2027, 1, 1)
    response = client.post(
        reverse("knowledge:item_curate", args=[item.pk]),
        {"status": "gepubliceerd", "featured": "on", "check_by": check.isoformat()},
    )
    item.refresh_from_db()
    if may:
        assert response.status_code == 302
        assert (item.status, item.featured, item.check_by) == ("gepubliceerd", True, check)
    else:
        assert response.status_code in (403, 404)
        assert (item.status, item.featured, item.check_by) == ("concept", False, None)


@pytest.mark.parametrize("who,may", [("team", True), ("author", True), ("voter", False),
                                     ("other_team", False)])  # fmt: skip
def test_who_edits_an_item(client, request, team, asker, theme, programme, who, may):
    actor = asker if who == "author" else request.getfixturevalue(who)
    item = make_lesson(actor=asker, themes=[theme], programme=programme, publish=False)
    services.knowledge_item_curate(actor=team, item=item, status="gepubliceerd")
    client.force_login(actor)
    data = _lesson_post(theme, title="Nieuwe titel", programme=programme.pk)
    response = client.post(reverse("knowledge:item_edit", args=[item.pk]), data)
    item.refresh_from_db()
    assert response.status_code == (302 if may else 403)
    assert (item.title == "Nieuwe titel") is may


def test_item_page_shows_links_figure_and_related_lessons(client, team, theme, programme):
    model = services.knowledge_item_create(
        actor=team, type="model", title="Coöperatief programmamanagement", programme=programme,
        themes=[theme], body="Een model.", figure="cooperatief_programmamanagement",
        figure_text="Bewoners aan het stuur, de overheid geeft top-down input.", publish=True,
    )  # fmt: skip
    make_lesson(actor=team, themes=[theme], programme=programme, title="Verwante les")
    page = client.get(model.get_absolute_url()).content.decode()
    assert 'role="img"' in page and "Bewoners aan het stuur, de overheid" in page
    assert "<desc" in page and "Verwante les" in page


def test_figure_needs_a_text_alternative(team, theme):
    with pytest.raises(Exception) as refused:
        services.knowledge_item_create(
            actor=team, type="model", title="Model", themes=[theme], body="Tekst",
            figure="cooperatief_programmamanagement", figure_text="",
        )  # fmt: skip
    assert "figure_text" in refused.value.errors


def test_team_sees_items_due_for_a_check(client, team, voter, theme, programme):
    item = make_lesson(actor=team, themes=[theme], programme=programme, title="Te controleren")
    services.knowledge_item_curate(actor=team, item=item, check_by=datetime.date(2020, 1, 1))
    client.force_login(team)
    page = client.get(reverse("knowledge:index")).content.decode()
    assert 'id="due"' in page and "bekijken vóór woensdag 1 januari 2020" in page
    client.force_login(voter)
    assert 'id="due"' not in client.get(reverse("knowledge:index")).content.decode()
