"""Forms of booking and lending (rendered by the platform's KERN form renderer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District
from konzeptk.education.booking import AGE_BANDS, Demographics
from konzeptk.education.models import Booking


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class BookingForm(forms.Form):
    """Name and address (without an account), and the optional, separately consented answers."""

    name = forms.CharField(label=_("Ihr Name"), max_length=200)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Sie bekommen eine E-Mail mit einem Link. Erst nach Ihrer Bestätigung gilt die Anmeldung."
        ),
    )
    consent = forms.BooleanField(
        label=_("Ich bin einverstanden, dass meine Altersgruppe und mein Stadtbezirk gespeichert werden."),
        help_text=_(
            "Freiwillig. Damit sieht die Stadt, welche Gruppen die Angebote erreichen; veröffentlicht werden "
            "nur geschützte Gesamtzahlen. Ohne Häkchen speichern wir diese Angaben nicht."
        ),
        required=False,
    )
    age_band = forms.ChoiceField(label=_("Altersgruppe (freiwillig)"), required=False)
    district = forms.ChoiceField(label=_("Stadtbezirk, in dem Sie wohnen (freiwillig)"), required=False)

    def __init__(
        self, *args: Any, districts: list[District], with_account: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.districts = {str(d.pk): d for d in districts}
        age = self.fields["age_band"]
        district = self.fields["district"]
        assert isinstance(age, forms.ChoiceField)
        assert isinstance(district, forms.ChoiceField)
        age.choices = [("", _("– keine Angabe –")), *AGE_BANDS]
        district.choices = [("", _("– keine Angabe –")), *((str(d.pk), d.name) for d in districts)]
        if with_account:  # the account's name and verified address are used
            del self.fields["name"]
            del self.fields["email"]

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Bitte geben Sie Ihren Namen an."))
        return name

    def demographics(self) -> Demographics:
        """The optional answers – empty without the consent checkbox, whatever else was sent."""
        data = self.cleaned_data
        if not data.get("consent"):
            return Demographics()
        return Demographics(
            consent=True,
            age_band=str(data.get("age_band") or ""),
            district=self.districts.get(str(data.get("district"))),
        )


class ReservationForm(forms.Form):
    name = forms.CharField(label=_("Ihr Name"), max_length=200)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Sie bekommen eine E-Mail mit einem Link. Erst nach Ihrer Bestätigung gilt die Reservierung."
        ),
    )
    first_day = forms.DateField(label=_("Erster Tag (Abholung)"), widget=DateInput())
    last_day = forms.DateField(label=_("Letzter Tag (Rückgabe)"), widget=DateInput())

    def __init__(self, *args: Any, with_account: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_account:
            del self.fields["name"]
            del self.fields["email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if isinstance(first, dt.date) and isinstance(last, dt.date) and last < first:
            self.add_error("last_day", _("Der letzte Tag liegt vor dem ersten Tag."))
        return data


ATTENDED_CHOICES = [("", _("noch offen")), ("yes", _("teilgenommen")), ("no", _("nicht gekommen"))]


class AttendanceForm(forms.Form):
    """One choice per booked person on the page (staff)."""

    def __init__(self, *args: Any, bookings: list[Booking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        for b in bookings:
            self.fields[f"b{b.pk}"] = forms.ChoiceField(
                label=b.name,
                choices=ATTENDED_CHOICES,
                required=False,
                initial="" if b.attended is None else ("yes" if b.attended else "no"),
            )

    def marks(self) -> dict[int, bool | None]:
        values = {"": None, "yes": True, "no": False}
        return {b.pk: values[str(self.cleaned_data.get(f"b{b.pk}") or "")] for b in self.bookings}
