"""Participation processes with phases, ideas, supports, ballots and surveys."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "konzeptk.participation"
    label = "participation"
    verbose_name = _("Beteiligung")
