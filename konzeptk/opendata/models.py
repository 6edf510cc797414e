"""The open data catalogue: datasets with their distributions and data services, harvest sources and runs,
and residents' requests for data.

A dataset comes from one of three origins: registered automatically from what the platform publishes
(``konzeptk.core.catalogue``), registered by staff of an organisation, or harvested from another portal.
Facet values (theme, keyword, format, licence, organisation, district) are kept as rows of ``Tag`` so the
catalogue can count and filter them the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Organisation


class HarvestSource(models.Model):
    class Kind(models.TextChoices):
        CKAN = "ckan", _("CKAN-Portal (Action API)")
        DCAT = "dcat", _("DCAT-Katalog (Turtle, RDF/XML, JSON-LD)")

    name = models.CharField(_("Name"), max_length=200)
    url = models.URLField(_("Adresse"), max_length=500)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    organisation_filter = models.CharField(
        _("nur diese Organisation der Quelle"),
        max_length=100,
        blank=True,
        help_text=_("Bei CKAN-Portalen der Name der Organisation, z. B. „krefeld“."),
    )
    publisher = models.ForeignKey(
        Organisation, verbose_name=_("veröffentlicht für"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_active = models.BooleanField(_("regelmäßig ernten"), default=True)
    last_run_at = models.DateTimeField(_("zuletzt geerntet"), null=True, blank=True)

    class Meta:
        verbose_name = _("Erntequelle")
        verbose_name_plural = _("Erntequellen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HarvestRun(models.Model):
    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    failed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Erntelauf")
        verbose_name_plural = _("Ernteläufe")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"


class DataService(models.Model):
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    endpoint_url = models.CharField(_("Zugangsadresse"), max_length=1000)
    endpoint_description = models.CharField(_("Beschreibung der Schnittstelle"), max_length=1000, blank=True)
    conforms_to = models.CharField(_("folgt dem Standard"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Datendienst")
        verbose_name_plural = _("Datendienste")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Dataset(models.Model):
    class Origin(models.TextChoices):
        PLATFORM = "platform", _("von der Plattform veröffentlicht")
        STAFF = "staff", _("von einer Organisation eingetragen")
        HARVEST = "harvest", _("aus einem anderen Portal geerntet")

    name = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"))
    publisher = models.ForeignKey(
        Organisation, verbose_name=_("Herausgeber"), null=True, blank=True, on_delete=models.SET_NULL
    )
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    contact_url = models.URLField(_("Kontakt-Webseite"), max_length=500, blank=True)
    themes = models.JSONField(_("Themen"), default=list, blank=True)
    keywords = models.JSONField(_("Schlagwörter"), default=list, blank=True)
    licence = models.CharField(_("Lizenz"), max_length=40, blank=True)
    frequency = models.CharField(_("Aktualisierung"), max_length=20, default="IRREG")
    temporal_start = models.DateField(_("Zeitraum von"), null=True, blank=True)
    temporal_end = models.DateField(_("Zeitraum bis"), null=True, blank=True)
    district_codes = models.JSONField(_("Stadtbezirke"), default=list, blank=True)
    landing_page = models.CharField(_("Webseite"), max_length=1000, blank=True)
    origin = models.CharField(_("Herkunft"), max_length=10, choices=Origin.choices)
    source_key = models.CharField(max_length=300, unique=True, null=True, blank=True)
    harvest_source = models.ForeignKey(HarvestSource, null=True, blank=True, on_delete=models.CASCADE)
    harvest_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued = models.DateTimeField(_("veröffentlicht"), default=timezone.now)
    modified = models.DateTimeField(_("geändert"), default=timezone.now, db_index=True)
    search_text = models.TextField(blank=True, editable=False)
    quality_score = models.PositiveSmallIntegerField(_("Metadatenqualität"), default=0, db_index=True)
    quality = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("Datensatz")
        verbose_name_plural = _("Datensätze")
        ordering = ["-modified", "id"]
        indexes = [models.Index(fields=["-modified", "id"], name="opendata_ds_modified_id")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opendata:dataset", args=[self.name])


class Distribution(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    key = models.CharField(max_length=200)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    access_url = models.CharField(_("Zugangsadresse"), max_length=1000)
    download_url = models.CharField(_("Download-Adresse"), max_length=1000, blank=True)
    file = models.FileField(_("Datei"), upload_to="opendata/", blank=True)
    file_format = models.CharField(_("Format"), max_length=20, blank=True)
    media_type = models.CharField(_("Medientyp"), max_length=100, blank=True)
    byte_size = models.PositiveBigIntegerField(null=True, blank=True)
    service = models.ForeignKey(DataService, null=True, blank=True, on_delete=models.SET_NULL)
    download_count = models.PositiveIntegerField(_("Abrufe"), default=0)
    link_status = models.PositiveSmallIntegerField(null=True, blank=True)
    link_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Distribution")
        verbose_name_plural = _("Distributionen")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["dataset", "key"], name="opendata_dist_key_unique")]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    """One facet value of a dataset; rebuilt with the dataset."""

    class Kind(models.TextChoices):
        THEME = "theme", _("Thema")
        KEYWORD = "keyword", _("Schlagwort")
        FORMAT = "format", _("Format")
        LICENCE = "licence", _("Lizenz")
        ORGANISATION = "organization", _("Organisation")
        DISTRICT = "district", _("Stadtbezirk")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value", "dataset"], name="opendata_tag_unique")
        ]
        indexes = [models.Index(fields=["dataset", "kind"], name="opendata_tag_dataset")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class DatasetRequest(models.Model):
    """A resident asks for data the city does not publish yet; the answer is public."""

    class Status(models.TextChoices):
        OPEN = "open", _("eingegangen")
        PLANNED = "planned", _("in Vorbereitung")
        PUBLISHED = "published", _("veröffentlicht")
        DECLINED = "declined", _("nicht möglich")

    title = models.CharField(_("Welche Daten wünschen Sie sich?"), max_length=200)
    description = models.TextField(_("Wofür möchten Sie die Daten nutzen?"), max_length=3000)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("Antwort"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Datenwunsch")
        verbose_name_plural = _("Datenwünsche")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title
