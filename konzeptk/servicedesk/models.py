"""Mängelmelder: categories with their responsible organisation, reports, photos, updates and followers.

A report is what a resident (or an Open311 client) tells the city about a problem at a place.
Staff of the responsible organisation check text and photos before a report becomes public
(``published``); ``hidden`` takes it out of every public list again. The reporter's e-mail is
never shown anywhere public.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import District
from konzeptk.servicedesk.photos import photo_storage

PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_public_id() -> str:
    """Eight characters without look-alikes (0/O, 1/I): easy to read out on the phone."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(8))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CategoryQuerySet(models.QuerySet["Category"]):
    def active(self) -> CategoryQuerySet:
        return self.filter(active=True)


class Category(models.Model):
    """An Open311 service: a kind of problem, optionally below a parent category."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("Oberkategorie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    service_code = models.SlugField(_("Dienstkennung (Open311 service_code)"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(_("Beschreibung"), blank=True)
    keywords = models.CharField(_("Stichwörter"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("zuständige Organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="servicedesk_categories",
        help_text=_("Leer lassen, um die Zuständigkeit der Oberkategorie zu übernehmen."),
    )
    expected_days = models.PositiveSmallIntegerField(_("erwartete Bearbeitungszeit (Tage)"), default=14)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    # modeltranslation's manager (translated name and description) with the category queryset
    objects = MultilingualManager.from_queryset(CategoryQuerySet)()

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} – {self.name}" if self.parent_id and self.parent else self.name

    @property
    def group(self) -> str:
        """The Open311 ``group``: the top-level category's name."""
        return self.parent.name if self.parent_id and self.parent else self.name

    def responsible_organisation(self) -> Organisation | None:
        category: Category | None = self
        seen = 0
        while category is not None and seen < 10:
            if category.organisation_id:
                return category.organisation
            category = category.parent
            seen += 1
        return None


