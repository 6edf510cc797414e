"""What core does when a person deletes the account."""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.accounts.export_registry import email_q, verified_emails
from konzeptk.core.models import AccessibilityFeedback


def erase_feedback(user: Any) -> None:
    """Feedback sent under one of the person's verified addresses loses name and address; the
    description of the barrier stays, because it is about the site and the fix may still be due."""
    addresses = verified_emails(user)
    if addresses:
        AccessibilityFeedback.objects.filter(email_q("email", addresses)).update(name="", email="")


register_eraser("core.accessibility_feedback", erase_feedback, models=[AccessibilityFeedback])
