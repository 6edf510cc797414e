"""What insights does when a person deletes the account."""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.insights.models import DemographicProfile, Statement, StatementVote


def erase_profile(user: Any) -> None:
    """The voluntary profile (age band, gender, district, languages, migration history) is deleted."""
    DemographicProfile.objects.filter(user=user).delete()


def erase_statements(user: Any) -> None:
    """Statements the person proposed that were never approved are deleted. Approved statements
    stay without author: others have voted on them and the opinion landscape is built from those
    votes; a statement is a short proposition put to everyone, not an account of the person.
    The person's votes on statements stay on the anonymised account (like ballot votes), so opinion
    groups computed before stay reproducible; the account carries nothing about the person."""
    Statement.objects.filter(author=user).exclude(status=Statement.Status.APPROVED).delete()
    Statement.objects.filter(author=user).update(author=None)


register_eraser("insights.profile", erase_profile, models=[DemographicProfile])
register_eraser("insights.statements", erase_statements, models=[Statement, StatementVote])
