"""The knowledge reads rewritten for production volume (issue 17 point 4) give what the plain
definitions give: checked against a count over every row, plus query counts that do not grow."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from bouwplaats.knowledge import permissions as perms
from bouwplaats.knowledge import selectors, services
from bouwplaats.knowledge.models import KnowledgeItem, Question
from tests.factories import SessionFactory, ThemeFactory, UserFactory

from .conftest import make_lesson

pytestmark = pytest.mark.django_db


# "Wie weet dit?" ------------------------------------------------------------------------------


def _expected_experts(question, limit=5):
    """Rank every member by the contributions on the question's themes, one row at a time."""
    themes = set(question.themes.values_list("pk", flat=True))
    members = {}

    def credit(user, key):
        if user is not None and user.pk != question.asked_by_id:
            members.setdefault(user, {"a": 0, "l": 0, "s": 0})[key] += 1

    for other in Question.objects.filter(accepted_answer__isnull=False):
        if themes & set(other.themes.values_list("pk", flat=True)):
            credit(other.accepted_answer.author, "a")
    for item in KnowledgeItem.objects.filter(status=KnowledgeItem.Status.PUBLISHED):
        if themes & set(item.themes.values_list("pk", flat=True)):
            for author in item.authors.all():
                credit(author, "l")
    from bouwplaats.events.models import Session

    for session in Session.objects.filter(status=Session.Status.PUBLISHED):
        if themes & set(session.themes.values_list("pk", flat=True)):
            credit(session.host, "s")
    ranked = sorted(
        ((3 * c["a"] + 2 * c["l"] + c["s"], user) for user, c in members.items() if user.is_active),
        key=lambda pair: (-pair[0], pair[1].display_name, pair[1].pk),
    )
    return [(user.pk, score) for score, user in ranked[:limit]]


def _lead(session_host, theme, programme, n=1):
    for _ in range(n):
        SessionFactory(host=session_host, programme=programme).themes.add(theme)


def test_who_knows_ranks_as_a_count_over_every_contribution(
    question, asker, team, theme, other_theme, programme
):
    named = {
        name: UserFactory(full_name=name)
        for name in ("Zeger Zuid", "Anna Aa", "Bert Bos", "Dirk Dal", "Eva Es", "Fleur Fok")
    }
    # Ties decide by name: Zeger and Anna both lead two sessions (2 points each).
    _lead(named["Zeger Zuid"], theme, programme, 2)
    _lead(named["Anna Aa"], theme, programme, 2)
    # The best of all (an accepted answer and a lesson: 5 points) is no longer active.
    gone = UserFactory(full_name="Gert Gestopt")
    earlier = services.question_create(actor=team, title="Eerder gevraagd?", themes=[theme])
    accepted = services.answer_create(actor=gone, question=earlier, body="Zo.")
    services.answer_accept(actor=team, answer=accepted)
    make_lesson(actor=team, themes=[theme], programme=programme, authors=[gone])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    # Bert: a lesson on both of an item's themes counts once (2 points); Dirk, Eva, Fleur: one
    # session each (a tie of three at 1 point, decided by name, for the last places).
    make_lesson(actor=team, themes=[theme, other_theme], programme=programme, title="Twee",
                authors=[named["Bert Bos"]])  # fmt: skip
    for name in ("Fleur Fok", "Eva Es", "Dirk Dal"):
        _lead(named[name], theme, programme)
    # Not counted: the asker's own lesson, another theme's session, a draft.
    make_lesson(actor=team, themes=[theme], programme=programme, authors=[asker])
    _lead(named["Eva Es"], other_theme, programme, 3)
    make_lesson(actor=team, themes=[theme], programme=programme, publish=False,
                authors=[named["Fleur Fok"]])  # fmt: skip

    experts = selectors.who_knows(question=question)
    found = [(e.user.pk, e.score) for e in experts]
    assert found == _expected_experts(question)
    # The team wrote every lesson: 3 lessons on the theme (6 points) plus the draft not.
    assert [e.user.display_name for e in experts] == [
        team.display_name,
        "Anna Aa",
        "Bert Bos",
        "Zeger Zuid",
        "Dirk Dal",
    ]
    assert experts[0].user.organisation is not None  # loaded with the member


