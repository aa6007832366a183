"""Programme governance: regions, partners with a role, governance bodies (members, cadence,
meetings) and a timeline, on the programme page and in GET /programmes/{id}; seed 002's demo."""

import datetime

import pytest

from bouwplaats.accounts import demo as accounts_demo
from bouwplaats.core.errors import InvalidInput
from bouwplaats.core.validation import validate_instance
from bouwplaats.programmes import demo
from bouwplaats.programmes.models import (
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    Programme,
    ProgrammeMilestone,
    ProgrammePartner,
    Region,
)
from tests.factories import OrganisationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def governed():
    programme = ProgrammeFactory(name="Intensivering", slug="intensivering")
    programme.regions.add(Region.objects.create(name="Regio Twente", slug="twente"))
    tu = OrganisationFactory(name="TU Delft", kind="kennisinstelling")
    ProgrammePartner.objects.create(programme=programme, organisation=tu,
                                    role="Coördinerende kennispartner")  # fmt: skip
    for position, (kind, name, cadence) in enumerate(
        [("bestuurlijk_platform", "Bestuurlijk platform", "Eén keer per jaar"),
         ("stuurgroep", "Stuurgroep", "Maandelijks")]
    ):  # fmt: skip
        body = GovernanceBody.objects.create(programme=programme, kind=kind, name=name,
                                             cadence=cadence, position=position,
                                             description="Bewaakt **op hoofdlijnen**.")  # fmt: skip
        GovernanceMember.objects.create(body=body, name=f"Voorzitter {name}", role="voorzitter",
                                        organisation=tu)  # fmt: skip
        GovernanceMeeting.objects.create(body=body, date=datetime.date(2018, 3, 1 + position))
    ProgrammeMilestone.objects.create(programme=programme, date=datetime.date(2020, 10, 1),
                                      title="Evaluatie in het vierde jaar")  # fmt: skip
    return programme


def test_page_shows_aansturing_en_uitvoering(client, governed, django_assert_num_queries):
    url = f"/programmas/{governed.slug}/"
    client.get(url)
    # programme, themes, regions, timeline, team, bodies, their members, the members'
    # organisations, meetings, partners with organisations: none per body or member; the
    # sections of events (upcoming sessions), newsletters (its lists), knowledge (its
    # items and questions) and projects (its open calls).
    with django_assert_num_queries(15):
        html = client.get(url).content.decode()
    assert "Aansturing en uitvoering" in html
    assert html.index("Bestuurlijk platform") < html.index("Stuurgroep")
    assert "Eén keer per jaar" in html and "Maandelijks" in html
    assert "<strong>op hoofdlijnen</strong>" in html
    assert "Voorzitter Stuurgroep (voorzitter), TU Delft" in html
    assert "1 maart 2018" in html and "Regio Twente" in html
    assert "Coördinerende kennispartner" in html and "Evaluatie in het vierde jaar" in html


def test_api_programme_with_governance(api, governed):
    body = api().get(f"/programmes/{governed.pk}").json()
    assert body["regions"] == ["Regio Twente"]
    assert body["partners"] == [
        {
            "organisation": "TU Delft",
            "kind": "kennisinstelling",
            "role": "Coördinerende kennispartner",
        }
    ]
    first = body["governance_bodies"][0]
    assert (first["kind"], first["name"], first["cadence"]) == (
        "bestuurlijk_platform", "Bestuurlijk platform", "Eén keer per jaar",
    )  # fmt: skip
    assert first["members"] == [
        {
            "name": "Voorzitter Bestuurlijk platform",
            "role": "voorzitter",
            "organisation": "TU Delft",
        }
    ]
    assert first["meetings"] == [{"date": "2018-03-01", "note": ""}]
    assert body["timeline"] == [{"date": "2020-10-01", "title": "Evaluatie in het vierde jaar"}]


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda p: GovernanceBody(programme=p, kind="stuurgroep", name="a\nb"), "name"),
        (lambda p: GovernanceBody(programme=p, kind="raad", name="Raad"), "kind"),
        (lambda p: GovernanceBody(programme=p, kind="anders", name="X", cadence="a\rb"), "cadence"),
        (lambda p: ProgrammeMilestone(programme=p, date=datetime.date(1800, 1, 1), title="X"),
         "date"),
        (lambda p: Region(name="Twente\x00", slug="t"), "name"),
    ],
)  # fmt: skip
def test_governance_rules_live_on_the_models(make, field):
    programme = ProgrammeFactory()
    with pytest.raises(InvalidInput) as exc:
        validate_instance(make(programme))
    assert field in exc.value.errors


def test_demo_governance_from_seed_002():
    accounts_demo.load()
    demo.load()
    demo.load()  # idempotent
    programme = Programme.objects.get(name=demo.INTENSIVERING)
    kinds = list(programme.governance_bodies.values_list("kind", "cadence"))
    assert kinds == [
        ("bestuurlijk_platform", "Eén keer per jaar (of vaker indien gewenst)"),
        ("stuurgroep", "Maandelijks, met de programmadirecteur"),
        ("programmadirectie", ""),
        ("programmateam", ""),
    ]
    partner = programme.partners.get(organisation__name="TU Delft")
    assert partner.role.startswith("Coördinerende rol")
    assert programme.timeline.count() == 4
    assert GovernanceMember.objects.filter(body__programme=programme).count() == 5
