"""The phase-type registry (after adhocracy4's ``phases/contents.py``).

A phase type registers itself and declares which actions it opens on which content:
``features = {"crud": (Idea,), "comment": (Idea,), "support": (Idea,)}``. Permissions
(rules.py) ask the phase that is active at the moment; there is no if-chain over phase names.
Blueprints create a typical sequence of phases for a new process in one step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from konzeptk.accounts.models import User
    from konzeptk.participation.models import Phase, Process

#: A model a phase type opens an action on: the class, or its label ("participation.Idea"). This
#: module names participation's own models by label, so that models.py can import the registry
#: (for the choices of ``Phase.type``) without an import cycle.
ModelRef = type[models.Model] | str
IDEA = "participation.Idea"
COMMENT = "participation.Comment"


def model_label(model: ModelRef) -> str:
    return model if isinstance(model, str) else str(model._meta.label)


#: Actions a phase can open. ``crud`` = propose and edit ideas; ``answer`` = fill in a survey.
#: Other apps add their own with :func:`register_action` (insights: ``opine``).
ACTIONS: tuple[str, ...] = ("crud", "comment", "support", "vote", "answer")


def register_action(action: str) -> None:
    """Let another app's phase types open an action of its own (called from its AppConfig.ready)."""
    global ACTIONS
    if action not in ACTIONS:
        ACTIONS = (*ACTIONS, action)


class PhaseSetup(Protocol):
    """What a phase type keeps for each of its phases and how staff set it up in the phase editor
    (a ballot phase keeps its ballot). The app registering the phase type offers it; participation's
    services and the phase editor call it without knowing that app."""

    #: heading above the settings form in the phase editor, and the label of its button
    title: str | Promise
    submit: str | Promise

    def phase_saved(self, *, phase: Phase) -> None:
        """Called in the transaction that created or changed a phase of this type."""

    def delete_denial(self, *, phase: Phase) -> str | None:
        """Why the phase may not be deleted (e.g. votes were cast), or None."""

    def settings_form(self, *, phase: Phase, data: QueryDict | None, prefix: str) -> forms.Form | None:
        """The settings form of the phase (bound when ``data`` is given), or None when it has none."""

    def settings_save(self, *, phase: Phase, by: User, form: forms.Form) -> str:
        """Save a valid settings form; returns the success message. Raises ValidationError or DomainError."""


@dataclass(frozen=True)
class PhaseLink:
    """A link the process page shows in its "Mitmachen" box (e.g. to a questionnaire). ``primary``
    links are the action of a running phase: the page shows them as its main buttons (and "Ideen
    ansehen" as a secondary one)."""

    url: str
    label: str | Promise
    primary: bool = False


class PhasePages(Protocol):
    """What the pages of participation show of a phase type's own content, offered by the app that
    registers the type (surveys: the questionnaires). Participation renders it without knowing that app."""

    def process_links(self, *, process: Process, user: User | AnonymousUser) -> list[PhaseLink]:
        """Links for the process page (asked once per phase type the process has); the way into a
        running phase of the type is ``primary``."""

    def staff_html(self, *, phase: Phase, request: HttpRequest) -> str:
        """Rendered HTML for the phase in the phase editor (below its form); "" for nothing."""


@dataclass(frozen=True)
class PhaseType:
    key: str
    name: str | Promise
    description: str | Promise
    features: Mapping[str, tuple[ModelRef, ...]] = field(default_factory=dict)
    setup: PhaseSetup | None = None
    pages: PhasePages | None = None

    def has_feature(self, action: str, model: ModelRef) -> bool:
        label = model_label(model)
        return any(model_label(m) == label for m in self.features.get(action, ()))

    def opens(self, action: str) -> bool:
        """Whether phases of this type open ``action`` on any content."""
        return bool(self.features.get(action))


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

    def keys_opening(self, action: str) -> list[str]:
        """The keys of the phase types that open ``action`` (for ``Phase.objects.filter(type__in=…)``)."""
        return [t.key for t in self._types.values() if t.opens(action)]


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
        {"crud": (IDEA,), "comment": (IDEA, COMMENT), "support": (IDEA,)},
    )
)
DISCUSSION = registry.register(
    PhaseType(
        "discussion",
        _("Diskussion"),
        _("Sie können die eingereichten Ideen kommentieren."),
        {"comment": (IDEA, COMMENT)},
    )
)
PRIORITISATION = registry.register(
    PhaseType(
        "prioritisation",
        _("Priorisierung"),
        _("Sie können die Ideen unterstützen, die Ihnen am wichtigsten sind."),
        {"support": (IDEA,), "comment": (IDEA, COMMENT)},
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
            "dialogue",
            _("Dialog"),
            _("Information, Ideensammlung, Diskussion, Ergebnisse."),
            (("information", 7), ("idea_collection", 28), ("discussion", 14), ("results", 365)),
        ),
    )
}


def register_blueprint(blueprint: Blueprint) -> Blueprint:
    """Let another app offer a blueprint with its own phase types (called from its AppConfig.ready)."""
    BLUEPRINTS.setdefault(blueprint.key, blueprint)
    return blueprint
