"""Participation processes, their phases, ideas, comments, supports, follows and moderation records.

Counters (``support_count``, ``comment_count``) are denormalised on the idea and changed only with
``F()`` expressions inside the transaction that writes the support or comment (see services.py), so
list pages never aggregate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from konzeptk.accounts.models import Level, Organisation
from konzeptk.city.models import District
from konzeptk.participation.phases import PhaseType, registry

TITLE_MAX = 200
TEXT_MAX = 10_000
COMMENT_MAX = 5_000
REASON_MAX = 1_000


class Topic(models.TextChoices):
    """The six fields of action of the Smart City strategy (Handlungsprogramm 2023).

    Stored as a key so the link to ``konzeptk.strategy`` can become a foreign key later.
    """

    EDUCATION = "bildung", _("Bildung & Teilhabe")
    ECONOMY = "wirtschaft", _("Wirtschaft & Handel")
    ADMINISTRATION = "verwaltung", _("Verwaltung")
    MOBILITY = "mobilitaet", _("Mobilität")
    ENVIRONMENT = "umwelt", _("Umwelt & Klima")
    URBAN_LIFE = "leben", _("Städtisches Leben")


def _phase_type_choices() -> list[tuple[str, Any]]:
    return registry.choices()


class ProcessQuerySet(models.QuerySet["Process"]):
    def public(self) -> ProcessQuerySet:
        return self.filter(status__in=[Process.Status.PUBLISHED, Process.Status.ARCHIVED])


class Process(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("veröffentlicht")
        ARCHIVED = "archived", _("archiviert")

    slug = models.SlugField(_("Kennung"), unique=True, max_length=80)
    title = models.CharField(_("Titel"), max_length=TITLE_MAX)
    teaser = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), max_length=TEXT_MAX, blank=True)
    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="processes", verbose_name=_("Veranstalter")
    )
    topics = models.JSONField(_("Handlungsfelder"), default=list, blank=True)
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="processes",
        verbose_name=_("Stadtbezirke"),
        help_text=_("Leer lassen, wenn der Prozess die ganze Stadt betrifft."),
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    idea_level = models.PositiveSmallIntegerField(
        _("Stufe für Ideen"), choices=Level.choices, default=Level.EMAIL
    )
    comment_level = models.PositiveSmallIntegerField(
        _("Stufe für Kommentare"), choices=Level.choices, default=Level.EMAIL
    )
    support_level = models.PositiveSmallIntegerField(
        _("Stufe für Unterstützungen"), choices=Level.choices, default=Level.EMAIL
    )
    vote_level = models.PositiveSmallIntegerField(
        _("Stufe für Abstimmungen"), choices=Level.choices, default=Level.RESIDENT
    )
    is_demo = models.BooleanField(_("Beispielinhalt"), default=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    # modeltranslation's manager (translated title, teaser, description) with the process queryset
    objects = MultilingualManager.from_queryset(ProcessQuerySet)()

    class Meta:
        verbose_name = _("Beteiligungsprozess")
        verbose_name_plural = _("Beteiligungsprozesse")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:process", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.ARCHIVED)

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels[t]) for t in self.topics if t in labels]

    def level_for(self, action: str) -> int:
        return {
            "crud": self.idea_level,
            "comment": self.comment_level,
            "support": self.support_level,
            "vote": self.vote_level,
        }.get(action, Level.ACCOUNT)

    def active_phase(self, now: dt.datetime | None = None) -> Phase | None:
        """The phase running at ``now``; cached per instance and moment."""
        now = now or timezone.now()
        cache = self.__dict__.setdefault("_active_phase_cache", {})
        if now not in cache:
            phases = self.__dict__.get("_prefetched_objects_cache", {}).get("phases")
            if phases is None:
                phases = list(self.phases.all())
            cache[now] = next((p for p in phases if p.start <= now < p.end), None)
        result: Phase | None = cache[now]
        return result


class Phase(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    type = models.CharField(_("Art der Phase"), max_length=40, choices=_phase_type_choices)
    name = models.CharField(_("Name"), max_length=120, blank=True)
    description = models.TextField(_("Beschreibung"), max_length=TEXT_MAX, blank=True)
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    weight = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    #: when the followers of the process were told that this phase started (``konzeptk announce_phases``)
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        ordering = ["process", "weight", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="phase_end_after_start")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def phase_type(self) -> PhaseType:
        return registry.get(self.type)

    @property
    def display_name(self) -> str:
        return self.name or str(self.phase_type.name)

    def is_active(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.start <= now < self.end


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    WORKSHOP = "workshop", _("Workshop")
    PAPER = "paper", _("Papierformular")
    PHONE = "phone", _("Telefon")
    KOFFER = "buergerkoffer", _("mobiler Bürgerkoffer")


class IdeaQuerySet(models.QuerySet["Idea"]):
    def visible(self) -> IdeaQuerySet:
        return self.filter(is_hidden=False, deleted_at__isnull=True)

    def public(self) -> IdeaQuerySet:
        """Visible ideas of published or archived processes: what anyone may see."""
        return self.visible().filter(process__status__in=[Process.Status.PUBLISHED, Process.Status.ARCHIVED])


class Idea(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("eingereicht")
        REVIEW = "review", _("in Prüfung")
        ACCEPTED = "accepted", _("angenommen")
        IMPLEMENTED = "implemented", _("umgesetzt")
        REJECTED = "rejected", _("abgelehnt")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    title = models.CharField(_("Titel"), max_length=TITLE_MAX)
    text = models.TextField(_("Beschreibung"), max_length=TEXT_MAX)
    topic = models.CharField(_("Handlungsfeld"), max_length=20, choices=Topic.choices, blank=True)
    category = models.CharField(_("Kategorie"), max_length=120, blank=True)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    lon = models.FloatField(_("Längengrad"), null=True, blank=True)
    address = models.CharField(_("Ort oder Adresse"), max_length=200, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("Stadtbezirk"),
    )
    image = models.ImageField(_("Bild"), upload_to="participation/ideas/%Y/", blank=True)
    cost = models.PositiveIntegerField(_("geschätzte Kosten in Euro"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    answer = models.TextField(_("Antwort der Verwaltung"), max_length=TEXT_MAX, blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    strategy_project = models.ForeignKey(
        "strategy.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_ideas",
        verbose_name=_("Projekt der Strategie, das die Idee aufgreift"),
    )
    #: stable key of a measure of the strategy (the same in every revision, like strategy.ProjectLink)
    strategy_measure_key = models.UUIDField(
        _("Maßnahme der Strategie, die die Idee aufgreift"), null=True, blank=True
    )
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_reason = models.CharField(_("Grund der Ausblendung"), max_length=REASON_MAX, blank=True)
    deleted_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True)
    channel = models.CharField(_("Weg"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    channel_date = models.DateField(_("Datum des Beitrags"), null=True, blank=True)
    channel_place = models.CharField(_("Ort des Beitrags"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contributor_profile = models.JSONField(_("freiwillige Angaben der Person"), default=dict, blank=True)
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    comment_count = models.PositiveIntegerField(_("Kommentare"), default=0)
    is_demo = models.BooleanField(_("Beispielinhalt"), default=False)
    created_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    # modeltranslation's manager (the translated answer) with the idea queryset
    objects = MultilingualManager.from_queryset(IdeaQuerySet)()

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # deleted_at in the index: counting and paging visible ideas never touches the table rows
            models.Index(fields=["process", "is_hidden", "deleted_at", "-created_at"], name="idea_proc_new"),
            models.Index(
                fields=["process", "is_hidden", "deleted_at", "-support_count"], name="idea_proc_support"
            ),
            models.Index(
                fields=["process", "is_hidden", "deleted_at", "-comment_count"], name="idea_proc_comment"
            ),
            # counts per district and status answered from the index alone
            models.Index(
                fields=["process", "is_hidden", "deleted_at", "district"], name="idea_proc_vis_district"
            ),
            models.Index(
                fields=["process", "is_hidden", "deleted_at", "status", "-support_count"],
                name="idea_proc_status",
            ),
            # /media/ asks for every image whether its idea is public (core/media_registry.py): one index lookup
            models.Index(fields=["image"], name="idea_image"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:idea", kwargs={"slug": self.process.slug, "pk": self.pk})

    @property
    def is_visible(self) -> bool:
        return not self.is_hidden and self.deleted_at is None

    @property
    def is_offline(self) -> bool:
        return self.channel != Channel.ONLINE


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    text = models.TextField(_("Kommentar"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(_("geschrieben am"), default=timezone.now)
    edited_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True)
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_reason = models.CharField(_("Grund der Ausblendung"), max_length=REASON_MAX, blank=True)
    is_demo = models.BooleanField(_("Beispielinhalt"), default=False)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "parent", "created_at"], name="comment_idea_parent")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None or self.is_hidden


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="support_one_per_person")]
        indexes = [models.Index(fields=["user", "idea"], name="support_user_idea")]

    def __str__(self) -> str:
        return str(f"{self.user_id} → {self.idea_id}")


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="follows")
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idea"], condition=Q(idea__isnull=False), name="follow_one_per_idea"
            ),
            models.UniqueConstraint(
                fields=["user", "process"], condition=Q(process__isnull=False), name="follow_one_per_process"
            ),
            models.CheckConstraint(
                condition=Q(idea__isnull=False, process__isnull=True)
                | Q(idea__isnull=True, process__isnull=False),
                name="follow_exactly_one_target",
            ),
        ]

    def __str__(self) -> str:
        return str(f"{self.user_id} → {self.idea_id or self.process_id}")


class Report(models.Model):
    """Someone flagged a contribution to the moderators."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("Grund der Meldung"), max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, comment__isnull=True)
                | Q(idea__isnull=True, comment__isnull=False),
                name="report_exactly_one_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.reason[:60])

    @property
    def target(self) -> Idea | Comment:
        return self.idea or self.comment  # type: ignore[return-value]


class ModerationAction(models.Model):
    """The log of every moderation decision; never deleted."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("ausgeblendet")
        RESTORE = "restore", _("wiederhergestellt")
        DISMISS = "dismiss", _("Meldung ohne Folgen geschlossen")
        BLOCK = "block", _("Person gesperrt")
        UNBLOCK = "unblock", _("Sperre aufgehoben")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    idea = models.ForeignKey(Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    affected_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Moderationsentscheidung")
        verbose_name_plural = _("Moderationsentscheidungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(f"{self.get_kind_display()}: {self.reason[:60]}")


class Block(models.Model):
    """A person may not contribute to the processes of an organisation (repeat offenders)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="block_unique")]

    def __str__(self) -> str:
        return str(f"{self.user_id} @ {self.organisation_id}")
