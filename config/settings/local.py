"""Settings for a developer's machine and for `make demo`."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = True
# Serve the built assets without a collectstatic step.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Serve the assets straight from static_build/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
