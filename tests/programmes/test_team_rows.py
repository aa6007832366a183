"""The programme team's pages share one form handler and one service helper: the edit page's
checkbox lists are groups with a legend, every team write is in the audit log, a refused one
stores nothing and records nothing, and each row page leads back to where it is listed."""

import datetime
import re

import pytest

from bouwplaats.core.audit import action_label
from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.models import AuditEntry
from bouwplaats.programmes import services
from bouwplaats.programmes.models import GovernanceBody, ProgrammeMilestone, Region
from tests.factories import OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_themes_and_regions_are_groups_named_by_a_legend(client, programme, team_member):
    ThemeFactory(name="Mobiliteit", slug="mobiliteit")
    Region.objects.create(name="Regio Twente", slug="twente")
    client.force_login(team_member)
    html = client.get(f"/programmas/{programme.slug}/bewerken/").content.decode()
    for legend, choice in (("Thema", "Mobiliteit"), ("Regio", "Regio Twente")):
        group = re.search(rf"<fieldset[^>]*>\s*<legend>{legend}[^<]*<.*?</fieldset>", html, re.S)
        assert group, legend
        assert choice in group.group(0) and 'type="checkbox"' in group.group(0)
    # A plain field keeps its own label, outside any group.
    assert '<label for="id_summary">' in html


def test_a_refused_theme_is_linked_from_the_summary_to_its_first_box(client, programme,
                                                                    team_member):  # fmt: skip
    ThemeFactory(name="Mobiliteit", slug="mobiliteit")
    client.force_login(team_member)
    html = client.post(f"/programmas/{programme.slug}/bewerken/",
                       {"summary": "Kort", "themes": ["999999"]}).content.decode()  # fmt: skip
    assert 'href="#id_themes_0"' in html and 'id="id_themes_0"' in html
    group = re.search(r"<fieldset[^>]*>\s*<legend>Thema", html).group(0)
    assert "id_themes_errors" in group.split("aria-describedby=")[1]


def test_every_team_write_is_in_the_audit_log(programme, team_member):
    tu = OrganisationFactory(name="TU Delft", kind="kennisinstelling")
    day = datetime.date(2020, 10, 1)
    milestone = services.milestone_create(actor=team_member, programme=programme, date=day,
                                          title="Evaluatie")  # fmt: skip
    services.milestone_update(actor=team_member, milestone=milestone, date=day, title="Start")
    partner = services.partner_create(actor=team_member, programme=programme, organisation=tu,
                                      role="Kennispartner")  # fmt: skip
    body = services.governance_body_create(actor=team_member, programme=programme,
                                           kind="stuurgroep", name="", cadence="")  # fmt: skip
    member = services.governance_member_create(actor=team_member, body=body, name="Wethouders",
                                               role="lid")  # fmt: skip
    meeting = services.governance_meeting_create(actor=team_member, body=body, date=day)
    services.governance_meeting_delete(actor=team_member, meeting=meeting)
    services.governance_member_delete(actor=team_member, member=member)
    services.partner_delete(actor=team_member, partner=partner)
    services.milestone_delete(actor=team_member, milestone=milestone)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == [
        "programmes.milestone.created", "programmes.milestone.updated",
        "programmes.partner.created", "programmes.body.created", "programmes.member.created",
        "programmes.meeting.created", "programmes.meeting.deleted", "programmes.member.deleted",
        "programmes.partner.deleted", "programmes.milestone.deleted",
    ]  # fmt: skip
    assert {e.actor for e in entries} == {team_member}
    assert {e.data["programme"] for e in entries} == {programme.pk}
    assert entries[2].object_id == str(partner.pk)
    # The log reads them in Dutch.
    assert str(action_label("programmes.partner.created")) == "Partner aangemaakt (Programma's)"
    assert str(action_label("programmes.body.deleted")) == "Orgaan verwijderd (Programma's)"
    assert str(action_label("programmes.meeting.updated")).startswith("Vergaderdatum gewijzigd")


def test_a_refused_write_stores_and_records_nothing(programme, team_member, member):
    with pytest.raises(NotAllowed):
        services.governance_body_create(actor=member, programme=programme, kind="stuurgroep",
                                        name="", cadence="")  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        services.milestone_create(actor=team_member, programme=programme,
                                  date=datetime.date(2020, 1, 1), title="x" * 10_000)  # fmt: skip
    assert exc.value.code == "title"
    assert not GovernanceBody.objects.exists() and not ProgrammeMilestone.objects.exists()
    assert not AuditEntry.objects.exists()


def test_programme_edit_is_recorded(client, programme, team_member):
    client.force_login(team_member)
    client.post(f"/programmas/{programme.slug}/bewerken/", {"summary": "Kort"})
    assert AuditEntry.objects.get().action == "programmes.programme.updated"


def test_texts_are_stripped_and_new_rows_go_last(programme, team_member):
    first = services.governance_body_create(
        actor=team_member, programme=programme, kind="anders", name="  Klankbord ", cadence=" "
    )
    second = services.governance_body_create(actor=team_member, programme=programme,
                                             kind="stuurgroep", name="", cadence="")  # fmt: skip
    assert (first.name, first.cadence, first.position) == ("Klankbord", "", 0)
    assert (second.name, second.position) == ("Stuurgroep", 1)


@pytest.mark.parametrize(
    ("path", "crumb"),
    [
        ("tijdlijn/nieuw/", "Tijdlijn"),
        ("partners/nieuw/", "Partners"),
        ("aansturing/nieuw/", "Aansturing en uitvoering"),
        ("aansturing/{body}/leden/nieuw/", "Stuurgroep"),
        ("aansturing/{body}/vergaderingen/nieuw/", "Stuurgroep"),
    ],
)
def test_each_form_leads_back_to_its_list(client, programme, team_member, path, crumb):
    body = GovernanceBody.objects.create(programme=programme, kind="stuurgroep", name="Stuurgroep")
    client.force_login(team_member)
    html = client.get(f"/programmas/{programme.slug}/" + path.format(body=body.pk)).content
    nav = re.search(r'<nav aria-label="Kruimelpad"[^>]*>(.*?)</nav>', html.decode(), re.S)
    assert nav.group(1).rstrip().endswith(f">{crumb}</a>")
    assert f"· {programme.name} — Bouwplaats</title>" in html.decode()
