"""The stakeholder field: dated re-ratings with reasons, the path on the grid, named persons for
the programme team only (pages and API), stale ratings flagged, bad input refused."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.anchoring import services
from bouwplaats.anchoring.models import PROMISES, Stakeholder, StakeholderPerson, StakeholderRating
from bouwplaats.core.errors import InvalidInput, NotAllowed

from .helpers import make_pilot


def rate(stakeholder, actor, **overrides):
    data = {
        "interest": 5,
        "influence": 3,
        "level": "coproduceren",
        "direction": "bottom_up",
        "reason": "Coöperatie opgericht",
    }
    data.update(overrides)
    return services.stakeholder_rate(actor=actor, stakeholder=stakeholder, **data)


def test_a_re_rating_is_dated_with_its_reason_and_becomes_current(stakeholder, team_member):
    rate(stakeholder, team_member)
    stakeholder.refresh_from_db()
    assert (stakeholder.interest, stakeholder.influence, stakeholder.level) == (
        5,
        3,
        "coproduceren",
    )
    history = list(stakeholder.ratings.values_list("interest", "influence", "reason", "by"))
    assert history == [
        (4, 2, "Bewoners nemen het initiatief", team_member.pk),
        (5, 3, "Coöperatie opgericht", team_member.pk),
    ]
    assert stakeholder.promise == str(PROMISES["coproduceren"])


def test_the_promise_of_adviseren_says_a_deviation_is_explained(stakeholder, team_member):
    rate(stakeholder, team_member, level="adviseren")
    stakeholder.refresh_from_db()
    assert "wijken wij ervan af, dan leggen wij uit waarom" in stakeholder.promise


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"interest": 0}, "interest"),
        ({"interest": 6}, "interest"),
        ({"influence": 0}, "influence"),
        ({"influence": 6}, "influence"),
        ({"level": "manipuleren"}, "level"),
        ({"level": ""}, "level"),
        ({"direction": "zijwaarts"}, "direction"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "een\nregel"}, "reason"),
        ({"reason": "x" * 10_000}, "reason"),
    ],
)
def test_bad_ratings_are_refused_and_nothing_changes(stakeholder, team_member, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        rate(stakeholder, team_member, **overrides)
    assert field in refused.value.errors
    stakeholder.refresh_from_db()
    assert (stakeholder.interest, stakeholder.influence, stakeholder.level) == (4, 2, "raadplegen")
    assert stakeholder.ratings.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"interest": 0}, "interest"),
        ({"influence": 6}, "influence"),
        ({"level": "onbekend"}, "level"),
        ({"name": ""}, "name"),
        ({"name": "\x07"}, "name"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_new_stakeholders_are_refused_and_nothing_is_stored(
    programme, team_member, overrides, field
):
    data = {
        "name": "Netbeheerder",
        "kind": "organisatie",
        "interest": 2,
        "influence": 4,
        "level": "informeren",
        "direction": "top_down",
        "reason": "Aansluiting warmtenet",
    }
    data.update(overrides)
    with pytest.raises(InvalidInput) as refused:
        services.stakeholder_create(actor=team_member, programme=programme, **data)
    assert field in refused.value.errors
    assert not Stakeholder.objects.exists() and not StakeholderRating.objects.exists()


def test_only_the_team_changes_the_field(stakeholder, brabant, outsider, admin_user):
    _koffertje, region_member = brabant
    for actor in (outsider, region_member):
        with pytest.raises(NotAllowed):
            rate(stakeholder, actor)
        with pytest.raises(NotAllowed):
            services.stakeholder_person_add(actor=actor, stakeholder=stakeholder, name="X")
    rate(stakeholder, admin_user)  # platform staff count as every programme's team
    assert stakeholder.ratings.count() == 2


def test_a_pilot_of_another_programme_is_refused(programme, team_member):
    from tests.factories import MembershipFactory, ProgrammeFactory

    other = ProgrammeFactory(name="Ander programma", slug="ander")
    other_team = MembershipFactory(programme=other).user
    pilot = make_pilot(other, other_team)
    with pytest.raises(InvalidInput) as refused:
        services.stakeholder_create(
            actor=team_member,
            programme=programme,
            pilot=pilot,
            name="Gemeente",
            kind="organisatie",
            interest=3,
            influence=5,
            level="adviseren",
            direction="top_down",
            reason="Kaders",
        )
    assert "pilot" in refused.value.errors


# Pages -----------------------------------------------------------------------------------------


def field_url(programme):
    return reverse("anchoring:stakeholders", kwargs={"slug": programme.slug})


def test_the_team_re_rates_on_the_page_and_the_grid_draws_the_path(
    client, stakeholder, team_member
):
    client.force_login(team_member)
    url = reverse(
        "anchoring:stakeholder_rate",
        kwargs={"slug": stakeholder.programme.slug, "pk": stakeholder.pk},
    )
    response = client.post(
        url,
        {
            "interest": 5,
            "influence": 4,
            "level": "meebeslissen",
            "direction": "bottom_up",
            "reason": "Formaliseermoment",
        },
    )
    assert response.status_code == 302
    html = client.get(field_url(stakeholder.programme)).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert '<title id="veld-title">' in svg and '<desc id="veld-desc">' in svg
    # The path: a line from the first rating (4, 2) to the current one (5, 4), an earlier dot.
    assert "<polyline" in svg and svg.count('class="bp-grid__earlier"') == 1
    assert "belang/invloed 4/2" in svg and "→ 5/4" in svg
    assert f'href="{stakeholder.get_absolute_url()}"' in svg
    # The same data as a table.
    assert re.search(r"4/2 <small>\([^)]*\)</small> → 5/4", html)
    detail = client.get(stakeholder.get_absolute_url()).content.decode()
    assert "Formaliseermoment" in detail and "Bewoners nemen het initiatief" in detail


def test_the_page_refuses_interest_6_and_an_unknown_level_in_dutch(
    client, stakeholder, team_member
):
    client.force_login(team_member)
    url = reverse(
        "anchoring:stakeholder_rate",
        kwargs={"slug": stakeholder.programme.slug, "pk": stakeholder.pk},
    )
    response = client.post(
        url,
        {
            "interest": 6,
            "influence": 0,
            "level": "manipuleren",
            "direction": "bottom_up",
            "reason": "",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Zorg ervoor dat deze waarde hoogstens 5 is." in html
    assert "Zorg ervoor dat deze waarde minstens 1 is." in html
    assert "Selecteer een geldige keuze" in html and "Dit veld is verplicht." in html
    assert stakeholder.ratings.count() == 1


def test_the_team_adds_a_stakeholder_on_the_page(client, programme, team_member):
    client.force_login(team_member)
    response = client.post(
        field_url(programme),
        {
            "name": "Woningcorporatie",
            "kind": "organisatie",
            "interest": 4,
            "influence": 4,
            "level": "coproduceren",
            "direction": "klassiek",
            "notes": "",
            "reason": "Isolatie",
        },
    )
    assert response.status_code == 302
    created = Stakeholder.objects.get()
    assert created.ratings.get().reason == "Isolatie"
    response = client.post(
        field_url(programme),
        {
            "name": "Netbeheerder",
            "kind": "organisatie",
            "interest": 0,
            "influence": 4,
            "level": "informeren",
            "direction": "top_down",
            "reason": "x",
        },
    )
    assert response.status_code == 422 and Stakeholder.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "field", "detail", "persons"),
    [
        ("visitor", 302, 302, False),
        ("outsider", 200, 200, False),
        ("region", 200, 200, False),
        ("team", 200, 200, True),
        ("staff", 200, 200, True),
    ],
)
def test_named_persons_are_for_the_team_only(
    client, stakeholder, team_member, outsider, brabant, admin_user, who, field, detail, persons
):
    services.stakeholder_person_add(
        actor=team_member, stakeholder=stakeholder, name="Marieke Wijkregisseur", role="Trekker"
    )
    user = {
        "outsider": outsider,
        "region": brabant[1],
        "team": team_member,
        "staff": admin_user,
    }.get(who)
    if user:
        client.force_login(user)
    for url, status in (
        (field_url(stakeholder.programme), field),
        (stakeholder.get_absolute_url(), detail),
    ):
        response = client.get(url)
        assert response.status_code == status
        assert ("Marieke Wijkregisseur" in response.content.decode()) is persons
    # Only the team may post: a member's POST to the team's forms is refused, nothing stored.
    if who in ("outsider", "region"):
        rate_url = reverse(
            "anchoring:stakeholder_rate",
            kwargs={"slug": stakeholder.programme.slug, "pk": stakeholder.pk},
        )
        person_url = reverse(
            "anchoring:stakeholder_person",
            kwargs={"slug": stakeholder.programme.slug, "pk": stakeholder.pk},
        )
        assert (
            client.post(
                rate_url,
                {
                    "interest": 1,
                    "influence": 1,
                    "level": "informeren",
                    "direction": "top_down",
                    "reason": "x",
                },
            ).status_code
            == 403
        )
        assert client.post(person_url, {"name": "Spion"}).status_code == 403
        assert client.post(field_url(stakeholder.programme), {"name": "X"}).status_code == 403
        assert stakeholder.ratings.count() == 1 and StakeholderPerson.objects.count() == 1


def test_a_stakeholder_not_re_rated_for_the_set_period_is_flagged(
    client, settings, stakeholder, team_member
):
    client.force_login(team_member)
    settings.STAKEHOLDER_RERATE_DAYS = 30
    assert not stakeholder.is_stale()
    Stakeholder.objects.filter(pk=stakeholder.pk).update(
        rated_at=timezone.now() - datetime.timedelta(days=31)
    )
    html = client.get(field_url(stakeholder.programme)).content.decode()
    assert 'data-stale="1"' in html and "Langer dan 30 dagen niet opnieuw ingeschat" in html
    assert "niet recent opnieuw ingeschat" in html  # in the grid's mark too
    settings.STAKEHOLDER_RERATE_DAYS = 60
    html = client.get(field_url(stakeholder.programme)).content.decode()
    assert 'data-stale="1"' not in html
    # Re-rating clears the flag.
    settings.STAKEHOLDER_RERATE_DAYS = 30
    rate(stakeholder, team_member)
    assert 'data-stale="1"' not in client.get(field_url(stakeholder.programme)).content.decode()


def test_the_field_filters_by_pilot(client, programme, team_member, stakeholder):
    pilot = make_pilot(programme, team_member)
    services.stakeholder_create(
        actor=team_member,
        programme=programme,
        pilot=pilot,
        name="Netbeheerder",
        kind="organisatie",
        interest=2,
        influence=4,
        level="informeren",
        direction="top_down",
        reason="Aansluiting",
    )
    client.force_login(team_member)
    html = client.get(field_url(programme), {"pilot": pilot.pk}).content.decode()
    assert "Netbeheerder" in html and "Bewonerscollectief" not in html
    html = client.get(field_url(programme), {"pilot": "x"}).content.decode()
    assert "Netbeheerder" in html and "Bewonerscollectief" in html


# API -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("visitor", 401), ("outsider", 403), ("region", 403), ("team", 200)]
)
def test_the_api_gives_the_field_to_the_team_only(
    api, stakeholder, team_member, outsider, brabant, who, status
):
    services.stakeholder_person_add(actor=team_member, stakeholder=stakeholder, name="Marieke")
    rate(stakeholder, team_member)
    user = {"outsider": outsider, "region": brabant[1], "team": team_member}.get(who)
    response = api(user).get(f"/programmes/{stakeholder.programme_id}/stakeholders")
    assert response.status_code == status
    body = response.json()
    if status != 200:
        assert "detail" in body and "Marieke" not in response.content.decode()
        return
    assert body["count"] == 1
    item = body["items"][0]
    assert {k: item[k] for k in ("name", "interest", "influence", "level", "direction")} == {
        "name": "Bewonerscollectief",
        "interest": 5,
        "influence": 3,
        "level": "coproduceren",
        "direction": "bottom_up",
    }
    assert [(h["interest"], h["influence"], h["reason"]) for h in item["history"]] == [
        (4, 2, "Bewoners nemen het initiatief"),
        (5, 3, "Coöperatie opgericht"),
    ]
    assert item["persons"] == [{"name": "Marieke", "role": ""}]


def test_the_api_answers_404_and_422_for_bad_ids(api, team_member):
    assert api(team_member).get("/programmes/999999/stakeholders").status_code == 404
    assert api(team_member).get("/programmes/abc/stakeholders").status_code == 422
    assert api(team_member).get("/programmes/99999999999999999999/stakeholders").status_code == 422


def test_the_team_removes_a_named_person_after_confirming(
    client, stakeholder, team_member, outsider
):
    person = services.stakeholder_person_add(
        actor=team_member, stakeholder=stakeholder, name="Marieke"
    )
    url = reverse(
        "anchoring:stakeholder_person_remove",
        kwargs={"slug": stakeholder.programme.slug, "pk": stakeholder.pk, "person": person.pk},
    )
    client.force_login(outsider)
    assert client.post(url, {"bevestigd": "1"}).status_code == 403
    client.force_login(team_member)
    assert "Contactpersoon verwijderen?" in client.get(url).content.decode()
    client.post(url)
    assert StakeholderPerson.objects.filter(pk=person.pk).exists()
    assert client.post(url, {"bevestigd": "1"}).status_code == 302
    assert not StakeholderPerson.objects.exists()
