"""``konzeptk recompute_insights [--all] [--watch SECONDS]``: recompute opinion landscapes and take
today's representation snapshots (of every running process and the platform; once a day is enough,
a second run on the same day replaces that day's snapshot)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.insights import phases, services
from konzeptk.participation.models import Phase


class Command(BaseCommand):
    help = (
        "Berechnet die Meinungsbilder neu, deren Stimmen sich geändert haben (mit --all: alle), "
        "und hält die Repräsentation laufender Prozesse für heute fest."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="alle Meinungsbild-Phasen neu berechnen")
        parser.add_argument(
            "--watch",
            type=float,
            metavar="SEKUNDEN",
            help="nicht beenden, sondern alle SEKUNDEN Sekunden nach geänderten Meinungsbildern sehen",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        taken = services.representation_snapshots_take()
        self.stdout.write(f"Repräsentation festgehalten: {taken} Stände (laufende Prozesse und Plattform)")
        while True:
            if options["all"]:
                opinion_phases = Phase.objects.filter(type__in=phases.opinion_phase_types()).order_by("pk")
                for phase in list(opinion_phases):
                    landscape = services.opinion_landscape_compute(phase=phase)
                    self._report(phase, landscape)
            else:
                for phase_id in services.opinion_landscapes_recompute_pending():
                    phase = Phase.objects.get(pk=phase_id)
                    self._report(phase, phase.opinion_landscape)
            if not options["watch"]:
                return
            options["all"] = False
            time.sleep(max(0.5, options["watch"]))

    def _report(self, phase: Any, landscape: Any) -> None:
        if landscape.status == landscape.Status.OK:
            self.stdout.write(
                f"Phase {phase.pk}: {landscape.result['participants']} Personen, "
                f"{landscape.result['k']} Meinungsgruppen, {landscape.seconds} s"
            )
        else:
            self.stdout.write(f"Phase {phase.pk}: {landscape.message}")
