"""Works uploaded from a page as CSV or GeoJSON: one import service, every refusal per row."""

import html
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bouwplaats.core.models import AuditEntry
from bouwplaats.planning import csv_import, locator, services, uploads
from bouwplaats.planning.models import Work
from tests.factories import UserFactory

from .conftest import feature, line

pytestmark = pytest.mark.django_db
URL = "/werk-met-werk/uploaden/"
HEADER = "titel;soort;start;eind;hinder;geometrie"
POINT = "POINT (5.6631 52.0446)"
MOLENSTRAAT = {
    "response": {
        "docs": [
            {
                "type": "weg",
                "weergavenaam": "Molenstraat, Ede",
                "centroide_ll": "POINT(5.663 52.0445)",
                "geometrie_ll": "MULTILINESTRING((5.6618 52.0442,5.6642 52.0448))",
            }
        ]
    }
}


def post(client, content, name="werken.csv"):
    if isinstance(content, str):
        content = content.encode()
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def page(response) -> str:
    """Return the page as text to search: entities unescaped, the problems' bold dropped."""
    text = html.unescape(response.content.decode())
    return text.replace("<strong>", "").replace("</strong>", "")


def rows(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


@pytest.fixture
def planner(client, ede_planner):
    client.force_login(ede_planner)
    return ede_planner


@pytest.fixture
def locator_knows_molenstraat(monkeypatch, settings):
    settings.PDOK_LOCATIESERVER_URL = "https://locator.example/search/v3_1"
    asked = []

    def fetch(url, params):
        asked.append((url, params["q"]))
        return MOLENSTRAAT if "molenstraat" in params["q"].lower() else {"response": {"docs": []}}

    monkeypatch.setattr(locator, "fetch_json", fetch)
    return asked


def _never(url, params):
    raise AssertionError("the locator must not be asked")


# Good files ---------------------------------------------------------------------------------


def test_excel_csv_with_bom_semicolons_and_decimal_commas_is_stored(
    client, planner, locator_knows_molenstraat
):
    content = (
        "\ufeffTitel;Soort;Start;Eind;Hinder;Eigenaar;Omschrijving;Lon;Lat;Adres;Openbaar\r\n"
        "Riolering Molenstraat;riolering;1-5-2027;30-6-2027;afsluiting;;;;;Molenstraat Ede;ja\r\n"
        "Kabel Stationsweg;Kabels en leidingen;2027-09-01;15-10-2027;rijstrook;Gemeente Ede;"
        '"Twee\r\nregels";5,6650;52,0405;;nee\r\n'
        ";;;;;;;;;;\r\n"
    )
    response = post(client, content.encode("utf-8"))
    assert response.status_code == 302
    assert response["Location"] == URL + "#meldingen"
    sewer = Work.objects.get(title="Riolering Molenstraat")
    assert sewer.geometry["type"] == "MultiLineString" and sewer.hindrance == "afsluiting"
    assert str(sewer.start) == "2027-05-01" and str(sewer.end) == "2027-06-30"
    assert sewer.owner == planner.organisation and sewer.created_by == planner
    cable = Work.objects.get(title="Kabel Stationsweg")
    assert cable.kind == "kabels en leidingen" and cable.public is False
    assert cable.geometry == {"type": "Point", "coordinates": [5.665, 52.0405]}
    assert cable.description == "Twee\r\nregels"
    assert locator_knows_molenstraat == [
        ("https://locator.example/search/v3_1/free", "Molenstraat Ede")
    ]
    text = page(client.get(URL))
    assert "2 werken ingelezen (2 nieuw, 0 bijgewerkt)." in text


def test_comma_csv_with_quoted_wkt_and_rd_coordinates(client, planner):
    content = (
        "titel,soort,begin,einde,geometrie\n"
        "Asfalt Bergstraat,asfalt,2027-03-01,2027-03-20,"
        '"LINESTRING (5.6618 52.0442, 5.6642 52.0448)"\n'
        'Groen Kerkplein,groen,2027-04-01,2027-04-02,"POINT (174000 451000)"\n'
    )
    assert post(client, content).status_code == 302
    assert Work.objects.get(title="Asfalt Bergstraat").geometry["type"] == "LineString"
    # RD New is recognised by its range and stored in WGS84.
    lon, lat = Work.objects.get(title="Groen Kerkplein").geometry["coordinates"]
    assert 5.5 < lon < 5.8 and 52.0 < lat < 52.1


def test_geojson_file_goes_to_the_service_as_is_and_a_reupload_updates(client, planner):
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature(external_id="RIO-1"),
            feature(line(dx_m=200), title="Tweede werk", external_id="RIO-2"),
        ],
    }
    assert post(client, json.dumps(collection), "werken.geojson").status_code == 302
    assert Work.objects.count() == 2
    collection["features"][0]["properties"]["title"] = "Nieuwe titel"
    assert post(client, json.dumps(collection), "werken.json").status_code == 302
    assert Work.objects.count() == 2
    assert Work.objects.get(external_id="RIO-1").title == "Nieuwe titel"
    assert "2 werken ingelezen (0 nieuw, 2 bijgewerkt)." in page(client.get(URL))


