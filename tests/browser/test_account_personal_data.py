"""AVG download a person can read: the Dutch page lists the member's registrations, and one
ZIP holds that page, its PDF, the JSON and the documents they uploaded."""

import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from bouwplaats.spaces import services as spaces_services
from tests.factories import PASSWORD, RegistrationFactory, SessionFactory, UserFactory
from tests.spaces.files import pdf_bytes

from .conftest import login


def test_member_reads_their_data_and_downloads_the_zip(site, db):
    member = UserFactory(email="esther@example.nl", full_name="Esther de Lange")
    session = SessionFactory(title="Programmamanagers: door ná 2017")
    RegistrationFactory(session=session, member=member)
    content = pdf_bytes()
    spaces_services.document_upload(
        session=session,
        user=member,
        upload=SimpleUploadedFile("verslag.pdf", content),
        description="Verslag",
    )
    login(site, member.email, PASSWORD)
    site.goto("/profiel/")
    site.get_by_role("link", name="Mijn gegevens bekijken en downloaden").click()
    site.check()
    registrations = site.locator("section", has=site.get_by_role(
        "heading", name="Uw aanmeldingen voor sessies"))  # fmt: skip
    text = registrations.inner_text()
    assert "Programmamanagers: door ná 2017" in text
    # Dates in the one Dutch format, not ISO.
    assert session.start.strftime("%Y") in text and "T" not in text.split("\n")[-1][:4]
    with site.page.expect_download() as info:
        site.get_by_role("link", name="Alles downloaden (ZIP)").click()
    archive = zipfile.ZipFile(info.value.path())
    names = archive.namelist()
    assert {"gegevens.json", "overzicht.html", "overzicht.pdf"} <= set(names)
    assert archive.read("overzicht.pdf").startswith(b"%PDF")
    data = json.loads(archive.read("gegevens.json"))
    assert data["registrations"][0]["session"] == "Programmamanagers: door ná 2017"
    assert "Programmamanagers: door ná 2017" in archive.read("overzicht.html").decode()
    documents = [n for n in names if n.startswith("documenten/")]
    assert len(documents) == 1 and documents[0].endswith("verslag.pdf")
    assert archive.read(documents[0]) == content
    # At a phone's width the page does not scroll sideways.
    site.page.set_viewport_size({"width": 360, "height": 800})
    assert site.page.evaluate("document.documentElement.scrollWidth") <= 360
    site.check()
