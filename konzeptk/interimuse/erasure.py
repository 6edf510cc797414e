"""What the interim-use programme does when a person deletes the account.

- ``Application`` without a contract: deleted, with the jury's scores and conflicts about it
  (cascade). Nothing needs them once the person leaves.
- ``Application`` with a ``Contract``: kept, because the contract documents public funding that
  must be provable for ten years; the free texts about the person go (title, concept, decision
  reason), the figures stay. The account itself is anonymised by ``accounts``.
- ``Report``: kept with its dates (proof that reports were due and sent); text and visitors emptied.
- ``Juror``, ``Score``, ``Conflict`` of the person as a juror: kept as part of the jury's record of a
  decision (the account is anonymised); their comments and conflict reasons are emptied.
"""

from __future__ import annotations

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.accounts.models import User
from konzeptk.interimuse.models import Application, Conflict, Contract, Juror, Report, Score

ERASED = "[gelöscht]"


def erase_interimuse(user: User) -> None:
    Application.objects.filter(applicant=user, contract__isnull=True).delete()
    Application.objects.filter(applicant=user).update(title=ERASED, concept=ERASED, decision_reason="")
    Report.objects.filter(contract__application__applicant=user).update(text="", visitors=None)
    Score.objects.filter(juror__user=user).update(comment="")
    Conflict.objects.filter(juror__user=user).update(reason=ERASED)


register_eraser(
    "interimuse", erase_interimuse, models=[Application, Contract, Report, Juror, Score, Conflict]
)
