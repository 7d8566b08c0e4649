"""Settings for the test suite."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
# Argon2 at full strength makes every sign-in in the suite slow; tests do not need it.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ALLOWED_HOSTS = ["*"]
# Serve the assets straight from static_build/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests sign in with a password; the tests of the second factor turn it on.
TWO_FACTOR_REQUIRED = False
