"""A programme team adds a region (and so starts its koffertje) by page and API; a named
writer hears so by mail, finds her koffertjes on Mijn Bouwplaats, and koffertjes are found."""

import pytest
from django.urls import reverse

from bouwplaats.anchoring import services
from bouwplaats.anchoring.models import Koffertje
from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.programmes.models import Region
from bouwplaats.search.selectors import search_query
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def list_url(programme):
    return reverse("anchoring:koffertjes", kwargs={"slug": programme.slug})


# Adding a region -----------------------------------------------------------------------------


def test_an_empty_programme_says_what_to_do_and_offers_no_pdf(client, programme, team_member):
    html = client.get(list_url(programme)).content.decode()
    assert "Het programmateam voegt de regio" in html
    assert "Download als PDF" not in html
    assert 'name="region"' not in html
    client.force_login(team_member)
    html = client.get(list_url(programme)).content.decode()
    assert "Voeg hieronder de eerste regio toe" in html
    assert 'name="region"' in html
    assert "Regio toevoegen en koffertje starten" in html
    assert "Download als PDF" not in html


def test_the_pdf_of_an_empty_programme_says_so(client, programme):
    import io

    import pypdf

    response = client.get(reverse("anchoring:koffertjes_pdf", kwargs={"slug": programme.slug}))
    assert response.status_code == 200
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "nog geen regio" in text


def test_the_team_adds_a_region_and_starts_its_koffertje(client, programme, team_member):
    client.force_login(team_member)
    response = client.post(list_url(programme), {"region": "  Regio Twente  "})
    koffertje = Koffertje.objects.get()
    assert koffertje.region.name == "Regio Twente"
    assert koffertje.region.slug == "regio-twente"
    assert list(programme.regions.all()) == [koffertje.region]
    assert response.status_code == 302
    assert response["Location"] == koffertje.get_absolute_url() + "?inrichten=1#inrichten"
    page = client.get(response["Location"]).content.decode()
    assert 'id="inrichten" open' in page
    grid = client.get(list_url(programme)).content.decode()
    assert "Regio Twente" in grid
    assert "Download als PDF" in grid


