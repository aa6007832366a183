"""The engine settings read from the environment refuse what they cannot use (start-up stops)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from bouwplaats.settings import media_storage

pytestmark = pytest.mark.stack


def test_media_stay_in_the_folder_unless_s3_is_asked():
    assert media_storage({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = media_storage({"MEDIA_STORAGE": "S3", "AWS_STORAGE_BUCKET_NAME": "bouwplaats-media"})
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "bouwplaats-media"
    assert s3["OPTIONS"]["default_acl"] == "private"
    assert s3["OPTIONS"]["file_overwrite"] is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME."),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE 'ftp' is unknown; use filesystem or s3."),
    ],
)
def test_an_unusable_media_storage_stops_start_up(env, message):
    with pytest.raises(ImproperlyConfigured) as error:
        media_storage(env)
    assert str(error.value) == message
