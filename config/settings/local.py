"""Settings for a developer's machine and for `make demo`."""

from .base import *  # noqa: F403
from .base import STORAGES, env_bool

# Django's debug pages list every address of the service on a 404: only when a developer asks for them.
DEBUG = env_bool("DEBUG", False)
# `make demo` builds the demo borough in this database, emptying it first.
DEMO_MAY_EMPTY_DATABASE = True
# Serve the built assets without a collectstatic step.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Serve the assets straight from static_build/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo's accounts sign in with a password alone, so anyone can try it; set
# TWO_FACTOR_REQUIRED=true to try the authenticator app step too.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
