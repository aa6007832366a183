import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bouwplaats.spaces import services
from bouwplaats.spaces.models import Comment, Document, Photo
from tests.factories import PASSWORD, RegistrationFactory, SessionFactory, UserFactory
from tests.spaces.files import jpeg_bytes, pdf_bytes

from .conftest import login


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def log_out(site):
    site.get_by_role("button", name="Uitloggen").click()
    site.page.wait_for_load_state("domcontentloaded")


def test_participant_comments_uploads_host_hides_former_participant_loses_access(site, db):
    session = SessionFactory(title="Programmamanagers: door ná 2017")
    host = session.host
    participant = UserFactory(email="esther@example.nl", full_name="Esther de Lange")
    registration = RegistrationFactory(session=session, member=participant)
    space = reverse("spaces:session", kwargs={"session_pk": session.pk})

    # A visitor sees the seed's sentences instead of the content, with a way to log in.
    site.goto(space)
    body = site.locator("main").inner_text()
    assert (
        "Om reacties te bekijken of te plaatsen moet u inloggen en zich aanmelden voor deze "
        "bouwsessie." in body
    )
    assert "Om foto's te bekijken of te plaatsen moet u eerst inloggen." in body
    assert "Om documenten te bekijken of te plaatsen moet u inloggen en zich aanmelden" in body
    assert site.locator("#reacties").get_by_role("link", name="Inloggen").count() == 1

    # The participant logs in and posts a Markdown comment (htmx: no page reload).
    login(site, participant.email, PASSWORD)
    site.goto(space)
    # The field carries the model's limit; what the browser lets through, the server refuses.
    assert site.get_by_label("Uw reactie").get_attribute("maxlength") == "5000"
    site.get_by_label("Uw reactie").fill("   ")
    site.get_by_role("button", name="Reactie plaatsen").click()
    error = site.locator("#id_comment-body_errors")
    error.wait_for()
    # The list starts each message with a "Fout:" only screen readers hear.
    assert error.inner_text().replace("Fout:", "").strip() == "Schrijf eerst uw reactie."
    site.check()
    site.get_by_label("Uw reactie").fill("Wat willen we **verankeren** na 2017?")
    site.get_by_role("button", name="Reactie plaatsen").click()
    site.locator("#reacties strong", has_text="verankeren").wait_for()
    site.check()
    assert "Uw reactie is geplaatst." in site.locator("#reacties").inner_text()
    assert site.page.url.endswith(space)

    # A PDF and a photo.
    site.get_by_label("Document", exact=True).set_input_files(
        {"name": "Programma.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    site.get_by_label("Omschrijving").fill("Het programma van de dag")
    site.get_by_role("button", name="Document plaatsen").click()
    site.check()
    assert "Uw document is geplaatst." in site.content()
    document = Document.objects.get()
    download = site.get_by_role("link", name="Programma.pdf")
    assert download.count() == 1

    site.get_by_label("Foto", exact=True).set_input_files(
        {"name": "zaal.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(900, 600))}
    )
    site.get_by_label("Onderschrift").fill("De zaal in Utrecht")
    site.get_by_role("button", name="Foto plaatsen").click()
    site.check()
    thumbnail = site.get_by_role("img", name="De zaal in Utrecht")
    thumbnail.wait_for()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 480
    assert Photo.objects.get().thumbnail

    # The old download URL works now and stops working once the registration is cancelled.
    url = site.base_url + reverse("spaces:document", kwargs={"pk": document.pk})
    response = site.page.request.get(url)
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment")
    registration.status = "cancelled"
    registration.save()
    assert site.page.request.get(url).status == 404
    site.goto(space)
    # Logged in still: only signing up is left to do.
    documents = site.locator("#documenten").inner_text()
    assert "Meld u aan voor deze bouwsessie om documenten" in documents
    assert "inloggen" not in documents
    log_out(site)

    # The host hides the comment, with a reason.
    login(site, host.email, PASSWORD)
    site.goto(space)
    comment = Comment.objects.get()
    site.get_by_label(re.compile("^Reden om te verbergen")).fill("Hoort bij een andere sessie")
    site.get_by_role("button", name=re.compile("^Verbergen")).click()
    site.check()
    assert "De reactie is verborgen." in site.content()
    assert "verborgen door de organisator" in site.locator(f"#reactie-{comment.pk}").inner_text()
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Hoort bij een andere sessie"

    # Host's policy page.
    # The host lets only participants see photos; posting must then be at least as strict.
    site.get_by_role("link", name="Toegang instellen").click()
    site.check()
    site.get_by_label("Wie mag de foto's bekijken?").select_option("participants")
    site.get_by_role("button", name="Toegang opslaan").click()
    site.check()
    assert "Wie mag plaatsen, moet ook mogen bekijken" in site.content()
    site.get_by_label("Wie mag foto's plaatsen?").select_option("participants")
    site.get_by_role("button", name="Toegang opslaan").click()
    site.check()
    assert "De toegang tot de sessieruimte is opgeslagen." in site.content()
    log_out(site)
    site.goto(space)
    assert (
        "Om foto's te bekijken of te plaatsen moet u inloggen en zich aanmelden"
        in site.locator("#fotos").inner_text()
    )


def test_hostile_upload_shows_dutch_error_next_to_field(site, db):
    session = SessionFactory()
    participant = RegistrationFactory(session=session).member
    login(site, participant.email, PASSWORD)
    site.goto(reverse("spaces:session", kwargs={"session_pk": session.pk}))
    site.get_by_label("Document", exact=True).set_input_files(
        {
            "name": "agenda.pdf",
            "mimeType": "application/pdf",
            "buffer": b"<!doctype html><script>alert(document.cookie)</script>",
        }
    )
    site.get_by_role("button", name="Document plaatsen").click()
    site.check()
    errors = site.locator("#id_document-file_errors").inner_text()
    assert (
        errors.replace("Fout:", "")
        .strip()
        .startswith("Dit soort bestand kan hier niet worden geplaatst.")
    )
    assert not Document.objects.exists()


def test_space_on_the_session_page_and_cancelling_ends_access(site, db):
    session = SessionFactory(title="Programmamanagers: door ná 2017")
    participant = RegistrationFactory(session=session).member
    document = services.document_upload(
        session=session,
        user=session.host,
        upload=SimpleUploadedFile("Plan van aanpak.pdf", pdf_bytes()),
    )
    detail = reverse("events:detail", kwargs={"pk": session.pk})

    site.goto(detail)
    assert "zich aanmelden voor deze bouwsessie" in site.locator("#reacties").inner_text()

    login(site, participant.email, PASSWORD)
    site.goto(detail)
    site.get_by_label("Uw reactie").fill("Tot *dinsdag* in Utrecht")
    site.get_by_role("button", name="Reactie plaatsen").click()
    site.locator("#reacties em", has_text="dinsdag").wait_for()
    site.check()
    assert site.page.url.endswith(detail)
    site.get_by_role("button", name="Mail mij dagelijks nieuwe reacties en documenten").click()
    site.check()
    assert "U krijgt voortaan elke dag een mail" in site.content()

    url = site.base_url + reverse("spaces:document", kwargs={"pk": document.pk})
    assert site.page.request.get(url).status == 200
    site.get_by_role("button", name="Afmelden").click()
    site.check()
    assert site.page.request.get(url).status == 404
    assert "Meld u aan voor deze bouwsessie" in site.locator("#documenten").inner_text()