class CategoryAttribute(models.Model):
    """An Open311 service attribute: an extra question of a category (e.g. the lamp number)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Text (eine Zeile)")
        NUMBER = "number", _("Zahl")
        DATETIME = "datetime", _("Datum und Uhrzeit")
        TEXT = "text", _("Text (mehrere Zeilen)")
        SINGLEVALUELIST = "singlevaluelist", _("Auswahl (ein Wert)")
        MULTIVALUELIST = "multivaluelist", _("Auswahl (mehrere Werte)")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("Kennung"), max_length=60)
    datatype = models.CharField(
        _("Datentyp"), max_length=20, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField(_("Pflichtangabe"), default=False)
    variable = models.BooleanField(_("von Meldenden auszufüllen"), default=True)
    description = models.CharField(_("Frage"), max_length=300)
    datatype_description = models.CharField(_("Hinweis zum Format"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    values = models.JSONField(
        _("Auswahlwerte"),
        default=list,
        blank=True,
        help_text=_('Nur für Auswahlfelder: Liste von {"key": "…", "name": "…"}.'),
    )

    class Meta:
        verbose_name = _("Zusatzangabe")
        verbose_name_plural = _("Zusatzangaben")
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="servicedesk_attribute_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.code}"

    @property
    def value_keys(self) -> list[str]:
        return [str(v.get("key")) for v in self.values if isinstance(v, dict)]


class ApiKey(models.Model):
    """A client application allowed to submit reports through Open311. Only the hash is stored."""

    name = models.CharField(_("Anwendung"), max_length=120)
    prefix = models.CharField(_("Anfang des Schlüssels"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("zuletzt genutzt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class ReportQuerySet(models.QuerySet["Report"]):
    def public(self) -> ReportQuerySet:
        """Reports anyone may see: checked by staff, not hidden, not merged into another."""
        return self.filter(published=True, hidden=False)

    def open(self) -> ReportQuerySet:
        return self.filter(status__in=(Report.Status.OPEN, Report.Status.IN_PROGRESS))


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Bearbeitung")
        CLOSED = "closed", _("erledigt")

    class CloseReason(models.TextChoices):
        FIXED = "fixed", _("behoben")
        DUPLICATE = "duplicate", _("doppelt gemeldet")
        NOT_RESPONSIBLE = "not_responsible", _("nicht zuständig")
        NO_ACTION = "no_action", _("keine Maßnahme möglich")

    class Source(models.TextChoices):
        WEB = "web", _("Formular")
        OPEN311 = "open311", _("Open311-Schnittstelle")
        DEMO = "demo", _("simulierte Demo-Meldung")

    service_request_id = models.CharField(
        _("Meldungsnummer"), max_length=12, unique=True, default=new_public_id, editable=False
    )
    category = models.ForeignKey(
        Category, verbose_name=_("Kategorie"), on_delete=models.PROTECT, related_name="reports"
    )
    description = models.TextField(_("Beschreibung"), max_length=2000)
    lat = models.FloatField(_("Breite"))
    lon = models.FloatField(_("Länge"))
    location_precise = models.BooleanField(_("Ort genau bekannt"), default=True)
    address = models.CharField(_("Adresse oder Ortsbeschreibung"), max_length=200, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("Stadtbezirk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    close_reason = models.CharField(
        _("Abschlussgrund"), max_length=20, choices=CloseReason.choices, blank=True
    )
    status_notes = models.CharField(
        _("öffentlicher Hinweis zum Status"),
        max_length=500,
        blank=True,
        help_text=_("der letzte öffentliche Hinweis"),
    )
    email = models.EmailField(_("E-Mail der meldenden Person"), blank=True)
    # Status mails go to ``email`` only once its owner confirmed it (the same link as a follow,
    # servicedesk/following.py) or it is a verified address of the signed-in reporter.
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    attributes = models.JSONField(_("Zusatzangaben"), default=dict, blank=True)
    published = models.BooleanField(_("veröffentlicht"), default=False)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    hidden = models.BooleanField(_("verborgen"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("zusammengeführt mit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_reports",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("bearbeitende Organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="servicedesk_reports",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zugewiesen an"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="servicedesk_assigned",
    )
    supporters = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    requested_at = models.DateTimeField(_("gemeldet am"), default=timezone.now)
    updated_at = models.DateTimeField(_("zuletzt geändert"), default=timezone.now)
    closed_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    fingerprint = models.CharField(max_length=64, editable=False, blank=True)
    source = models.CharField(_("Herkunft"), max_length=10, choices=Source.choices, default=Source.WEB)
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-requested_at"]
        indexes = [
            # public lists and Open311 requests: newest first among the public reports only
            models.Index(
                fields=["requested_at", "id"],
                condition=Q(published=True, hidden=False),
                name="sd_report_public_time",
            ),
            models.Index(
                fields=["category", "requested_at", "id"],
                condition=Q(published=True, hidden=False),
                name="sd_report_category_time",
            ),
            models.Index(
                fields=["status", "requested_at", "id"],
                condition=Q(published=True, hidden=False),
                name="sd_report_status_time",
            ),
            models.Index(
                fields=["district", "requested_at", "id"],
                condition=Q(published=True, hidden=False),
                name="sd_report_district_time",
            ),
            # counting all public reports (the unfiltered list): a covering index instead of a
            # table scan on SQLite (32 ms -> 9 ms on 100,000 reports)
            models.Index(fields=["published", "hidden", "requested_at"], name="sd_report_public_count"),
            # staff queue per organisation: newest first, and counting by status
            models.Index(fields=["organisation", "requested_at", "id"], name="sd_report_queue"),
            models.Index(fields=["organisation", "status", "merged_into"], name="sd_report_queue_status"),
            # the queue's "not yet checked" filter: a small index over the few unchecked reports
            models.Index(
                fields=["organisation", "requested_at", "id"],
                condition=Q(published=False, hidden=False),
                name="sd_report_unchecked",
            ),
            # proximity check: bounding box on lat (then lon) within a category
            models.Index(fields=["category", "lat", "lon"], name="sd_report_category_bbox"),
            models.Index(fields=["fingerprint", "requested_at"], name="sd_report_fingerprint"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed") | Q(close_reason=""),
                name="servicedesk_close_reason_only_when_closed",
            ),
            models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90), name="servicedesk_lat_range"),
            models.CheckConstraint(condition=Q(lon__gte=-180, lon__lte=180), name="servicedesk_lon_range"),
        ]

    def __str__(self) -> str:
        return f"{self.service_request_id} – {self.category}"

    @property
    def open311_status(self) -> str:
        return "closed" if self.status == self.Status.CLOSED else "open"

    @property
    def is_public(self) -> bool:
        return self.published and not self.hidden


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"servicedesk/{timezone.now():%Y/%m}/{secrets.token_hex(12)}.jpg"


class ReportPhoto(models.Model):
    """A photo re-encoded on upload (EXIF including GPS removed). Public only after staff check."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("Foto"),
        upload_to=photo_path,
        storage=photo_storage,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    published = models.BooleanField(_("veröffentlicht"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"{self.report.service_request_id}: {self.image.name}"


class ReportUpdate(models.Model):
    """One entry in a report's timeline: a status change, a note, a forward or a merge."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("öffentlicher Hinweis")
        INTERNAL = "internal", _("interne Notiz")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    text = models.TextField(_("Text"), blank=True, max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_from = models.CharField(max_length=20, choices=Report.Status.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=Report.Status.choices, blank=True)
    close_reason = models.CharField(max_length=20, choices=Report.CloseReason.choices, blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlaufseinträge")
        ordering = ["report", "created_at", "pk"]
        indexes = [models.Index(fields=["report", "kind", "created_at"], name="sd_update_timeline")]

    def __str__(self) -> str:
        return f"{self.report.service_request_id} {self.created_at:%Y-%m-%d}"


#: the notification kind of status mails (a key of konzeptk.notifications.registry: never change it)
REPORT_STATUS_KIND = "report_status"


class FollowerQuerySet(models.QuerySet["Follower"]):
    def confirmed(self) -> FollowerQuerySet:
        """Only these get status mails: the address's owner has confirmed the follow."""
        return self.filter(confirmed_at__isnull=False)


class Follower(models.Model):
    """Someone who gets an e-mail when the report's status changes – once they have confirmed it.

    Anyone can type any address into the follow form, so a follow starts unconfirmed with a
    ``confirm_token``; only the confirmation mail goes to the address. Following the link and pressing
    the button sets ``confirmed_at``. Unconfirmed follows expire (following.FOLLOW_CONFIRM_DAYS).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(_("E-Mail"))
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    confirm_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Folgende Person")
        verbose_name_plural = _("Folgende Personen")
        constraints = [
            models.UniqueConstraint(fields=["report", "email"], name="servicedesk_follower_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report.service_request_id}: {self.email}"


class ReportSupport(models.Model):
    """One "I have this problem too": once per account, or once per browser and e-mail address.

    For anonymous supporters nothing readable is kept: ``browser`` and ``email_key`` are keyed hashes
    (HMAC with the secret key) of the session and the address, enough for the unique constraints.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    browser = models.CharField(max_length=64, blank=True, editable=False)
    email_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung einer Meldung")
        verbose_name_plural = _("Unterstützungen von Meldungen")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"], condition=Q(user__isnull=False), name="sd_support_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["report", "browser"], condition=~Q(browser=""), name="sd_support_once_per_browser"
            ),
            models.UniqueConstraint(
                fields=["report", "email_key"], condition=~Q(email_key=""), name="sd_support_once_per_email"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(browser=""), name="sd_support_has_a_supporter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.user_id or 'anonym'}"
