"""Ballots in which residents choose among a process's ideas, their votes and the result.

Why a room of its own and not part of surveys or participation: a ballot is a decision over a
process's ideas with its own rules – votes per person or a budget, the verification level a vote
needs, a result that is published only after the end – while a survey asks its own questions and
reports opinions. Participation keeps the ideas; the ballot phase type plugs into its phase registry.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "konzeptk.ballots"
    label = "ballots"
    verbose_name = _("Abstimmungen")

    def ready(self) -> None:
        # models are ready only now: the phase type names Idea, the export sections Vote
        from konzeptk.ballots import personal_data, phases  # noqa: F401

        phases.register()
