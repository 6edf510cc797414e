"""What the strategy does when a person deletes the account."""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.accounts.export_registry import email_q, verified_emails
from konzeptk.strategy.exports import AUTHORED
from konzeptk.strategy.models import Project


def erase_project_contacts(user: Any) -> None:
    """A project that names the person as contact (by a verified address) loses contact name and
    address; the editors set a new contact. The "created/changed by" links of strategy records stay:
    they are the city's record of who worked on the strategy, and after erasure they point to an
    anonymised account that says nothing about the person."""
    addresses = verified_emails(user)
    if addresses:
        Project.objects.filter(email_q("contact_email", addresses)).update(contact_name="", contact_email="")


register_eraser("strategy.project_contacts", erase_project_contacts, models=list(AUTHORED))
