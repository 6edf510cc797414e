"""Models of the education network: providers, their offers (courses, events, learning places, lending
items, online resources), sessions, the offers' DigComp competences, bookings with a waiting list,
reservations of lending items, and the imports of providers' feeds with a report per run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BOOKING_KIND = "education_booking"  # notification kind: booked, moved up from the waiting list, reminder


class Provider(models.Model):
    """An organisation that offers learning; its members (accounts.Membership) manage its offers."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="education_provider",
        verbose_name=_("Organisation"),
    )
    slug = models.SlugField(_("Kennung"), unique=True, max_length=80)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    address = models.CharField(_("Adresse"), max_length=300, blank=True)
    lat = models.FloatField(_("Breite"), null=True, blank=True)
    lon = models.FloatField(_("Länge"), null=True, blank=True)
    website = models.URLField(_("Website"), max_length=500, blank=True)
    email = models.EmailField(_("E-Mail für Anfragen"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    simulated = models.BooleanField(_("Beispielinhalt"), default=False)
    source_note = models.CharField(_("Quelle"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Bildungsanbieter")
        verbose_name_plural = _("Bildungsanbieter")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """One learning offer of a provider."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Kurs mit Terminen")
        EVENT = "event", _("Einzelveranstaltung")
        PLACE = "place", _("Offener Lernort")
        LENDING = "lending", _("Zum Ausleihen")
        RESOURCE = "resource", _("Online-Material")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("veröffentlicht")
        ARCHIVED = "archived", _("archiviert")

    class Knowledge(models.TextChoices):
        NONE = "none", _("keine Vorkenntnisse")
        BASIC = "basic", _("Grundkenntnisse")
        ADVANCED = "advanced", _("fortgeschritten")

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="offers", verbose_name=_("Anbieter")
    )
    kind = models.CharField(_("Art des Angebots"), max_length=10, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    slug = models.SlugField(_("Kennung"), unique=True, max_length=120)
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    # who it is for
    age_min = models.PositiveSmallIntegerField(_("Alter ab"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("Alter bis"), null=True, blank=True)
    languages = models.CharField(
        _("Unterrichtssprachen"), max_length=200, default="|de|"
    )  # ISO 639-1 codes as "|de|tr|" (a LIKE '%|tr|%' finds one)
    prior_knowledge = models.CharField(
        _("Vorkenntnisse"), max_length=10, choices=Knowledge.choices, default=Knowledge.NONE
    )
    # accessibility
    step_free = models.BooleanField(_("stufenlos erreichbar"), default=False)
    induction_loop = models.BooleanField(_("Induktionsschleife"), default=False)
    sign_language = models.BooleanField(_("Gebärdensprache"), default=False)
    easy_language = models.BooleanField(_("Leichte Sprache"), default=False)
    # cost
    is_free = models.BooleanField(_("kostenlos"), default=False, db_index=True)
    price = models.DecimalField(_("Preis in Euro"), max_digits=8, decimal_places=2, null=True, blank=True)
    reduced_price = models.DecimalField(
        _("ermäßigter Preis mit Sozialpass (Euro)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # place
    online = models.BooleanField(_("online"), default=False, db_index=True)
    place_name = models.CharField(_("Ort"), max_length=200, blank=True)
    address = models.CharField(_("Adresse"), max_length=300, blank=True)
    lat = models.FloatField(_("Breite"), null=True, blank=True)
    lon = models.FloatField(_("Länge"), null=True, blank=True)
    district = models.ForeignKey(
        "city.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Stadtbezirk"),
    )
    url = models.URLField(_("Weitere Informationen (Link)"), max_length=500, blank=True)
    # booking: capacity is held by the database (seats_taken <= capacity)
    capacity = models.PositiveIntegerField(_("Plätze"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    booking_open = models.BooleanField(_("Anmeldung über die Plattform"), default=False)
    # courses: recurring dates (RFC 5545), turned into Session rows when saved
    first_start = models.DateTimeField(_("erster Termin"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("Dauer je Termin (Minuten)"), null=True, blank=True)
    rrule = models.CharField(_("Wiederholung (RRULE)"), max_length=500, blank=True)
    exdates = models.TextField(_("Ausnahmen (Daten ohne Termin)"), blank=True)  # ISO dates, one per line
    next_start = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    # the end of the last session that takes place (None: no sessions); "still on" is a plain column test
    last_end = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    # learning places
    opening_hours = models.CharField(_("Öffnungszeiten"), max_length=255, blank=True)
    # lending items
    lending_conditions = models.TextField(_("Ausleihbedingungen"), blank=True)
    max_lending_days = models.PositiveSmallIntegerField(_("längste Ausleihe (Tage)"), null=True, blank=True)
    # online resources
    licence = models.CharField(_("Lizenz"), max_length=100, blank=True)
    # provenance
    simulated = models.BooleanField(_("Beispielinhalt"), default=False)
    source_note = models.CharField(_("Quelle"), max_length=300, blank=True)
    import_source = models.ForeignKey(
        "education.ImportSource", on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    external_id = models.CharField(max_length=300, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Bildungsangebot")
        verbose_name_plural = _("Bildungsangebote")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["status", "kind", "next_start"]),
            models.Index(fields=["status", "district"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(seats_taken__lte=models.F("capacity")),
                name="education_offer_not_overbooked",
            ),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_max__gte=models.F("age_min")),
                name="education_offer_age_range",
            ),
            models.UniqueConstraint(
                fields=["import_source", "external_id"],
                condition=models.Q(import_source__isnull=False),
                name="education_offer_unique_import",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Competence(models.Model):
    """A DigComp 2.2 competence an offer teaches, at a proficiency level (1–8)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("DigComp-Kompetenz"), max_length=5)  # "1.1" … "5.4"
    area = models.PositiveSmallIntegerField(_("DigComp-Bereich"))  # 1 … 5
    level = models.PositiveSmallIntegerField(_("Kompetenzstufe"))  # 1 … 8

    class Meta:
        verbose_name = _("Kompetenz")
        verbose_name_plural = _("Kompetenzen")
        indexes = [models.Index(fields=["area", "level", "offer"])]
        constraints = [
            models.UniqueConstraint(fields=["offer", "code"], name="education_competence_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=8), name="education_competence_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.code}/{self.level}"


class Session(models.Model):
    """One date of an offer (a course's session or a single event)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    cancelled = models.BooleanField(_("fällt aus"), default=False)

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["offer", "start"]), models.Index(fields=["start", "offer"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="education_session_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.start:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    """A place on an offer, or on its waiting list; with or without an account (confirmed by mail)."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("wartet auf Bestätigung der E-Mail-Adresse")
        BOOKED = "booked", _("gebucht")
        WAITING = "waiting", _("auf der Warteliste")
        CANCELLED = "cancelled", _("storniert")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="education_bookings",
    )
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail-Adresse"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    token = models.CharField(max_length=64, unique=True, editable=False)  # confirmation and cancellation
    # the order of the waiting list: when the address was confirmed (arrival), then pk
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)  # notifications.optin
    mails_stopped_at = models.DateTimeField(null=True, blank=True)  # "abbestellen" link of an address
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("teilgenommen"), null=True, blank=True)
    # optional, only with explicit consent (for "who the offers reach")
    demographics_consent = models.BooleanField(default=False)
    age_band = models.CharField(_("Altersgruppe"), max_length=20, blank=True)
    district = models.ForeignKey(
        "city.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    simulated = models.BooleanField(default=False)
    # the language the person booked in: every mail and inbox entry of the booking and its links
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["offer", "status", "queued_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "email"],
                condition=~models.Q(status="cancelled"),
                name="education_booking_one_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.status}"


class Reservation(models.Model):
    """A lending item reserved for a period (whole days)."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("wartet auf Bestätigung der E-Mail-Adresse")
        RESERVED = "reserved", _("reserviert")
        CANCELLED = "cancelled", _("storniert")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="reservations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="education_reservations",
    )
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail-Adresse"))
    first_day = models.DateField(_("von"))
    last_day = models.DateField(_("bis"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)  # notifications.optin
    mails_stopped_at = models.DateTimeField(null=True, blank=True)  # "abbestellen" link of an address
    cancelled_at = models.DateTimeField(null=True, blank=True)
    simulated = models.BooleanField(default=False)
    # the language the person reserved in: the confirmation mail and its links
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("Reservierung")
        verbose_name_plural = _("Reservierungen")
        ordering = ["first_day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="education_reservation_days"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.first_day}–{self.last_day}"


class ReservedDay(models.Model):
    """One day of a reservation: the unique pair (offer, day) makes double reservations impossible on
    every database."""

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="days")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "day"], name="education_reserved_day_unique")]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.day}"


class ImportSource(models.Model):
    """A provider's feed, imported on schedule."""

    class Format(models.TextChoices):
        SCHEMA_ORG = "jsonld", _("schema.org JSON-LD")
        MOOCHUB = "moochub", _("MOOChub v3 (JSON:API)")
        ICAL = "ical", _("iCalendar")
        CSV = "csv", _("CSV")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="import_sources")
    title = models.CharField(_("Titel"), max_length=200)
    format = models.CharField(_("Format"), max_length=10, choices=Format.choices)
    url = models.CharField(_("Adresse oder Datei"), max_length=500)
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Importquelle")
        verbose_name_plural = _("Importquellen")
        ordering = ["provider", "title"]

    def __str__(self) -> str:
        return self.title


class ImportRun(models.Model):
    """The report of one import of one source."""

    class Status(models.TextChoices):
        OK = "ok", _("fehlerfrei")
        PARTIAL = "partial", _("mit Fehlern bei einzelnen Angeboten")
        FAILED = "failed", _("fehlgeschlagen")

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"record": …, "field": …, "message": …}], ≤ 200
    message = models.TextField(blank=True)  # why the whole source failed

    class Meta:
        verbose_name = _("Importlauf")
        verbose_name_plural = _("Importläufe")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
