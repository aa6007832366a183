"""Koffertjes: the region's own members write, others read; the grid, its filters and the PDF."""

import io

import pypdf
import pytest
from django.urls import reverse

from bouwplaats.accounts.models import OrganisationMembership
from bouwplaats.anchoring import services
from bouwplaats.anchoring.models import KoffertjeItem
from bouwplaats.anchoring.pdf import FONT_FILES, _fonts_only_fetcher
from bouwplaats.core.errors import InvalidInput, NotAllowed
from tests.factories import UserFactory

from .helpers import region_with_koffertje

TASKFORCE = "Met een Taskforce verkennen wat de opties na 2017 zijn."


def add(koffertje, actor, **overrides):
    data = {
        "element": "samenwerking",
        "text": TASKFORCE,
        "owner": "Taskforce Brabant",
        "status": "besproken",
    }
    data.update(overrides)
    return services.koffertje_item_add(actor=actor, koffertje=koffertje, **data)


def page_url(koffertje):
    return koffertje.get_absolute_url()


# Who writes ----------------------------------------------------------------------------------


def test_a_verified_member_of_the_region_fills_its_koffertje(client, brabant):
    koffertje, member = brabant
    client.force_login(member)
    response = client.post(
        page_url(koffertje),
        {
            "element": "samenwerking",
            "text": TASKFORCE,
            "owner": "Taskforce Brabant",
            "status": "besproken",
        },
    )
    assert response.status_code == 302
    item = KoffertjeItem.objects.get()
    assert (item.koffertje, item.text, item.owner, item.status, item.updated_by) == (
        koffertje,
        TASKFORCE,
        "Taskforce Brabant",
        "besproken",
        member,
    )


def test_a_member_of_another_region_cannot_edit_this_koffertje(client, brabant, gelderland):
    koffertje, _member = brabant
    _other, gelders = gelderland
    with pytest.raises(NotAllowed):
        add(koffertje, gelders)
    client.force_login(gelders)
    response = client.post(
        page_url(koffertje), {"element": "werkwijze", "text": "Van Gelderland", "status": "idee"}
    )
    assert response.status_code == 403
    item = add(koffertje, brabant[1])
    edit = reverse(
        "anchoring:koffertje_item",
        kwargs={"slug": koffertje.programme.slug, "region": "brabant", "pk": item.pk},
    )
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"element": "werkwijze", "text": "Overschreven", "status": "idee"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.text == TASKFORCE and KoffertjeItem.objects.count() == 1
    # The page itself shows no form to the other region's member.
    page = client.get(page_url(koffertje)).content.decode()
    assert "Toevoegen aan het koffertje" not in page


@pytest.mark.parametrize("who", ["visitor", "outsider", "unverified", "refused"])
def test_who_is_no_writer_reads_but_cannot_write(client, brabant, outsider, who):
    koffertje, member = brabant
    organisation = koffertje.organisations.get()
    user = None
    if who == "outsider":
        user = outsider
    elif who in ("unverified", "refused"):
        # States the organisation on the profile; the membership is not approved.
        user = UserFactory(organisation=organisation)
        status = "requested" if who == "unverified" else "refused"
        OrganisationMembership.objects.create(user=user, organisation=organisation, status=status)
    if user is not None:
        client.force_login(user)
        with pytest.raises(NotAllowed):
            add(koffertje, user)
    assert client.get(page_url(koffertje)).status_code == 200
    response = client.post(
        page_url(koffertje), {"element": "werkwijze", "text": "x", "status": "idee"}
    )
    assert response.status_code == 403
    assert not KoffertjeItem.objects.exists()


def test_a_person_the_team_names_writes_and_the_team_itself(
    client, programme, brabant, team_member
):
    koffertje, _member = brabant
    named = UserFactory(full_name="Esther de Lange", email="esther@example.nl")
    with pytest.raises(NotAllowed):
        add(koffertje, named)
    client.force_login(team_member)
    setup = reverse(
        "anchoring:koffertje_setup", kwargs={"slug": programme.slug, "region": "brabant"}
    )
    response = client.post(
        setup,
        {"organisations": [koffertje.organisations.get().pk], "writers": "esther@example.nl\n"},
    )
    assert response.status_code == 302
    assert list(koffertje.writers.all()) == [named]
    add(koffertje, named, text="Door de programmaleiding genoemd")
    add(koffertje, team_member, text="Door het programmateam")
    assert KoffertjeItem.objects.count() == 2


