"""The survey phase type: while it runs, people answer the process' questionnaires.

Registered from ``SurveysConfig.ready()`` into participation's phase registry, with what
participation's pages and services need to know about questionnaires without importing this room:
the process page's links (``PhasePages.process_links``), the phase editor's list of questionnaires
(``PhasePages.staff_html``), and why a phase with a questionnaire can neither be deleted nor change
its type (``PhaseSetup.delete_denial``). The "survey" blueprint comes with it, and the survey
results join participation's open-data dumps.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import User
from konzeptk.participation.dumps import register_dataset
from konzeptk.participation.models import Phase, Process
from konzeptk.participation.phases import (
    Blueprint,
    PhaseLink,
    PhaseType,
    register_action,
    register_blueprint,
    registry,
)
from konzeptk.participation.rules import is_editor
from konzeptk.surveys import dumps, selectors
from konzeptk.surveys.models import Survey

KEY = "survey"


class SurveyPhaseSetup:
    """A survey phase keeps its questionnaires; it has no settings of its own (the editor has them)."""

    title: str | Promise = _("Fragebögen dieser Phase")
    submit: str | Promise = _("Speichern")

    def phase_saved(self, *, phase: Phase) -> None:
        return None

    def delete_denial(self, *, phase: Phase) -> str | None:
        if Survey.objects.filter(phase=phase).exists():
            return gettext(
                "Zu dieser Phase gehört ein Fragebogen. Löschen Sie zuerst den Fragebogen (solange er nicht "
                "beantwortet ist); erst dann lässt sich die Phase löschen oder ihre Art ändern."
            )
        return None

    def settings_form(self, *, phase: Phase, data: QueryDict | None, prefix: str) -> forms.Form | None:
        return None

    def settings_save(self, *, phase: Phase, by: User, form: forms.Form) -> str:
        raise NotImplementedError("survey phases have no settings form")


class SurveyPhasePages:
    """Links to the questionnaires on the process page; the questionnaires in the phase editor."""

    def process_links(self, *, process: Process, user: User | AnonymousUser) -> list[PhaseLink]:
        # a questionnaire without questions is shown to its organisers only
        surveys = selectors.surveys_for_process_page(process, with_empty=is_editor(user, process))
        return [
            PhaseLink(
                url=reverse("surveys:survey", kwargs={"slug": process.slug, "pk": s.pk}),
                label=gettext("Zur Umfrage „%(title)s“") % {"title": s.title},
                primary=s.phase is not None and s.phase.is_active(),
            )
            for s in surveys
        ]

    def staff_html(self, *, phase: Phase, request: HttpRequest) -> str:
        return render_to_string(
            "surveys/_phase_staff.html",
            {"process": phase.process, "phase": phase, "surveys": list(selectors.surveys_of_phase(phase))},
            request=request,
        )


SURVEY_PHASE = PhaseType(
    KEY,
    _("Umfrage"),
    _("Sie können den Fragebogen dieses Beteiligungsprozesses beantworten."),
    {"answer": (Survey,)},
    setup=SurveyPhaseSetup(),
    pages=SurveyPhasePages(),
)

SURVEY_BLUEPRINT = Blueprint(
    "survey",
    _("Umfrage"),
    _("Information, Umfrage mit einem Fragebogen, Ergebnisse."),
    (("information", 7), (KEY, 28), ("results", 365)),
)


def register() -> None:
    """Called once from ``SurveysConfig.ready()``."""
    register_action("answer")
    if KEY not in registry:
        registry.register(SURVEY_PHASE)
    register_blueprint(SURVEY_BLUEPRINT)
    register_dataset("survey_results", dumps.survey_rows, manifest=dumps.MANIFEST)
