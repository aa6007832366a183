"""A photo whose thumbnail can never be made ends once, not on every run of the owed-work timer."""

import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from bouwplaats.spaces import services
from bouwplaats.spaces.models import Photo

from .files import jpeg_bytes

GONE = "Dit bestand is niet meer beschikbaar."


@pytest.fixture
def photo(session, participant, upload):
    # Without the commit's callback: no thumbnail yet, as when the worker never got the job.
    made = services.photo_upload(
        session=session, user=participant, upload=upload("zaal.jpg", jpeg_bytes(size=(900, 600)))
    )
    assert not made.thumbnail
    return made


def _replace_bytes(field_file, content: bytes | None) -> None:
    """Remove the stored file, or put ``content`` under its name instead."""
    storage, name = field_file.storage, field_file.name
    storage.delete(name)
    if content is not None:
        assert storage.save(name, ContentFile(content)) == name


def _timer() -> int:
    """Run the spaces part of `manage.py requeue_owed_work` (the immediate test backend runs
    each queued task at once); return how many tasks it queued."""
    return services.owed_work_requeue()


@pytest.mark.parametrize(
    "content",
    [None, b"geen foto", jpeg_bytes(size=(900, 600))[:200]],
    ids=["missing from storage", "not an image", "truncated jpeg"],
)
def test_a_thumbnail_that_cannot_be_made_is_settled_once(photo, content, caplog):
    _replace_bytes(photo.file, content)
    with caplog.at_level(logging.WARNING, logger="bouwplaats.spaces.thumbnails"):
        assert _timer() == 1
    photo.refresh_from_db()
    assert photo.thumbnail_impossible and not photo.thumbnail
    warnings = [r.getMessage() for r in caplog.records if r.name == "bouwplaats.spaces.thumbnails"]
    assert len(warnings) == 1 and str(photo.pk) in warnings[0] and photo.file.name in warnings[0]
    # The timer's next runs leave it alone.
    assert _timer() == 0
    call_command("requeue_owed_work", stdout=io.StringIO())
    assert Photo.objects.filter(pk=photo.pk, thumbnail_impossible=True, thumbnail="").exists()


def test_a_good_photo_still_gets_its_thumbnail_from_the_timer(photo):
    assert _timer() == 1
    photo.refresh_from_db()
    assert photo.thumbnail and not photo.thumbnail_impossible
    assert _timer() == 0


def test_page_and_api_still_answer_for_a_photo_without_thumbnail(client, api, photo, participant):
    _replace_bytes(photo.file, None)
    _timer()
    client.force_login(participant)
    page = client.get(reverse("spaces:photo_thumbnail", kwargs={"pk": photo.pk}))
    assert page.status_code == 404 and GONE in page.content.decode()
    listed = api(participant).get(f"/sessions/{photo.session_id}/photos")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    thumb = api(participant).get(f"/sessions/{photo.session_id}/photos/{photo.pk}/thumbnail")
    assert thumb.status_code == 404 and thumb.json() == {"detail": GONE}
    space = client.get(reverse("spaces:session", kwargs={"session_pk": photo.session_id}))
    assert space.status_code == 200
