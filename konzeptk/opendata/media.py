"""Files uploaded to the catalogue are public while their dataset is in the catalogue."""

from __future__ import annotations

from konzeptk.core.media_registry import register_public_media
from konzeptk.opendata.models import Distribution


def catalogue_file_is_public(name: str) -> bool:
    return Distribution.objects.filter(file=name).exists()


register_public_media("opendata/", catalogue_file_is_public)
