"""What surveys do when a person deletes the account (DSGVO Art. 17), found by the erasure registry.

Free-text answers are deleted (a text can identify its writer); ticked choices and scale values stay
in the published results, cut loose from the account. Two queries, whatever the number of answers.
"""

from __future__ import annotations

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.accounts.models import User
from konzeptk.surveys.models import Answer, Response


def erase_survey_answers(user: User) -> None:
    responses = Response.objects.filter(user=user)
    Answer.objects.filter(response__in=responses).exclude(text="").delete()
    responses.update(user=None)


register_eraser("surveys.answers", erase_survey_answers, models=[Response, Answer])
