"""What the catalogue does when a person deletes the account (DSGVO Art. 17), found by the erasure registry.

Requests stay public without the link to the person; datasets belong to their organisation and only lose the
note of who registered them.
"""

from __future__ import annotations

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.accounts.models import User
from konzeptk.opendata.models import Dataset, DatasetRequest


def erase_catalogue_links(user: User) -> None:
    DatasetRequest.objects.filter(requester=user).update(requester=None)
    Dataset.objects.filter(created_by=user).update(created_by=None)


register_eraser("opendata.people", erase_catalogue_links, models=[DatasetRequest, Dataset])