def test_a_region_of_another_programme_is_reused(programme, team_member):
    twente = Region.objects.create(name="Regio Twente", slug="twente")
    koffertje = services.koffertje_region_add(
        actor=team_member, programme=programme, name="regio twente"
    )
    assert koffertje.region == twente
    assert Region.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Geef de naam van de regio."),
        ("   ", "Geef de naam van de regio."),
        ("x" * 10_000, "hoogstens 100 tekens (nu 10000)"),
        ("Regio\nTwente", "Gebruik geen regeleinden of stuurtekens"),
        ("Regio\x00Twente", "Gebruik geen regeleinden of stuurtekens"),
        ("brabant", "Regio ‘Brabant’ hoort al bij dit programma."),
    ],
)
def test_a_refused_region_name_is_said_beside_the_field(
    client, programme, team_member, brabant, name, message
):
    client.force_login(team_member)
    before = (Region.objects.count(), Koffertje.objects.count())
    response = client.post(list_url(programme), {"region": name})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_region_errors"' in html
    if "\x00" not in name:  # the form's own NUL check says so first ("Null-tekens …")
        assert message.replace("‘", "").split("’")[0][:20] in html.replace("‘", "")
    assert (Region.objects.count(), Koffertje.objects.count()) == before
    with pytest.raises(InvalidInput) as refused:
        services.koffertje_region_add(actor=team_member, programme=programme, name=name)
    assert message in refused.value.errors["region"][0]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Fryslân – Súdwest", "fryslan-sudwest"),
        ("<script>alert(1)</script>", "scriptalert1script"),
        ("🚲🚲", "regio"),
    ],
)
def test_hostile_and_non_ascii_names_are_stored_as_text(client, programme, team_member, name, slug):
    client.force_login(team_member)
    assert client.post(list_url(programme), {"region": name}).status_code == 302
    koffertje = Koffertje.objects.get()
    assert (koffertje.region.name, koffertje.region.slug) == (name, slug)
    html = client.get(list_url(programme)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert client.get(koffertje.get_absolute_url()).status_code == 200


def test_a_clashing_slug_gets_a_number(programme, team_member):
    Region.objects.create(name="Anders gespeld", slug="twente")
    koffertje = services.koffertje_region_add(actor=team_member, programme=programme, name="Twente")
    assert koffertje.region.slug == "twente-2"


def test_only_the_team_adds_a_region(client, programme, brabant, outsider, api):
    _koffertje, member = brabant
    for user in (member, outsider):
        client.force_login(user)
        assert client.post(list_url(programme), {"region": "Twente"}).status_code == 403
        with pytest.raises(NotAllowed):
            services.koffertje_region_add(actor=user, programme=programme, name="Twente")
        response = api(user).post(f"/programmes/{programme.pk}/koffertjes", {"region": "Twente"})
        assert response.status_code == 403
    client.logout()
    assert client.post(list_url(programme), {"region": "Twente"}).status_code == 403
    assert api().post(f"/programmes/{programme.pk}/koffertjes", {"region": "T"}).status_code == 401
    assert not Region.objects.filter(name="Twente").exists()


def test_the_api_adds_a_region(api, programme, team_member, brabant):
    response = api(team_member).post(
        f"/programmes/{programme.pk}/koffertjes", {"region": "Regio Twente"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["region"], body["region_slug"], body["items"]) == (
        "Regio Twente",
        "regio-twente",
        [],
    )
    listed = api().get(f"/programmes/{programme.pk}/koffertjes").json()
    assert [k["region"] for k in listed["items"]] == ["Brabant", "Regio Twente"]
    for name in ["", "x" * 10_000, "a\x00b", "Brabant"]:
        refused = api(team_member).post(f"/programmes/{programme.pk}/koffertjes", {"region": name})
        assert refused.status_code == 422
        assert "region" in refused.json()["errors"]
    assert api(team_member).post(f"/programmes/{programme.pk}/koffertjes", {}).status_code == 422
    assert Koffertje.objects.count() == 2


def test_the_programme_edit_page_points_to_adding_a_region(client, programme, team_member):
    client.force_login(team_member)
    html = client.get(reverse("programmes:edit", kwargs={"slug": programme.slug})).content.decode()
    assert f'href="{list_url(programme)}#regio"' in html


# Writers -----------------------------------------------------------------------------------


def setup_url(programme, koffertje):
    return reverse(
        "anchoring:koffertje_setup",
        kwargs={"slug": programme.slug, "region": koffertje.region.slug},
    )


def test_a_named_writer_gets_a_dutch_mail_with_a_link_once(
    client, programme, brabant, team_member, mailoutbox, django_capture_on_commit_callbacks
):
    koffertje, _member = brabant
    esther = UserFactory(full_name="Esther de Lange", email="esther@example.nl")
    client.force_login(team_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(setup_url(programme, koffertje), {"writers": "esther@example.nl"})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["Esther de Lange <esther@example.nl>"] or mail.to == ["esther@example.nl"]
    assert mail.subject == "[Bouwplaats] U schrijft mee aan het koffertje van Brabant"
    assert "Beste Esther de Lange," in mail.body
    assert "http" in mail.body and koffertje.get_absolute_url() in mail.body
    assert "Mijn Bouwplaats" in mail.body
    # Saving again with the same writer sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(setup_url(programme, koffertje), {"writers": "esther@example.nl"})
    assert len(mailoutbox) == 1
    assert esther in koffertje.writers.all()


def test_an_unknown_address_shows_beside_the_field_with_the_fold_out_open(
    client, programme, brabant, team_member, mailoutbox
):
    koffertje, _member = brabant
    client.force_login(team_member)
    response = client.post(setup_url(programme, koffertje), {"writers": "niemand@example.nl"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="inrichten" open' in html
    errors = html.index('id="id_writers_errors"')
    assert "Geen lid gevonden met dit e-mailadres: niemand@example.nl" in html[errors:]
    assert html.index('id="id_writers"') > errors
    assert not koffertje.writers.exists()
    assert mailoutbox == []


def test_a_writer_finds_her_koffertjes_on_mijn_bouwplaats(client, programme, brabant, outsider):
    koffertje, member = brabant
    esther = UserFactory(full_name="Esther de Lange")
    koffertje.writers.add(esther)
    mine = reverse("mine:index")
    for user in (esther, member):
        client.force_login(user)
        html = client.get(mine).content.decode()
        assert 'data-section="koffertjes"' in html, user
        assert f'href="{koffertje.get_absolute_url()}"' in html
        assert "Koffertje van Brabant" in html
    client.force_login(outsider)
    assert 'data-section="koffertjes"' not in client.get(mine).content.decode()


def test_koffertjes_are_found_by_search(programme, brabant):
    koffertje, member = brabant
    services.koffertje_item_add(
        actor=member,
        koffertje=koffertje,
        element="samenwerking",
        text="Met een Taskforce verkennen wat de opties na 2017 zijn.",
        owner="Taskforce Brabant",
        status="besproken",
    )
    for user in (None, member):
        [hit] = search_query(user=user, q="taskforce").items
        assert hit.title == "Koffertje van Brabant · Beter Benutten"
        assert hit.url == koffertje.get_absolute_url()
    item = koffertje.items.get()
    services.koffertje_item_delete(actor=member, item=item)
    assert search_query(user=None, q="taskforce").items == []


def test_the_regions_organisations_are_checkboxes_not_a_multi_select(
    client, programme, brabant, team_member
):
    koffertje, _member = brabant
    client.force_login(team_member)
    html = client.get(koffertje.get_absolute_url()).content.decode()
    assert 'type="checkbox" name="organisations"' in html
    assert "<select" not in html.split('id="inrichten"')[1]
    assert "<legend>Organisaties van de regio" in html
