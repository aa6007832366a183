"""Each newsletter rule is written once, as an object check and a queryset that agree, and the
pages and the API follow it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from bouwplaats.newsletters import permissions
from bouwplaats.newsletters.models import Issue, NewsletterList, Subscription
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(newsletter_list, team_member, member, admin_user):
    other_list = NewsletterList.objects.create(
        programme=ProgrammeFactory(), name="Andere nieuwsflits", slug="andere"
    )
    other_team = MembershipFactory(programme=other_list.programme, user=UserFactory()).user
    issues = {
        (lst.slug, status): Issue.objects.create(newsletter_list=lst, subject=status, status=status)
        for lst in (newsletter_list, other_list)
        for status in Issue.Status.values
    }
    Subscription.objects.create(newsletter_list=newsletter_list, email=member.email)
    Subscription.objects.create(newsletter_list=other_list, email="iemand@example.nl")
    people = {
        "visitor": AnonymousUser(),
        "member": member,
        "team": team_member,
        "other_team": other_team,
        "admin": admin_user,
    }
    return people, issues, newsletter_list


def test_object_checks_and_querysets_agree(world):
    people, issues, _newsletter_list = world
    for name, user in people.items():
        visible = set(permissions.issues_visible_to(user))
        managed = set(permissions.lists_managed_by(user))
        for issue in issues.values():
            assert permissions.can_view_issue(user, issue) is (issue in visible), (name, issue)
        for newsletter_list in NewsletterList.objects.all():
            assert permissions.can_manage_list(user, newsletter_list) is (
                newsletter_list in managed
            ), (name, newsletter_list)
        seen = set(permissions.subscriptions_visible_to(user))
        for subscription in Subscription.objects.all():
            own = getattr(user, "email", None) == subscription.email
            may = own or permissions.can_view_subscribers(user, subscription.newsletter_list)
            assert may is (subscription in seen), (name, subscription)


def test_a_sent_issue_is_public_a_draft_only_for_its_team(world):
    people, issues, newsletter_list = world
    sent = issues[(newsletter_list.slug, "sent")]
    draft = issues[(newsletter_list.slug, "draft")]
    assert all(permissions.can_view_issue(user, sent) for user in people.values())
    allowed = {n for n, u in people.items() if permissions.can_view_issue(u, draft)}
    assert allowed == {"team", "admin"}


@pytest.mark.parametrize("who", ["visitor", "member", "other_team", "team"])
def test_pages_and_api_follow_can_view_issue(client, api, world, who):
    people, issues, newsletter_list = world
    user = people[who]
    draft = issues[(newsletter_list.slug, "draft")]
    allowed = permissions.can_view_issue(user, draft)
    if who != "visitor":
        client.force_login(user)
    page = client.get(f"/nieuwsflits/{newsletter_list.slug}/{draft.pk}/")
    # The team is sent on to the draft's own page; others find nothing.
    assert page.status_code == (302 if allowed else 404)
    response = (api(user) if who != "visitor" else api()).get(f"/newsletters/issues/{draft.pk}")
    assert response.status_code == (200 if allowed else 403)
    listing = client.get(f"/nieuwsflits/{newsletter_list.slug}/").content.decode()
    assert (f"/nieuwsflits/uitgave/{draft.pk}/" in listing) is allowed
