"""The programme team edits its own programme page's themes, regions and timeline, no admin
needed (issue 12, deliverable 1)."""

import datetime

import pytest

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.programmes import services
from bouwplaats.programmes.models import (
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    ProgrammeMilestone,
    ProgrammePartner,
    Region,
    Theme,
)
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GOOD = {
    "summary": "Kennis opbouwen en verankeren",
    "description": "",
    "period_note": "",
    "start_date": "2017-10-01",
    "end_date": "2021-10-01",
}


@pytest.fixture
def other_team_member(db):
    other = ProgrammeFactory(name="Goedopweg", slug="goedopweg")
    return MembershipFactory(programme=other, user=UserFactory(full_name="Anna Smit")).user


@pytest.fixture
def staff(db):
    return UserFactory(full_name="Beheerder", is_staff=True)


@pytest.fixture
def choices(db):
    return {
        "theme": ThemeFactory(name="Mobiliteit", slug="mobiliteit"),
        "other_theme": ThemeFactory(name="Energie", slug="energie"),
        "region": Region.objects.create(name="Regio Twente", slug="twente"),
    }


def _who(name, member, other_team_member, team_member, staff):
    return {"visitor": None, "member": member, "other_team": other_team_member,
            "team": team_member, "staff": staff}[name]  # fmt: skip


ACCESS = [("visitor", 302), ("member", 403), ("other_team", 403), ("team", 200), ("staff", 200)]


def test_team_chooses_themes_and_regions_on_the_edit_page(client, programme, team_member, choices):
    client.force_login(team_member)
    url = f"/programmas/{programme.slug}/bewerken/"
    html = client.get(url).content.decode()
    assert 'type="checkbox" name="themes"' in html and "Regio Twente" in html
    data = {**GOOD, "themes": [choices["theme"].pk], "regions": [choices["region"].pk]}
    html = client.post(url, data, follow=True).content.decode()
    assert "De programmapagina is bijgewerkt" in html
    assert "Mobiliteit" in html and "Regio Twente" in html and "Energie" not in html
    assert list(programme.themes.all()) == [choices["theme"]]
    # Unticking all removes them.
    client.post(url, GOOD)
    assert not programme.themes.exists() and not programme.regions.exists()


def test_an_unknown_theme_is_refused_beside_the_field(client, programme, team_member, choices):
    client.force_login(team_member)
    response = client.post(f"/programmas/{programme.slug}/bewerken/", {**GOOD, "themes": [999999]})
    assert 'id="id_themes_errors"' in response.content.decode()
    assert not programme.themes.exists()


def test_service_refuses_an_unstored_theme_and_stores_nothing(programme, team_member, choices):
    with pytest.raises(InvalidInput) as exc:
        services.programme_update(actor=team_member, programme=programme, summary="Nieuw",
                                  description="", period_note="", start_date=None, end_date=None,
                                  themes=[choices["theme"], Theme(name="Los")])  # fmt: skip
    assert exc.value.code == "themes"
    programme.refresh_from_db()
    assert programme.summary != "Nieuw" and not programme.themes.exists()


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_edit_page_access(client, programme, member, other_team_member, team_member, staff, who,
                          status, choices):  # fmt: skip
    user = _who(who, member, other_team_member, team_member, staff)
    if user:
        client.force_login(user)
    url = f"/programmas/{programme.slug}/bewerken/"
    assert client.get(url).status_code == status
    response = client.post(url, {**GOOD, "themes": [choices["theme"].pk]})
    assert response.status_code == (302 if status == 200 else status)
    assert programme.themes.exists() == (status == 200)


MILESTONE = {"date": "2020-10-01", "title": "Evaluatie in het vierde jaar", "text": "Met de regio."}


@pytest.fixture
def milestone(programme):
    return ProgrammeMilestone.objects.create(
        programme=programme, date=datetime.date(2017, 10, 1), title="Start van het programma"
    )


