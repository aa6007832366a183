"""The session space asks each question about the person once per request (issue 17 §5).

The page and the comment service ask "co-host? programme team? participant?" through
several rules (the space's role, worked out by the selector, the page's context and the
service's own check); the session the request read keeps the answers
(events.permissions.remember_answers), each member their own.
"""

from django.urls import reverse

from bouwplaats.spaces import services
from bouwplaats.spaces.models import Comment
from tests.factories import UserFactory

# The session with its programme, host and policy, django session, user, "co-host?",
# "programme team?", the member's registration, the digest subscription, the comments'
# count and page, the photos, the documents.
PAGE_QUERIES = 11
# The post: the same up to the registration, then the service's transaction, whose checks
# are answered already (no second "co-host?", "team?", "participant?"): the comment's
# validation and insert, its search entry with its keys, the audit entry, and savepoints.
POST_QUERIES = 24


def _space(session):
    return reverse("spaces:session", kwargs={"session_pk": session.pk})


def test_the_space_page_asks_each_question_once(
    client, session, participant, django_assert_num_queries
):
    services.comment_create(session=session, user=participant, body="Eerste reactie.")
    client.force_login(participant)
    with django_assert_num_queries(PAGE_QUERIES):
        page = client.get(_space(session))
    assert page.status_code == 200 and 'name="comment-body"' in page.text


def test_a_comment_is_checked_once_and_placed(
    client, session, participant, django_assert_num_queries
):
    client.force_login(participant)
    with django_assert_num_queries(POST_QUERIES):
        answer = client.post(
            reverse("spaces:comment_create", kwargs={"session_pk": session.pk}),
            {"comment-body": "Goed punt, dank u."},
        )
    assert answer.status_code == 302
    assert Comment.objects.get().body == "Goed punt, dank u."


def test_the_remembered_answers_are_each_members_own(
    client, session, participant, programme_team, member
):
    comment = services.comment_create(session=session, user=participant, body="Eerste reactie.")
    hide_url = reverse("spaces:comment_hide", kwargs={"pk": comment.pk})
    for person, can_post, can_hide in (
        (participant, True, False),
        (programme_team, True, True),
        (session.host, True, True),
        (member, False, False),
    ):
        client.force_login(person)
        page = client.get(_space(session)).text
        assert ('name="comment-body"' in page) is can_post, person
        assert (hide_url in page) is can_hide, person
    co_host = UserFactory()
    session.co_hosts.add(co_host)
    client.force_login(co_host)
    page = client.get(_space(session)).text
    assert 'name="comment-body"' in page and hide_url in page
    client.force_login(UserFactory())
    assert 'name="comment-body"' not in client.get(_space(session)).text
