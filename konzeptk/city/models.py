"""The city profile as data.

A city has an outline, any number of district layers (each valid for a period, e.g. Krefeld's
nine Stadtbezirke until 31.10.2025 and five from 1.11.2025), population statistics per district
and points of interest. Geometries are GeoJSON in JSON fields (WGS84, lon/lat), prepared with
shapely when needed; no GIS database extension is required.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CityProfile(models.Model):
    slug = models.SlugField(_("Kennung"), unique=True)
    name = models.CharField(_("Name"), max_length=120)
    official_key = models.CharField(_("Gemeindeschlüssel"), max_length=20, blank=True)
    regional_key = models.CharField(
        _("Regionalschlüssel"),
        max_length=12,
        blank=True,
        help_text=_(
            "Zwölfstelliger Amtlicher Regionalschlüssel (ARS), z. B. für Warnungen und Open-Data-Metadaten."
        ),
    )
    boundary = models.JSONField(_("Stadtgrenze (GeoJSON)"))
    center_lat = models.FloatField(_("Mittelpunkt Breite"))
    center_lon = models.FloatField(_("Mittelpunkt Länge"))
    population_total = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    population_source = models.CharField(_("Quelle der Einwohnerzahl"), max_length=300, blank=True)
    postcodes = models.JSONField(_("Postleitzahlen"), default=list, blank=True)
    # DWD warn cells (WARNCELLID) of the city, e.g. the municipality 805114000 and the district 105114000
    warn_cells = models.JSONField(_("Warnzellen des DWD"), default=list, blank=True)
    sources = models.TextField(_("Quellen und Lizenzen"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    loaded_at = models.DateTimeField(_("geladen am"), auto_now=True)

    class Meta:
        verbose_name = _("Stadtprofil")
        verbose_name_plural = _("Stadtprofile")

    def __str__(self) -> str:
        return self.name


class DistrictLayerQuerySet(models.QuerySet["DistrictLayer"]):
    def valid_on(self, day: dt.date) -> DistrictLayerQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class DistrictLayer(models.Model):
    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Stadtbezirke")
        STATISTICAL = "statistical", _("Stadtteile")

    profile = models.ForeignKey(CityProfile, on_delete=models.CASCADE, related_name="layers")
    slug = models.SlugField(_("Kennung"))
    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    provisional = models.BooleanField(
        _("vorläufig"), default=False, help_text=_("Zuschnitt nicht vollständig amtlich belegt")
    )
    schematic = models.BooleanField(
        _("schematisch"), default=False, help_text=_("Grenzen erzeugt, nicht amtlich")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    source = models.TextField(_("Quelle"), blank=True)

    objects = DistrictLayerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gebietsebene")
        verbose_name_plural = _("Gebietsebenen")
        ordering = ["profile", "kind", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["profile", "slug"], name="city_layer_unique_slug")]

    def __str__(self) -> str:
        return f"{self.profile} – {self.name}"


class District(models.Model):
    layer = models.ForeignKey(DistrictLayer, on_delete=models.CASCADE, related_name="districts")
    code = models.CharField(_("Nummer"), max_length=20)
    name = models.CharField(_("Name"), max_length=120)
    geometry = models.JSONField(_("Fläche (GeoJSON)"))
    anchor_lat = models.FloatField(_("Ankerpunkt Breite"), null=True, blank=True)
    anchor_lon = models.FloatField(_("Ankerpunkt Länge"), null=True, blank=True)
    anchor_name = models.CharField(_("Ankerpunkt"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("Stand (Jahr)"), null=True, blank=True)
    note = models.TextField(_("Hinweis"), blank=True)

    class Meta:
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")
        ordering = ["layer", "code"]
        constraints = [models.UniqueConstraint(fields=["layer", "code"], name="city_district_unique_code")]

    def __str__(self) -> str:
        return self.name


class PopulationStat(models.Model):
    """Residents of a district by age band and sex at a reference date."""

    class Sex(models.TextChoices):
        FEMALE = "f", _("weiblich")
        MALE = "m", _("männlich")
        ALL = "all", _("alle")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="population_stats")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    age_band = models.CharField(_("Altersgruppe"), max_length=20)
    sex = models.CharField(_("Geschlecht"), max_length=3, choices=Sex.choices, default=Sex.ALL)
    count = models.PositiveIntegerField(_("Anzahl"))
    estimated = models.BooleanField(_("geschätzt"), default=False)

    class Meta:
        verbose_name = _("Bevölkerungszahl")
        verbose_name_plural = _("Bevölkerungszahlen")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "age_band", "sex"], name="city_population_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year} {self.age_band} {self.sex}: {self.count}"


class PointOfInterest(models.Model):
    profile = models.ForeignKey(CityProfile, on_delete=models.CASCADE, related_name="points")
    category = models.CharField(_("Kategorie"), max_length=40, db_index=True)
    name = models.CharField(_("Name"), max_length=200)
    address = models.CharField(_("Adresse"), max_length=200, blank=True)
    lat = models.FloatField(_("Breite"))
    lon = models.FloatField(_("Länge"))
    properties = models.JSONField(_("Eigenschaften"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")
        ordering = ["category", "name"]
        indexes = [models.Index(fields=["profile", "category"])]

    def __str__(self) -> str:
        return self.name
