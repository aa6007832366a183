"""Demo content for the session space of seed 000's bouwsessie, made in code (no files)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from bouwplaats.events.models import Registration, Session

from . import services
from .models import Comment, Document

SESSION_TITLE = "Programmamanagers: door ná 2017"

COMMENTS = [
    "Fijn dat deze bouwsessie er is. In onze regio zijn we nog druk met de uitvoering; "
    "hoe organiseer je **tijd** om over verankering na te denken?",
    "Brabant verkent met een Taskforce de opties na 2017. Interessant om te horen:\n\n"
    "- welke samenwerkingsverbanden blijven?\n- wat gaat er in het koffertje?",
    "Ik neem het plan van aanpak op hoofdlijnen mee naar het congres in het voorjaar.",
]

PLAN_LINES = [
    "Plan van aanpak op hoofdlijnen - verankering na 2017",
    "",
    "Deel 1: Wat is de Beter Benutten werkwijze en welke elementen willen we verankeren?",
    "Deel 2: Hoe gaat IenM met de verankering om; wanneer is er duidelijkheid?",
    "Deel 3: Wat komt er in het koffertje van onze regio?",
    "",
    "Volgende stap: de regio's presenteren hun plannen op het congres.",
]


def simple_pdf(lines: list[str]) -> bytes:
    """Return a one-page PDF with ``lines`` of text in Helvetica (ASCII only)."""
    text = ["BT", "/F1 12 Tf", "16 TL", "56 780 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped.encode('ascii', 'replace').decode()}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def load() -> None:
    """Add a few comments and a generated plan to seed 000's bouwsessie, if it exists."""
    session = Session.objects.filter(title=SESSION_TITLE).order_by("pk").first()
    if session is None:
        return
    participants = [
        registration.member
        for registration in Registration.objects.filter(
            session=session, status=Registration.Status.CONFIRMED
        ).select_related("member")
    ]
    authors = [*participants, session.host] if participants else [session.host]
    for number, body in enumerate(COMMENTS):
        author = authors[number % len(authors)]
        if not Comment.objects.filter(session=session, body=body).exists():
            services.comment_create(session=session, user=author, body=body)
    name = "Plan van aanpak verankering.pdf"
    if not Document.objects.filter(session=session, name=name).exists():
        services.document_upload(
            session=session,
            user=session.host,
            upload=SimpleUploadedFile(name, simple_pdf(PLAN_LINES), "application/pdf"),
            description="Concept voor het congres: wat gaat er in het koffertje?",
        )
