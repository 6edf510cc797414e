"""Idea images under /media/ are public while the idea is: visible, in a published or archived process.
Moderators of the process still see the image of a hidden idea they are looking at."""

from __future__ import annotations

from django.http import HttpRequest

from konzeptk.core.media_registry import register_public_media
from konzeptk.participation.models import Idea


def idea_image_is_public(name: str) -> bool:
    return Idea.objects.public().filter(image=name).exists()


def moderator_may_see(request: HttpRequest, name: str) -> bool:
    from konzeptk.participation.rules import is_moderator

    idea = Idea.objects.filter(image=name, deleted_at__isnull=True).select_related("process").first()
    return idea is not None and is_moderator(request.user, idea.process)


register_public_media("participation/ideas/", idea_image_is_public, may_see=moderator_may_see)
