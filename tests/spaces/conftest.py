import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import MembershipFactory, RegistrationFactory, SessionFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 on every factory-made member makes the access matrix needlessly slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    return tmp_path / "media"


@pytest.fixture
def session(db, programme):
    return SessionFactory(programme=programme, title="Programmamanagers: door ná 2017")


@pytest.fixture
def host(session):
    return session.host


@pytest.fixture
def participant(session):
    return RegistrationFactory(session=session, member=UserFactory(full_name="Deelnemer")).member


@pytest.fixture
def programme_team(session):
    return MembershipFactory(programme=session.programme, user=UserFactory()).user


@pytest.fixture
def people(session, participant, member, admin_user, programme_team):
    """Return each role in the matrix by name (None is a visitor)."""
    registered = {}
    for status in ("pending", "waitlisted", "declined", "cancelled"):
        registered[status] = RegistrationFactory(session=session, status=status).member
    return {
        "visitor": None,
        "member": member,
        **registered,
        "participant": participant,
        "host": session.host,
        "team": programme_team,
        "admin": admin_user,
    }


@pytest.fixture
def upload():
    """Return a factory for uploaded files."""

    def make(name: str, content: bytes, content_type: str = "application/octet-stream"):
        return SimpleUploadedFile(name, content, content_type=content_type)

    return make
