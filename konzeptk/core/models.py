"""Pages whose text the operator edits, and feedback on accessibility."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SitePage(models.Model):
    """A page whose content the operator maintains in the admin (Impressum, Datenschutz, …)."""

    class Slug(models.TextChoices):
        IMPRESSUM = "impressum", _("Impressum")
        DATENSCHUTZ = "datenschutz", _("Datenschutzerklärung")
        GEBAERDENSPRACHE = "gebaerdensprache", _("Gebärdensprache")

    slug = models.CharField(_("Seite"), max_length=40, choices=Slug.choices, unique=True)
    title = models.CharField(_("Überschrift"), max_length=200)
    body = models.TextField(
        _("Text"), help_text=_("Absätze durch eine Leerzeile trennen. HTML wird nicht ausgeführt.")
    )
    video = models.FileField(
        _("Video"),
        upload_to="pages/",
        blank=True,
        help_text=_("Nur für die Seite in Gebärdensprache (MP4 oder WebM)."),
    )
    video_captions = models.FileField(_("Untertitel (WebVTT)"), upload_to="pages/", blank=True)
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")

    def __str__(self) -> str:
        return self.get_slug_display()


class AccessibilityFeedback(models.Model):
    """A barrier someone reported through the feedback form of the accessibility statement."""

    name = models.CharField(_("Name"), max_length=120, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    handled = models.BooleanField(_("erledigt"), default=False)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y} – {self.message[:40]}"
