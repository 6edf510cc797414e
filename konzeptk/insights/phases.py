"""The Meinungsbild phase type: registered in participation's phase registry from
``InsightsConfig.ready``.

This is the only module that names the phase type. Everywhere else insights asks the registry
which phases let people give their opinion on statements (the action ``opine``):
:func:`opinion_phase_types` for queries, ``phase.phase_type.opens(OPINE)`` for one phase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.insights.models import Statement
from konzeptk.participation.phases import PhaseLink, PhaseType, register_action, registry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from konzeptk.accounts.models import User
    from konzeptk.participation.models import Phase, Process

KEY = "meinungsbild"
#: the action a Meinungsbild phase opens on statements: vote on them and propose new ones
OPINE = "opine"


class OpinionPages:
    """The way into a Meinungsbild from the process page: a running phase opens the statements (the
    main action of the page), an ended one links its result."""

    def process_links(self, *, process: Process, user: User | AnonymousUser) -> list[PhaseLink]:
        now = timezone.now()
        links = []
        for phase in process.phases.all():
            if phase.type != KEY or phase.start > now:
                continue
            if phase.is_active(now):
                links.append(
                    PhaseLink(
                        url=reverse("insights:opine", kwargs={"pk": phase.pk}),
                        label=_("Beim Meinungsbild mitmachen"),
                        primary=True,
                    )
                )
            else:
                links.append(
                    PhaseLink(
                        url=reverse("insights:landscape", kwargs={"pk": phase.pk}),
                        label=_("Ergebnis des Meinungsbilds"),
                    )
                )
        return links

    def staff_html(self, *, phase: Phase, request: HttpRequest) -> str:
        return ""


def register() -> None:
    register_action(OPINE)
    if KEY not in registry:
        registry.register(
            PhaseType(
                KEY,
                _("Meinungsbild"),
                _(
                    "Sie sehen kurze Aussagen nacheinander und sagen, ob Sie zustimmen, nicht zustimmen "
                    "oder überspringen. Eigene Aussagen können Sie vorschlagen."
                ),
                {OPINE: (Statement,)},
                pages=OpinionPages(),
            )
        )


def opinion_phase_types() -> list[str]:
    """Keys of the phase types in which people give their opinion on statements (for
    ``Phase.objects.filter(type__in=…)``)."""
    return registry.keys_opening(OPINE)
