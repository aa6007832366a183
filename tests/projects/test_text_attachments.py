"""Plain text is a document like any other, even when it quotes markup: it is served as a
download, text/plain in UTF-8, with nosniff and in a sandbox, so a ``<script>`` in it cannot
run. A file that is markup (HTML, SVG, XML) or a program stays refused, whatever its name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bouwplaats.core.errors import DomainError
from bouwplaats.projects import services
from bouwplaats.projects.models import Attachment
from tests.spaces.files import EXE

pytestmark = pytest.mark.django_db

NOTES = (
    "Notulen werksessie 12 maart – één actie\n"
    "- De website laadt een <script>-tag van een derde partij: <script>alert(1)</script>\n"
    "- Actie: Jan Pluim vraagt de leverancier om uitleg.\n"
).encode()


def _headers_are_safe(response, filename: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_text_quoting_a_script_is_accepted_and_served_as_a_safe_download(client, api, call, team):
    response = api(team).post(
        f"/calls/{call.pk}/attachments",
        {"file": SimpleUploadedFile("Notulen.txt", NOTES)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "text/plain"
    attachment = Attachment.objects.get()
    client.force_login(team)
    page = client.get(attachment.get_absolute_url())
    _headers_are_safe(page, "Notulen.txt")
    assert b"".join(page.streaming_content) == NOTES
    download = api(team).get(f"/calls/{call.pk}/attachments/{attachment.pk}")
    _headers_are_safe(download, "Notulen.txt")


def test_windows_text_is_stored_as_utf8_and_reads_the_same(client, call, team):
    upload = SimpleUploadedFile("Koffie <b>.txt", "Café – één".encode("cp1252"))
    attachment = services.attachment_add(actor=team, call=call, upload=upload)
    client.force_login(team)
    response = client.get(attachment.get_absolute_url())
    _headers_are_safe(response, "Koffie b.txt")
    assert b"".join(response.streaming_content).decode("utf-8-sig") == "Café – één"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notities.txt", b"<!DOCTYPE html><p>Hallo</p><script>alert(1)</script>"),
        ("notities.txt", b"\n  <html><body onload=alert(1)>"),
        ("kaart.txt", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("data.csv", b'<?xml version="1.0"?><x/>'),
        ("notities.txt", b"\xef\xbb\xbf<script>alert(1)</script>"),  # behind a byte order mark
        ("notities.txt", b"<!-- opmerking --><script>alert(1)</script>"),
        ("begroting.txt", EXE),
        ("begroting.pdf", EXE),
        ("notities.txt", b"tekst met een NUL\x00"),
    ],
)
def test_markup_and_programs_stay_refused_whatever_the_name(call, team, name, content):
    with pytest.raises(DomainError) as error:
        services.attachment_add(actor=team, call=call, upload=SimpleUploadedFile(name, content))
    assert error.value.status_code == 415
    assert not Attachment.objects.exists()


def test_a_text_named_as_another_type_is_offered_as_text(client, call, team):
    script = b"#!/bin/sh\necho 'Begroting 2027'\n"
    attachment = services.attachment_add(
        actor=team, call=call, upload=SimpleUploadedFile("Begroting.pdf", script)
    )
    assert (attachment.content_type, attachment.name) == ("text/plain", "Begroting.txt")
    client.force_login(team)
    _headers_are_safe(client.get(attachment.get_absolute_url()), "Begroting.txt")