def test_only_the_team_sets_up_a_koffertje(client, programme, brabant):
    koffertje, member = brabant
    client.force_login(member)
    setup = reverse(
        "anchoring:koffertje_setup", kwargs={"slug": programme.slug, "region": "brabant"}
    )
    response = client.post(setup, {"writers": member.email})
    assert response.status_code == 403
    assert not koffertje.writers.exists()
    with pytest.raises(NotAllowed):
        services.koffertje_set_up(
            actor=member, programme=programme, region=koffertje.region, writers=[member]
        )


def test_the_team_names_an_unknown_address_and_nothing_changes(
    client, programme, brabant, team_member
):
    koffertje, _member = brabant
    client.force_login(team_member)
    setup = reverse(
        "anchoring:koffertje_setup", kwargs={"slug": programme.slug, "region": "brabant"}
    )
    response = client.post(setup, {"writers": "niemand@example.nl"}, follow=True)
    assert "Geen lid gevonden met dit e-mailadres: niemand@example.nl" in response.content.decode()
    assert koffertje.organisations.count() == 1


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"element": ""}, "element"),
        ({"element": "koffie"}, "element"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 10_000}, "text"),
        ({"text": "nul\x00teken"}, "text"),
        ({"owner": "Taskforce\nBrabant"}, "owner"),
        ({"owner": "x" * 201}, "owner"),
        ({"status": "vergeten"}, "status"),
    ],
)
def test_bad_items_are_refused_naming_the_field(brabant, overrides, field):
    koffertje, member = brabant
    with pytest.raises(InvalidInput) as refused:
        add(koffertje, member, **overrides)
    assert field in refused.value.errors
    assert not KoffertjeItem.objects.exists()


