"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""
import os

os.environ["DJANGO_READ_DOT_ENV"] = "false"  # a developer's .env never reaches the tests
os.environ.setdefault("SECRET_KEY", "test-" + "k3y-for-the-test-suite-only-" * 3)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Tests that concern the second factor turn it on themselves.
os.environ.setdefault("REQUIRE_2FA", "false")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
