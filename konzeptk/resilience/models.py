"""Models of resilience: warnings (official ones imported from DWD and NINA, and the platform's own
alerts raised by rules on sensor data), the import runs, the rules and their episodes, subscriptions
of residents, registered facilities for heat alerts, and cool places."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

ALERT_KIND = "resilience_alert"  # notification kind: a warning for a subscribed district


class Source(models.TextChoices):
    DWD = "dwd", _("Deutscher Wetterdienst")
    NINA = "nina", _("Warn-App NINA (MoWaS)")
    PEGEL = "pegel", _("PEGELONLINE")
    OWN = "own", _("Stadt Krefeld (eigene Messungen)")


class Severity(models.TextChoices):
    """CAP 1.2 severity."""

    EXTREME = "Extreme", _("extrem")
    SEVERE = "Severe", _("schwer")
    MODERATE = "Moderate", _("mittel")
    MINOR = "Minor", _("gering")
    UNKNOWN = "Unknown", _("unbekannt")


class Warning(models.Model):
    """One warning as shown on /warnungen/ (a CAP alert's info block, or a NINA message)."""

    class MsgType(models.TextChoices):
        ALERT = "Alert", _("Warnung")
        UPDATE = "Update", _("Aktualisierung")
        CANCEL = "Cancel", _("Aufhebung")

    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices, db_index=True)
    identifier = models.CharField(_("Kennung"), max_length=300)  # CAP identifier
    sender = models.CharField(_("Absender"), max_length=300, blank=True)
    sent = models.DateTimeField(_("gesendet"))
    msg_type = models.CharField(max_length=10, choices=MsgType.choices, default=MsgType.ALERT)
    references = models.TextField(blank=True)  # CAP references: "sender,identifier,sent" separated by spaces
    event = models.CharField(_("Ereignis"), max_length=200)  # e.g. "HITZE", "STARKREGEN"
    event_code = models.CharField(max_length=60, blank=True)  # e.g. DWD II code
    category = models.CharField(max_length=20, blank=True)  # CAP category (Met, Safety, …)
    severity = models.CharField(
        _("Schwere"), max_length=10, choices=Severity.choices, default=Severity.UNKNOWN
    )
    urgency = models.CharField(max_length=12, blank=True)
    certainty = models.CharField(max_length=12, blank=True)
    headline = models.CharField(_("Überschrift"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    instruction = models.TextField(_("Was Sie tun können"), blank=True)
    language = models.CharField(max_length=10, default="de")  # language of an imported text
    onset = models.DateTimeField(_("gültig ab"), null=True, blank=True)
    expires = models.DateTimeField(_("gültig bis"), null=True, blank=True, db_index=True)
    area_desc = models.CharField(_("Gebiet"), max_length=500, blank=True)
    area_codes = models.CharField(max_length=500, blank=True)  # warn cells / regional keys, "|…|…|"
    geometry = models.JSONField(null=True, blank=True)  # GeoJSON of the area, when given
    districts = models.ManyToManyField("city.District", blank=True, related_name="+")
    # life cycle: an Update replaces (replaced_by), a Cancel ends (ended_at)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    ended_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)  # same event from two sources
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    rule = models.ForeignKey(
        "resilience.Rule", on_delete=models.SET_NULL, null=True, blank=True, related_name="warnings"
    )
    raw = models.TextField(blank=True)  # the received document (CAP XML or JSON) for the record
    simulated = models.BooleanField(_("Beispielinhalt"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Warnung")
        verbose_name_plural = _("Warnungen")
        ordering = ["-sent", "-pk"]
        indexes = [
            models.Index(fields=["ended_at", "replaced_by", "expires"]),
            models.Index(fields=["source", "-sent"]),
            # the past warnings and the CAP feed, newest first (a page reads its rows in index order)
            models.Index(fields=["-sent", "-id"], name="resilience_warning_sent_desc"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "identifier"], name="resilience_warning_unique_identifier"
            )
        ]

    def __str__(self) -> str:
        return self.headline


class ImportRun(models.Model):
    """The report of one import of warnings from one source."""

    class Status(models.TextChoices):
        OK = "ok", _("fehlerfrei")
        PARTIAL = "partial", _("mit Fehlern bei einzelnen Meldungen")
        FAILED = "failed", _("fehlgeschlagen")

    source = models.CharField(max_length=10, choices=Source.choices)
    location = models.CharField(max_length=500)  # file or URL
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    other_region = models.PositiveIntegerField(default=0)  # ignored: not for the city's areas
    duplicates = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Importlauf")
        verbose_name_plural = _("Importläufe")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class Rule(models.Model):
    """A trigger on a SensorThings datastream; it raises one alert per episode."""

    class Kind(models.TextChoices):
        HEAT = "heat", _("Hitze (Lufttemperatur über Schwelle)")
        TROPICAL_NIGHT = "tropical_night", _("Tropennacht (Tiefstwert der Nacht mindestens Schwelle)")
        FELT_HEAT = "felt_heat", _("gefühlte Temperatur (aus Temperatur und Luftfeuchte)")
        RAIN = "rain", _("Starkregen (mm pro Stunde über Schwelle)")
        LEVEL_ABOVE = "level_above", _("Pegel oder Grundwasser über Schwelle")
        LEVEL_BELOW = "level_below", _("Pegel oder Grundwasser unter Schwelle")

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    datastream = models.ForeignKey(
        "sensing.Datastream", on_delete=models.CASCADE, related_name="+", verbose_name=_("Datenreihe")
    )
    humidity_datastream = models.ForeignKey(
        "sensing.Datastream",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Datenreihe der Luftfeuchte"),
    )  # for felt temperature
    threshold = models.FloatField(_("Schwelle"))
    unit = models.CharField(_("Einheit"), max_length=20)
    min_duration_minutes = models.PositiveIntegerField(_("Mindestdauer (Minuten)"), default=0)
    hysteresis = models.FloatField(_("Hysterese"), default=0)  # ends only below threshold - hysteresis
    districts = models.ManyToManyField("city.District", blank=True, related_name="+")
    severity = models.CharField(
        _("Schwere"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    headline = models.CharField(_("Überschrift der Warnung"), max_length=300)
    description = models.TextField(_("Beschreibung der Warnung"), blank=True)
    instruction = models.TextField(_("Was Sie tun können"), blank=True)
    heat_checklist = models.BooleanField(_("Einrichtungen erhalten die Hitze-Checkliste"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Auslöseregel")
        verbose_name_plural = _("Auslöseregeln")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Episode(models.Model):
    """A period in which a rule's condition held: at most one open episode per rule (database)."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="episodes")
    condition_since = models.DateTimeField()  # the first observation over the threshold
    raised_at = models.DateTimeField(null=True, blank=True)  # once the minimum duration held
    ended_at = models.DateTimeField(null=True, blank=True)
    peak = models.FloatField(null=True, blank=True)
    last_phenomenon_time = models.DateTimeField(null=True, blank=True)
    warning = models.OneToOneField(
        Warning, on_delete=models.SET_NULL, null=True, blank=True, related_name="episode"
    )

    class Meta:
        ordering = ["-condition_since"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule"], condition=models.Q(ended_at__isnull=True), name="resilience_one_open_episode"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.condition_since:%Y-%m-%d %H:%M}"


class Subscription(models.Model):
    """A resident's subscription to warnings for districts, by e-mail (double opt-in) and/or inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="warning_subscriptions",
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    language = models.CharField(_("Sprache"), max_length=10, default="de")
    districts = models.ManyToManyField("city.District", blank=True, related_name="+")  # none = whole city
    by_email = models.BooleanField(_("per E-Mail"), default=True)
    by_inbox = models.BooleanField(_("im Postfach der Plattform"), default=False)
    # a registered facility's address: it gets heat alerts only, with the heat checklist (facilities.py)
    facility = models.OneToOneField(
        "resilience.Facility", on_delete=models.CASCADE, null=True, blank=True, related_name="subscription"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)  # confirm and unsubscribe
    # the double opt-in of notifications/optin.py: the confirmation link's own token, when the mail went out
    confirm_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Abonnement für Warnungen")
        verbose_name_plural = _("Abonnements für Warnungen")
        indexes = [models.Index(fields=["confirmed_at", "unsubscribed_at"])]
        # one e-mail subscription per address (in any spelling) and one inbox subscription per account:
        # the same form from several tabs at once finds the row another request stored (subscriptions.py)
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(by_email=True, facility__isnull=True),
                name="resilience_subscription_email_unique",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(by_inbox=True, facility__isnull=True),
                name="resilience_subscription_inbox_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.language}"


class Delivery(models.Model):
    """That a warning went to a subscription (idempotent fan-out: unique pair)."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["warning", "subscription"], name="resilience_delivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.warning_id} → {self.subscription_id}"


class Facility(models.Model):
    """A care home, kindergarten, school or senior meeting place registered for heat alerts."""

    class Kind(models.TextChoices):
        CARE_HOME = "care_home", _("Pflegeeinrichtung")
        KINDERGARTEN = "kindergarten", _("Kindertagesstätte")
        SCHOOL = "school", _("Schule")
        SENIOR = "senior", _("Seniorentreff")

    point = models.ForeignKey(
        "city.PointOfInterest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=200)
    address = models.CharField(_("Adresse"), max_length=300, blank=True)
    district = models.ForeignKey(
        "city.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_email = models.EmailField(_("E-Mail-Adresse für Hitzewarnungen"), blank=True)
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("von der Einrichtung bestätigt am"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    # the double opt-in of notifications/optin.py (the invitation is the confirmation mail)
    confirm_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Einrichtung")
        verbose_name_plural = _("Einrichtungen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoolPlace(models.Model):
    """A place to cool down in a heat wave."""

    class Kind(models.TextChoices):
        LIBRARY = "library", _("Bibliothek")
        CHURCH = "church", _("Kirche")
        PARK = "park", _("schattiger Park")
        FOUNTAIN = "fountain", _("Trinkbrunnen")
        BUILDING = "building", _("klimatisiertes öffentliches Gebäude")

    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, db_index=True)
    name = models.CharField(_("Name"), max_length=200)
    address = models.CharField(_("Adresse"), max_length=300, blank=True)
    lat = models.FloatField(_("Breite"))
    lon = models.FloatField(_("Länge"))
    district = models.ForeignKey(
        "city.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opening_hours = models.CharField(_("Öffnungszeiten"), max_length=255, blank=True)
    step_free = models.BooleanField(_("stufenlos erreichbar"), null=True, blank=True)
    note = models.TextField(_("Hinweis"), blank=True)
    simulated = models.BooleanField(_("Beispielinhalt"), default=False)
    source_note = models.CharField(_("Quelle"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kühler Ort")
        verbose_name_plural = _("kühle Orte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoolPlaceInterval(models.Model):
    """A weekly open interval of a cool place (from its opening hours; see core/opening_hours.py)."""

    place = models.ForeignKey(CoolPlace, on_delete=models.CASCADE, related_name="intervals")
    weekday = models.PositiveSmallIntegerField()
    holiday = models.BooleanField(default=False)
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["weekday", "holiday", "start_minute"])]

    def __str__(self) -> str:
        return f"{self.place_id} {self.weekday} {self.start_minute}–{self.end_minute}"
