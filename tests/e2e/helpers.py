"""Small helpers for the browser tests that test modules import directly."""

from django.utils import translation


def translated(message: str, language: str = "nl", **params) -> str:
    """Return `message` as the app renders it in `language`, with `%(name)s` parameters filled in.

    The tests name texts by their msgid, so they keep passing when a translation is added or reworded.
    """
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text
