"""The subscription form: districts, language, e-mail address (or, signed in, the inbox)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer, districts_of


def city_districts() -> QuerySet[District]:
    """The districts of the administrative layer valid today (none without a city profile)."""
    profile = active_profile()
    layer = current_layer(profile) if profile is not None else None
    return districts_of(layer) if layer is not None else District.objects.none()


class SubscriptionForm(forms.Form):
    districts = forms.ModelMultipleChoiceField(
        label=_("Stadtteile"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ohne Auswahl erhalten Sie die Warnungen für die ganze Stadt."),
    )
    language = forms.ChoiceField(label=_("Sprache der Warnungen"), choices=())
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        max_length=254,
        help_text=_("Sie erhalten zuerst eine E-Mail mit einem Link zur Bestätigung."),
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = self.fields["districts"]
        assert isinstance(districts, forms.ModelMultipleChoiceField)
        districts.queryset = city_districts()
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [(code, name) for code, name in settings.LANGUAGES]
        self.signed_in = signed_in
        if signed_in:
            self.fields["email"].help_text = _(
                "Leer lassen: Die Warnungen kommen in Ihr Postfach auf der Plattform, E-Mails dazu nach Ihren "
                "Einstellungen für Benachrichtigungen. Mit Adresse: zuerst eine E-Mail zur Bestätigung."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.signed_in and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Bitte geben Sie Ihre E-Mail-Adresse an."))
        return data
