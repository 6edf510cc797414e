"""Ballot pages the browser test checks with axe-core (German paths; /ar/ is added there)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from konzeptk.accounts.models import Organisation
from konzeptk.ballots import services
from konzeptk.ballots.models import Ballot
from konzeptk.ballots.phases import KEY
from konzeptk.city.services import city_profile_load
from konzeptk.participation.models import Idea, Phase, Process


def a11y_pages() -> list[str]:
    """A published process with a finished budget ballot over two costed ideas; its two pages."""
    city_profile_load(source="krefeld")
    now = timezone.now()
    org, _created = Organisation.objects.get_or_create(slug="a11y-org", defaults={"name": "Stadt Krefeld"})
    process, _created = Process.objects.get_or_create(
        slug="a11y-abstimmung",
        defaults={"title": "Bürgerhaushalt Stadtpark", "organiser": org, "status": Process.Status.PUBLISHED},
    )
    phase, _created = Phase.objects.get_or_create(
        process=process,
        type=KEY,
        defaults={"start": now - dt.timedelta(days=30), "end": now - dt.timedelta(days=20)},
    )
    ballot = services.ballot_ensure(phase=phase)
    if ballot.kind != Ballot.Kind.BUDGET:
        ballot.kind, ballot.budget = Ballot.Kind.BUDGET, 50_000
        ballot.save()
    for title, cost in (("Neue Bänke am Teich", 12_000), ("Beleuchtung der Wege", 30_000)):
        Idea.objects.get_or_create(
            process=process, title=title, defaults={"text": "Ein Vorschlag.", "cost": cost}
        )
    base = f"/beteiligung/{process.slug}/abstimmung/"
    return [base, base + "ergebnis/"]