def test_team_adds_edits_and_removes_milestones(client, programme, team_member):
    client.force_login(team_member)
    timeline = f"/programmas/{programme.slug}/tijdlijn/"
    assert timeline in client.get(f"/programmas/{programme.slug}/bewerken/").content.decode()
    assert "De tijdlijn heeft nog geen mijlpalen." in client.get(timeline).content.decode()
    html = client.post(timeline + "nieuw/", MILESTONE, follow=True).content.decode()
    assert "De tijdlijn is bijgewerkt." in html and "donderdag 1 oktober 2020" in html
    milestone = ProgrammeMilestone.objects.get(programme=programme)
    assert milestone.text == "Met de regio."
    client.post(f"{timeline}{milestone.pk}/", {**MILESTONE, "title": "Evaluatie", "text": ""})
    milestone.refresh_from_db()
    assert (milestone.title, milestone.text) == ("Evaluatie", "")
    remove = f"{timeline}{milestone.pk}/verwijderen/"
    html = client.get(remove).content.decode()
    assert "Mijlpaal verwijderen?" in html and "Ja, verwijder de mijlpaal" in html
    client.post(remove)  # without the confirmation field nothing happens
    assert ProgrammeMilestone.objects.filter(pk=milestone.pk).exists()
    html = client.post(remove, {"bevestigd": "1"}, follow=True).content.decode()
    assert "De mijlpaal ‘Evaluatie’ is verwijderd." in html
    assert not ProgrammeMilestone.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "x" * 10_000}, "title"),
        ({"text": "x" * 10_000}, "text"),
        ({"title": "bel\x07"}, "title"),
        ({"text": "nul\x00"}, "text"),
        ({"date": "0001-01-01"}, "date"),
        ({"date": "9999-12-31"}, "date"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_milestones_are_refused_beside_the_field(client, programme, team_member, milestone,
                                                    change, field):  # fmt: skip
    client.force_login(team_member)
    timeline = f"/programmas/{programme.slug}/tijdlijn/"
    for url in (timeline + "nieuw/", f"{timeline}{milestone.pk}/"):
        response = client.post(url, {**MILESTONE, **change})
        assert response.status_code == 200
        assert f'id="id_{field}_errors"' in response.content.decode()
    assert list(ProgrammeMilestone.objects.values_list("title", flat=True)) == [milestone.title]


def test_service_refuses_a_bad_milestone(programme, team_member):
    with pytest.raises(InvalidInput) as exc:
        services.milestone_create(actor=team_member, programme=programme,
                                  date=datetime.date(1, 1, 1), title="Oud")  # fmt: skip
    assert exc.value.code == "date" and not ProgrammeMilestone.objects.exists()


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_timeline_access(client, programme, member, other_team_member, team_member, staff,
                         milestone, who, status):  # fmt: skip
    user = _who(who, member, other_team_member, team_member, staff)
    if user:
        client.force_login(user)
    timeline = f"/programmas/{programme.slug}/tijdlijn/"
    for url in (timeline, timeline + "nieuw/", f"{timeline}{milestone.pk}/",
                f"{timeline}{milestone.pk}/verwijderen/"):  # fmt: skip
        assert client.get(url).status_code == status
    posted = 302 if status == 200 else status
    assert client.post(timeline + "nieuw/", MILESTONE).status_code == posted
    assert client.post(f"{timeline}{milestone.pk}/", MILESTONE).status_code == posted
    assert ProgrammeMilestone.objects.filter(title=MILESTONE["title"]).count() == (
        2 if status == 200 else 0
    )
    response = client.post(f"{timeline}{milestone.pk}/verwijderen/", {"bevestigd": "1"})
    assert response.status_code == posted
    assert ProgrammeMilestone.objects.filter(pk=milestone.pk).exists() == (status != 200)


def test_a_milestone_of_another_programme_is_not_found(client, programme, team_member):
    other = ProgrammeFactory(name="Goedopweg", slug="goedopweg")
    foreign = ProgrammeMilestone.objects.create(programme=other, date=datetime.date(2020, 1, 1),
                                                title="Elders")  # fmt: skip
    client.force_login(team_member)
    base = f"/programmas/{programme.slug}/tijdlijn/{foreign.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(base + "verwijderen/", {"bevestigd": "1"}).status_code == 404
    assert ProgrammeMilestone.objects.filter(pk=foreign.pk).exists()


def test_programme_page_shows_the_edits(client, programme, team_member, choices,
                                       django_assert_num_queries):  # fmt: skip
    client.force_login(team_member)
    base = f"/programmas/{programme.slug}/"
    client.post(base + "bewerken/", {**GOOD, "themes": [choices["theme"].pk],
                                     "regions": [choices["region"].pk]})  # fmt: skip
    client.post(base + "tijdlijn/nieuw/", MILESTONE)
    client.post(base + "tijdlijn/nieuw/", {**MILESTONE, "date": "2017-10-01", "title": "Start"})
    client.logout()
    client.get(base)
    # The timeline, themes and regions are one prefetch each, not one per row (no governance
    # bodies here, so no member/meeting prefetches: 12 rather than test_governance's 14).
    with django_assert_num_queries(12):
        html = client.get(base).content.decode()
    assert "Mobiliteit" in html and "Regio Twente" in html
    assert html.index("Start") < html.index("Evaluatie in het vierde jaar")
    assert "donderdag 1 oktober 2020" in html and "Met de regio." in html


@pytest.fixture
def organisations(db):
    return {
        "tu": OrganisationFactory(name="TU Delft", kind="kennisinstelling"),
        "twente": OrganisationFactory(name="Regio Twente", kind="regio"),
    }


def test_team_adds_edits_and_removes_partners(client, programme, team_member, organisations):
    client.force_login(team_member)
    partners = f"/programmas/{programme.slug}/partners/"
    assert partners in client.get(f"/programmas/{programme.slug}/bewerken/").content.decode()
    assert "Dit programma heeft nog geen partners." in client.get(partners).content.decode()
    tu = organisations["tu"]
    data = {"organisation": tu.pk, "role": "Coördinerende kennispartner"}
    html = client.post(partners + "nieuw/", data, follow=True).content.decode()
    assert "De partners zijn bijgewerkt." in html and "Coördinerende kennispartner" in html
    partner = ProgrammePartner.objects.get(programme=programme)
    # The same organisation a second time is refused beside the field.
    html = client.post(partners + "nieuw/", data).content.decode()
    assert 'id="id_organisation_errors"' in html and "al partner van dit programma" in html
    client.post(f"{partners}{partner.pk}/", {**data, "role": "Kennispartner"})
    partner.refresh_from_db()
    assert partner.role == "Kennispartner"
    html = client.get(f"/programmas/{programme.slug}/").content.decode()
    assert "TU Delft" in html and "Kennispartner" in html
    remove = f"{partners}{partner.pk}/verwijderen/"
    assert "Ja, verwijder de partner" in client.get(remove).content.decode()
    client.post(remove)
    assert ProgrammePartner.objects.filter(pk=partner.pk).exists()
    html = client.post(remove, {"bevestigd": "1"}, follow=True).content.decode()
    assert "‘TU Delft’ is geen partner meer." in html
    assert not ProgrammePartner.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "x" * 10_000}, "role"),
        ({"role": "tab\tregel\x1b"}, "role"),
        ({"organisation": "999999"}, "organisation"),
        ({"organisation": ""}, "organisation"),
    ],
)
def test_bad_partners_are_refused_beside_the_field(client, programme, team_member, organisations,
                                                  change, field):  # fmt: skip
    client.force_login(team_member)
    data = {"organisation": organisations["tu"].pk, "role": "Kennispartner", **change}
    response = client.post(f"/programmas/{programme.slug}/partners/nieuw/", data)
    assert response.status_code == 200
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not ProgrammePartner.objects.exists()


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_partner_access(client, programme, member, other_team_member, team_member, staff,
                        organisations, who, status):  # fmt: skip
    partner = ProgrammePartner.objects.create(
        programme=programme, organisation=organisations["twente"], role="Regio"
    )
    user = _who(who, member, other_team_member, team_member, staff)
    if user:
        client.force_login(user)
    base = f"/programmas/{programme.slug}/partners/"
    for url in (base, base + "nieuw/", f"{base}{partner.pk}/", f"{base}{partner.pk}/verwijderen/"):
        assert client.get(url).status_code == status
    posted = 302 if status == 200 else status
    data = {"organisation": organisations["tu"].pk, "role": "Kennispartner"}
    assert client.post(base + "nieuw/", data).status_code == posted
    assert ProgrammePartner.objects.filter(role="Kennispartner").exists() == (status == 200)
    response = client.post(f"{base}{partner.pk}/verwijderen/", {"bevestigd": "1"})
    assert response.status_code == posted
    assert ProgrammePartner.objects.filter(pk=partner.pk).exists() == (status != 200)


