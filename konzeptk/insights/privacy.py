"""The Django side of the disclosure control: the operator's secret for the record keys.

Every count of people the platform publishes passes :mod:`konzeptk.insights.engine.disclosure`
(the cell-key method); this module only hands it the secret, from the setting ``DISCLOSURE_KEY``
(environment variable of the same name) or, when that is empty, ``SECRET_KEY``. Keep the secret
fixed: a new one gives every cell a new, independent deviation."""

from __future__ import annotations

from django.conf import settings

from konzeptk.insights.engine import disclosure

#: the largest deviation of a published count (shown on the pages and in the API description)
MAX_DEVIATION = disclosure.MAX_DEVIATION
#: shares, means and scores describe a group only from this published count on
MIN_DESCRIBED = disclosure.MIN_DESCRIBED


large_enough = disclosure.large_enough


def keyring() -> disclosure.Keyring:
    """Record keys of people under the operator's secret."""
    return disclosure.Keyring(
        disclosure.secret_from(getattr(settings, "DISCLOSURE_KEY", ""), str(settings.SECRET_KEY))
    )


def person_of_user(user_id: int) -> str:
    return f"u{user_id}"


def person_of_response(response_id: int) -> str:
    return f"r{response_id}"
