"""Open questions: ask, answer, vote, accept, follow; who may do what, on pages and API."""

import pytest
from django.urls import reverse

from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.knowledge import services
from bouwplaats.knowledge.models import Answer, AnswerVote, Question, QuestionFollower

pytestmark = pytest.mark.django_db


def test_asker_follows_their_question(question, asker):
    assert QuestionFollower.objects.filter(question=question, user=asker).exists()


def test_a_member_votes_once_and_never_on_their_own_answer(answer, voter, answerer):
    assert services.answer_vote(actor=voter, answer=answer) == 1
    with pytest.raises(DomainError) as second:
        services.answer_vote(actor=voter, answer=answer)
    assert second.value.status_code == 409
    with pytest.raises(NotAllowed):
        services.answer_vote(actor=answerer, answer=answer)
    assert AnswerVote.objects.filter(answer=answer).count() == 1


@pytest.mark.parametrize(
    "who,may",
    [("asker", True), ("team", True), ("answerer", False), ("voter", False),
     ("other_team", False)],
)  # fmt: skip
def test_who_accepts_an_answer_page_and_api(client, api, request, answer, who, may):
    actor = request.getfixturevalue(who)
    client.force_login(actor)
    page = client.post(reverse("knowledge:answer_accept", args=[answer.pk]))
    assert page.status_code == (302 if may else 403)
    question = Question.objects.get()
    assert (question.accepted_answer_id == answer.pk) is may
    services.answer_unaccept(actor=question.asked_by, question=question)
    response = api(actor).post(f"/answers/{answer.pk}/accept")
    assert response.status_code == (200 if may else 403)
    if may:
        assert response.json()["accepted_answer"] == answer.pk
        assert response.json()["answers"][0]["accepted"] is True
    assert (Question.objects.get().accepted_answer_id == answer.pk) is may


def test_accepting_another_answer_replaces_the_first(question, answer, voter, asker):
    second = services.answer_create(actor=voter, question=question, body="Kies een regisseur.")
    services.answer_accept(actor=asker, answer=answer)
    services.answer_accept(actor=asker, answer=second)
    assert Question.objects.get().accepted_answer_id == second.pk


def test_visitor_reads_but_cannot_act(client, api, question, answer):
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200 and "Begin met vertrouwen winnen" in page.content.decode()
    for url in (
        reverse("knowledge:answer_create", args=[question.pk]),
        reverse("knowledge:answer_vote", args=[answer.pk]),
        reverse("knowledge:answer_accept", args=[answer.pk]),
        reverse("knowledge:question_follow", args=[question.pk]),
    ):
        assert client.post(url, {"body": "x"}).status_code == 302  # to the login page
    assert client.get(reverse("knowledge:question_create")).status_code == 302
    visitor = api()
    assert visitor.post("/questions", {"title": "Vraag?"}).status_code == 401
    assert visitor.post(f"/questions/{question.pk}/answers", {"body": "x"}).status_code == 401
    assert visitor.post(f"/answers/{answer.pk}/vote").status_code == 401
    assert visitor.post(f"/answers/{answer.pk}/accept").status_code == 401
    assert Answer.objects.count() == 1 and not AnswerVote.objects.exists()


def test_follow_and_unfollow_on_the_page(client, question, voter):
    client.force_login(voter)
    client.post(reverse("knowledge:question_follow", args=[question.pk]), {"volgen": "1"})
    assert QuestionFollower.objects.filter(question=question, user=voter).exists()
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Niet meer volgen" in page
    client.post(reverse("knowledge:question_follow", args=[question.pk]), {"volgen": "0"})
    assert not QuestionFollower.objects.filter(question=question, user=voter).exists()


def test_page_flow_answer_vote_accept(client, question, answerer, voter, asker):
    client.force_login(answerer)
    response = client.post(
        reverse("knowledge:answer_create", args=[question.pk]), {"body": "Werk **samen**."}
    )
    answer = Answer.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#antwoord-{answer.pk}")
    client.force_login(voter)
    client.post(reverse("knowledge:answer_vote", args=[answer.pk]))
    client.post(reverse("knowledge:answer_vote", args=[answer.pk]))
    assert AnswerVote.objects.filter(answer=answer).count() == 1
    client.force_login(asker)
    client.post(reverse("knowledge:answer_accept", args=[answer.pk]))
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'data-accepted="1"' in page and 'data-votes="1"' in page
    assert "<strong>samen</strong>" in page


