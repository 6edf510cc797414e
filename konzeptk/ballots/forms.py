"""Forms of the ballots app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.ballots.models import Ballot
from konzeptk.ballots.services import VOTES_PER_PERSON_MAX


class BallotForm(forms.Form):
    """How a ballot is set up: a fixed number of votes per person, or a budget to distribute."""

    kind = forms.ChoiceField(
        label=_("Art der Abstimmung"), choices=Ballot.Kind.choices, widget=forms.RadioSelect
    )
    votes_per_person = forms.IntegerField(
        label=_("Stimmen pro Person"), min_value=1, max_value=VOTES_PER_PERSON_MAX, initial=3
    )
    budget = forms.IntegerField(
        label=_("Budget in Euro"), min_value=1, max_value=1_000_000_000, required=False
    )
