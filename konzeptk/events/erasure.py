"""What the event calendar does when a person deletes the account."""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.erasure_registry import delete_file_on_commit, register_eraser
from konzeptk.events.models import Event


def erase_events(user: Any) -> None:
    """Events the person submitted that are not published (pending or rejected) are deleted with
    their images: nobody else needs them. Published events stay in the public calendar – they are
    announcements the organiser made public – but lose the link to the account, so the person is no
    longer their submitter. Moderations the person did as staff stay with the anonymised account as
    the record of the calendar's work."""
    own = Event.objects.filter(submitted_by=user)
    unpublished = own.exclude(status=Event.Status.PUBLISHED)
    storage = Event._meta.get_field("image").storage
    for name in unpublished.exclude(image="").values_list("image", flat=True):
        delete_file_on_commit(storage, name)
    unpublished.delete()
    own.update(submitted_by=None)


register_eraser("events.submitted", erase_events, models=[Event])