@pytest.mark.parametrize("who,may", [("asker", True), ("team", True), ("voter", False),
                                     ("other_team", False)])  # fmt: skip
def test_who_edits_a_question(client, request, question, who, may):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("knowledge:question_edit", args=[question.pk]),
        {"title": "Hoeveel sturing kun je geven?", "body": ""},
    )
    assert response.status_code == (302 if may else 403)
    assert (Question.objects.get().title == "Hoeveel sturing kun je geven?") is may


def test_only_the_author_edits_an_answer(client, answer, answerer, asker):
    url = reverse("knowledge:answer_edit", args=[answer.pk])
    client.force_login(asker)
    assert client.post(url, {"body": "Overschreven"}).status_code == 403
    client.force_login(answerer)
    assert client.post(url, {"body": "Verbeterd"}).status_code == 302
    assert Answer.objects.get().body == "Verbeterd"


def test_who_knows_ranks_by_contributions_on_the_themes(
    question, theme, other_theme, team, answerer, voter, programme
):
    from bouwplaats.knowledge.selectors import who_knows

    from .conftest import make_lesson

    # answerer: an accepted answer on another question of the theme (3 points) + a lesson (2).
    earlier = services.question_create(actor=voter, title="Eerdere vraag", themes=[theme])
    accepted = services.answer_create(actor=answerer, question=earlier, body="Zo doe je dat.")
    services.answer_accept(actor=voter, answer=accepted)
    make_lesson(actor=team, themes=[theme], programme=programme, authors=[answerer])
    # voter: a lesson on another theme only, which does not count.
    make_lesson(actor=team, themes=[other_theme], programme=programme, title="Elders",
                authors=[voter])  # fmt: skip
    experts = who_knows(question=question)
    assert [e.user for e in experts] == [answerer, team]
    assert (experts[0].accepted_answers, experts[0].lessons, experts[1].lessons) == (1, 1, 1)


def test_avg_export_and_forget(question, answer, voter, asker):
    from bouwplaats.accounts.services import member_delete, member_export

    services.answer_vote(actor=voter, answer=answer)
    services.question_follow(actor=voter, question=question)
    data = member_export(user=voter)
    assert data["answer_votes"][0]["answer"] == answer.pk
    assert data["questions_followed"] == [question.title]
    assert member_export(user=asker)["questions"][0]["title"] == question.title
    member_delete(user=voter)
    assert not AnswerVote.objects.exists()
    assert not QuestionFollower.objects.filter(user=voter).exists()
    member_delete(user=asker)
    assert Question.objects.get().title == question.title  # the question stays


@pytest.mark.parametrize("who,may", [("team", True), ("asker", False), ("answerer", False),
                                     ("other_team", False)])  # fmt: skip
def test_team_turns_an_accepted_answer_into_an_article(client, request, question, answer,
                                                       asker, theme, who, may):  # fmt: skip
    from bouwplaats.knowledge.models import KnowledgeItem

    services.answer_accept(actor=asker, answer=answer)
    actor = request.getfixturevalue(who)
    client.force_login(actor)
    shown = "Vastleggen als artikel" in client.get(question.get_absolute_url()).content.decode()
    response = client.post(reverse("knowledge:answer_promote", args=[answer.pk]))
    assert shown is may and response.status_code == (302 if may else 403)
    if may:
        item = KnowledgeItem.objects.get()
        assert (item.type, item.status, item.title) == ("artikel", "concept", question.title)
        assert "Begin met vertrouwen winnen" in item.body
        assert list(item.themes.all()) == [theme]
        assert set(item.authors.all()) == {answer.author, actor}
    else:
        assert not KnowledgeItem.objects.exists()


def test_api_vote_once_not_own(api, answer, voter, answerer):
    response = api(voter).post(f"/answers/{answer.pk}/vote")
    assert response.status_code == 200 and response.json() == {"id": answer.pk, "votes": 1}
    again = api(voter).post(f"/answers/{answer.pk}/vote")
    assert again.status_code == 409 and again.json()["code"] == "vote"
    own = api(answerer).post(f"/answers/{answer.pk}/vote")
    assert own.status_code == 403
    assert api().get(f"/questions/{answer.question_id}").json()["answers"][0]["votes"] == 1
