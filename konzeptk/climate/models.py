"""The city's path to climate neutrality as data.

* :class:`EmissionYear` with one :class:`EmissionFigure` per sector: the yearly greenhouse-gas balance
  (t CO₂-equivalent) staff enter or import, against the reduction path of :class:`PathPoint`
  (t per resident and year) and the CO₂ budget of :class:`BudgetBasis`;
* :class:`SolarUnit` and :class:`ChargingStation`: the city's photovoltaic units and public charging
  stations from the national registers (Marktstammdatenregister, Ladesäulenregister), one
  :class:`ImportRun` per import with its report;
* :class:`ModalShare`: the published modal split per year and mode.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District

#: the catalogue value of the Marktstammdatenregister for a finally decommissioned unit
STATUS_DECOMMISSIONED = "38"
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class Sector(models.TextChoices):
    """Sectors of a municipal balance (as the BISKO standard groups them)."""

    HOUSEHOLDS = "households", _("Private Haushalte")
    INDUSTRY = "industry", _("Industrie")
    COMMERCE = "commerce", _("Gewerbe, Handel, Dienstleistungen")
    TRANSPORT = "transport", _("Verkehr")
    MUNICIPAL = "municipal", _("Kommunale Einrichtungen")


class Mode(models.TextChoices):
    WALKING = "walking", _("zu Fuß")
    CYCLING = "cycling", _("Fahrrad")
    PUBLIC_TRANSPORT = "public_transport", _("Bus und Bahn")
    CAR = "car", _("Auto und Motorrad")


#: the modes of the "Umweltverbund" (walking, cycling, public transport)
SUSTAINABLE_MODES = (Mode.WALKING, Mode.CYCLING, Mode.PUBLIC_TRANSPORT)


class EmissionYear(models.Model):
    year = models.PositiveSmallIntegerField(_("Jahr"), unique=True, validators=YEAR_VALIDATORS)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), validators=[MinValueValidator(1)])
    source = models.CharField(_("Quelle"), max_length=300)
    licence = models.CharField(_("Lizenz"), max_length=100, blank=True)
    simulated = models.BooleanField(_("simuliert"), default=False)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Treibhausgasbilanz eines Jahres")
        verbose_name_plural = _("Treibhausgasbilanzen")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class EmissionFigure(models.Model):
    balance = models.ForeignKey(EmissionYear, on_delete=models.CASCADE, related_name="figures")
    sector = models.CharField(_("Sektor"), max_length=20, choices=Sector.choices)
    tonnes = models.FloatField(_("t CO₂-Äquivalente"), validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("Emissionen eines Sektors")
        verbose_name_plural = _("Emissionen der Sektoren")
        constraints = [
            models.UniqueConstraint(fields=["balance", "sector"], name="climate_figure_unique_sector"),
            models.CheckConstraint(condition=Q(tonnes__gte=0), name="climate_figure_tonnes_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.balance_id}: {self.sector}"


class PathPoint(models.Model):
    """A point of the reduction path: the baseline and the targets, in t CO₂ per resident and year."""

    year = models.PositiveSmallIntegerField(_("Jahr"), unique=True, validators=YEAR_VALIDATORS)
    per_capita = models.FloatField(_("t je Einwohner:in und Jahr"), validators=[MinValueValidator(0)])
    source = models.CharField(_("Quelle"), max_length=300)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Punkt des Reduktionspfads")
        verbose_name_plural = _("Reduktionspfad")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.per_capita}"


class BudgetBasis(models.Model):
    """The assumptions of the remaining CO₂ budget: the city's share of a national budget by population."""

    label = models.CharField(_("Bezeichnung"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("Budget ab 1. Januar"), validators=YEAR_VALIDATORS)
    national_budget_t = models.FloatField(_("Budget Deutschland (t CO₂)"), validators=[MinValueValidator(0)])
    national_population = models.PositiveIntegerField(_("Einwohnerzahl Deutschland"))
    city_population = models.PositiveIntegerField(_("Einwohnerzahl der Stadt"))
    population_date = models.DateField(_("Stichtag der Einwohnerzahlen"))
    source = models.CharField(_("Quelle"), max_length=400)
    is_active = models.BooleanField(_("verwendet"), default=True)

    class Meta:
        verbose_name = _("Grundlage des CO₂-Budgets")
        verbose_name_plural = _("Grundlagen des CO₂-Budgets")

    def __str__(self) -> str:
        return self.label

    @property
    def city_budget_t(self) -> float:
        return self.national_budget_t * self.city_population / self.national_population


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        MASTR = "mastr", _("Marktstammdatenregister (Photovoltaik)")
        CHARGING = "charging", _("Ladesäulenregister")
        EMISSIONS = "emissions", _("Treibhausgasbilanz (CSV)")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("Datei"), max_length=300)
    started_at = models.DateTimeField(_("begonnen"), auto_now_add=True)
    rows_read = models.PositiveIntegerField(_("gelesen"), default=0)
    stored = models.PositiveIntegerField(_("gespeichert"), default=0)
    skipped = models.PositiveIntegerField(_("übersprungen (andere Gemeinde)"), default=0)
    error_count = models.PositiveIntegerField(_("Fehler"), default=0)
    #: the first errors as {"row": n, "message": "..."} (at most ERROR_LIMIT)
    errors = models.JSONField(_("Fehler je Zeile"), default=list, blank=True)
    refused = models.CharField(_("abgelehnt, weil"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"


class SolarUnit(models.Model):
    """A photovoltaic unit of the Marktstammdatenregister (public data; the name an operator chose for the unit is
    not taken over, it may name a person)."""

    mastr_number = models.CharField(_("MaStR-Nummer"), max_length=20, unique=True)
    capacity_kw = models.FloatField(_("Bruttoleistung (kWp)"), validators=[MinValueValidator(0)])
    commissioned_on = models.DateField(_("Inbetriebnahme"), null=True, blank=True)
    decommissioned_on = models.DateField(_("endgültig stillgelegt"), null=True, blank=True)
    status_code = models.CharField(_("Betriebsstatus (Katalogwert)"), max_length=10, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    place = models.CharField(_("Ort"), max_length=120, blank=True)
    lat = models.FloatField(_("Breite"), null=True, blank=True)
    lon = models.FloatField(_("Länge"), null=True, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Bezirk")
    )
    simulated = models.BooleanField(_("simuliert"), default=False)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Photovoltaik-Einheit")
        verbose_name_plural = _("Photovoltaik-Einheiten")
        indexes = [models.Index(fields=["commissioned_on"], name="climate_solar_commissioned")]

    def __str__(self) -> str:
        return self.mastr_number


class ChargingStation(models.Model):
    """A public charging station of the Ladesäulenregister of the Bundesnetzagentur."""

    key = models.CharField(_("Kennung"), max_length=64, unique=True)
    operator = models.CharField(_("Betreiber"), max_length=300)
    street = models.CharField(_("Straße"), max_length=200, blank=True)
    house_number = models.CharField(_("Hausnummer"), max_length=40, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    place = models.CharField(_("Ort"), max_length=120, blank=True)
    lat = models.FloatField(_("Breite"), null=True, blank=True)
    lon = models.FloatField(_("Länge"), null=True, blank=True)
    commissioned_on = models.DateField(_("Inbetriebnahme"), null=True, blank=True)
    power_kw = models.FloatField(_("Nennleistung (kW)"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("Ladepunkte"), default=1)
    fast = models.BooleanField(_("Schnellladeeinrichtung"), default=False)
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Bezirk")
    )
    simulated = models.BooleanField(_("simuliert"), default=False)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Ladeeinrichtung")
        verbose_name_plural = _("Ladeeinrichtungen")
        ordering = ["postcode", "street", "house_number", "pk"]

    def __str__(self) -> str:
        return f"{self.operator}, {self.street} {self.house_number}"


class ModalShare(models.Model):
    year = models.PositiveSmallIntegerField(_("Jahr"), validators=YEAR_VALIDATORS)
    mode = models.CharField(_("Verkehrsmittel"), max_length=20, choices=Mode.choices)
    share = models.FloatField(
        _("Anteil an allen Wegen (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    source = models.CharField(_("Quelle"), max_length=300)
    licence = models.CharField(_("Lizenz"), max_length=100, blank=True)
    simulated = models.BooleanField(_("simuliert"), default=False)

    class Meta:
        verbose_name = _("Anteil am Modal Split")
        verbose_name_plural = _("Modal Split")
        ordering = ["year", "mode"]
        constraints = [
            models.UniqueConstraint(fields=["year", "mode"], name="climate_modal_unique_year_mode"),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100), name="climate_modal_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.mode}: {self.share}"
