"""Acting for an organisation needs a verified membership, on pages and API (issue 11 §1).

The audit's cases: a fresh sign-up typing "Liander" overwrote Liander's non-public work; a
member typing "Gemeente Ede" edited Ede's works and accepted Liander's request addressed to
Ede. Then the matrix: membership state (none, requested, approved, refused, revoked) × every
act-for-organisation action, and visitors × non-public works (API, map page, CSV).
"""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.accounts import services as accounts_services
from bouwplaats.accounts.models import OrganisationMembership
from bouwplaats.planning import services
from bouwplaats.planning.models import CombinationRequest, InterestZone, JointWork, Work
from tests.factories import OrganisationMembershipFactory, UserFactory

from .conftest import feature, line, square
from .test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_liander_work(liander_planner):
    return services.work_create(
        actor=liander_planner,
        feature=feature(
            line(dx_m=400), title="Intern: kabeltracé", public=False, external_id="L-SECRET",
            contact="06-11112222", status="in voorbereiding",
        ),
    )  # fmt: skip


@pytest.fixture
def liander_request(liander_planner, liander_work, ede_work):
    return services.combination_request_send(
        actor=liander_planner,
        from_work=liander_work,
        to_work=ede_work,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )


def _claimant(name: str):
    """A member who signed up and typed ``name`` as organisation, address verified."""
    user = UserFactory(organisation=None, email="nieuw@gmail.com")
    accounts_services.profile_update(
        user=user, full_name="Nieuw Lid", function="", organisation_name=name
    )
    return type(user).objects.get(pk=user.pk)


# The audit's cases ----------------------------------------------------------------------------


def test_fresh_sign_up_typing_liander_cannot_touch_liander_works(
    client, api, liander, hidden_liander_work
):
    user = _claimant("Liander")
    assert user.organisation == liander
    client.force_login(user)
    # The page: the non-public work is not even there; creating is refused.
    assert client.get(reverse("planning:update", args=[hidden_liander_work.pk])).status_code == 404
    overwrite = form_data(title="Gekaapt", status="gereed", public="on", contact="nieuw@gmail.com")
    assert (
        client.post(
            reverse("planning:update", args=[hidden_liander_work.pk]), overwrite
        ).status_code
        == 404
    )
    assert client.get(reverse("planning:create")).status_code == 403
    assert client.get(reverse("planning:detail", args=[hidden_liander_work.pk])).status_code == 404
    # The API: re-uploading Liander's external id (the update path) is refused, nothing stored.
    takeover = feature(
        line(dx_m=400), owner="Liander", external_id="L-SECRET", public=True, status="gereed",
        title="Gekaapt", contact="nieuw@gmail.com",
    )  # fmt: skip
    response = api(user).post("/works", takeover)
    assert response.status_code == 403
    assert api(user).get(f"/works/{hidden_liander_work.pk}").status_code == 404
    hidden_liander_work.refresh_from_db()
    assert (hidden_liander_work.title, hidden_liander_work.public) == ("Intern: kabeltracé", False)
    assert hidden_liander_work.status == "in voorbereiding"
    assert hidden_liander_work.contact == "06-11112222"


def test_member_typing_gemeente_ede_cannot_edit_ede_works_nor_accept_for_ede(
    client, api, ede, ede_work, liander_request
):
    user = _claimant("Gemeente Ede")
    assert user.organisation == ede
    client.force_login(user)
    # Ede's public work: visible, not editable, on the page and through the API.
    assert client.get(reverse("planning:update", args=[ede_work.pk])).status_code == 403
    response = client.post(reverse("planning:update", args=[ede_work.pk]), form_data(title="Weg"))
    assert response.status_code == 403
    api_update = api(user).post("/works", feature(owner=ede.pk, external_id="EDE-1", title="Weg"))
    assert api_update.status_code == 403
    api_create = api(user).post("/works", feature(owner="Gemeente Ede", title="Nieuw"))
    assert api_create.status_code == 403
    ede_work.refresh_from_db()
    assert ede_work.title == "Vervangen riolering Molenstraat"
    # Liander's request addressed to Ede: not theirs to see or accept.
    accept = client.post(reverse("planning:request_accept", args=[liander_request.pk]))
    assert accept.status_code == 404
    decline = client.post(
        reverse("planning:request_decline", args=[liander_request.pk]), {"reason": "Nee."}
    )
    assert decline.status_code == 404
    liander_request.refresh_from_db()
    assert liander_request.status == CombinationRequest.Status.OPEN
    assert not JointWork.objects.exists()
    # Nor does a zone make them a planner.
    assert client.get(reverse("planning:zones")).status_code == 403


