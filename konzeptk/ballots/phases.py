"""The ballot phase type: registered in participation's phase registry from ``BallotsConfig.ready``.

This is the only module that names the phase type; everywhere else asks the registry (or the phase
type's setup) what a phase is.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import User
from konzeptk.ballots import selectors, services
from konzeptk.ballots.forms import BallotForm
from konzeptk.participation.models import Idea, Phase, Process
from konzeptk.participation.phases import (
    Blueprint,
    PhaseLink,
    PhaseType,
    register_action,
    register_blueprint,
    registry,
)

KEY = "ballot"


class BallotSetup:
    """A ballot phase keeps one ballot; staff set it up in the phase editor until the first vote."""

    title: str | Promise = _("Abstimmung dieser Phase")
    submit: str | Promise = _("Abstimmung einrichten")

    def phase_saved(self, *, phase: Phase) -> None:
        services.ballot_ensure(phase=phase)

    def delete_denial(self, *, phase: Phase) -> str | None:
        ballot = selectors.ballot_of_phase(phase.pk)
        if ballot is not None and selectors.ballot_has_votes(ballot):
            return gettext(
                "In dieser Abstimmung wurde schon abgestimmt. Sie kann nicht mehr gelöscht werden."
            )
        return None

    def settings_form(self, *, phase: Phase, data: QueryDict | None, prefix: str) -> forms.Form | None:
        ballot = selectors.ballot_of_phase(phase.pk)
        if ballot is None:
            return None
        initial = {"kind": ballot.kind, "votes_per_person": ballot.votes_per_person, "budget": ballot.budget}
        return BallotForm(data, prefix=prefix, initial=initial)

    def settings_save(self, *, phase: Phase, by: User, form: forms.Form) -> str:
        ballot = services.ballot_ensure(phase=phase)
        services.ballot_configure(ballot=ballot, by=by, **form.cleaned_data)
        return gettext("Die Abstimmung ist eingerichtet.")


class BallotPages:
    """The process page links to the ballot; the phase editor shows the ballot's settings form (setup)."""

    def process_links(self, *, process: Process, user: User | AnonymousUser) -> list[PhaseLink]:
        ballot = selectors.ballot_for(process)
        if ballot is None:
            return []
        url = reverse("ballots:ballot", kwargs={"slug": process.slug})
        if ballot.phase.is_active():
            return [PhaseLink(url=url, label=_("Jetzt abstimmen"), primary=True)]
        return [PhaseLink(url=url, label=_("Zur Abstimmung"))]

    def staff_html(self, *, phase: Phase, request: HttpRequest) -> str:
        return ""


BALLOT = PhaseType(
    KEY,
    _("Abstimmung"),
    _("Sie können über die Vorschläge abstimmen. Ihre Stimmen können Sie bis zum Ende ändern."),
    {"vote": (Idea,)},
    setup=BallotSetup(),
    pages=BallotPages(),
)

BUDGET_BLUEPRINT = Blueprint(
    "budget",
    _("Bürgerhaushalt"),
    _("Ideensammlung, Diskussion, Abstimmung über ein Budget, Ergebnisse."),
    (("idea_collection", 42), ("discussion", 14), (KEY, 21), ("results", 365)),
)


def register() -> None:
    """Called once from ``BallotsConfig.ready``."""
    register_action("vote")
    if KEY not in registry:
        registry.register(BALLOT)
    register_blueprint(BUDGET_BLUEPRINT)