def test_the_list_export_reads_back_in_and_updates_by_its_external_id(client, planner):
    services.works_import(
        actor=planner,
        data={"type": "FeatureCollection", "features": [feature(external_id="EDE-7")]},
    )
    exported = client.get(reverse("planning:export")).content
    assert post(client, exported).status_code == 302
    assert Work.objects.count() == 1
    assert "1 werk ingelezen (0 nieuw, 1 bijgewerkt)." in page(client.get(URL))


# Bad rows: each refused with its row and column, nothing stored -------------------------------


@pytest.mark.parametrize(
    ("line_", "expected"),
    [
        (f"Riool;riolering;2027-06-01;2027-05-01;afsluiting;{POINT}", "Rij 3, kolom eind: "
         "De einddatum ligt voor de begindatum."),
        (f"Riool;riolering;morgen;2027-05-01;afsluiting;{POINT}", "Rij 3, kolom start: "
         "„morgen” is geen datum"),
        (f"Riool;riolering;31-2-2027;2027-05-01;;{POINT}", "Rij 3, kolom start: „31-2-2027”"),
        (f"Riool;graafwerk;2027-05-01;2027-06-01;;{POINT}", "Rij 3, kolom soort: "),
        (f"Riool;riolering;2027-05-01;2027-06-01;heel veel;{POINT}", "Rij 3, kolom hinder: "),
        ("Riool;riolering;2027-05-01;2027-06-01;;", "Rij 3, kolom geometrie: Geef de plaats"),
        ("Riool;riolering;2027-05-01;2027-06-01;;POINT (2.35 48.85)",
         "Rij 3, kolom geometrie: De coördinaten liggen buiten Nederland."),
        ("Riool;riolering;2027-05-01;2027-06-01;;LINESTRING (5.66",
         "Rij 3, kolom geometrie: „LINESTRING (5.66” is geen geldige WKT"),
        ('Riool;riolering;2027-05-01;2027-06-01;;{"type": "Point"',
         "Rij 3, kolom geometrie: Geen geldige GeoJSON-geometrie."),
        (f"Riool;riolering;2027-05-01;2027-06-01;;{POINT};extra",
         "Rij 3: Deze rij heeft meer cellen dan de kopregel kolommen"),
        (f"Riool\x07bel;riolering;2027-05-01;2027-06-01;;{POINT}",
         "Rij 3, kolom titel: Gebruik geen regeleinden of stuurtekens"),
        (f"{'x' * 10_000};riolering;2027-05-01;2027-06-01;;{POINT}", "Rij 3, kolom titel: "),
        (f"Riool;riolering;{'9' * 10_000};2027-06-01;;{POINT}", "Rij 3, kolom start: „999999"),
        (f"Riool;riolering;2027-05-01;2027-06-01;;{'POINT (' * 2_000}",
         "Rij 3, kolom geometrie: „POINT (POINT"),
        (f"Riool;riolering;1850-05-01;2027-06-01;;{POINT}",
         "Rij 3, kolom start: Kies een datum tussen 1900 en 2200."),
    ],
)  # fmt: skip
def test_a_bad_row_is_refused_beside_the_form_and_nothing_is_stored(
    client, planner, line_, expected
):
    good = f"Goed werk;groen;2027-05-01;2027-06-01;;{POINT}"
    response = post(client, rows(good, line_))
    assert response.status_code == 200
    text = page(response)
    assert expected in text
    assert "Er is niets opgeslagen" in text and "bp-error-summary" in text
    assert Work.objects.count() == 0
    # A refused value is repeated briefly, never as a whole 10,000-character cell.
    assert len(text) < 40_000


