"""The languages offers are taught in (ISO 639-1), with their names in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEACHING_LANGUAGES: dict[str, Promise] = {
    "de": _("Deutsch"),
    "en": _("Englisch"),
    "tr": _("Türkisch"),
    "ar": _("Arabisch"),
    "pl": _("Polnisch"),
    "uk": _("Ukrainisch"),
    "ru": _("Russisch"),
    "fr": _("Französisch"),
    "es": _("Spanisch"),
    "it": _("Italienisch"),
    "el": _("Griechisch"),
    "fa": _("Persisch"),
}


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in TEACHING_LANGUAGES.items()]


def language_name(code: str) -> str:
    """The language's name, or its code in capitals when it is not in the list."""
    name = TEACHING_LANGUAGES.get(code)
    return str(name) if name is not None else code.upper()


def language_codes(stored: str) -> list[str]:
    """``"|de|tr|"`` → ``["de", "tr"]``."""
    return [code for code in stored.split("|") if code]
