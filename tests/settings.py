"""Settings for the test suite: the real settings, a throwaway key, plain HTTP, fast hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic in tests: serve static files from the apps, unhashed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Threads of the live server and the concurrency test close their connections when done.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # One test database per process, so parallel runs on one server do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_trilha_{os.getpid()}"}  # noqa: F405

# Tasks run as they are queued (a test of the worker itself switches to the database backend).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TEST_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="trilha-media-"))
STORAGES = {**STORAGES, "default": {**STORAGES["default"], "OPTIONS": {"location": MEDIA_ROOT}}}