def test_every_bad_row_is_listed_reading_and_service_refusals_alike(client, planner):
    content = rows(
        f"Goed;groen;2027-05-01;2027-06-01;;{POINT}",
        f"Slechte datum;groen;gisteren;2027-06-01;;{POINT}",
        f"Eind voor start;groen;2027-07-01;2027-06-01;;{POINT}",
        f"Goed twee;groen;2027-05-01;2027-06-01;;{POINT}",
        "Geen plaats;groen;2027-05-01;2027-06-01;;",
        f"Te lange titel {'x' * 300};groen;2027-05-01;2027-06-01;;{POINT}",
    )
    text = page(post(client, content))
    problems = text.split('id="upload-problems-title"')[1].split("</section>")[0]
    assert "4 fouten in het bestand" in problems
    order = [problems.index(f"Rij {n}") for n in (3, 4, 6, 7)]
    assert order == sorted(order)
    assert "Rij 2" not in problems and "Rij 5" not in problems
    assert Work.objects.count() == 0
    # The features tried one by one left nothing behind: no audit, no mails to send.
    assert not AuditEntry.objects.filter(action="planning.work.created").exists()
    assert mail.outbox == []


def test_rows_for_another_organisation_are_refused_per_row(client, planner, liander):
    content = rows(
        f"Van Liander;kabels en leidingen;2027-05-01;2027-06-01;;{POINT};Liander",
        f"Onbekend;groen;2027-05-01;2027-06-01;;{POINT};Gemeente Nergenshuizen",
        header=HEADER + ";eigenaar",
    )
    text = page(post(client, content))
    assert "Rij 2, kolom eigenaar: U mag geen werken invoeren voor Liander." in text
    assert "Rij 3, kolom eigenaar: Onbekende eigenaar: Gemeente Nergenshuizen." in text
    assert Work.objects.count() == 0


def test_unknown_address_is_a_row_error_and_each_address_is_asked_once(
    client, planner, locator_knows_molenstraat
):
    content = rows(
        "Een;groen;2027-05-01;2027-06-01;Molenstraat, Ede",
        "Twee;groen;2027-05-01;2027-06-01;molenstraat,  ede",
        "Drie;groen;2027-05-01;2027-06-01;Nergensweg 99",
        header="titel;soort;start;eind;adres",
    )
    text = page(post(client, content))
    found = "Rij 4, kolom adres: Geen straat, postcode of adres gevonden voor „Nergensweg 99”"
    assert found in text
    assert len(locator_knows_molenstraat) == 2
    assert Work.objects.count() == 0


def test_too_many_problems_are_cut_short(client, planner):
    bad = [f"W{n};groen;2027-06-01;2027-05-01;;{POINT}" for n in range(uploads.MAX_PROBLEMS + 20)]
    text = page(post(client, rows(*bad)))
    assert f"{uploads.MAX_PROBLEMS} fouten in het bestand" in text
    assert "er kunnen er meer zijn" in text
    assert Work.objects.count() == 0


def test_a_refused_geojson_feature_is_named_as_the_api_names_it(client, planner, api):
    collection = {
        "type": "FeatureCollection",
        "features": [feature(), feature(start="2027-06-01", end="2027-05-01"), feature()],
    }
    answer = api(planner).post("/works", collection).json()
    assert answer["index"] == 1 and answer["field"] == "end"
    text = page(post(client, json.dumps(collection), "werken.geojson"))
    assert f"Feature 2, eigenschap end: {answer['detail']}" in text
    assert Work.objects.count() == 0


