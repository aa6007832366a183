import io

import filetype

from bouwplaats.spaces import demo
from bouwplaats.spaces.models import Comment, Document
from tests.factories import RegistrationFactory, SessionFactory


def test_demo_does_nothing_without_the_session(db):
    SessionFactory(title="Een andere sessie")
    demo.load()
    assert not Comment.objects.exists() and not Document.objects.exists()


def test_demo_fills_the_seed_session_idempotently(session):
    participant = RegistrationFactory(session=session).member
    demo.load()
    demo.load()
    assert Comment.objects.filter(session=session).count() == len(demo.COMMENTS)
    assert set(Comment.objects.values_list("author", flat=True)) == {
        participant.pk,
        session.host_id,
    }
    document = Document.objects.get(session=session)
    assert document.content_type == "application/pdf"
    data = document.file.open("rb").read()
    assert filetype.guess(data).mime == "application/pdf"
    assert b"Plan van aanpak op hoofdlijnen" in data


def test_generated_pdf_cross_reference_points_at_its_objects():
    data = demo.simple_pdf(["Regel (een)", "Regel twee"])
    startxref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert data[startxref:].startswith(b"xref\n0 6\n")
    entries = data[startxref:].split(b"\n")[3:8]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry[:10])
        assert data[offset:].startswith(b"%d 0 obj\n" % number)
    assert b"(Regel \\(een\\)) Tj" in data


def test_load_demo_fills_the_space_of_the_seed_bouwsessie(client, db):
    from django.core.management import call_command
    from django.urls import reverse

    from bouwplaats.events.models import Session

    call_command("load_demo", stdout=io.StringIO())
    session = Session.objects.get(title=demo.SESSION_TITLE)
    assert Comment.objects.filter(session=session).count() == len(demo.COMMENTS)
    assert Document.objects.filter(session=session).count() == 1
    participant = session.registrations.filter(status="confirmed").first().member
    client.force_login(participant)
    html = client.get(reverse("spaces:session", kwargs={"session_pk": session.pk})).text
    assert "Plan van aanpak verankering.pdf" in html
    assert "Brabant verkent met een Taskforce" in html