def test_the_page_refuses_an_empty_element_in_dutch(client, brabant):
    koffertje, member = brabant
    client.force_login(member)
    response = client.post(page_url(koffertje), {"element": "", "text": "", "status": "idee"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Dit veld is verplicht." in page
    assert "Het onderdeel is niet opgeslagen" in page
    assert not KoffertjeItem.objects.exists()


def test_non_ascii_and_markup_are_stored_and_escaped(client, brabant):
    koffertje, member = brabant
    add(koffertje, member, text="Coöperatie <script>alert(1)</script> ‘na 2017’")
    page = client.get(reverse("anchoring:koffertjes", kwargs={"slug": koffertje.programme.slug}))
    html = page.content.decode()
    assert "Coöperatie &lt;script&gt;alert(1)&lt;/script&gt; ‘na 2017’" in html
    assert "<script>alert(1)" not in html


def test_a_writer_changes_an_item(client, brabant):
    koffertje, member = brabant
    item = add(koffertje, member)
    client.force_login(member)
    url = reverse(
        "anchoring:koffertje_item",
        kwargs={"slug": koffertje.programme.slug, "region": "brabant", "pk": item.pk},
    )
    response = client.post(
        url,
        {"element": "samenwerking", "text": TASKFORCE, "owner": "Provincie", "status": "besloten"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.owner) == ("besloten", "Provincie")
    response = client.post(url, {"element": "samenwerking", "text": "", "status": "geborgd"})
    assert response.status_code == 422
    item.refresh_from_db()
    assert (item.text, item.status) == (TASKFORCE, "besloten")


# The grid, side by side ------------------------------------------------------------------------


def grid(client, programme, **params):
    return client.get(reverse("anchoring:koffertjes", kwargs={"slug": programme.slug}), params)


def test_the_grid_shows_the_regions_side_by_side(client, programme, brabant, gelderland):
    add(brabant[0], brabant[1])
    add(
        gelderland[0],
        gelderland[1],
        element="vervolgstap",
        status="idee",
        text="Eerst de huidige maatregelen uitvoeren.",
        owner="Goedopweg",
    )
    response = grid(client, programme)
    html = response.content.decode()
    # Columns in name order, one row per element.
    assert html.index(">Arnhem-Nijmegen</a></th>") < html.index(">Brabant</a></th>")
    assert TASKFORCE in html and "Eerst de huidige maatregelen uitvoeren." in html
    assert html.count('<tr data-element="') == 3
    assert response.context["grid"].count == 2


def test_the_grid_filters_by_element_and_status(client, programme, brabant, gelderland):
    add(brabant[0], brabant[1])
    add(gelderland[0], gelderland[1], element="vervolgstap", status="idee", text="Bouwsessie")
    html = grid(client, programme, status="idee").content.decode()
    assert "Bouwsessie" in html and TASKFORCE not in html
    html = grid(client, programme, element="samenwerking").content.decode()
    assert TASKFORCE in html and "Bouwsessie" not in html
    assert html.count('<tr data-element="') == 1
    # An unknown filter value is ignored (all items), never a server error.
    response = grid(client, programme, status="<x>", element="\x00")
    assert response.status_code == 200 and response.context["grid"].count == 2


def test_the_grid_has_a_fixed_number_of_queries(
    client, programme, brabant, gelderland, django_assert_num_queries
):
    for koffertje, member in (brabant, gelderland):
        for n in range(3):
            add(koffertje, member, text=f"Onderdeel {n}")

    def count():
        # programme, regions, koffertjes, items (session and user: none for a visitor)
        with django_assert_num_queries(4):
            grid(client, programme)

    count()
    region_with_koffertje(programme, programme.memberships.get().user, "Twente", "Regio Twente")
    count()


def test_the_pdf_holds_both_regions_on_a4_landscape(client, programme, brabant, gelderland):
    add(brabant[0], brabant[1])
    add(gelderland[0], gelderland[1], text="Goedopweg gaat door.")
    response = client.get(reverse("anchoring:koffertjes_pdf", kwargs={"slug": programme.slug}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="koffertjes-')
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Brabant" in text and "Arnhem-Nijmegen" in text and "Goedopweg gaat door." in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert all("Bouwplaats-PDF" in name for name in fonts), fonts


def test_the_pdf_fetches_only_the_shipped_fonts():
    fetcher = _fonts_only_fetcher()
    response = fetcher.fetch(FONT_FILES["regular"].as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    response.close()
    for url in ("file:///etc/passwd", "http://127.0.0.1/", "https://example.org/f.ttf"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_an_unknown_programme_or_region_is_404(client, programme, brabant):
    assert grid(client, type("P", (), {"slug": "bestaat-niet"})).status_code == 404
    url = reverse("anchoring:koffertje", kwargs={"slug": programme.slug, "region": "nergens"})
    assert client.get(url).status_code == 404


def test_a_region_without_koffertje_reads_as_empty(client, programme, team_member):
    from bouwplaats.programmes.models import Region

    programme.regions.add(Region.objects.create(name="Twente", slug="twente"))
    url = reverse("anchoring:koffertje", kwargs={"slug": programme.slug, "region": "twente"})
    assert "nog niet ingericht" in client.get(url).content.decode()
    client.force_login(team_member)
    assert "Inrichten: wie vult dit koffertje" in client.get(url).content.decode()


def test_a_writer_removes_an_item_after_confirming(client, brabant, gelderland):
    koffertje, member = brabant
    item = add(koffertje, member)
    url = reverse(
        "anchoring:koffertje_item_delete",
        kwargs={"slug": koffertje.programme.slug, "region": "brabant", "pk": item.pk},
    )
    client.force_login(gelderland[1])
    assert client.post(url, {"bevestigd": "1"}).status_code == 403
    client.force_login(member)
    page = client.get(url).content.decode()
    assert (
        "Onderdeel uit het koffertje halen?" in page and "Dit kunt u niet ongedaan maken." in page
    )
    client.post(url)  # without the confirmation nothing happens
    assert KoffertjeItem.objects.filter(pk=item.pk).exists()
    assert client.post(url, {"bevestigd": "1"}).status_code == 302
    assert not KoffertjeItem.objects.filter(pk=item.pk).exists()


def test_the_rule_and_its_queryset_agree(
    brabant, gelderland, team_member, outsider, admin_user, stakeholder
):
    from bouwplaats.anchoring.models import Koffertje, Stakeholder
    from bouwplaats.anchoring.permissions import (
        can_edit_koffertje,
        can_manage_stakeholders,
        koffertjes_editable_by,
        stakeholders_managed_by,
    )

    for user in (brabant[1], gelderland[1], team_member, outsider, admin_user):
        assert {k.pk for k in koffertjes_editable_by(user)} == {
            k.pk for k in Koffertje.objects.all() if can_edit_koffertje(user, k)
        }
        assert {s.pk for s in stakeholders_managed_by(user)} == {
            s.pk for s in Stakeholder.objects.all() if can_manage_stakeholders(user, s.programme)
        }
    assert [k.region.name for k in koffertjes_editable_by(brabant[1])] == ["Brabant"]
