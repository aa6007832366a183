"""What residents read: the owners' public contact (demo filled in, no promise without one),
residents' words on the initiative form, and no links to the members' map they cannot open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import demo, services
from bouwplaats.planning.models import Work
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROMISE = "wie u vragen kunt stellen"


def test_demo_organisations_have_a_public_contact_shown_on_their_works(client):
    demo.load()
    contacts = dict(Organisation.objects.values_list("name", "contact"))
    assert "14 0318" in contacts["Gemeente Ede"]
    for name in ["Liander", "Vitens", "Woonstede"]:
        assert contacts[name], name
    work = Work.objects.get(external_id="KIP-WB-001")
    html = client.get(work.get_absolute_url()).content.decode()
    assert PROMISE in html
    assert "14 0318" in html
    assert '<a href="http://www.ede.nl"' in html
    # Loading again keeps them.
    demo.load()
    assert Organisation.objects.get(name="Gemeente Ede").contact == contacts["Gemeente Ede"]


def test_without_a_public_contact_the_page_promises_no_one_to_ask(client, ede_work):
    assert ede_work.owner.contact == ""
    html = client.get(ede_work.get_absolute_url()).content.decode()
    assert PROMISE not in html
    assert "wie het werk uitvoert" in html


def test_a_joint_work_shows_each_owners_contact(client, ede, liander, ede_work, liander_work):
    Organisation.objects.filter(pk=ede.pk).update(contact="Telefoon 14 0318")
    Organisation.objects.filter(pk=liander.pk).update(contact="Storing: 0800 9009")
    request = services.combination_request_send(
        actor=ede_work.created_by,
        from_work=ede_work,
        to_work=liander_work,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )
    services.combination_request_accept(actor=liander_work.created_by, request=request)
    html = client.get(ede_work.get_absolute_url()).content.decode()
    assert "Telefoon 14 0318" in html and "Storing: 0800 9009" in html
    assert PROMISE in html


def _subnav(response) -> str:
    html = response.content.decode()
    return html[html.index('<nav class="bp-subnav"') :].split("</nav>")[0]


def test_residents_get_no_links_to_the_members_map(client, ede_planner):
    resident = UserFactory(organisation=None)
    client.force_login(resident)
    html = _subnav(client.get(reverse("planning:initiatives")))
    assert f'href="{reverse("planning:map")}"' not in html
    assert f'href="{reverse("planning:list")}"' not in html
    assert f'href="{reverse("planning:public")}"' in html
    # A visitor's menu would hold only the page itself: none at all.
    visitor = client.__class__()
    assert "bp-subnav" not in visitor.get(reverse("planning:public")).content.decode()
    client.force_login(ede_planner)
    html = _subnav(client.get(reverse("planning:initiatives")))
    assert f'href="{reverse("planning:map")}"' in html
    assert f'href="{reverse("planning:list")}"' in html


def test_initiative_form_speaks_residents_words(client, ede):
    client.force_login(UserFactory(organisation=None))
    response = client.get(reverse("planning:initiatives"))
    form = response.context["form"]
    assert form["geometry"].label == "Waar? Teken de plek op de kaart"
    assert "GeoJSON" not in str(form["geometry"].help_text)
    html = response.content.decode()
    assert "Geometrie" not in html and "Teken het werk" not in html
    # Nothing drawn and no address: said in the same words.
    data = {
        "owner": ede.pk,
        "title": "Geveltuinen",
        "start": "2027-04-01",
        "end": "2027-04-02",
        "geometry": "",
    }
    errors = client.post(reverse("planning:initiatives"), data).context["form"].errors
    assert errors["geometry"] == ["Teken de plek op de kaart of vul een adres of postcode in."]


def test_the_work_form_keeps_the_planners_words(client, ede_planner):
    client.force_login(ede_planner)
    form = client.get(reverse("planning:create")).context["form"]
    assert form["geometry"].label == "Geometrie (GeoJSON)"
