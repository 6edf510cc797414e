"""Input formats of dates for every UI language (``FORMAT_MODULE_PATH``).

``<input type="date">`` accepts and sends only ISO dates (``2026-12-06``) and shows them in the
person's own way (06.12.2026 in a German browser). Django writes a date into an input with the first
of the language's ``DATE_INPUT_FORMATS``, which for German is ``%d.%m.%Y``: a browser rejects that
value and shows an empty field. So ISO comes first in every language; the language's own formats
follow, and a German date (``06.12.2026``) is accepted in every language where a text field is used.
"""

from __future__ import annotations

import importlib

ISO = "%Y-%m-%d"
GERMAN = ("%d.%m.%Y", "%d.%m.%y")


def date_input_formats(language: str) -> list[str]:
    """ISO first, then German, then the formats Django knows for ``language`` (without repeats)."""
    try:
        own = list(importlib.import_module(f"django.conf.locale.{language}.formats").DATE_INPUT_FORMATS)
    except (ImportError, AttributeError):
        own = []
    ordered = [ISO, *GERMAN, *own]
    return list(dict.fromkeys(ordered))
