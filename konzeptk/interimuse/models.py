"""The interim-use programme ("Platz für Deine Visionen"): calls with published criteria and the
programme's rent shares, applications with a concept and needs, jurors with declared conflicts,
their scores, the decision, the contract with its rent split, and the tenant's periodic reports.

The shares (owner waiver, public funding, tenant) are data of each call, never code.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District
from konzeptk.innercity.models import Unit, UseKey

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Call(models.Model):
    """A funding call: period, texts, criteria, shares of the rent and the eligible units."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        OPEN = "open", _("Bewerbung offen")
        JURY = "jury", _("Bewertung durch die Jury")
        DECIDED = "decided", _("entschieden")

    slug = models.SlugField(_("Kennung"), unique=True, max_length=80)
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(
        _("Aufruf"), max_length=8000, help_text=_("Was gefördert wird und wer sich bewerben kann.")
    )
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(_("Bewerbung ab"))
    closes_on = models.DateField(_("Bewerbung bis"))
    owner_share = models.DecimalField(
        _("Verzicht der Eigentümer (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    funding_share = models.DecimalField(
        _("Förderung (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    tenant_share = models.DecimalField(
        _("Anteil der Mieter (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    term_months = models.PositiveSmallIntegerField(
        _("Laufzeit (Monate)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    report_every_months = models.PositiveSmallIntegerField(
        _("Bericht alle … Monate"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("Ladenlokale des Aufrufs"), blank=True, related_name="+"
    )
    source = models.URLField(_("Quelle"), blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Aufruf")
        verbose_name_plural = _("Aufrufe")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_share__gte=0) & Q(funding_share__gte=0) & Q(tenant_share__gte=0),
                name="interimuse_call_shares_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="interimuse_call_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("interimuse:call", args=[self.slug])


class Fact(models.Model):
    """A published fact about the programme (e.g. how many shops are in use), always with its source."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="facts")
    text = models.CharField(_("Tatsache"), max_length=300)
    as_of = models.CharField(_("Stand"), max_length=40, blank=True)
    source_title = models.CharField(_("Quelle"), max_length=300)
    source_url = models.URLField(_("Adresse der Quelle"), blank=True, max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Tatsache zum Programm")
        verbose_name_plural = _("Tatsachen zum Programm")
        ordering = ["call", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """A published criterion of a call with its weight; jurors give 0 to ``max_points``."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("Kriterium"), max_length=160)
    description = models.TextField(_("Erläuterung"), max_length=2000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_points = models.PositiveSmallIntegerField(
        _("Höchstpunktzahl"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Kriterium")
        verbose_name_plural = _("Kriterien")
        ordering = ["call", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """An application with a concept, for one unit of the call or in general, with the needs."""

    class Kind(models.TextChoices):
        FOUNDER = "founder", _("Gründung")
        ARTIST = "artist", _("Kunst und Kultur")
        INITIATIVE = "initiative", _("Initiative")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("eingereicht")
        WITHDRAWN = "withdrawn", _("zurückgezogen")
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interimuse_applications"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("Ladenlokal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("Sie bewerben sich als"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("Name des Vorhabens"), max_length=160)
    concept = models.TextField(_("Konzept"), max_length=8000)
    use = models.CharField(_("Nutzung"), max_length=20, choices=UseKey.choices)
    area_min = models.PositiveIntegerField(
        _("Fläche mindestens (m²)"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    area_max = models.PositiveIntegerField(
        _("Fläche höchstens (m²)"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    districts = models.ManyToManyField(
        District, verbose_name=_("gewünschte Stadtbezirke"), blank=True, related_name="+"
    )
    budget = models.DecimalField(
        _("Ihr Budget für die Miete pro Monat (Euro)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    needs_step_free = models.BooleanField(_("stufenloser Zugang nötig"), default=False)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.TextField(_("Begründung der Entscheidung"), max_length=4000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    simulated = models.BooleanField(_("simuliert"), default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        ordering = ["-submitted_at", "pk"]
        constraints = [
            # a double submit cannot create a second application of one person in one call
            models.UniqueConstraint(
                fields=["call", "applicant"], name="interimuse_application_once_per_call"
            ),
            models.CheckConstraint(
                condition=Q(area_min__isnull=True)
                | Q(area_max__isnull=True)
                | Q(area_max__gte=F("area_min")),
                name="interimuse_application_area_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Juror(models.Model):
    """A member of a call's jury."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interimuse_juries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Jurymitglied")
        verbose_name_plural = _("Jurymitglieder")
        ordering = ["call", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="interimuse_juror_once")]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.user_id}"


class Conflict(models.Model):
    """A juror's declared conflict of interest with one application: the juror may not score it."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("Grund"), max_length=500)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Befangenheit")
        verbose_name_plural = _("Befangenheiten")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "application"], name="interimuse_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.juror_id} × {self.application_id}"


class Score(models.Model):
    """A juror's points for one application on one criterion."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.PositiveSmallIntegerField(_("Punkte"))
    comment = models.TextField(_("Anmerkung"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "application", "criterion"], name="interimuse_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.juror_id} × {self.application_id}: {self.points}"


class Contract(models.Model):
    """The contract of an accepted application: unit, term and the monthly rent split."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="contract")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    rent = models.DecimalField(_("Miete pro Monat (Euro)"), max_digits=10, decimal_places=2)
    owner_amount = models.DecimalField(_("Verzicht der Eigentümer (Euro)"), max_digits=10, decimal_places=2)
    funding_amount = models.DecimalField(_("Förderung (Euro)"), max_digits=10, decimal_places=2)
    tenant_amount = models.DecimalField(_("Anteil der Mieter (Euro)"), max_digits=10, decimal_places=2)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Vertrag")
        verbose_name_plural = _("Verträge")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rent=F("owner_amount") + F("funding_amount") + F("tenant_amount")),
                name="interimuse_contract_split_sums",
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="interimuse_contract_term"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.starts_on}–{self.ends_on}"


class Report(models.Model):
    """A periodic report the tenant owes; ``submitted_at`` is empty until it is sent."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reports")
    due_on = models.DateField(_("fällig am"))
    text = models.TextField(_("Bericht"), max_length=8000, blank=True)
    visitors = models.PositiveIntegerField(_("Besucherinnen und Besucher (ungefähr)"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Bericht")
        verbose_name_plural = _("Berichte")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["contract", "due_on"], name="interimuse_report_once")]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.due_on}"
