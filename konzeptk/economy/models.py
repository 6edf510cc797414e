"""Models of economy: local businesses with opening hours (and their weekly open intervals), claims of
owners, and the offers of the business development agency (KREFELD.BUSINESS)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A kind of business in the directory (Einzelhandel, Gastronomie, Handwerk, …)."""

    slug = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    name = models.CharField(_("Bezeichnung"), max_length=80)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("Branche")
        verbose_name_plural = _("Branchen")

    def __str__(self) -> str:
        return self.name


class StepFree(models.TextChoices):
    """Like OpenStreetMap's ``wheelchair=*``."""

    YES = "yes", _("stufenlos")
    LIMITED = "limited", _("eingeschränkt stufenlos")
    NO = "no", _("nicht stufenlos")
    UNKNOWN = "unknown", _("unbekannt")


class Business(models.Model):
    """A local shop or business: published by staff, maintained by its verified owners."""

    slug = models.SlugField(_("Kürzel"), max_length=120, unique=True)
    name = models.CharField(_("Name"), max_length=160)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="businesses")
    description = models.TextField(_("Beschreibung"), blank=True, default="")
    street = models.CharField(_("Straße und Hausnummer"), max_length=160)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, default="")
    locality = models.CharField(_("Ort"), max_length=80, default="Krefeld")
    lat = models.FloatField(_("Breitengrad"))
    lon = models.FloatField(_("Längengrad"))
    district = models.ForeignKey(
        "city.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step_free = models.CharField(
        _("Eingang stufenlos"), max_length=10, choices=StepFree.choices, default=StepFree.UNKNOWN
    )
    delivery = models.BooleanField(_("Lieferdienst"), default=False)
    click_collect = models.BooleanField(_("Click & Collect"), default=False)
    online_shop = models.BooleanField(_("Online-Shop"), default=False)
    card_payment = models.BooleanField(_("Kartenzahlung"), default=False)
    website = models.URLField(_("Website"), blank=True, default="")
    shop_url = models.URLField(_("Adresse des Online-Shops"), blank=True, default="")
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, default="")
    opening_hours = models.CharField(
        _("Öffnungszeiten (OpenStreetMap-Schreibweise)"), max_length=255, blank=True, default=""
    )
    hours_vary = models.BooleanField(
        _("Öffnungszeiten wechseln im Jahr"), default=False, editable=False
    )  # the weekly table holds the current season's week; ``refresh_opening_hours`` renews it
    hours_computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published = models.BooleanField(_("veröffentlicht"), default=True)
    simulated = models.BooleanField(_("Beispielinhalt"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("name", "pk")
        verbose_name = _("Geschäft")
        verbose_name_plural = _("Geschäfte")
        indexes = [
            models.Index(fields=["published", "name", "id"]),  # the directory's pages, by name
            models.Index(fields=["published", "category", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        """The address of the business page (also the link of its point on the map)."""
        from django.urls import reverse

        return reverse("economy:detail", args=[self.slug])


class WeeklyInterval(models.Model):
    """One open interval of a business on a weekday (0 = Monday), in minutes after local midnight.

    ``holiday`` rows say how the business opens on a public holiday of North Rhine-Westphalia that falls on
    that weekday (``PH`` rules); they are computed on save, never per request.
    """

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="intervals")
    weekday = models.PositiveSmallIntegerField()
    holiday = models.BooleanField(default=False)
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("business", "holiday", "weekday", "start_minute")
        indexes = [models.Index(fields=["weekday", "holiday", "start_minute", "end_minute", "business"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    start_minute__lt=models.F("end_minute"), end_minute__lte=1440, weekday__lte=6
                ),
                name="economy_interval_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.weekday}{'F' if self.holiday else ''} {self.start_minute}-{self.end_minute}"


class Claim(models.Model):
    """A person says they run a business; staff verify it, then the person may edit the entry."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Prüfung")
        VERIFIED = "verified", _("bestätigt")
        REJECTED = "rejected", _("abgelehnt")
        REVOKED = "revoked", _("zurückgezogen")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_claims"
    )
    role = models.CharField(_("Ihre Rolle im Geschäft"), max_length=80)
    evidence = models.TextField(_("Nachweis"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    staff_note = models.TextField(_("Vermerk der Verwaltung"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("Anspruch auf ein Geschäft")
        verbose_name_plural = _("Ansprüche auf Geschäfte")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "user"],
                condition=models.Q(status__in=["pending", "verified"]),
                name="economy_one_open_claim",
            )
        ]

    def __str__(self) -> str:
        return f"{self.business_id}: {self.status}"


class Offer(models.Model):
    """An offer of the business development agency: funding, commercial space, coworking, advice."""

    class Kind(models.TextChoices):
        FUNDING = "funding", _("Förderprogramm")
        SPACE = "space", _("Gewerbefläche")
        COWORKING = "coworking", _("Coworking")
        ADVICE = "advice", _("Beratung")

    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=160)
    summary = models.TextField(_("Beschreibung"))
    provider = models.CharField(_("Anbieter"), max_length=80, default="KREFELD.BUSINESS")
    url = models.URLField(_("Weitere Informationen"), blank=True, default="")
    address = models.CharField(_("Adresse"), max_length=160, blank=True, default="")
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    published = models.BooleanField(_("veröffentlicht"), default=True)
    simulated = models.BooleanField(_("Beispielinhalt"), default=False)

    class Meta:
        ordering = ("kind", "order", "title")
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")

    def __str__(self) -> str:
        return self.title