def test_once_approved_the_member_acts_for_the_organisation(client, ede, ede_work):
    admin = OrganisationMembershipFactory(
        user=UserFactory(organisation=ede), organisation=ede, role="admin"
    ).user
    user = _claimant("Gemeente Ede")
    membership = OrganisationMembership.objects.get(user=user)
    accounts_services.membership_decide(actor=admin, membership=membership, status="approved")
    client.force_login(user)
    response = client.post(
        reverse("planning:update", args=[ede_work.pk]), form_data(title="Fase 2")
    )
    assert response.status_code == 302
    ede_work.refresh_from_db()
    assert ede_work.title == "Fase 2"


# The matrix: membership state × act-for-organisation action, page and API -----------------------

STATES = [None, "requested", "approved", "refused", "revoked"]


@pytest.fixture
def ede_member(ede):
    def make(state):
        user = UserFactory(organisation=ede, email=f"lid-{state}@example.nl")
        if state:
            OrganisationMembershipFactory(user=user, organisation=ede, status=state)
        return user

    return make


def _create_page(client, api, user, w):
    response = client.post(reverse("planning:create"), form_data(title="Nieuw werk"))
    return response.status_code == 302 and Work.objects.filter(title="Nieuw werk").exists()


def _create_api(client, api, user, w):
    response = api(user).post("/works", feature(title="Nieuw werk", external_id="N-1"))
    return response.status_code == 201 and Work.objects.filter(title="Nieuw werk").exists()


def _edit_page(client, api, user, w):
    client.post(reverse("planning:update", args=[w["work"].pk]), form_data(title="Gewijzigd"))
    return Work.objects.filter(pk=w["work"].pk, title="Gewijzigd").exists()


def _edit_hidden_page(client, api, user, w):
    client.post(reverse("planning:update", args=[w["hidden"].pk]), form_data(title="Gewijzigd"))
    return Work.objects.filter(pk=w["hidden"].pk, title="Gewijzigd").exists()


def _edit_api(client, api, user, w):
    api(user).post(
        "/works", feature(owner=w["work"].owner_id, external_id="EDE-1", title="Gewijzigd")
    )
    return Work.objects.filter(pk=w["work"].pk, title="Gewijzigd").exists()


def _answer_page(client, api, user, w):
    client.post(reverse("planning:request_accept", args=[w["request"].pk]), {"bevestigd": "1"})
    return CombinationRequest.objects.filter(pk=w["request"].pk, status="accepted").exists()


def _decline_page(client, api, user, w):
    client.post(reverse("planning:request_decline", args=[w["request"].pk]), {"reason": "Nee."})
    return CombinationRequest.objects.filter(pk=w["request"].pk, status="declined").exists()


def _zone_page(client, api, user, w):
    client.post(reverse("planning:zones"), {"name": "Centrum", "geometry": json.dumps(square())})
    return InterestZone.objects.filter(member=user).exists()


def _see_hidden_api(client, api, user, w):
    body = api(user).get("/works").json()
    return w["hidden"].pk in {f["id"] for f in body["features"]}


def _see_hidden_map(client, api, user, w):
    # Without a verified membership the internal map is a page that points elsewhere.
    data = client.get(reverse("planning:map")).context.get("map_data")
    drawn = [f["id"] for f in data["works"]["features"]] if data else []
    return w["hidden"].pk in drawn


def _see_hidden_csv(client, api, user, w):
    return "Intern plan Ede" in client.get(reverse("planning:export")).content.decode("utf-8-sig")


