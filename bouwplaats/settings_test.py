"""Settings for the test suite: the real settings with test-friendly defaults."""

import os

os.environ.setdefault("BOUWPLAATS_TESTING", "1")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from bouwplaats.settings import *  # noqa: E402,F403

# Argon2 is slow on purpose; tests make hundreds of members. Production keeps Argon2 first
# (tests/core/test_settings.py); Argon2 stays listed so that its hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]

# WhiteNoise walks every static file (the finders' folders too) when its middleware is built,
# which a test client does once per client: about 40 ms per test. Looking files up per request
# instead serves the same files (tests/core/test_required_pages.py and the browser suite fetch
# them).
WHITENOISE_AUTOREFRESH = True
