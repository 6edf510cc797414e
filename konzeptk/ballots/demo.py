"""Demo content of ballots: participation's demo Bürgerhaushalt Uerdingen (an invented example)
distributes a budget of 100,000 euros. Set up through the services; idempotent."""

from __future__ import annotations

from typing import TextIO

from konzeptk.accounts.models import User
from konzeptk.ballots import services
from konzeptk.ballots.models import Ballot
from konzeptk.ballots.phases import KEY
from konzeptk.participation.models import Phase

DEMO_PROCESS = "buergerhaushalt-uerdingen"
DEMO_BUDGET = 100_000


def load_demo(*, out: TextIO) -> None:
    phase = (
        Phase.objects.filter(process__slug=DEMO_PROCESS, process__is_demo=True, type=KEY)
        .select_related("process")
        .first()
    )
    staff = User.objects.filter(email="admin@demo.konzeptk.invalid").first()
    if phase is None or staff is None:
        out.write("ballots: kein Demo-Bürgerhaushalt – erst die Demo-Inhalte der Beteiligung laden.\n")
        return
    ballot = services.ballot_ensure(phase=phase)
    if ballot.kind != Ballot.Kind.BUDGET:
        services.ballot_configure(ballot=ballot, by=staff, kind=Ballot.Kind.BUDGET, budget=DEMO_BUDGET)
    out.write(
        f"ballots: Bürgerhaushalt mit {DEMO_BUDGET:,} Euro eingerichtet (erfundenes Beispiel)\n".replace(
            ",", "."
        )
    )
