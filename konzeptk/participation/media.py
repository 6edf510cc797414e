"""Idea images under /media/ are public while the idea is: visible, in a published or archived process."""

from __future__ import annotations

from konzeptk.core.media import register_public_media
from konzeptk.participation.models import Idea


def idea_image_is_public(name: str) -> bool:
    return Idea.objects.public().filter(image=name).exists()


register_public_media("participation/ideas/", idea_image_is_public)
