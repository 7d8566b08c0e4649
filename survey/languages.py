"""The languages the survey is translated into, as the area chooses from them."""

from django.conf import settings
from django.utils.translation import get_language_info

ENGLISH = "en"
# An area offers English and at least this many of its community languages (issue 5).
MINIMUM_COMMUNITY_LANGUAGES = 3


def community_languages() -> list[tuple[str, str]]:
    """(code, "Polish (Polski)") for every language with a translation, English aside."""
    return [(code, _label(code)) for code, _name in settings.LANGUAGES if code != ENGLISH]


def _label(code: str) -> str:
    info = get_language_info(code)
    return f"{info['name']} ({info['name_local']})"


def language_link(code: str) -> dict:
    """What a language switcher needs: the code, the language's own name for itself, and its direction."""
    info = get_language_info(code)
    return {"code": code, "name": info["name_local"], "english": info["name"], "bidi": info["bidi"]}
