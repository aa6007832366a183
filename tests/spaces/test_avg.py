from django.urls import reverse

from bouwplaats.accounts.services import member_delete, member_export
from bouwplaats.spaces import avg, services
from bouwplaats.spaces.models import Comment, Document

from .files import pdf_bytes


def test_export_lists_comments_and_uploads(session, participant, upload):
    services.comment_create(session=session, user=participant, body="Mijn inbreng")
    services.document_upload(
        session=session, user=participant, upload=upload("Notities.pdf", pdf_bytes())
    )
    data = avg.export(user=participant)["session_space"]
    assert data["comments"][0]["body"] == "Mijn inbreng"
    assert data["comments"][0]["session"] == session.title
    assert data["documents"][0]["name"] == "Notities.pdf"
    assert data["photos"] == []
    assert member_export(user=participant)["session_space"]["comments"][0]["body"]


def test_forget_keeps_content_as_removed_member(client, session, participant, host, upload):
    comment = services.comment_create(session=session, user=participant, body="Blijft staan")
    services.document_upload(
        session=session, user=participant, upload=upload("Notities.pdf", pdf_bytes())
    )
    other = services.comment_create(session=session, user=host, body="Van de host")
    services.comment_hide(comment=other, user=host, reason="Dubbel")
    member_delete(user=participant)
    host.refresh_from_db()
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert Document.objects.filter(uploaded_by=participant).exists()
    client.force_login(host)
    html = client.get(reverse("spaces:session", kwargs={"session_pk": session.pk})).content
    html = html.decode()
    assert "Blijft staan" in html
    assert "verwijderd lid" in html
    assert "Deelnemer" not in html
