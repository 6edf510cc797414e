"""The Meinungsbild phase type: registered in participation's phase registry from
``InsightsConfig.ready``.

This is the only module that names the phase type. Everywhere else insights asks the registry
which phases let people give their opinion on statements (the action ``opine``):
:func:`opinion_phase_types` for queries, ``phase.phase_type.opens(OPINE)`` for one phase.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from konzeptk.insights.models import Statement
from konzeptk.participation.phases import PhaseType, register_action, registry

KEY = "meinungsbild"
#: the action a Meinungsbild phase opens on statements: vote on them and propose new ones
OPINE = "opine"


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
            )
        )


def opinion_phase_types() -> list[str]:
    """Keys of the phase types in which people give their opinion on statements (for
    ``Phase.objects.filter(type__in=…)``)."""
    return registry.keys_opening(OPINE)
