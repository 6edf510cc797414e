"""Erasure of economy's personal data.

- ``Claim``: deleted with the person; the person loses the right to edit the business (the entry itself
  stays – it describes the business, not the person).
"""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.economy.models import Claim


def erase_claims(user: Any) -> None:
    Claim.objects.filter(user=user).delete()


register_eraser("economy_claims", erase_claims, models=[Claim])
