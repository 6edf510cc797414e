"""Questionnaires of participation processes, their questions and choices, and the filled-in responses.

The tables were ``participation_survey`` … ``participation_answer`` until the surveys got a room of their
own (migrations ``surveys.0001``/``0002`` moved them without copying a row).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.participation.models import TEXT_MAX, TITLE_MAX, Phase, Process

if TYPE_CHECKING:  # translated models get modeltranslation's manager (docs/content-languages.md)
    import modeltranslation.manager  # noqa: F401


class Survey(models.Model):
    """A questionnaire of a process; it can be answered while its survey phase runs."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="surveys")
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys")
    title = models.CharField(_("Titel"), max_length=TITLE_MAX)
    intro = models.TextField(_("Einleitung"), max_length=TEXT_MAX, blank=True)
    allows_anonymous = models.BooleanField(_("ohne Konto beantwortbar"), default=False)
    is_demo = models.BooleanField(_("Beispielinhalt"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")
        ordering = ["process", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey", kwargs={"slug": self.process.slug, "pk": self.pk})


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("eine Antwort auswählen")
        MULTIPLE = "multiple", _("mehrere Antworten auswählen")
        SCALE = "scale", _("Skala")
        TEXT = "text", _("freier Text")
        RANKING = "ranking", _("Rangfolge")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("Frage"), max_length=500)
    help_text = models.CharField(_("Hinweis"), max_length=500, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    required = models.BooleanField(_("Pflichtfrage"), default=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    scale_min = models.PositiveSmallIntegerField(_("kleinster Wert der Skala"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("größter Wert der Skala"), default=5)
    scale_low_label = models.CharField(_("Bedeutung des kleinsten Werts"), max_length=80, blank=True)
    scale_high_label = models.CharField(_("Bedeutung des größten Werts"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="question_scale_max_above_min"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_values(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE, self.Kind.RANKING)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("Antwortmöglichkeit"), max_length=200)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Antwortmöglichkeit")
        verbose_name_plural = _("Antwortmöglichkeiten")
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One filled-in questionnaire: of an account, or of a browser (random token in a signed cookie)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    browser_token = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField(_("simulierte Antwort"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ausgefüllter Fragebogen")
        verbose_name_plural = _("ausgefüllte Fragebögen")
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"], condition=Q(user__isnull=False), name="response_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["survey", "browser_token"],
                condition=~Q(browser_token=""),
                name="response_one_per_browser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class Answer(models.Model):
    """One answer to one question: a choice (one row per ticked choice; for rankings ``value`` is the
    rank), a scale value, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=5_000, blank=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        indexes = [models.Index(fields=["question", "choice"], name="answer_question_choice")]

    def __str__(self) -> str:
        return f"{self.question_id}"
