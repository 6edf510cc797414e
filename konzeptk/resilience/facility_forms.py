"""Forms of the facilities: the staff's invitation and the facility's confirmation of its address."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import PointOfInterest
from konzeptk.resilience.facilities import candidate_points
from konzeptk.resilience.models import Facility


class PointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PointOfInterest) -> str:
        return f"{obj.name} – {obj.address}" if obj.address else obj.name


class FacilityInviteForm(forms.Form):
    point = PointChoiceField(
        label=_("Einrichtung aus dem Stadtprofil"),
        queryset=PointOfInterest.objects.none(),
        required=False,
        empty_label=_("– andere Einrichtung, Angaben unten –"),
    )
    kind = forms.ChoiceField(label=_("Art"), required=False, choices=[("", "–"), *Facility.Kind.choices])
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    address = forms.CharField(label=_("Adresse"), required=False, max_length=300)
    email = forms.EmailField(label=_("E-Mail-Adresse für Hitzewarnungen"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        point = self.fields["point"]
        assert isinstance(point, forms.ModelChoiceField)
        point.queryset = candidate_points()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("point") is None and not (data.get("name") or "").strip():
            self.add_error("name", _("Bitte wählen Sie eine Einrichtung oder geben Sie einen Namen an."))
        if data.get("point") is None and not data.get("kind"):
            self.add_error("kind", _("Bitte wählen Sie die Art der Einrichtung."))
        return data


class FacilityConfirmForm(forms.Form):
    address = forms.CharField(
        label=_("Adresse der Einrichtung"),
        max_length=300,
        help_text=_("Bitte prüfen Sie die Adresse und korrigieren Sie sie, wenn nötig."),
    )
