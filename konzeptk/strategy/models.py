"""The living Handlungsprogramm: strategy revisions and their elements, projects and pilots, indicators.

Every element of a revision (field of action, sub-topic, cross-cutting theme, goal, measure) carries a
stable ``key`` that a clone keeps. Two revisions are compared by key, and projects and indicators link
to elements by key, so they stay attached when a new revision is adopted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import District
from konzeptk.strategy import source_registry

if TYPE_CHECKING:  # translated models get modeltranslation's manager (docs/content-languages.md)
    import modeltranslation.manager  # noqa: F401


class Strategy(models.Model):
    slug = models.SlugField(_("Kennung"), unique=True)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Strategie")
        verbose_name_plural = _("Strategien")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Revision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        ADOPTED = "adopted", _("beschlossen")
        SUPERSEDED = "superseded", _("abgelöst")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("Fassung"))
    title = models.CharField(_("Titel"), max_length=200)
    motto = models.CharField(_("Leitbild"), max_length=200, blank=True)
    vision = models.TextField(_("Vision"), blank=True)
    date = models.DateField(_("Datum"))
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    council_decision = models.TextField(_("Ratsbeschluss"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("abgeleitet von"),
    )
    is_demo_content = models.BooleanField(_("Beispielinhalt"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(_("beschlossen am"), null=True, blank=True)
    # The targets of the revision's indicators when it was adopted (services/targets.py): the comparison
    # reads them, as targets belong to the indicator, not to a revision. None: not recorded (a draft).
    indicator_targets = models.JSONField(
        _("Zielwerte beim Beschluss"), null=True, blank=True, default=None, editable=False
    )

    class Meta:
        verbose_name = _("Fassung")
        verbose_name_plural = _("Fassungen")
        ordering = ["strategy", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "version"], name="strategy_revision_unique_version"),
            # The database guard behind revision_adopt: at most one adopted revision per strategy.
            models.UniqueConstraint(
                fields=["strategy"], condition=Q(status="adopted"), name="strategy_one_adopted_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class RevisionElement(models.Model):
    """What every part of a revision has: a stable key, a title, a place in the order, who changed it."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField(_("Schlüssel"), default=uuid.uuid4, editable=False)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    is_demo_content = models.BooleanField(_("Beispielinhalt"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = models.Manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class FieldOfAction(RevisionElement):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="fields")

    class Meta(RevisionElement.Meta):
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        constraints = [models.UniqueConstraint(fields=["revision", "key"], name="strategy_field_unique_key")]

    def get_absolute_url(self) -> str:
        return reverse("strategy:field", args=[self.key])


class SubTopic(RevisionElement):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="sub_topics")
    field = models.ForeignKey(FieldOfAction, on_delete=models.CASCADE, related_name="sub_topics")

    class Meta(RevisionElement.Meta):
        verbose_name = _("Teilthema")
        verbose_name_plural = _("Teilthemen")
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="strategy_subtopic_unique_key")
        ]


class CrossCuttingTheme(RevisionElement):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="themes")

    class Meta(RevisionElement.Meta):
        verbose_name = _("Querschnittsthema")
        verbose_name_plural = _("Querschnittsthemen")
        constraints = [models.UniqueConstraint(fields=["revision", "key"], name="strategy_theme_unique_key")]


class Goal(RevisionElement):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="goals")
    field = models.ForeignKey(FieldOfAction, on_delete=models.CASCADE, related_name="goals")
    city_concept = models.CharField(
        _("Konzept der Stadt"),
        max_length=200,
        blank=True,
        help_text=_("Aus welchem Konzept das Ziel stammt, z. B. „KrefeldKlimaNeutral 2035“."),
    )

    class Meta(RevisionElement.Meta):
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        constraints = [models.UniqueConstraint(fields=["revision", "key"], name="strategy_goal_unique_key")]

    def get_absolute_url(self) -> str:
        return reverse("strategy:goal", args=[self.key])


class Measure(RevisionElement):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")

    class Meta(RevisionElement.Meta):
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="strategy_measure_unique_key")
        ]


# --- Projects and pilots ------------------------------------------------------------------------


class Stage(models.TextChoices):
    IDEA = "idea", _("Idee")
    PREPARATION = "preparation", _("in Vorbereitung")
    PILOT = "pilot", _("Pilot")
    EVALUATION = "evaluation", _("Auswertung")
    ROLLOUT = "rollout", _("Roll-out")
    COMPLETED = "completed", _("abgeschlossen")
    STOPPED = "stopped", _("eingestellt")


