"""Acceptance (issue 17 §1, §6): media on S3-compatible storage through django-storages.

A Bouwplaats process started with MEDIA_STORAGE=s3 (the peer) stores a session-space
document in moto's S3 server and streams it back through the access-checked download view;
with the S3 server unreachable the upload gets a clear Dutch error and nothing is stored.
"""

import base64
import uuid

import boto3
import pytest
from django.urls import reverse

from bouwplaats.spaces.models import Document
from tests.factories import PASSWORD, RegistrationFactory, SessionFactory, UserFactory

from .conftest import S3_KEYS, free_port

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

# A one-page PDF as a person's scanner would make it (checked by its content, not its name).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def s3_env(endpoint: str, bucket: str) -> dict:
    return {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "eu-west-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        **S3_KEYS,
    }


@pytest.fixture
def bucket(s3_server):
    """Create a fresh bucket on the S3 server; return (name, boto3 client)."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-1",
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    name = f"bouwplaats-media-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return name, client


@pytest.fixture
def space(programme):
    """Return (session, participant, outsider) of a session space with documents."""
    session = SessionFactory(programme=programme, title="Bouwsessie Slim Reizen")
    participant = RegistrationFactory(
        session=session, member=UserFactory(email="deelnemer@goedopweg.nl")
    ).member
    outsider = UserFactory(email="buiten@goedopweg.nl")
    return session, participant, outsider


def upload(peer_process, session, description: str) -> dict:
    return peer_process(
        "post",
        **{"as": "deelnemer"},
        path=reverse("spaces:document_upload", kwargs={"session_pk": session.pk}),
        data={"document-description": description},
        files={"document-file": ["Verslag sessie.pdf", base64.b64encode(PDF).decode()]},
    )


def test_a_document_is_stored_in_s3_and_read_back_through_the_access_check(
    peer, s3_server, bucket, space
):
    name, client = bucket
    session, participant, outsider = space
    web = peer(**s3_env(s3_server, name))
    assert (
        web("login", **{"as": "deelnemer"}, email=participant.email, password=PASSWORD)["status"]
        == 302
    )
    assert (
        web("login", **{"as": "buiten"}, email=outsider.email, password=PASSWORD)["status"] == 302
    )

    response = upload(web, session, "Verslag van de bouwsessie")
    assert response["status"] == 302, response["body"][:2000]
    document = Document.objects.get()
    stored = client.list_objects_v2(Bucket=name)["Contents"]
    assert [item["Key"] for item in stored] == [document.file.name]
    assert client.get_object(Bucket=name, Key=document.file.name)["Body"].read() == PDF
    acl = client.get_object_acl(Bucket=name, Key=document.file.name)["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in acl), "private"

    url = reverse("spaces:document", kwargs={"pk": document.pk})
    download = web("get", **{"as": "deelnemer"}, path=url)
    assert download["status"] == 200
    assert base64.b64decode(download["bytes"]) == PDF
    assert web("get", **{"as": "buiten"}, path=url)["status"] == 404
    assert web("get", path=url)["status"] == 404


def test_an_unreachable_s3_server_gives_a_clear_error_and_stores_nothing(peer, bucket, space):
    name, client = bucket
    session, participant, _outsider = space
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    web = peer(**s3_env(closed, name))
    web("login", **{"as": "deelnemer"}, email=participant.email, password=PASSWORD)

    response = upload(web, session, "Verslag van de bouwsessie")
    assert response["status"] == 400
    assert (
        "Het bestand kan nu niet worden opgeslagen. Probeer het later opnieuw."
        in (response["body"])
    )
    assert not Document.objects.exists()
    assert client.list_objects_v2(Bucket=name).get("KeyCount") == 0


def test_a_document_gone_from_the_bucket_answers_a_dutch_404(peer, s3_server, bucket, space):
    name, client = bucket
    session, participant, _outsider = space
    web = peer(**s3_env(s3_server, name))
    web("login", **{"as": "deelnemer"}, email=participant.email, password=PASSWORD)
    assert upload(web, session, "Verslag van de bouwsessie")["status"] == 302
    document = Document.objects.get()
    client.delete_object(Bucket=name, Key=document.file.name)

    page = web(
        "get", **{"as": "deelnemer"}, path=reverse("spaces:document", kwargs={"pk": document.pk})
    )
    assert page["status"] == 404
    assert "Dit bestand is niet meer beschikbaar." in page["body"]