def test_who_knows_on_a_programme_without_themes(asker, team, programme, other_programme):
    question = services.question_create(actor=asker, title="Zonder thema?", programme=programme)
    host = UserFactory(full_name="Hanna Host")
    SessionFactory(host=host, programme=programme)
    SessionFactory(host=UserFactory(full_name="Elders"), programme=other_programme)
    make_lesson(actor=team, themes=[ThemeFactory()], programme=programme)
    experts = selectors.who_knows(question=question)
    assert [(e.user, e.lessons, e.sessions) for e in experts] == [(team, 1, 0), (host, 0, 1)]


@pytest.mark.parametrize("n", [1, 7])
def test_question_page_queries_do_not_grow(
    client, django_assert_num_queries, n, question, answer, voter, theme, other_theme, programme,
    team,
):  # fmt: skip
    for i in range(n):
        member = UserFactory(full_name=f"Lid {i}")
        _lead(member, theme, programme)
        # On another theme of the programme: related by programme, not by theme.
        make_lesson(actor=team, themes=[other_theme], programme=programme, title=f"Les {i}",
                    authors=[member])  # fmt: skip
        extra = services.answer_create(actor=member, question=question, body=f"Antwoord {i}")
        services.answer_vote(actor=voter, answer=extra)
    client.force_login(voter)
    # session, user; question, its themes; answers with votes; the team checks (accept, edit,
    # promote); following; four contribution counts, the names of the top scores, the members
    # shown; related lessons: sharing a theme, of the programme, the lessons themselves.
    with django_assert_num_queries(18):
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["experts"]) == min(n, 5)
    assert len(response.context["answers"]) == n + 1
    assert len(response.context["related"]) == min(n, 5)


# Related lessons ------------------------------------------------------------------------------


def _expected_related(themes, programme_id, exclude=None, limit=5):
    rows = []
    for item in KnowledgeItem.objects.filter(status="gepubliceerd", type="les"):
        if item.pk == exclude:
            continue
        shared = len(set(themes) & set(item.themes.values_list("pk", flat=True)))
        if shared or (programme_id and item.programme_id == programme_id):
            rows.append((-shared, -item.featured, -item.published_at.timestamp(), -item.pk, item))
    return [row[-1] for row in sorted(rows, key=lambda r: r[:4])[:limit]]


def _lessons(team, programme, other_programme, theme, other_theme):
    third = ThemeFactory(name="Financiering", slug="financiering")
    shapes = [
        ([theme, other_theme], other_programme, "Beide", True),
        ([theme], other_programme, "Een", True),
        ([other_theme], other_programme, "Ander", True),
        ([third], programme, "Programma 1", True),
        ([third], programme, "Programma 2", True),
        ([third], programme, "Programma 3", True),
        ([third], other_programme, "Elders", True),
        ([theme], programme, "Concept", False),
    ]
    made = []
    for themes, programme_, title, publish in shapes:
        item = make_lesson(actor=team, themes=themes, programme=programme, title=title,
                           publish=publish)  # fmt: skip
        # The team of the other programme would publish there: moved for the test.
        KnowledgeItem.objects.filter(pk=item.pk).update(programme=programme_)
        made.append(item)
    services.knowledge_item_create(
        actor=team, type="artikel", title="Artikel", body="Tekst", themes=[theme],
        programme=programme, publish=True,
    )  # fmt: skip
    # Distinct publication dates, one featured older lesson that goes first among its equals.
    base = timezone.now() - datetime.timedelta(days=30)
    for days, item in enumerate(made):
        KnowledgeItem.objects.filter(pk=item.pk).update(
            published_at=base + datetime.timedelta(days=days)
        )
    KnowledgeItem.objects.filter(pk=made[3].pk).update(featured=True)
    return made


