"""Questionnaires, questions, responses and results; registers the survey phase type."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "konzeptk.surveys"
    label = "surveys"
    verbose_name = _("Umfragen")

    def ready(self) -> None:
        # Registries of lower rooms, filled once the models are loaded (the phase type names the model).
        from konzeptk.surveys import phase_type

        phase_type.register()
