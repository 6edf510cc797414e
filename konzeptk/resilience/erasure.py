"""What the city's alerts do when a person deletes the account.

- ``Subscription``: every subscription of the account, and every e-mail subscription to the account's
  address, is deleted, with the record of which alerts it was sent (``Delivery``, by cascade). Nobody needs
  them once the person is gone.
- ``Facility``: a facility whose contact the person is keeps its entry (it is a public place of the city
  profile), but loses the person: the account link and – where it is the account's address – the contact
  address; its subscription to heat alerts is deleted, so nothing goes to the address any more.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.resilience.models import Facility, Subscription


def erase_alert_contacts(user: Any) -> None:
    email = getattr(user, "email", "") or ""
    subscriptions = Q(user=user)
    if email:
        subscriptions |= Q(email__iexact=email, facility__isnull=True)
    Subscription.objects.filter(subscriptions).delete()
    Facility.objects.filter(contact_user=user).update(contact_user=None)
    if email:
        mine = Facility.objects.filter(contact_email__iexact=email)
        Subscription.objects.filter(facility__in=mine).delete()
        mine.update(contact_email="", confirmed_at=None, confirm_token=None)


register_eraser("resilience.alert_contacts", erase_alert_contacts, models=[Subscription, Facility])
