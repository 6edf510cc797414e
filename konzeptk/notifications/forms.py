"""The settings form: a default frequency and, per registered kind, how often it comes by e-mail."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from konzeptk.notifications.models import Frequency
from konzeptk.notifications.registry import kinds

KIND_PREFIX = "art_"


class SettingsForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("Wie oft möchten Sie E-Mails erhalten?"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Das gilt für alle Arten von Benachrichtigungen, die Sie unten nicht anders einstellen. "
            "Alle Benachrichtigungen finden Sie auch auf der Plattform unter „Benachrichtigungen“."
        ),
    )

    def __init__(self, data: QueryDict | None = None, *, default: str, per_kind: dict[str, str]) -> None:
        super().__init__(data, initial={"email_frequency": default})
        as_default = [("", _("wie oben eingestellt")), *Frequency.choices]
        for kind in kinds.configurable():
            self.fields[KIND_PREFIX + kind.key] = forms.ChoiceField(
                label=str(kind.label), choices=as_default, required=False, initial=per_kind.get(kind.key, "")
            )

    def per_kind(self) -> dict[str, str]:
        """kind -> frequency of the kinds set apart from the default (after ``is_valid()``)."""
        return {
            name.removeprefix(KIND_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(KIND_PREFIX) and value
        }
