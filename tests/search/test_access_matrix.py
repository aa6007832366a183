"""Nobody finds what they may not see: drafts, other organisations' submissions, non-public
works and hidden comments, for each kind of viewer, through the page and the API."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from bouwplaats.planning import services as planning_services
from bouwplaats.projects import services as project_services
from bouwplaats.search.selectors import search_query
from bouwplaats.spaces import services as space_services
from tests.conftest import ApiClient
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PlannerFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
)
from tests.planning.conftest import feature
from tests.projects.helpers import GEMEENTE, answers_for, make_call

pytestmark = pytest.mark.django_db

VIEWERS = ["visitor", "member", "org_member", "host", "team", "staff"]

# word in the title → the viewers who find it
EXPECTED = {
    "zonnedakensessie": {"visitor", "member", "org_member", "host", "team", "staff"},
    "kwartiermakerssessie": {"host", "team", "staff"},
    "havenkwartierconcept": {"org_member"},
    "spoorzonetransformatie": {"team", "staff"},
    "openbaarrioolwerk": {"visitor", "member", "org_member", "host", "team", "staff"},
    "vertrouwelijkleidingwerk": {"org_member", "staff"},
    "zichtbareopmerking": {"host", "team", "staff"},
    "verborgenopmerking": {"host", "team", "staff"},
}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(name="Binnenstedelijke Gebiedstransformaties")
    host = UserFactory(full_name="Bouwmeester")
    team = MembershipFactory(programme=programme, user=UserFactory(full_name="Team")).user
    deventer = OrganisationFactory(name="Gemeente Deventer", kind=GEMEENTE)
    ede = OrganisationFactory(name="Gemeente Ede", kind=GEMEENTE)
    org_member = PlannerFactory(full_name="Planner Deventer", organisation=deventer)
    ede_member = PlannerFactory(full_name="Planner Ede", organisation=ede)
    SessionFactory(programme=programme, host=host, title="De zonnedakensessie")
    SessionFactory(programme=programme, host=host, title="Kwartiermakerssessie", status="draft")
    published = SessionFactory(programme=programme, host=host, title="Sessie met reacties")
    call = make_call(programme)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.submission_create(
            actor=org_member,
            call=call,
            organisation=deventer,
            title="Havenkwartierconcept",
            summary="Nog een concept.",
            answers=answers_for(call),
            submit=False,
        )
        project_services.submission_create(
            actor=ede_member,
            call=call,
            organisation=ede,
            title="Spoorzonetransformatie",
            summary="Ingediend door Ede.",
            answers=answers_for(call),
        )
        planning_services.work_create(
            actor=org_member, feature=feature(title="Openbaarrioolwerk", external_id="A")
        )
        planning_services.work_create(
            actor=org_member,
            feature=feature(title="Vertrouwelijkleidingwerk", external_id="B", public=False),
        )
        space_services.comment_create(session=published, user=host, body="Zichtbareopmerking.")
        hidden = space_services.comment_create(
            session=published, user=host, body="Verborgenopmerking."
        )
        space_services.comment_hide(comment=hidden, user=host, reason="Niet gepast.")
    return {
        "visitor": AnonymousUser(),
        "member": UserFactory(full_name="Lid"),
        "org_member": org_member,
        "host": host,
        "team": team,
        "staff": UserFactory(full_name="Beheer", is_staff=True),
    }


def test_search_finds_only_what_each_viewer_may_see(world):
    for word, allowed in EXPECTED.items():
        for viewer in VIEWERS:
            found = search_query(user=world[viewer], q=word)
            assert (found.total > 0) == (viewer in allowed), (word, viewer)


def test_the_api_and_the_page_apply_the_same_rules(world, client):
    for viewer in ["visitor", "org_member", "team"]:
        user = world[viewer]
        api = ApiClient(None if viewer == "visitor" else user)
        if viewer != "visitor":
            client.force_login(user)
        for word, allowed in EXPECTED.items():
            body = api.get("/api/v1/search", {"q": word}).json()
            assert (body["count"] > 0) == (viewer in allowed), (word, viewer)
            page = client.get(reverse("search:results"), {"q": word}).content.decode()
            assert ("0 resultaten" not in page) == (viewer in allowed), (word, viewer)
