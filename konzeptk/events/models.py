"""Models of the event calendar: places, events, iCalendar feeds and the report of each import run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MODERATION_KIND = "event_moderation"  # notification kind: an organiser's event was published or rejected


class Topic(models.TextChoices):
    """The controlled list of topics (a new topic is a code change with a translation, on purpose)."""

    MARKET = "markt", _("Märkte")
    CULTURE = "kultur", _("Kultur und Ausstellungen")
    MUSIC = "musik", _("Musik und Konzerte")
    THEATRE = "theater", _("Theater und Film")
    FAMILY = "familie", _("Kinder und Familie")
    EDUCATION = "bildung", _("Bildung und Vorträge")
    SPORT = "sport", _("Sport und Bewegung")
    TOURS = "fuehrung", _("Führungen und Rundgänge")
    PARTICIPATION = "beteiligung", _("Beteiligung und Politik")
    ECONOMY = "wirtschaft", _("Wirtschaft und Handel")
    FESTIVAL = "fest", _("Feste und Stadtleben")
    OTHER = "sonstiges", _("Sonstiges")


class Venue(models.Model):
    """A place where events happen, with what it offers people with disabilities."""

    name = models.CharField(_("Name des Ortes"), max_length=200)
    address = models.CharField(_("Adresse"), max_length=300, blank=True)
    lat = models.FloatField(_("Breite"), null=True, blank=True)
    lon = models.FloatField(_("Länge"), null=True, blank=True)
    district = models.ForeignKey(
        "city.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gebiet"),
    )
    key = models.CharField(max_length=300, db_index=True, editable=False)  # normalised name + address
    step_free = models.BooleanField(_("stufenlos erreichbar"), null=True, blank=True)
    accessible_toilet = models.BooleanField(_("rollstuhlgerechte Toilette"), null=True, blank=True)
    induction_loop = models.BooleanField(_("Induktionsschleife"), null=True, blank=True)
    seating = models.BooleanField(_("Sitzplätze"), null=True, blank=True)
    accessibility_note = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)

    class Meta:
        verbose_name = _("Veranstaltungsort")
        verbose_name_plural = _("Veranstaltungsorte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Feed(models.Model):
    """An iCalendar feed staff registered; imported on schedule."""

    title = models.CharField(_("Titel"), max_length=200)
    url = models.URLField(_("Adresse des Kalenders (iCalendar)"), max_length=500)
    licence = models.CharField(_("Lizenz"), max_length=100, default="dl-zero-de/2.0")
    topic = models.CharField(
        _("Thema der Termine"), max_length=20, choices=Topic.choices, default=Topic.OTHER
    )
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kalender-Feed")
        verbose_name_plural = _("Kalender-Feeds")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ImportRun(models.Model):
    """The report of one import of one feed."""

    class Status(models.TextChoices):
        OK = "ok", _("fehlerfrei")
        PARTIAL = "partial", _("mit Fehlern bei einzelnen Terminen")
        FAILED = "failed", _("fehlgeschlagen")

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"uid": …, "message": …}], at most 200
    message = models.TextField(blank=True)  # why the whole feed failed

    class Meta:
        verbose_name = _("Importlauf")
        verbose_name_plural = _("Importläufe")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.feed_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class Event(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Prüfung")
        PUBLISHED = "published", _("veröffentlicht")
        REJECTED = "rejected", _("abgelehnt")

    class Source(models.TextChoices):
        SUBMITTED = "submitted", _("eingereicht")
        IMPORTED = "imported", _("importiert")
        STAFF = "staff", _("Redaktion")

    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    start = models.DateTimeField(_("Beginn"), db_index=True)
    end = models.DateTimeField(_("Ende"), null=True, blank=True)
    all_day = models.BooleanField(_("ganztägig"), default=False)
    topic = models.CharField(
        _("Thema"), max_length=20, choices=Topic.choices, default=Topic.OTHER, db_index=True
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("Ort")
    )
    organiser_name = models.CharField(_("Veranstalter"), max_length=200, blank=True)
    link = models.URLField(_("Weitere Informationen (Link)"), max_length=500, blank=True)
    is_free = models.BooleanField(_("Eintritt frei"), default=False)
    price = models.DecimalField(_("Preis in Euro"), max_digits=8, decimal_places=2, null=True, blank=True)
    sign_language = models.BooleanField(_("mit Gebärdensprache"), default=False)
    image = models.ImageField(_("Bild"), upload_to="events/", blank=True)
    image_alt = models.CharField(_("Bildbeschreibung"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    rejection_reason = models.TextField(_("Grund der Ablehnung"), blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_events",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # import bookkeeping: one row per occurrence (uid + recurrence start) of a feed
    feed = models.ForeignKey(Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    uid = models.CharField(max_length=300, blank=True)
    occurrence = models.CharField(
        max_length=40, blank=True
    )  # ISO start of the occurrence of a recurring event
    recurrence = models.CharField(_("Wiederholung (RRULE)"), max_length=500, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)  # hash of the imported content
    match_key = models.CharField(max_length=200, blank=True, db_index=True)  # normalised title
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    simulated = models.BooleanField(
        _("Beispielinhalt"), default=False
    )  # demo content, labelled on every page
    source_note = models.CharField(_("Quelle"), max_length=300, blank=True)  # where real demo facts come from
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["status", "start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "uid", "occurrence"],
                condition=models.Q(feed__isnull=False),
                name="events_event_unique_occurrence",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="events_event_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def lat(self) -> float | None:
        return self.venue.lat if self.venue else None

    @property
    def lon(self) -> float | None:
        return self.venue.lon if self.venue else None

    @property
    def accessible(self) -> bool:
        return bool(self.venue and self.venue.step_free)
