"""Event images under /media/ are public while their event is published; staff see the others."""

from __future__ import annotations

from django.http import HttpRequest

from konzeptk.core.media_registry import register_public_media
from konzeptk.events.models import Event


def event_image_is_public(name: str) -> bool:
    return Event.objects.filter(image=name, status=Event.Status.PUBLISHED).exists()


def staff_or_submitter_may_see(request: HttpRequest, name: str) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if getattr(user, "is_platform_staff", False):
        return Event.objects.filter(image=name).exists()
    return Event.objects.filter(image=name, submitted_by_id=user.pk).exists()


register_public_media("events/", event_image_is_public, may_see=staff_or_submitter_may_see)
