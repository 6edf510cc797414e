"""Registry of erasers: what every app does with a person's data when the person deletes the account.

An app registers an eraser, best in its own ``konzeptk/<app>/erasure.py`` (found automatically), and
names the models it covers; its docstring says what happens to each and why::

    from konzeptk.accounts.erasure_registry import register_eraser

    def erase_follows(user):
        # Follows are deleted: they exist only to send the person mail.
        Follow.objects.filter(user=user).delete()

    register_eraser("participation.follows", erase_follows, models=[Follow])

An eraser is a callable ``(user) -> None``. ``konzeptk.accounts.services.user_erase`` calls all of
them inside its transaction before it empties the account itself; if one fails, nothing is changed.
Erasers run by ``priority`` (lower first), then by name; the account's own records (e-mail addresses,
consents) go last, so every eraser can still find the person's verified addresses.
Files are removed with :func:`delete_file_on_commit`, so a failed erasure leaves them in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.files.storage import Storage
from django.db import transaction

from konzeptk.accounts.export_registry import ModelRef, discover, model_label

Eraser = Callable[[Any], None]

_erasers: dict[str, tuple[Eraser, tuple[str, ...], int]] = {}
_discovered = False


def register_eraser(
    name: str, eraser: Eraser, *, models: Iterable[ModelRef] = (), priority: int = 0
) -> Eraser:
    """Register (or replace) the eraser ``name`` covering ``models``; returns the callable."""
    _erasers[name] = (eraser, tuple(model_label(m) for m in models), priority)
    return eraser


def _ensure_discovered() -> None:
    global _discovered
    if not _discovered:
        discover("erasure")
        _discovered = True


def registered_erasers() -> dict[str, Eraser]:
    """The erasers in the order they run."""
    _ensure_discovered()
    ordered = sorted(_erasers.items(), key=lambda item: (item[1][2], item[0]))
    return {name: eraser for name, (eraser, _models, _priority) in ordered}


def erased_models() -> set[str]:
    _ensure_discovered()
    return {label for _eraser, covered, _priority in _erasers.values() for label in covered}


def run_erasers(user: Any) -> list[str]:
    """Run every registered eraser for ``user``; returns their names in the order they ran."""
    names = []
    for name, eraser in registered_erasers().items():
        eraser(user)
        names.append(name)
    return names


def delete_file_on_commit(storage: Storage, name: str) -> None:
    """Remove a stored file once the erasure's transaction has committed (storage API only)."""
    if not name:
        return

    def delete() -> None:
        storage.delete(name)

    transaction.on_commit(delete)


def erase_account_records(user: Any) -> None:
    """The account's own records, after every other eraser (``priority=100``).

    E-mail addresses, consent records and memberships are deleted: once the account is anonymised
    nothing is processed on the basis of those consents any more, so there is nothing left to prove.
    ``services.user_erase`` then empties the account row itself (placeholder address, no name, no
    password, inactive). Admin log entries the person wrote as staff stay (who changed what is the
    platform's audit trail) and point to the anonymised account; entries about the person's own
    account, or naming one of their verified addresses, lose their description.
    """
    from allauth.account.models import EmailAddress
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from konzeptk.accounts.export_registry import verified_emails
    from konzeptk.accounts.models import Consent, Membership

    about_them = Q(content_type=ContentType.objects.get_for_model(type(user)), object_id=str(user.pk))
    for address in verified_emails(user):
        about_them |= Q(object_repr__icontains=address) | Q(change_message__icontains=address)
    LogEntry.objects.filter(about_them).update(object_repr="", change_message="")
    EmailAddress.objects.filter(user=user).delete()
    Consent.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()


register_eraser(
    "accounts.account",
    erase_account_records,
    models=[
        "accounts.User",
        "accounts.Membership",
        "accounts.Consent",
        "account.EmailAddress",
        "admin.LogEntry",
    ],
    priority=100,
)


def erase_invitations(user: Any) -> None:
    """Invitations to the person's addresses are deleted; invitations they sent lose the link to them."""
    from konzeptk.accounts.export_registry import email_q, verified_emails
    from konzeptk.accounts.models import Invitation

    addresses = verified_emails(user)
    if addresses:
        Invitation.objects.filter(email_q("email", addresses)).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Invitation.objects.filter(accepted_by=user).update(accepted_by=None)


register_eraser("accounts.invitations", erase_invitations, models=["accounts.Invitation"])