# Which stage may follow which. Everything else is refused with a clear message.
ALLOWED_STAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.IDEA: frozenset({Stage.PREPARATION, Stage.STOPPED}),
    Stage.PREPARATION: frozenset({Stage.IDEA, Stage.PILOT, Stage.ROLLOUT, Stage.STOPPED}),
    Stage.PILOT: frozenset({Stage.EVALUATION, Stage.STOPPED}),
    Stage.EVALUATION: frozenset({Stage.PILOT, Stage.ROLLOUT, Stage.STOPPED}),
    Stage.ROLLOUT: frozenset({Stage.COMPLETED, Stage.STOPPED}),
    Stage.COMPLETED: frozenset(),
    Stage.STOPPED: frozenset({Stage.IDEA}),
}

# Leaving a pilot or its evaluation for roll-out or stop needs a decision record (why).
DECISION_STAGES = frozenset({Stage.PILOT, Stage.EVALUATION})
DECISION_TARGETS = frozenset({Stage.ROLLOUT, Stage.STOPPED})


class Project(models.Model):
    slug = models.SlugField(_("Kennung"), unique=True, max_length=120)
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), max_length=600)
    description = models.TextField(_("Beschreibung"), blank=True)
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("federführend")
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_projects", verbose_name=_("Partner")
    )
    districts = models.ManyToManyField(District, blank=True, related_name="+", verbose_name=_("Gebiete"))
    city_wide = models.BooleanField(_("ganze Stadt"), default=False)
    stage = models.CharField(_("Phase"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    stage_since = models.DateField(_("Phase seit"), default=dt.date.today)
    evaluation_criteria = models.TextField(_("Kriterien der Auswertung"), blank=True)
    decision_record = models.TextField(_("Entscheidung und Begründung"), blank=True)
    budget_planned = models.DecimalField(
        _("Budget geplant (Euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_spent = models.DecimalField(
        _("Budget ausgegeben (Euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(_("Finanzierung"), max_length=300, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=120, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    sources = models.TextField(_("Quellen"), blank=True)
    published = models.BooleanField(_("veröffentlicht"), default=False)
    is_demo_content = models.BooleanField(_("Beispielinhalt"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["title"]
        indexes = [models.Index(fields=["published", "stage"]), models.Index(fields=["lead", "published"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:project", args=[self.slug])

    @property
    def allowed_next_stages(self) -> list[tuple[str, str]]:
        allowed = ALLOWED_STAGE_TRANSITIONS[Stage(self.stage)]
        return [(value, str(label)) for value, label in Stage.choices if value in allowed]


class ProjectLink(models.Model):
    """A project serves a field of action, a goal or a measure – by key, so it survives new revisions."""

    class Kind(models.TextChoices):
        FIELD = "field", _("Handlungsfeld")
        GOAL = "goal", _("Ziel")
        MEASURE = "measure", _("Maßnahme")
        THEME = "theme", _("Querschnittsthema")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    key = models.UUIDField(_("Schlüssel"))

    class Meta:
        verbose_name = _("Beitrag zur Strategie")
        verbose_name_plural = _("Beiträge zur Strategie")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "key"], name="strategy_projectlink_unique")
        ]
        indexes = [models.Index(fields=["key", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class StageTransition(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("von"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("nach"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("Datum"))
    reason = models.TextField(_("Begründung"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Phasenwechsel")
        verbose_name_plural = _("Phasenwechsel")
        ordering = ["project", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage} ({self.date})"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due = models.DateField(_("geplant"))
    done_on = models.DateField(_("erreicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["project", "due", "pk"]

    def __str__(self) -> str:
        return self.title


class WebLink(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="web_links")
    label = models.CharField(_("Bezeichnung"), max_length=200)
    url = models.URLField(_("Adresse"))

    class Meta:
        verbose_name = _("Link")
        verbose_name_plural = _("Links")
        ordering = ["project", "pk"]

    def __str__(self) -> str:
        return self.label


# --- Indicators -----------------------------------------------------------------------------------


class Indicator(models.Model):
    class Direction(models.TextChoices):
        UP = "up", _("höher ist besser")
        DOWN = "down", _("niedriger ist besser")

    slug = models.SlugField(_("Kennung"), unique=True, max_length=120)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    unit = models.CharField(_("Einheit"), max_length=60)
    direction = models.CharField(_("Richtung"), max_length=4, choices=Direction.choices)
    source = models.CharField(_("Quelle"), max_length=400)
    method = models.TextField(_("Erhebungsmethode"), blank=True)
    baseline_value = models.FloatField(_("Ausgangswert"))
    baseline_year = models.PositiveSmallIntegerField(_("Ausgangsjahr"))
    goal_key = models.UUIDField(_("Ziel (Schlüssel)"), null=True, blank=True, db_index=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="indicators", verbose_name=_("Projekte")
    )
    series_source = models.CharField(
        _("Datenreihe der Stadtdatenplattform"),
        max_length=200,
        blank=True,
        help_text=_("Kennung einer Datenreihe, aus der später Werte automatisch übernommen werden."),
    )
    published = models.BooleanField(_("veröffentlicht"), default=True)
    is_demo_content = models.BooleanField(_("Beispielinhalt"), default=False)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:indicator", args=[self.slug])


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.FloatField(_("Zielwert"))
    year = models.PositiveSmallIntegerField(_("Zieljahr"))
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    is_demo_content = models.BooleanField(_("Beispielinhalt"), default=False)

    class Meta:
        verbose_name = _("Zielwert")
        verbose_name_plural = _("Zielwerte")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="strategy_target_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.year})"


class IndicatorValue(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("von Mitarbeiter:innen erfasst")
        SERIES = "series", _("aus der Stadtdatenplattform")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.FloatField(_("Wert"))
    date = models.DateField(_("Stichtag"))
    source = models.CharField(_("Herkunft"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_ref = models.CharField(_("Beleg"), max_length=300, blank=True)
    is_demo_content = models.BooleanField(_("Beispielinhalt"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date", "source"], name="strategy_value_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.date})"


class IndicatorBinding(models.Model):
    """Feeds an indicator's yearly values from an aggregation of a datastream of the urban data platform,
    or from a value source another room registered (:mod:`konzeptk.strategy.source_registry`): then
    ``source`` names it and the refresh writes its current value as this year's value.

    The datastream is found by ``datastream_name`` at refresh time when no ``datastream`` is set yet, so the
    binding can be declared before the sensing data exists (demo order does not matter).
    """

    class Statistic(models.TextChoices):
        MEAN = "mean", _("Jahresmittel")
        MIN = "min", _("Jahresminimum")
        MAX = "max", _("Jahresmaximum")
        COUNT = "count", _("Anzahl je Jahr")
        SUM = "sum", _("Jahressumme")

    class State(models.TextChoices):
        PENDING = "pending", _("noch nicht abgerufen")
        OK = "ok", _("aktuell")
        MISSING = "missing", _("Datenreihe nicht gefunden")

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="binding")
    datastream = models.ForeignKey(
        "sensing.Datastream", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    datastream_name = models.CharField(_("Name der Datenreihe"), max_length=255, blank=True)
    statistic = models.CharField(_("Kennzahl"), max_length=5, choices=Statistic.choices, blank=True)
    source = models.CharField(_("Wertquelle"), max_length=100, blank=True)
    scale = models.FloatField(_("Faktor"), default=1.0)
    is_simulated = models.BooleanField(_("simulierte Daten"), default=False)
    signature = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=7, choices=State.choices, default=State.PENDING)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Datenanbindung")
        verbose_name_plural = _("Datenanbindungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(source="") | Q(datastream_name="", datastream__isnull=True),
                name="strategy_binding_datastream_or_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ← {self.source or self.datastream_name or self.datastream_id}"

    @property
    def source_label(self) -> str:
        """The German label of the registered value source (its name when no room registers it now)."""
        registered = source_registry.get_source(self.source) if self.source else None
        return registered.label if registered else self.source


@dataclass(frozen=True)
class ElementKind:
    """The kinds of revision elements, in the order of the Handlungsprogramm."""

    name: str
    model: type[RevisionElement]
    parent_attr: str | None
    label: str
    label_plural: str


def element_kinds() -> list[ElementKind]:
    return [
        ElementKind("field", FieldOfAction, None, str(_("Handlungsfeld")), str(_("Handlungsfelder"))),
        ElementKind("sub_topic", SubTopic, "field", str(_("Teilthema")), str(_("Teilthemen"))),
        ElementKind(
            "theme", CrossCuttingTheme, None, str(_("Querschnittsthema")), str(_("Querschnittsthemen"))
        ),
        ElementKind("goal", Goal, "field", str(_("Ziel")), str(_("Ziele"))),
        ElementKind("measure", Measure, "goal", str(_("Maßnahme")), str(_("Maßnahmen"))),
    ]
