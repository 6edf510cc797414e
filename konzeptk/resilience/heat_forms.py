"""Forms of heat protection: the cool places' filters (GET) and the staff's form for a cool place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District
from konzeptk.city.selectors import district_for
from konzeptk.core import opening_hours as hours
from konzeptk.core.opening_hours import error_message as hours_error_message
from konzeptk.resilience.coolplaces import CoolPlaceFilter
from konzeptk.resilience.models import CoolPlace, Facility

if TYPE_CHECKING:  # ModelForm is generic for the type checker only
    CoolPlaceFormBase = forms.ModelForm[CoolPlace]
else:
    CoolPlaceFormBase = forms.ModelForm


class CoolPlaceFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art des Ortes"), required=False)
    district = forms.TypedChoiceField(label=_("Stadtbezirk"), required=False, coerce=int, empty_value=None)
    open_now = forms.BooleanField(label=_("jetzt geöffnet"), required=False)
    step_free = forms.BooleanField(label=_("nur stufenlos erreichbare Orte"), required=False)

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("alle Arten")), *CoolPlace.Kind.choices]
        district = self.fields["district"]
        assert isinstance(district, forms.ChoiceField)
        district.choices = [("", _("ganze Stadt"))] + [(str(d.pk), d.name) for d in districts]

    def filter(self) -> CoolPlaceFilter:
        """The filter of valid input; fields with bad values are left out (the form shows why)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CoolPlaceFilter(
            kind=data.get("kind") or "",
            open_now=bool(data.get("open_now")),
            step_free=bool(data.get("step_free")),
            district=data.get("district"),
        )


def clean_opening_hours(value: str) -> str:
    """Hours in the OpenStreetMap syntax; a form error names the position that does not parse and
    gives an example."""
    value = value.strip()
    if value:
        try:
            hours.parse(value)
        except hours.HoursError as exc:
            raise forms.ValidationError(hours_error_message(exc), code="invalid_opening_hours") from None
    return value


def _hours_help() -> str:
    return gettext(
        "In der Schreibweise von OpenStreetMap, zum Beispiel: %(example)s. "
        "Immer geöffnet: 24/7. Feiertage in Nordrhein-Westfalen: PH."
    ) % {"example": hours.EXAMPLE}


class CoolPlaceForm(CoolPlaceFormBase):
    """The staff's form (admin): the same hours check as every place on the platform; the district
    comes from the point (service)."""

    class Meta:
        model = CoolPlace
        fields = (
            "kind", "name", "address", "lat", "lon", "opening_hours", "step_free", "note", "simulated",
            "source_note",
        )  # fmt: skip
        help_texts = {"opening_hours": lazy(_hours_help, str)()}

    def clean_opening_hours(self) -> str:
        return clean_opening_hours(self.cleaned_data.get("opening_hours") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None and lon is not None and not district_for(lat, lon).inside_city:
            self.add_error("lat", _("Der Ort liegt nicht in der Stadt."))
        return data


class ChecklistKindForm(forms.Form):
    """Which facility the checklist is for (GET)."""

    kind = forms.ChoiceField(label=_("Art der Einrichtung"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("alle Einrichtungen")), *Facility.Kind.choices]

    def chosen(self) -> str:
        return str(self.cleaned_data.get("kind") or "") if self.is_valid() else ""