# Whole files refused with a clear reason ------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Het verstuurde bestand is leeg."),
        (b"PK\x03\x04rest of a zip", "Dit is een Excel- of ander zip-bestand."),
        ("titel;soort\n".encode("utf-16"), "Het bestand is in UTF-16 opgeslagen."),
        (b"titel;soort;start;eind;adres\nRiool\x00;groen;;;\n", "Dit is geen tekstbestand"),
        ("titel;soort;start;eind;adres\nCaf\xe9;groen;;;\n".encode("latin-1"),
         "Het bestand is niet in UTF-8 opgeslagen (regel 2)."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Dit is geen tekstbestand"),
        (b'{"type": "FeatureCollection", "features": [', "Geen geldige GeoJSON: regel 1"),
        (b"[" * 100_000, "Geen geldige GeoJSON"),
        (b'{"type": "FeatureCollection", "features": []}', "De FeatureCollection bevat geen"),
        (b'{"type": "Topology"}', "Verwacht een GeoJSON Feature of FeatureCollection."),
        (b'{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
         b'"EPSG:3857"}}, "features": [{}]}', "Onbekend coördinatenstelsel"),
        (b"titel;soort;start;eind;adres\n", "Het bestand bevat geen werken"),
        (b"titel;soort;start;eind;kleur;adres\n", "Onbekende kolom(men) in de kopregel: kleur."),
        (b"titel;start;eind;adres\n", "De kopregel mist de kolom(men): soort."),
        (b"titel;soort;start;eind;lon\n", "geen kolom voor de plaats"),
        (b"titel;soort;begin;start;eind;adres\n", "betekenen hetzelfde"),
        (b'titel;soort;start;eind;adres\n"' + b"x" * 200_000 + b'";groen;;;\n',
         "rij 2, een cel is te lang"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_used_is_refused_with_its_reason(client, planner, content, expected):
    text = page(post(client, content))
    assert expected in text
    assert 'id="id_file_errors"' in text
    assert Work.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(client, planner):
    content = rows(*[f"W;groen;2027-05-01;2027-06-01;;{POINT}"] * 200_000)
    assert len(content) > uploads.MAX_BYTES
    text = page(post(client, content))
    assert "Het bestand is te groot: de grens is 5,0" in text
    assert Work.objects.count() == 0


def test_more_rows_or_addresses_than_allowed_are_refused(client, planner, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_ROWS", 2)
    content = rows(*[f"W;groen;2027-05-01;2027-06-01;;{POINT}"] * 3)
    assert "Meer dan 2 werken in één bestand" in page(post(client, content))
    collection = {"type": "FeatureCollection", "features": [feature()] * 3}
    assert "Meer dan 2 werken in één bestand" in page(post(client, json.dumps(collection)))
    monkeypatch.setattr(csv_import, "MAX_ADDRESSES", 1)
    monkeypatch.setattr(locator, "fetch_json", lambda url, params: MOLENSTRAAT)
    content = rows(
        "A;groen;2027-05-01;2027-06-01;Molenstraat 1 Ede",
        "B;groen;2027-05-01;2027-06-01;Molenstraat 2 Ede",
        header="titel;soort;start;eind;adres",
    )
    assert "Meer dan 1 verschillende adressen" in page(post(client, content))
    assert Work.objects.count() == 0


def test_the_locator_unreachable_refuses_the_file_and_stores_nothing(client, planner, monkeypatch):
    def down(url, params):
        raise locator.LocatorError("De adreszoeker van PDOK is nu niet bereikbaar.")

    monkeypatch.setattr(locator, "fetch_json", down)
    content = rows(
        f"A;groen;2027-05-01;2027-06-01;;{POINT}",
        "B;groen;2027-05-01;2027-06-01;Molenstraat Ede;",
        header="titel;soort;start;eind;adres;geometrie",
    )
    text = page(post(client, content))
    assert "niet bereikbaar. Er is niets opgeslagen" in text
    assert Work.objects.count() == 0


# Hostile values that read well are stored as the text they are --------------------------------


def test_formula_and_markup_are_stored_as_text_and_shown_escaped(client, planner):
    formula = '=HYPERLINK("http://evil.example","klik")'
    content = (
        "titel;soort;start;eind;geometrie;omschrijving;contact\n"
        f'"{formula.replace(chr(34), chr(34) * 2)}";groen;2027-05-01;2027-06-01;{POINT};'
        "<script>alert(1)</script>;@SUM(1+1)\n"
    )
    assert post(client, content).status_code == 302
    work = Work.objects.get()
    assert work.title == formula and work.contact == "@SUM(1+1)"
    assert work.description == "<script>alert(1)</script>"
    detail = client.get(work.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in detail and "&lt;script&gt;" in detail
    exported = client.get(reverse("planning:export")).content.decode("utf-8-sig")
    assert ";=HYPERLINK" not in exported and '"=HYPERLINK' not in exported


def test_a_10000_character_description_is_refused_with_the_models_limit(client, planner):
    content = rows(
        f"Riool;riolering;2027-05-01;2027-06-01;;{POINT};{'ö' * 10_000}",
        header=HEADER + ";omschrijving",
    )
    text = page(post(client, content))
    assert "Rij 2, kolom omschrijving: " in text and "5000" in text
    assert Work.objects.count() == 0


# Who may upload ------------------------------------------------------------------------------


def test_only_organisation_members_reach_the_upload_page(client, ede_planner):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(UserFactory(organisation=None))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": SimpleUploadedFile("w.csv", b"x")}).status_code == 403
    client.force_login(ede_planner)
    response = client.get(URL)
    assert response.status_code == 200
    text = page(response)
    assert 'enctype="multipart/form-data"' in text and "<code>adres</code>" in text
    assert f"telt hooguit {csv_import.MAX_ROWS} werken" in text
    assert 'href="/werk-met-werk/uploaden/" aria-current="page"' in text
    assert 'href="/werk-met-werk/uploaden/"' in page(client.get("/werk-met-werk/nieuw/"))
    # The map links to it twice: in the tabs and beside "Werk invoeren".
    assert page(client.get("/werk-met-werk/")).count('href="/werk-met-werk/uploaden/"') == 2


def test_members_who_may_not_enter_works_get_no_link(client):
    client.force_login(UserFactory(organisation=None))
    assert "/werk-met-werk/uploaden/" not in page(client.get("/werk-met-werk/"))


@pytest.mark.parametrize(
    "prop", ["owner", "title", "description", "contact", "external_id", "kind", "department"]
)
def test_an_escaped_nul_in_a_geojson_property_is_refused_naming_it(client, planner, prop):
    # PostgreSQL holds no U+0000: looking up an owner or a kenmerk with one would be a 500.
    collection = {
        "type": "FeatureCollection",
        "features": [feature(), feature(**{prop: "Ede\u0000x"})],
    }
    response = post(client, json.dumps(collection), "werken.geojson")
    assert response.status_code == 200
    assert f"een NUL-teken (\\u0000) in feature 2, eigenschap {prop}." in page(response)
    assert Work.objects.count() == 0


def test_an_escaped_nul_elsewhere_in_the_geojson_is_refused(client, planner):
    collection = {"type": "FeatureCollection", "features": [feature()], "name": "a\u0000"}
    response = post(client, json.dumps(collection), "werken.geojson")
    assert "een NUL-teken (\\u0000) in het bestand." in page(response)
    assert Work.objects.count() == 0


def test_tabs_excel_times_dotted_dates_and_labels_are_read():
    text = (
        "Titel\tSoort werk\tBegin\tEinde\tHinder\tStatus\tOpenbaar\tGeometrie\tid\n"
        "Stoep\tKabels en leidingen\t2027-05-01 00:00:00\t1.6.2027\t"
        "Beperkte hinder (stoep of fietspad)\tIn uitvoering\tNEE\tPOINT (5.66 52.04)\t17\n"
    )
    works = csv_import.read_csv(text, locate=_never)
    assert works.errors == []
    [props] = [f["properties"] for f in works.features]
    assert props == {
        "title": "Stoep",
        "kind": "kabels en leidingen",
        "start": "2027-05-01",
        "end": "2027-06-01",
        "hindrance": "beperkt",
        "status": "in uitvoering",
        "public": False,
    }
    assert works.features[0]["geometry"] == {"type": "Point", "coordinates": [5.66, 52.04]}
    assert works.rows == [2]