def test_service_refuses_a_second_partnership(programme, team_member, organisations):
    services.partner_create(actor=team_member, programme=programme,
                            organisation=organisations["tu"], role="")  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        services.partner_create(actor=team_member, programme=programme,
                                organisation=organisations["tu"], role="Nog eens")  # fmt: skip
    assert exc.value.code == "organisation"
    assert ProgrammePartner.objects.count() == 1


BODY = {"kind": "stuurgroep", "name": "", "cadence": "Maandelijks", "description": "Stuurt bij."}


def test_team_builds_a_governance_body(client, programme, team_member, organisations):
    client.force_login(team_member)
    bodies = f"/programmas/{programme.slug}/aansturing/"
    assert bodies in client.get(f"/programmas/{programme.slug}/bewerken/").content.decode()
    html = client.get(bodies).content.decode()
    assert "Dit programma heeft nog geen bestuurlijke organen." in html
    html = client.post(bodies + "nieuw/", BODY, follow=True).content.decode()
    assert "De aansturing is bijgewerkt." in html
    body = GovernanceBody.objects.get(programme=programme)
    assert body.name == "Stuurgroep"  # the kind's label when no name is given
    # "Anders" needs its own name.
    html = client.post(bodies + "nieuw/", {**BODY, "kind": "anders"}).content.decode()
    assert 'id="id_name_errors"' in html and GovernanceBody.objects.count() == 1
    client.post(bodies + "nieuw/", {**BODY, "kind": "anders", "name": "Klankbordgroep"})
    edit = f"{bodies}{body.pk}/"
    html = client.get(edit).content.decode()
    assert "Dit orgaan heeft nog geen leden." in html and "Er zijn nog geen vergaderdata." in html
    member = {"name": "Wethouders", "role": "lid", "organisation": organisations["twente"].pk}
    client.post(edit + "leden/nieuw/", member)
    client.post(edit + "vergaderingen/nieuw/", {"date": "2018-03-01", "note": "Jaarplan"})
    html = client.get(edit).content.decode()
    assert "Wethouders" in html and "donderdag 1 maart 2018" in html
    person, meeting = GovernanceMember.objects.get(), GovernanceMeeting.objects.get()
    client.post(f"{edit}leden/{person.pk}/", {**member, "role": "voorzitter"})
    client.post(f"{edit}vergaderingen/{meeting.pk}/", {"date": "2018-03-08", "note": "Jaarplan"})
    person.refresh_from_db()
    meeting.refresh_from_db()
    assert (person.role, meeting.date) == ("voorzitter", datetime.date(2018, 3, 8))
    html = client.post(f"{edit}vergaderingen/{meeting.pk}/", {"date": "9999-01-01"}).content
    assert b'id="id_date_errors"' in html
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2018, 3, 8)
    client.logout()
    html = client.get(f"/programmas/{programme.slug}/").content.decode()
    assert "Aansturing en uitvoering" in html and "Klankbordgroep" in html
    assert "Maandelijks" in html and "Wethouders" in html and "8 maart 2018" in html
    client.force_login(team_member)
    gone = GovernanceMember.objects.get()
    remove = f"{edit}leden/{gone.pk}/verwijderen/"
    assert "Ja, verwijder het lid" in client.get(remove).content.decode()
    client.post(remove)
    assert GovernanceMember.objects.exists()
    client.post(remove, {"bevestigd": "1"})
    assert not GovernanceMember.objects.exists()
    meeting = GovernanceMeeting.objects.get()
    client.post(f"{edit}vergaderingen/{meeting.pk}/verwijderen/", {"bevestigd": "1"})
    assert not GovernanceMeeting.objects.exists()
    client.post(f"{edit}verwijderen/", {"bevestigd": "1"})
    assert list(GovernanceBody.objects.values_list("name", flat=True)) == ["Klankbordgroep"]


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("nieuw/", {**BODY, "cadence": "x" * 10_000}, "cadence"),
        ("nieuw/", {**BODY, "name": "regel\nbreuk"}, "name"),
        ("nieuw/", {**BODY, "kind": "college"}, "kind"),
        ("{body}/leden/nieuw/", {"name": "x" * 10_000, "role": ""}, "name"),
        ("{body}/leden/nieuw/", {"name": "Wethouders", "role": "\x00"}, "role"),
        ("{body}/vergaderingen/nieuw/", {"date": "0001-01-01", "note": ""}, "date"),
        ("{body}/vergaderingen/nieuw/", {"date": "9999-12-31", "note": ""}, "date"),
        ("{body}/vergaderingen/nieuw/", {"date": "2018-03-01", "note": "\x1b"}, "note"),
    ],
)
def test_bad_governance_input_is_refused_beside_the_field(client, programme, team_member, path,
                                                         data, field):  # fmt: skip
    body = GovernanceBody.objects.create(programme=programme, kind="stuurgroep", name="Stuurgroep")
    client.force_login(team_member)
    url = f"/programmas/{programme.slug}/aansturing/" + path.format(body=body.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert GovernanceBody.objects.count() == 1
    assert not GovernanceMember.objects.exists() and not GovernanceMeeting.objects.exists()


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_governance_access(client, programme, member, other_team_member, team_member, staff, who,
                           status):  # fmt: skip
    body = GovernanceBody.objects.create(programme=programme, kind="stuurgroep", name="Stuurgroep")
    person = GovernanceMember.objects.create(body=body, name="Voorzitter")
    meeting = GovernanceMeeting.objects.create(body=body, date=datetime.date(2018, 3, 1))
    user = _who(who, member, other_team_member, team_member, staff)
    if user:
        client.force_login(user)
    base = f"/programmas/{programme.slug}/aansturing/"
    edit = f"{base}{body.pk}/"
    for url in (base, base + "nieuw/", edit, edit + "verwijderen/", edit + "leden/nieuw/",
                f"{edit}leden/{person.pk}/", f"{edit}vergaderingen/{meeting.pk}/",
                f"{edit}leden/{person.pk}/verwijderen/", edit + "vergaderingen/nieuw/",
                f"{edit}vergaderingen/{meeting.pk}/verwijderen/"):  # fmt: skip
        assert client.get(url).status_code == status
    posted = 302 if status == 200 else status
    assert client.post(edit + "leden/nieuw/", {"name": "Nieuw lid"}).status_code == posted
    assert GovernanceMember.objects.filter(name="Nieuw lid").exists() == (status == 200)
    response = client.post(f"{edit}vergaderingen/{meeting.pk}/verwijderen/", {"bevestigd": "1"})
    assert response.status_code == posted
    response = client.post(edit + "verwijderen/", {"bevestigd": "1"})
    assert response.status_code == posted
    assert GovernanceBody.objects.filter(pk=body.pk).exists() == (status != 200)


def test_a_body_of_another_programme_is_not_found(client, programme, team_member):
    other = ProgrammeFactory(name="Goedopweg", slug="goedopweg")
    body = GovernanceBody.objects.create(programme=other, kind="stuurgroep", name="Stuurgroep")
    client.force_login(team_member)
    url = f"/programmas/{programme.slug}/aansturing/{body.pk}/verwijderen/"
    assert client.post(url, {"bevestigd": "1"}).status_code == 404
    assert GovernanceBody.objects.filter(pk=body.pk).exists()


def test_services_refuse_who_is_not_on_the_team(programme, other_team_member, organisations):
    body = GovernanceBody.objects.create(programme=programme, kind="stuurgroep", name="Stuurgroep")
    person = GovernanceMember.objects.create(body=body, name="Voorzitter")
    meeting = GovernanceMeeting.objects.create(body=body, date=datetime.date(2018, 3, 1))
    milestone = ProgrammeMilestone.objects.create(programme=programme, title="Start",
                                                  date=datetime.date(2017, 10, 1))  # fmt: skip
    partner = ProgrammePartner.objects.create(programme=programme, organisation=organisations["tu"])
    actor = other_team_member
    day = datetime.date(2020, 1, 1)
    calls = [
        lambda: services.milestone_create(actor=actor, programme=programme, date=day, title="X"),
        lambda: services.milestone_update(actor=actor, milestone=milestone, date=day, title="X"),
        lambda: services.milestone_delete(actor=actor, milestone=milestone),
        lambda: services.partner_create(actor=actor, programme=programme,
                                        organisation=organisations["twente"], role=""),
        lambda: services.partner_update(actor=actor, partner=partner,
                                        organisation=organisations["twente"], role="X"),
        lambda: services.partner_delete(actor=actor, partner=partner),
        lambda: services.governance_body_create(actor=actor, programme=programme,
                                                kind="stuurgroep", name="X", cadence=""),
        lambda: services.governance_body_update(actor=actor, body=body, kind="stuurgroep",
                                                name="X", cadence=""),
        lambda: services.governance_body_delete(actor=actor, body=body),
        lambda: services.governance_member_create(actor=actor, body=body, name="X", role=""),
        lambda: services.governance_member_update(actor=actor, member=person, name="X", role=""),
        lambda: services.governance_member_delete(actor=actor, member=person),
        lambda: services.governance_meeting_update(actor=actor, meeting=meeting, date=day),
        lambda: services.governance_meeting_create(actor=actor, body=body, date=day),
        lambda: services.governance_meeting_delete(actor=actor, meeting=meeting),
    ]  # fmt: skip
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
    assert list(ProgrammeMilestone.objects.values_list("title", flat=True)) == ["Start"]
    assert list(ProgrammePartner.objects.values_list("role", flat=True)) == [""]
    assert list(GovernanceBody.objects.values_list("name", flat=True)) == ["Stuurgroep"]
    assert GovernanceMember.objects.count() == 1 and GovernanceMeeting.objects.count() == 1
