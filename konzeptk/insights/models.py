"""What insights stores: voluntary profiles, statements of the opinion landscape with their votes,
and the last computed opinion landscape of each "Meinungsbild" phase.

Decision: ``Statement`` and ``StatementVote`` live here rather than in ``participation`` so the two
apps' migrations stay apart; the phase type "Meinungsbild" is registered into participation's phase
registry from ``InsightsConfig.ready``.

Profiles are used only while the person's consent is active (``accounts.Consent``, purposes
``demographics`` and ``migration``); selectors join on the active consent, so a withdrawal takes
effect in every computation from that moment, and the page that withdraws also deletes the answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District
from konzeptk.participation.models import Phase, Process

STATEMENT_MAX = 280


class AgeBand(models.TextChoices):
    """The bands of the offline form (``Idea.contributor_profile['age_band']``), finer than the
    population statistics; :data:`POPULATION_BAND` maps them onto the statistics' bands."""

    UNDER_18 = "unter 18", _("unter 18")
    A18_29 = "18-29", "18–29"
    A30_49 = "30-49", "30–49"
    A50_64 = "50-64", "50–64"
    A65 = "65+", _("65 und älter")


#: Profile band → band of the population statistics it is compared with. Children under 6 do not
#: take part themselves, so "unter 18" is compared with the residents aged 6 to 17.
POPULATION_BAND = {
    AgeBand.UNDER_18: "6-17",
    AgeBand.A18_29: "18-64",
    AgeBand.A30_49: "18-64",
    AgeBand.A50_64: "18-64",
    AgeBand.A65: "65+",
}
POPULATION_BANDS = ("6-17", "18-64", "65+")


class Gender(models.TextChoices):
    FEMALE = "f", _("weiblich")
    MALE = "m", _("männlich")
    DIVERSE = "d", _("divers")
    OTHER = "x", _("eine andere Angabe")


class MigrationBackground(models.TextChoices):
    NONE = "none", _("keine Migrationsgeschichte")
    SELF = "self", _("selbst zugewandert")
    PARENT = "parent", _("mindestens ein Elternteil zugewandert")


class Language(models.TextChoices):
    GERMAN = "de", _("Deutsch")
    TURKISH = "tr", _("Türkisch")
    ARABIC = "ar", _("Arabisch")
    POLISH = "pl", _("Polnisch")
    UKRAINIAN = "uk", _("Ukrainisch")
    RUSSIAN = "ru", _("Russisch")
    ENGLISH = "en", _("Englisch")
    OTHER = "other", _("eine andere Sprache")


class DemographicProfile(models.Model):
    """Voluntary answers of one person. Every field may stay empty."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demographic_profile"
    )
    age_band = models.CharField(_("Alter"), max_length=10, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("Geschlecht"), max_length=1, choices=Gender.choices, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Stadtbezirk, in dem Sie wohnen"),
    )
    languages = models.JSONField(_("Sprachen zu Hause"), default=list, blank=True)
    migration_background = models.CharField(
        _("Migrationsgeschichte"), max_length=10, choices=MigrationBackground.choices, blank=True
    )
    is_demo = models.BooleanField(_("Beispielinhalt"), default=False)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("freiwillige Angaben zur Person")
        verbose_name_plural = _("freiwillige Angaben zur Person")

    def __str__(self) -> str:
        return f"{self.user_id}"


class StatementQuerySet(models.QuerySet["Statement"]):
    def approved(self) -> StatementQuerySet:
        return self.filter(status=Statement.Status.APPROVED)


class Statement(models.Model):
    """A short statement of a "Meinungsbild" phase that people agree with, disagree with or pass."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Prüfung")
        APPROVED = "approved", _("freigegeben")
        REJECTED = "rejected", _("abgelehnt")

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("Aussage"), max_length=STATEMENT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_seed = models.BooleanField(_("von der Verwaltung gesetzt"), default=False)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("Beispielinhalt"), default=False)
    created_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aussage")
        verbose_name_plural = _("Aussagen")
        ordering = ["phase", "pk"]
        indexes = [models.Index(fields=["phase", "status"], name="statement_phase_status")]

    def __str__(self) -> str:
        return self.text


class StatementVote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Stimme zu")
        PASS = 0, _("Weiß nicht / überspringen")
        DISAGREE = -1, _("Stimme nicht zu")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(_("Stimme"), choices=Value.choices)
    is_demo = models.BooleanField(_("simulierte Stimme"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Stimme zu einer Aussage")
        verbose_name_plural = _("Stimmen zu Aussagen")
        constraints = [
            models.UniqueConstraint(fields=["statement", "user"], name="statement_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="statement_vote_value"),
        ]
        indexes = [models.Index(fields=["user", "statement"], name="statement_vote_user")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.statement_id}: {self.value}"


class OpinionLandscape(models.Model):
    """The last computed opinion landscape of a phase. A vote only marks it ``stale``; the
    computation runs in the background (``konzeptk.insights.background``) or by command."""

    class Status(models.TextChoices):
        EMPTY = "empty", _("noch nicht berechnet")
        OK = "ok", _("berechnet")
        TOO_FEW = "too_few", _("zu wenige Stimmen")

    phase = models.OneToOneField(Phase, on_delete=models.CASCADE, related_name="opinion_landscape")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.EMPTY)
    message = models.TextField(blank=True)
    stale = models.BooleanField(default=True)
    stale_since = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    #: person (user id as text) → opinion group, kept so group numbers stay stable between runs
    labels = models.JSONField(default=dict, blank=True)
    #: everything the results page shows (see ``services.opinion_landscape_compute``)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Meinungsbild (berechnet)")
        verbose_name_plural = _("Meinungsbilder (berechnet)")
        indexes = [models.Index(fields=["stale"], name="landscape_stale")]

    def __str__(self) -> str:
        return f"{self.phase_id}: {self.status}"


class RepresentationSnapshot(models.Model):
    """One published cell of the representation monitor of a process (or, without a process, of the
    whole platform) on one day, as it was shown that day: ``participants`` is the published count
    (cell-key method, see ``insights/engine/disclosure.py``), never the true one, and ratio, interval
    and flags are computed from published counts. Taken once a day by ``konzeptk recompute_insights``
    or the background worker; taking it again on the same day replaces that day's rows. Table
    ``total`` holds the number of participants (group ``""``), of people with a profile
    (``"profile"``) and each table's total (group = the table's key). ``suppressed`` is left from the
    earlier small-cell suppression and is always false now."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Prozess")
    )
    day = models.DateField(_("Tag"))
    table = models.CharField(_("Tabelle"), max_length=20)
    group = models.CharField(_("Gruppe (Schlüssel)"), max_length=60)
    label = models.CharField(_("Gruppe"), max_length=200)
    participants = models.PositiveIntegerField(_("Beteiligte"), null=True, blank=True)
    population_share = models.FloatField(_("Anteil an der Bevölkerung"))
    ratio = models.FloatField(_("Verhältnis"), null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(_("verdeckt"), default=False)
    under = models.BooleanField(_("unterrepräsentiert"), default=False)
    clearly_under = models.BooleanField(_("deutlich unterrepräsentiert"), default=False)
    taken_at = models.DateTimeField(_("erstellt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Stand der Repräsentation")
        verbose_name_plural = _("Stände der Repräsentation")
        ordering = ["process", "day", "table", "group"]
        indexes = [models.Index(fields=["process", "day"], name="rep_snapshot_process_day")]

    def __str__(self) -> str:
        return f"{self.process_id} {self.day} {self.table}:{self.group}"