ACTIONS = {
    "create work (page)": _create_page,
    "create work (API)": _create_api,
    "edit work (page)": _edit_page,
    "edit non-public work (page)": _edit_hidden_page,
    "edit work (API)": _edit_api,
    "accept combination request (page)": _answer_page,
    "decline combination request (page)": _decline_page,
    "draw interest zone (page)": _zone_page,
    "see non-public works (API)": _see_hidden_api,
    "see non-public works (map page)": _see_hidden_map,
    "see non-public works (CSV)": _see_hidden_csv,
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", STATES)
def test_only_an_approved_membership_acts_for_the_organisation(
    client, api, ede_member, ede_planner, ede_work, liander_request, state, action
):
    hidden = services.work_create(
        actor=ede_planner, feature=feature(line(dx_m=900), public=False, title="Intern plan Ede")
    )
    user = ede_member(state)
    client.force_login(user)
    world = {"work": ede_work, "hidden": hidden, "request": liander_request}
    assert ACTIONS[action](client, api, user, world) is (state == "approved")


# Visitors × non-public works ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "no_organisation", "claims_ede"])
def test_non_public_works_are_for_verified_members_and_staff_only(
    client, api, who, ede, ede_planner, ede_work
):
    hidden = services.work_create(
        actor=ede_planner, feature=feature(line(dx_m=900), public=False, title="Intern plan Ede")
    )
    user = None
    if who == "no_organisation":
        user = UserFactory(organisation=None)
    elif who == "claims_ede":
        user = UserFactory(organisation=ede)
    if user is not None:
        client.force_login(user)
    body = api(user).get("/works").json()
    assert {f["id"] for f in body["features"]} == {ede_work.pk}
    assert api(user).get(f"/works/{hidden.pk}").status_code == 404
    # The internal map, its list and its CSV are for organisation members (PRODUCT.md §6):
    # the others are shown the way to the residents' map instead.
    for name in ("planning:map", "planning:list", "planning:export"):
        page = client.get(reverse(name))
        assert page.status_code == 200
        assert "Intern plan Ede" not in page.content.decode()
        assert "works" not in page.context
        assert reverse("planning:public") in page.content.decode()
    assert client.get(reverse("planning:detail", args=[hidden.pk])).status_code == 404
    # Staff see it, as verified members do.
    staff = UserFactory(organisation=None, is_staff=True)
    assert hidden.pk in {f["id"] for f in api(staff).get("/works").json()["features"]}


# Residents' initiatives -----------------------------------------------------------------------


def _initiative_data(owner, **overrides):
    today = timezone.localdate()
    data = {
        "owner": owner.pk,
        "title": "Geveltuinen Molenstraat",
        "description": "Bewoners willen geveltuinen aanleggen.",
        "start": (today + datetime.timedelta(days=40)).isoformat(),
        "end": (today + datetime.timedelta(days=50)).isoformat(),
        "geometry": json.dumps(line(dy_m=50)),
    }
    data.update(overrides)
    return data


def test_a_resident_proposes_and_the_municipality_accepts(
    client, api, ede, ede_planner, liander_planner
):
    resident = UserFactory(organisation=None)
    client.force_login(resident)
    response = client.post(reverse("planning:initiatives"), _initiative_data(ede), follow=True)
    assert "Uw initiatief is voorgesteld aan Gemeente Ede" in response.content.decode()
    work = Work.objects.get(title="Geveltuinen Molenstraat")
    assert (work.initiative, work.public, work.proposed_by) == ("proposed", False, resident)
    assert (work.kind, work.hindrance) == ("initiatief", "geen")
    # Not on the residents' map, not for visitors through the API, until accepted.
    assert work.pk not in {w.pk for w in client.get(reverse("planning:public")).context["page"]}
    assert api().get(f"/works/{work.pk}").status_code == 404
    # The resident cannot accept it, nor can Liander's planner: it is addressed to Ede.
    decide = reverse("planning:initiative_decide", args=[work.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 403
    client.force_login(liander_planner)
    assert client.post(decide, {"decision": "accept"}).status_code == 403
    work.refresh_from_db()
    assert not work.public

    client.force_login(ede_planner)
    queue = client.get(reverse("planning:initiatives")).content.decode()
    assert "Geveltuinen Molenstraat" in queue
    detail = client.get(reverse("planning:detail", args=[work.pk])).content.decode()
    assert "Bewonersinitiatief" in detail and "Voorgesteld" in detail
    assert client.post(decide, {"decision": "accept"}).status_code == 302
    work.refresh_from_db()
    assert (work.initiative, work.public, work.status) == ("accepted", True, "gepland")
    assert work.pk in {
        w.pk for w in client.__class__().get(reverse("planning:public")).context["page"]
    }


def test_a_declined_initiative_stays_off_the_map(client, ede, ede_planner):
    resident = UserFactory(organisation=None)
    work = services.initiative_propose(
        actor=resident, owner=ede, title="Speeltuin", description="", geometry=square(),
        start=timezone.localdate(), end=timezone.localdate(),
    )  # fmt: skip
    client.force_login(ede_planner)
    client.post(
        reverse("planning:initiative_decline", args=[work.pk]),
        {"bevestigd": "1", "initiative_reason": "Hier komt een fietspad."},
    )
    work.refresh_from_db()
    assert (work.initiative, work.public) == ("declined", False)
    # Decided once: not decidable again.
    again = client.post(
        reverse("planning:initiative_decide", args=[work.pk]), {"decision": "accept"}
    )
    assert again.status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Dit veld is verplicht."),
        ({"title": "Twee\nregels"}, "title", None),
        ({"geometry": "{niet json"}, "geometry", "Geen geldige GeoJSON"),
        ({"owner": "liander"}, "owner", None),
    ],
)
def test_initiative_form_refuses_bad_input_beside_the_field(
    client, ede, liander, overrides, field, message
):
    if overrides.get("owner") == "liander":
        overrides = {"owner": liander.pk}  # a grid operator is not a municipality
    client.force_login(UserFactory(organisation=None))
    data = _initiative_data(ede)
    data.update(overrides)
    response = client.post(reverse("planning:initiatives"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[field]
    if message:
        assert message in " ".join(errors[field])
    assert not Work.objects.exists()


def test_a_new_account_cannot_put_a_road_closure_on_the_residents_map(client, api, ede):
    newcomer = UserFactory(organisation=None)
    closure = feature(owner=ede.pk, hindrance="afsluiting", title="Afsluiting Molenstraat")
    assert api(newcomer).post("/works", closure).status_code == 403
    client.force_login(newcomer)
    assert client.post(reverse("planning:create"), form_data()).status_code == 403
    proposal = _initiative_data(ede, title="Afsluiting Molenstraat")
    client.post(reverse("planning:initiatives"), proposal)
    assert not client.get(reverse("planning:public")).context["page"].object_list
    assert Work.objects.get().hindrance == "geen"


def test_visitor_cannot_propose(client, ede):
    response = client.get(reverse("planning:initiatives"))
    assert response.status_code == 302


def test_a_revoked_member_hears_nothing_more_from_their_zones(
    ede_planner, liander_planner, django_capture_on_commit_callbacks
):
    from django.core import mail

    services.interest_zone_create(actor=liander_planner, name="Centrum", geometry=square())
    OrganisationMembership.objects.filter(user=liander_planner).update(status="revoked")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.work_create(actor=ede_planner, feature=feature(public=False, title="Intern"))
    assert not [m for m in mail.outbox if liander_planner.email in m.to]


def test_mails_about_works_reach_verified_members_only(hidden_liander_work, liander):
    """Who merely states "Liander" on the profile hears nothing of Liander's non-public works."""
    from bouwplaats.planning.mails import work_recipients

    claimer = UserFactory(email="zegt.liander@example.nl", organisation=liander)
    verified = UserFactory(email="echt.liander@example.nl", organisation=liander)
    OrganisationMembershipFactory(
        user=verified, organisation=liander, status=OrganisationMembership.Status.APPROVED
    )
    assert claimer.email not in work_recipients(hidden_liander_work)
    author = hidden_liander_work.created_by
    assert work_recipients(hidden_liander_work) == [author.email]
    # Once the author no longer acts for Liander, the verified members hear of it instead.
    OrganisationMembership.objects.filter(user=author).update(
        status=OrganisationMembership.Status.REVOKED
    )
    fresh = Work.objects.select_related("created_by", "owner").get(pk=hidden_liander_work.pk)
    assert sorted(work_recipients(fresh)) == [verified.email]
