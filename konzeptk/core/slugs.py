"""Identifiers in addresses made from German titles: lower case, words joined by hyphens, umlauts
written out as the naming rules of the house say (``ä`` → ``ae``, ``ß`` → ``ss``). The same rule runs
in the browser while staff type a title (``core/static/core/slug.js``), so both give the same result."""

from __future__ import annotations

from django.utils.text import slugify

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slug(text: str, *, max_length: int = 80) -> str:
    """``„Radverkehr in Bockum“ 2026`` → ``radverkehr-in-bockum-2026`` (at most ``max_length``, no
    hyphen at the end)."""
    return slugify(text.translate(UMLAUTS))[:max_length].strip("-")
