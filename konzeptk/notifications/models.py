"""Inbox entries, each person's e-mail choices (overall and per kind) and the queue of outgoing mails.

``Notification`` and ``NotificationSetting`` came over from ``participation`` with their tables
(migrations 0001/0002). A kind is a key of the kind registry (registry.py); the models do not list
them, so a new app's kinds need no migration here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.notifications.registry import KEY_MAX, OTHER, kinds

TEXT_MAX = 10_000


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("sofort")
    DAILY = "daily", _("einmal täglich")
    NEVER = "never", _("keine E-Mails")


class Notification(models.Model):
    """An entry of the in-platform inbox (the same text goes out by e-mail if the person wants)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=KEY_MAX, default=OTHER)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=TEXT_MAX)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    #: when the entry went into a mail (immediately or with a digest); None: not (yet) mailed
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return str(self.subject)

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)


class NotificationSetting(models.Model):
    """How often a person wants e-mails: the default for every kind (``KindSetting`` overrides it)."""

    Frequency = Frequency

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_frequency = models.CharField(
        _("E-Mails"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )

    class Meta:
        verbose_name = _("Einstellung für Benachrichtigungen")
        verbose_name_plural = _("Einstellungen für Benachrichtigungen")

    def __str__(self) -> str:
        return str(self.email_frequency)


class KindSetting(models.Model):
    """A person's choice for one kind that differs from their default (NotificationSetting)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=KEY_MAX)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)

    class Meta:
        verbose_name = _("Einstellung für eine Art von Benachrichtigungen")
        verbose_name_plural = _("Einstellungen für Arten von Benachrichtigungen")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_kind_once")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.frequency}"


class Mail(models.Model):
    """One outgoing e-mail. Written in the transaction that has something to tell, sent by the job
    (jobs.py): claimed (``sending``) before the send, so no mail goes out twice; retried with a
    growing pause while the mail server fails; kept ``MAIL_KEEP_DAYS`` after sending, then deleted."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to = models.EmailField(_("an"))
    kind = models.CharField(max_length=KEY_MAX, default=OTHER)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    #: the one-click unsubscribe link (RFC 8058) of this recipient
    unsubscribe_url = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notifications_mail_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.status})"
