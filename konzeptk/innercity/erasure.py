"""What the inner city does when a person deletes the account."""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.erasure_registry import delete_file_on_commit, register_eraser
from konzeptk.innercity.models import Owner, Unit, UnitPhoto, VacancyCount


def erase_owner(user: Any) -> None:
    """The owner profile (name, organisation, phone) is deleted. Units the person offered stay in the
    coordination's register – the vacancy of the place is a fact about the city – but lose their link
    to the person and are no longer public (the consent to publish was the person's). Their photos
    (rows and files) are deleted; the description the person wrote is emptied. Verifications the
    person did as staff and counts they took stay, without the link (``SET_NULL``)."""
    Owner.objects.filter(user=user).delete()
    units = Unit.objects.filter(owner=user)
    photos = UnitPhoto.objects.filter(unit__in=units)
    storage = UnitPhoto._meta.get_field("image").storage
    for name in photos.values_list("image", flat=True):
        delete_file_on_commit(storage, name)
    photos.delete()
    empty_texts = {f"description_{lang}": "" for lang in ("de", "en", "tr", "ar", "pl", "uk")}
    units.update(owner=None, owner_consent_public=False, **empty_texts)
    Owner.objects.filter(verified_by=user).update(verified_by=None)
    VacancyCount.objects.filter(taken_by=user).update(taken_by=None)


register_eraser("innercity.owner", erase_owner, models=[Owner, Unit, UnitPhoto, VacancyCount])
