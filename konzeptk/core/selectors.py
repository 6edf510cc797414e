"""Reads of the core room: the editable site pages."""

from __future__ import annotations

from konzeptk.core.models import SitePage


def site_page(slug: str) -> SitePage | None:
    """The page with this slug, or None while nobody has written it yet."""
    return SitePage.objects.filter(slug=slug).first()
