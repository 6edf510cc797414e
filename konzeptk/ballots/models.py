"""Ballots of a process and the votes cast in them.

A ballot belongs to one phase of the ballot phase type (see ``phases.py``); each person's selection
is stored as one vote per chosen idea, so results are counts per idea.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.participation.models import Idea, Phase


class Ballot(models.Model):
    """The vote of a ballot phase: a fixed number of votes, or a budget spent across costed ideas."""

    class Kind(models.TextChoices):
        VOTES = "votes", _("feste Zahl von Stimmen")
        BUDGET = "budget", _("Budget verteilen")

    phase = models.OneToOneField(Phase, on_delete=models.CASCADE, related_name="ballot")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.VOTES)
    votes_per_person = models.PositiveSmallIntegerField(_("Stimmen pro Person"), default=3)
    budget = models.PositiveIntegerField(_("Budget in Euro"), null=True, blank=True)

    class Meta:
        verbose_name = _("Abstimmung")
        verbose_name_plural = _("Abstimmungen")

    def __str__(self) -> str:
        return f"{self.phase}"

    @property
    def is_budget(self) -> bool:
        return self.kind == self.Kind.BUDGET


class Vote(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [models.UniqueConstraint(fields=["ballot", "user", "idea"], name="vote_once_per_idea")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"