@pytest.mark.parametrize("shape", ["two themes", "one theme", "programme only", "themes only"])
def test_related_lessons_rank_as_a_sort_over_every_lesson(
    shape, team, programme, other_programme, theme, other_theme
):
    made = _lessons(team, programme, other_programme, theme, other_theme)
    themes, programme_id = {
        "two themes": ([theme.pk, other_theme.pk], programme.pk),
        "one theme": ([theme.pk], programme.pk),
        "programme only": ([], programme.pk),
        "themes only": ([theme.pk, other_theme.pk], None),
    }[shape]
    found = selectors.related_lessons(themes=themes, programme_id=programme_id, exclude=made[4].pk)
    assert found == _expected_related(themes, programme_id, exclude=made[4].pk)
    assert found  # each shape finds some


# Lists ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["gepubliceerd", "concept", "gearchiveerd"])
@pytest.mark.parametrize("who", ["visitor", "voter", "asker", "team", "other_team", "staff"])
def test_items_of_a_status_are_those_visible_with_that_status(
    request, who, status, team, asker, theme, programme, other_programme
):
    for programme_ in (programme, other_programme, None):
        for actor in (asker, team):
            item = make_lesson(actor=actor, themes=[theme], programme=programme_, publish=False,
                               title=f"Les {programme_} {actor}")  # fmt: skip
            KnowledgeItem.objects.filter(pk=item.pk).update(status=status)
        make_lesson(actor=team, themes=[theme], programme=programme_, publish=False)
    if who == "visitor":
        user = AnonymousUser()
    elif who == "staff":
        user = UserFactory(is_staff=True)
    else:
        user = request.getfixturevalue(who)
    expected = set(perms.items_visible_to(user).filter(status=status))
    assert set(perms.items_of_status_visible_to(user, status)) == expected
    listed = selectors.item_list(user=user, status=status)
    assert set(listed) == expected and len(listed) == len(expected)


def test_lists_show_each_item_and_question_once_with_its_answer_count(
    client, api, team, asker, answerer, voter, theme, other_theme, programme, pilot
):
    both = make_lesson(actor=team, themes=[theme, other_theme], programme=programme,
                       pilots=[pilot], title="Twee thema's")  # fmt: skip
    make_lesson(actor=team, themes=[other_theme], programme=programme, title="Een thema")
    assert len(selectors.item_list(user=None)) == 2
    assert list(selectors.item_list(user=None, theme=theme.slug)) == [both]
    assert list(selectors.item_list(user=None, pilot=pilot.pk)) == [both]
    many = services.question_create(actor=asker, title="Veel?", themes=[theme, other_theme])
    none = services.question_create(actor=asker, title="Geen?", themes=[theme])
    for body in ("Een", "Twee", "Drie"):
        services.answer_create(actor=answerer, question=many, body=body)
    services.answer_create(actor=voter, question=many, body="Vier")
    counts = {q.title: q.answer_count for q in selectors.question_list(theme=theme.slug)}
    assert counts == {"Veel?": 4, "Geen?": 0}
    assert [q.pk for q in selectors.question_list(unanswered=True)] == [none.pk]
    page = client.get(reverse("knowledge:questions") + "?onbeantwoord=1").content.decode()
    assert "Geen?" in page and "Veel?" not in page
    listed = api().get("/questions?theme=" + theme.slug).json()
    assert listed["count"] == 2
    assert {i["title"]: i["answer_count"] for i in listed["items"]} == {"Veel?": 4, "Geen?": 0}
    assert api().get("/questions?unanswered=true").json()["count"] == 1
    assert api().get("/knowledge?theme=" + theme.slug).json()["count"] == 1
