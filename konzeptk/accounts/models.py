"""People, the organisations (actors) they work for, and what they agreed to."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KonzeptKUserManager(UserManager["User"]):
    """Users log in with their e-mail address; there is no user name."""

    use_in_migrations = True

    def _create_user_object(
        self, username: Any, email: str | None, password: str | None, **extra: Any
    ) -> User:
        email = self.normalize_email(email)
        user = self.model(email=email, **extra)
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.update(is_staff=True, is_superuser=True, platform_role=User.PlatformRole.ADMINISTRATOR)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user


class User(AbstractUser):
    class PlatformRole(models.TextChoices):
        RESIDENT = "resident", _("Einwohner:in")
        STAFF = "staff", _("Mitarbeiter:in")
        ADMINISTRATOR = "administrator", _("Administrator:in")

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    display_name = models.CharField(
        _("Anzeigename"), max_length=80, blank=True, help_text=_("So erscheinen Sie bei Ihren Beiträgen.")
    )
    platform_role = models.CharField(
        _("Rolle auf der Plattform"),
        max_length=20,
        choices=PlatformRole.choices,
        default=PlatformRole.RESIDENT,
    )
    is_demo = models.BooleanField(_("Demo-Konto"), default=False)
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = KonzeptKUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.anonymised_at:
            return str(_("Gelöschtes Konto"))
        return self.display_name or str(_("Teilnehmer:in %(id)s") % {"id": self.pk})

    @property
    def is_platform_staff(self) -> bool:
        return (
            self.platform_role in (self.PlatformRole.STAFF, self.PlatformRole.ADMINISTRATOR)
            or self.is_superuser
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("Stadtverwaltung")
        COMPANY = "company", _("städtische Gesellschaft")
        EDUCATION = "education", _("Bildung und Wissenschaft")
        CIVIL_SOCIETY = "civil", _("Zivilgesellschaft")
        BUSINESS = "business", _("Wirtschaft")

    slug = models.SlugField(_("Kennung"), unique=True)
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    website = models.URLField(_("Website"), blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    is_core_team = models.BooleanField(
        _("Smart-City-Kernteam"),
        default=False,
        help_text=_("Mitglieder dürfen die ganze Strategie bearbeiten."),
    )
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        EDITOR = "editor", _("Redakteur:in")
        MODERATOR = "moderator", _("Moderator:in")
        ADMIN = "admin", _("Administrator:in")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("seit"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="accounts_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """What a person agreed to, when, and when they withdrew it.

    A withdrawal sets ``withdrawn_at``; giving consent again makes a new record, so the history stays.
    Records are deleted only with the account itself (``services.user_erase``).
    """

    class Purpose(models.TextChoices):
        TERMS = "terms", _("Nutzungsbedingungen und Datenschutzerklärung")
        DEMOGRAPHICS = (
            "demographics",
            _("Freiwillige Angaben zur Person (Alter, Geschlecht, Stadtbezirk, Sprachen)"),
        )
        MIGRATION = (
            "migration",
            _("Angabe zur Migrationsgeschichte (besondere Kategorie personenbezogener Daten)"),
        )
        NOTIFICATIONS = "notifications", _("Benachrichtigungen per E-Mail")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("Zweck"), max_length=30, choices=Purpose.choices)
    text_version = models.CharField(_("Fassung des Textes"), max_length=20, default="1")
    given_at = models.DateTimeField(_("erteilt am"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="accounts_consent_one_active_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_purpose_display()}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn nor expired."""
        from django.utils import timezone

        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An organisation invites an e-mail address; the membership exists only once the person accepts.

    The organisation's admin never learns whether the address has an account: the answer and the
    mail are the same either way. The link (``token``) goes only to the invited address.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"))
    role = models.CharField(_("Rolle"), max_length=20, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_accepted"
    )
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        indexes = [models.Index(fields=["organisation", "email"], name="accounts_invitation_org_email")]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"


# --- residency verification -------------------------------------------------------------------
# Residency is a property of a person: participation, insights and the coming apps ask
# ``konzeptk.accounts.verification.user_level`` how far a person is confirmed.


class Level(models.IntegerChoices):
    """How sure the platform is that a person is who takes part. Higher includes lower."""

    ACCOUNT = 0, _("angemeldet")
    EMAIL = 1, _("E-Mail-Adresse bestätigt")
    RESIDENT = 2, _("Wohnort Krefeld (selbst angegeben)")
    VERIFIED = 3, _("bestätigt per Code-Brief oder im Bürgerbüro")


class Verification(models.Model):
    """How far a person is verified as a resident (the e-mail level lives in allauth)."""

    class Method(models.TextChoices):
        LETTER = "letter", _("Code-Brief")
        IN_PERSON = "in_person", _("persönlich im Bürgerbüro")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="verification")
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    resident_declared_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    confirmed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    #: wrong codes typed since the last success; at CODE_ATTEMPTS_MAX the code form locks
    failed_code_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Verifizierung")
        verbose_name_plural = _("Verifizierungen")
        indexes = [models.Index(fields=["-verified_at"], name="verification_recent")]

    def __str__(self) -> str:
        return str(f"{self.user_id}")


class CodeLetter(models.Model):
    """A letter with a one-time code that staff send to a person's address in the city; typing the code
    confirms the person as a resident. Only a keyed hash of the code is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Code-Brief")
        verbose_name_plural = _("Code-Briefe")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "used_at"], name="codeletter_user_open")]

    def __str__(self) -> str:
        return str(f"{self.user_id} ({self.created_at:%Y-%m-%d})")
