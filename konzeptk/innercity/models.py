"""The inner city's vacant units, their owners, and the vacancy counts.

A :class:`Unit` is a commercial space (usually a shop on the ground floor) the inner-city coordination
keeps in its register, whether an owner offered it or not. Only units whose owner agreed
(``owner_consent_public``), that are offered or reserved, and whose owner (if any) staff verified are
public (:meth:`UnitQuerySet.public`). :class:`VacancyCount` is a snapshot of the register on a count
date (like the city's twice-yearly count) with one :class:`VacancyCountRow` per street, district and
the whole inner city.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from konzeptk.city.models import District
from konzeptk.core.storage import private_storage


class UseKey(models.TextChoices):
    """The controlled list of uses a unit allows and an applicant may ask for."""

    RETAIL = "retail", _("Einzelhandel")
    GASTRONOMY = "gastronomy", _("Gastronomie")
    ART_CULTURE = "art_culture", _("Kunst und Kultur")
    CRAFT = "craft", _("Handwerk und Manufaktur")
    OFFICE = "office", _("Büro und Dienstleistung")
    COWORKING = "coworking", _("Coworking")
    SOCIAL = "social", _("Soziales und Initiativen")
    EDUCATION = "education", _("Bildung")
    POPUP = "popup", _("Pop-up und Ausstellung")


class Use(models.Model):
    """One entry of :class:`UseKey` as a row, so units and applications can point at it."""

    key = models.CharField(_("Schlüssel"), max_length=20, choices=UseKey.choices, unique=True)

    class Meta:
        verbose_name = _("Nutzung")
        verbose_name_plural = _("Nutzungen")
        ordering = ["key"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return str(UseKey(self.key).label)


class Owner(models.Model):
    """An owner or agent with an account. Their units go public only after staff verified them."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Eigentümer/in")
        AGENT = "agent", _("Makler/in oder Verwaltung")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="innercity_owner"
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.OWNER)
    organisation = models.CharField(_("Firma oder Verwaltung"), max_length=200, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    verified_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geprüft von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Eigentümer/in oder Makler/in")
        verbose_name_plural = _("Eigentümer/innen und Makler/innen")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.organisation or self.contact_name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class UnitQuerySet(models.QuerySet["Unit"]):
    def public(self) -> UnitQuerySet:
        """Units anyone may see: owner agreed, offered or reserved, owner (if any) verified."""
        return self.filter(
            owner_consent_public=True,
            status__in=Unit.PUBLIC_STATUSES,
        ).filter(Q(owner__isnull=True) | Q(owner__innercity_owner__verified_at__isnull=False))

    def vacant(self) -> UnitQuerySet:
        """Units that count as vacant in the vacancy count."""
        return self.filter(status__in=Unit.VACANT_STATUSES)


class Unit(models.Model):
    """A commercial space in the register of the inner-city coordination."""

    class Status(models.TextChoices):
        VACANT = "vacant", _("leer, nicht angeboten")
        OFFERED = "offered", _("leer, angeboten")
        RESERVED = "reserved", _("reserviert")
        INTERIM_USE = "in_interim_use", _("in Zwischennutzung")
        LET = "let", _("vermietet")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    class Reason(models.TextChoices):
        UNKNOWN = "unknown", _("unbekannt")
        CLOSURE = "closure", _("Geschäftsaufgabe")
        INSOLVENCY = "insolvency", _("Insolvenz")
        RELOCATION = "relocation", _("Umzug des Geschäfts")
        RENOVATION = "renovation", _("Umbau oder Sanierung")
        RENT = "rent", _("Miete zu hoch")
        CONDITION = "condition", _("Zustand der Fläche")
        OTHER = "other", _("anderer Grund")

    PUBLIC_STATUSES = (Status.OFFERED, Status.RESERVED)
    VACANT_STATUSES = (Status.VACANT, Status.OFFERED, Status.RESERVED)

    title = models.CharField(
        _("Bezeichnung"), max_length=160, help_text=_("z. B. „Ladenlokal mit großem Schaufenster“")
    )
    description = models.TextField(_("Beschreibung"), max_length=4000, blank=True)
    street = models.CharField(_("Straße"), max_length=120, db_index=True)
    house_number = models.CharField(_("Hausnummer"), max_length=12)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    lat = models.FloatField(_("Breite"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(_("Länge"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    district = models.ForeignKey(
        District,
        verbose_name=_("Stadtbezirk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    area_m2 = models.DecimalField(
        _("Fläche (m²)"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    shop_window_m = models.DecimalField(
        _("Schaufensterbreite (m)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
    )
    floor = models.SmallIntegerField(
        _("Etage"),
        default=0,
        validators=[MinValueValidator(-3), MaxValueValidator(60)],
        help_text=_("0 = Erdgeschoss, -1 = Untergeschoss"),
    )
    step_free = models.BooleanField(_("stufenloser Zugang"), default=False)
    rent_per_month = models.DecimalField(
        _("Kaltmiete pro Monat (Euro)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("leer lassen: Miete auf Anfrage"),
    )
    available_from = models.DateField(_("verfügbar ab"), null=True, blank=True)
    uses = models.ManyToManyField(Use, verbose_name=_("mögliche Nutzungen"), blank=True, related_name="units")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Eigentümer/in oder Makler/in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="innercity_units",
    )
    owner_consent_public = models.BooleanField(_("Veröffentlichung erlaubt"), default=False)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.VACANT, db_index=True
    )
    vacant_since = models.DateField(_("leer seit"), null=True, blank=True)
    reason = models.CharField(
        _("Grund des Leerstands"), max_length=20, choices=Reason.choices, default=Reason.UNKNOWN
    )
    notes = models.TextField(_("interne Notizen"), max_length=4000, blank=True)
    simulated = models.BooleanField(_("simuliert"), default=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    # modeltranslation's manager (translated description) with the unit queryset
    objects = MultilingualManager.from_queryset(UnitQuerySet)()

    if TYPE_CHECKING:  # the language columns django-modeltranslation adds (translation.py)
        title_de: str
        title_en: str
        description_de: str
        description_en: str

    class Meta:
        verbose_name = _("Ladenlokal")
        verbose_name_plural = _("Ladenlokale")
        ordering = ["street", "house_number", "pk"]
        indexes = [models.Index(fields=["status", "owner_consent_public"])]
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="innercity_unit_area_positive"),
            models.CheckConstraint(
                condition=Q(rent_per_month__isnull=True) | Q(rent_per_month__gte=0),
                name="innercity_unit_rent_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address} – {self.title}"

    @property
    def address(self) -> str:
        line = f"{self.street} {self.house_number}".strip()
        return f"{line}, {self.postcode} Krefeld" if self.postcode else line

    @property
    def is_vacant(self) -> bool:
        return self.status in self.VACANT_STATUSES


def unit_photo_path(instance: UnitPhoto, filename: str) -> str:
    return f"innercity/{timezone.now():%Y/%m}/{secrets.token_hex(12)}.jpg"


class UnitPhoto(models.Model):
    """A photo of a unit, re-encoded on upload (EXIF removed); served by a view that checks access."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("Foto"),
        upload_to=unit_photo_path,
        storage=private_storage,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("Bildbeschreibung"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["unit", "pk"]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.image.name}"


class VacancyCount(models.Model):
    """The register counted on one date (e.g. the spring and autumn count)."""

    count_date = models.DateField(_("Stichtag"), unique=True)
    taken_at = models.DateTimeField(_("erstellt am"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erstellt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    units = models.PositiveIntegerField(_("Ladenlokale im Register"))
    vacant = models.PositiveIntegerField(_("leer stehend"))
    median_days = models.PositiveIntegerField(_("Median der Leerstandsdauer (Tage)"), null=True, blank=True)
    simulated = models.BooleanField(_("simuliert"), default=False)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Leerstandszählung")
        verbose_name_plural = _("Leerstandszählungen")
        ordering = ["-count_date"]

    def __str__(self) -> str:
        return f"{self.count_date}: {self.vacant}/{self.units}"

    @property
    def share(self) -> float | None:
        return self.vacant / self.units if self.units else None


class VacancyCountRow(models.Model):
    """One street or district of a count."""

    class Scope(models.TextChoices):
        STREET = "street", _("Straße")
        DISTRICT = "district", _("Stadtbezirk")

    count = models.ForeignKey(VacancyCount, on_delete=models.CASCADE, related_name="rows")
    scope = models.CharField(_("Ebene"), max_length=10, choices=Scope.choices)
    key = models.CharField(_("Schlüssel"), max_length=120)
    label = models.CharField(_("Name"), max_length=160)
    units = models.PositiveIntegerField(_("Ladenlokale im Register"))
    vacant = models.PositiveIntegerField(_("leer stehend"))
    median_days = models.PositiveIntegerField(_("Median der Leerstandsdauer (Tage)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zeile der Leerstandszählung")
        verbose_name_plural = _("Zeilen der Leerstandszählung")
        ordering = ["count", "scope", "label"]
        constraints = [
            models.UniqueConstraint(fields=["count", "scope", "key"], name="innercity_countrow_unique")
        ]

    def __str__(self) -> str:
        return f"{self.count_id} {self.scope} {self.label}: {self.vacant}/{self.units}"

    @property
    def share(self) -> float | None:
        return self.vacant / self.units if self.units else None
