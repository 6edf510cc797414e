"""The phase-type registry (after adhocracy4's ``phases/contents.py``).

A phase type registers itself and declares which actions it opens on which content:
``features = {"crud": (Idea,), "comment": (Idea,), "support": (Idea,)}``. Permissions
(rules.py) ask the phase that is active at the moment; there is no if-chain over phase names.
Blueprints create a typical sequence of phases for a new process in one step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from konzeptk.participation.models import Comment, Idea, Survey

#: Actions a phase can open. ``crud`` = propose and edit ideas; ``answer`` = fill in a survey.
#: Other apps add their own with :func:`register_action` (insights: ``opine``).
ACTIONS: tuple[str, ...] = ("crud", "comment", "support", "vote", "answer")


def register_action(action: str) -> None:
    """Let another app's phase types open an action of its own (called from its AppConfig.ready)."""
    global ACTIONS
    if action not in ACTIONS:
        ACTIONS = (*ACTIONS, action)


@dataclass(frozen=True)
class PhaseType:
    key: str
    name: str | Promise
    description: str | Promise
    features: Mapping[str, tuple[type[models.Model], ...]] = field(default_factory=dict)

    def has_feature(self, action: str, model: type[models.Model]) -> bool:
        return model in self.features.get(action, ())


class PhaseRegistry:
    def __init__(self) -> None:
        self._types: dict[str, PhaseType] = {}

    def register(self, phase_type: PhaseType) -> PhaseType:
        unknown = set(phase_type.features) - set(ACTIONS)
        if unknown:
            raise ValueError(f"Unknown actions {unknown} in phase type {phase_type.key}")
        self._types[phase_type.key] = phase_type
        return phase_type

    def get(self, key: str) -> PhaseType:
        return self._types[key]

    def __contains__(self, key: str) -> bool:
        return key in self._types

    def all(self) -> list[PhaseType]:
        return list(self._types.values())

    def choices(self) -> list[tuple[str, Any]]:
        return [(t.key, t.name) for t in self._types.values()]


registry = PhaseRegistry()

INFORMATION = registry.register(
    PhaseType(
        "information",
        _("Information"),
        _("Die Verwaltung stellt das Vorhaben vor. Beiträge sind noch nicht möglich."),
    )
)
IDEA_COLLECTION = registry.register(
    PhaseType(
        "idea_collection",
        _("Ideensammlung"),
        _("Sie können Ideen einreichen, kommentieren und unterstützen."),
        {"crud": (Idea,), "comment": (Idea, Comment), "support": (Idea,)},
    )
)
DISCUSSION = registry.register(
    PhaseType(
        "discussion",
        _("Diskussion"),
        _("Sie können die eingereichten Ideen kommentieren."),
        {"comment": (Idea, Comment)},
    )
)
PRIORITISATION = registry.register(
    PhaseType(
        "prioritisation",
        _("Priorisierung"),
        _("Sie können die Ideen unterstützen, die Ihnen am wichtigsten sind."),
        {"support": (Idea,), "comment": (Idea, Comment)},
    )
)
BALLOT = registry.register(
    PhaseType(
        "ballot",
        _("Abstimmung"),
        _("Sie können über die Vorschläge abstimmen. Ihre Stimmen können Sie bis zum Ende ändern."),
        {"vote": (Idea,)},
    )
)
SURVEY = registry.register(
    PhaseType(
        "survey",
        _("Umfrage"),
        _("Sie können den Fragebogen dieses Beteiligungsprozesses beantworten."),
        {"answer": (Survey,)},
    )
)
RESULTS = registry.register(
    PhaseType(
        "results",
        _("Ergebnisse"),
        _("Die Verwaltung berichtet, was aus den Ideen geworden ist."),
    )
)


@dataclass(frozen=True)
class Blueprint:
    key: str
    name: str | Promise
    description: str | Promise
    #: (phase type key, length in days)
    steps: tuple[tuple[str, int], ...]


BLUEPRINTS: dict[str, Blueprint] = {
    b.key: b
    for b in (
        Blueprint(
            "ideas",
            _("Ideenwettbewerb"),
            _("Information, Ideensammlung, Priorisierung, Ergebnisse."),
            (("information", 14), ("idea_collection", 42), ("prioritisation", 21), ("results", 365)),
        ),
        Blueprint(
            "budget",
            _("Bürgerhaushalt"),
            _("Ideensammlung, Diskussion, Abstimmung über ein Budget, Ergebnisse."),
            (("idea_collection", 42), ("discussion", 14), ("ballot", 21), ("results", 365)),
        ),
        Blueprint(
            "dialogue",
            _("Dialog"),
            _("Information, Ideensammlung, Diskussion, Ergebnisse."),
            (("information", 7), ("idea_collection", 28), ("discussion", 14), ("results", 365)),
        ),
        Blueprint(
            "survey",
            _("Umfrage"),
            _("Information, Umfrage mit einem Fragebogen, Ergebnisse."),
            (("information", 7), ("survey", 28), ("results", 365)),
        ),
    )
}
