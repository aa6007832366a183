"""A stored file whose bytes are gone from storage: pages answer the site's Dutch 404, the API
a Dutch 404 JSON, the AVG archive lists the file instead of failing, and a warning names the
storage (core.responses.open_stored)."""

import io
import logging
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bouwplaats.projects import services as project_services
from bouwplaats.spaces import services as space_services
from tests.factories import MembershipFactory, RegistrationFactory, SessionFactory, UserFactory
from tests.projects.helpers import make_call
from tests.spaces.files import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

GONE = "Dit bestand is niet meer beschikbaar."


@pytest.fixture
def participant(programme):
    session = SessionFactory(programme=programme, title="Bouwsessie verankering")
    return RegistrationFactory(session=session, member=UserFactory(full_name="Deelnemer")).member


@pytest.fixture
def uploads(participant):
    """Return (document, photo) the participant placed in their session's space."""
    session = participant.registrations.get().session
    document = space_services.document_upload(
        session=session,
        user=participant,
        upload=SimpleUploadedFile("Verslag.pdf", pdf_bytes()),
    )
    photo = space_services.photo_upload(
        session=session, user=participant, upload=SimpleUploadedFile("zaal.jpg", jpeg_bytes())
    )
    return document, photo


def remove_bytes(field_file):
    field_file.storage.delete(field_file.name)
    assert not field_file.storage.exists(field_file.name)


def assert_page_404(response):
    assert response.status_code == 404
    html = response.content.decode()
    assert GONE in html
    assert "<h1>Bestand niet beschikbaar</h1>" in html
    assert '<html lang="nl"' in html  # the site's own page, not a bare error


def test_pages_answer_a_dutch_404_and_log_the_storage(client, participant, uploads, caplog):
    document, photo = uploads
    remove_bytes(document.file)
    remove_bytes(photo.file)
    client.force_login(participant)
    with caplog.at_level(logging.WARNING, logger="bouwplaats.core.responses"):
        assert_page_404(client.get(reverse("spaces:document", kwargs={"pk": document.pk})))
        assert_page_404(client.get(reverse("spaces:photo", kwargs={"pk": photo.pk})))
        assert_page_404(client.get(reverse("spaces:photo_thumbnail", kwargs={"pk": photo.pk})))
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.name == "bouwplaats.core.responses" and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 3
    assert document.file.name in warnings[0]
    assert "FileSystemStorage" in warnings[0]


def test_an_ordinary_404_keeps_its_own_words(client):
    html = client.get("/bestaat-niet/").content.decode()
    assert "Pagina niet gevonden" in html and GONE not in html


def test_api_answers_a_dutch_404_json(api, participant, uploads):
    document, photo = uploads
    remove_bytes(document.file)
    remove_bytes(photo.file)
    session = document.session
    client = api(participant)
    paths = [
        f"/sessions/{session.pk}/documents/{document.pk}/download",
        f"/sessions/{session.pk}/photos/{photo.pk}/download",
        f"/sessions/{session.pk}/photos/{photo.pk}/thumbnail",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": GONE}


def test_project_attachments_answer_404_on_the_page_and_in_the_api(client, api, programme):
    team = MembershipFactory(programme=programme, user=UserFactory()).user
    call = make_call(programme)
    attachment = project_services.attachment_add(
        actor=team, call=call, upload=SimpleUploadedFile("Toelichting.pdf", pdf_bytes())
    )
    remove_bytes(attachment.file)
    client.force_login(team)
    assert_page_404(client.get(attachment.get_absolute_url()))
    response = api(team).get(f"/calls/{call.pk}/attachments/{attachment.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": GONE}


def test_the_avg_archive_lists_a_missing_file_and_keeps_the_others(
    client, participant, uploads, caplog
):
    document, photo = uploads
    remove_bytes(document.file)
    client.force_login(participant)
    with caplog.at_level(logging.WARNING, logger="bouwplaats.core.responses"):
        response = client.get("/profiel/mijn-gegevens.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert f"fotos/{photo.pk}-zaal.jpg" in names
    assert f"documenten/{document.pk}-Verslag.pdf" not in names
    listed = archive.read("ontbrekende-bestanden.txt").decode()
    assert "niet meer opgeslagen" in listed
    assert f"- documenten/{document.pk}-Verslag.pdf" in listed
    assert any(document.file.name in r.getMessage() for r in caplog.records)


def test_the_avg_archive_without_missing_files_has_no_list(client, participant, uploads):
    client.force_login(participant)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/profiel/mijn-gegevens.zip").content))
    assert "ontbrekende-bestanden.txt" not in archive.namelist()
    assert len([n for n in archive.namelist() if n.startswith(("fotos/", "documenten/"))]) == 2
