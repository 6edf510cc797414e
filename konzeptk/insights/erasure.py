"""What insights does when a person deletes the account: the voluntary profile is deleted; votes on
statements and proposed statements stay as anonymous contributions of the anonymised account."""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.erasure import register_eraser
from konzeptk.insights.models import DemographicProfile


def erase_profile(user: Any) -> None:
    DemographicProfile.objects.filter(user=user).delete()


register_eraser("insights.profile", erase_profile)
