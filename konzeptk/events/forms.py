"""Forms of the event calendar (rendered by the platform's KERN form renderer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.events.models import Topic
from konzeptk.events.selectors import EventFilter, district_by_code, district_choices
from konzeptk.events.services import EventData

MAX_RANGE = dt.timedelta(days=3 * 366)
YES_NO_UNKNOWN = [("", _("unbekannt")), ("true", _("ja")), ("false", _("nein"))]


def _yes_no(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        required=False,
        coerce=lambda v: v == "true",
        empty_value=None,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class FilterForm(forms.Form):
    date_from = forms.DateField(label=_("ab"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("bis"), required=False, widget=DateInput())
    district = forms.ChoiceField(label=_("Stadtbezirk"), required=False)
    topic = forms.ChoiceField(label=_("Thema"), required=False)
    free = forms.BooleanField(label=_("nur mit freiem Eintritt"), required=False)
    accessible = forms.BooleanField(label=_("nur stufenlos erreichbare Orte"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        topic = self.fields["topic"]
        assert isinstance(district, forms.ChoiceField)
        assert isinstance(topic, forms.ChoiceField)
        district.choices = [("", _("alle")), *((d.code, d.name) for d in district_choices())]
        topic.choices = [("", _("alle")), *Topic.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Das Ende des Zeitraums liegt vor seinem Anfang."))
        elif start and end and end - start > MAX_RANGE:
            self.add_error("date_to", _("Bitte wählen Sie einen Zeitraum von höchstens drei Jahren."))
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not 2000 <= day.year <= 2100:
                self.add_error(name, _("Bitte wählen Sie ein Datum zwischen 2000 und 2100."))
        return data

    def to_filter(self) -> EventFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return EventFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            district=district_by_code(data.get("district") or ""),
            topic=data.get("topic") or "",
            free=bool(data.get("free")),
            accessible=bool(data.get("accessible")),
        )


class EventForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), widget=forms.Textarea, max_length=5000, required=False
    )
    start = forms.DateTimeField(label=_("Beginn"), widget=DateTimeInput(), help_text=_("Datum und Uhrzeit"))
    end = forms.DateTimeField(label=_("Ende"), widget=DateTimeInput(), required=False)
    topic = forms.ChoiceField(label=_("Thema"), choices=Topic.choices)
    venue_name = forms.CharField(label=_("Name des Ortes"), max_length=200)
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    lat = forms.FloatField(label=_("Breite"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Länge"), required=False, min_value=-180, max_value=180)
    step_free = _yes_no(_("stufenlos erreichbar"))
    accessible_toilet = _yes_no(_("rollstuhlgerechte Toilette"))
    induction_loop = _yes_no(_("Induktionsschleife"))
    seating = _yes_no(_("Sitzplätze"))
    sign_language = forms.BooleanField(label=_("mit Gebärdensprache"), required=False)
    organiser_name = forms.CharField(label=_("Veranstalter"), max_length=200, required=False)
    link = forms.URLField(
        label=_("Weitere Informationen (Link)"), max_length=500, required=False, assume_scheme="https"
    )
    is_free = forms.BooleanField(label=_("Eintritt frei"), required=False)
    price = forms.DecimalField(
        label=_("Preis in Euro"),
        required=False,
        min_value=0,
        max_value=100000,
        decimal_places=2,
        max_digits=8,
    )
    image = forms.FileField(
        label=_("Bild"), required=False, help_text=_("JPEG, PNG, WebP oder GIF, höchstens 10 MB")
    )
    image_alt = forms.CharField(label=_("Bildbeschreibung"), max_length=300, required=False)

    def to_data(self) -> EventData:
        d = self.cleaned_data
        upload = d.get("image")
        return EventData(
            title=d["title"],
            description=d.get("description") or "",
            start=d["start"],
            end=d.get("end"),
            topic=d["topic"],
            venue_name=d["venue_name"],
            address=d.get("address") or "",
            lat=d.get("lat"),
            lon=d.get("lon"),
            step_free=d.get("step_free"),
            accessible_toilet=d.get("accessible_toilet"),
            induction_loop=d.get("induction_loop"),
            seating=d.get("seating"),
            sign_language=bool(d.get("sign_language")),
            organiser_name=d.get("organiser_name") or "",
            link=d.get("link") or "",
            is_free=bool(d.get("is_free")),
            price=d.get("price"),
            image=upload.read(10 * 1024 * 1024 + 1) if upload else None,
            image_alt=d.get("image_alt") or "",
        )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Grund der Ablehnung"), widget=forms.Textarea, max_length=2000)


class FeedForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    url = forms.URLField(label=_("Adresse des Kalenders (iCalendar)"), max_length=500, assume_scheme="https")
    topic = forms.ChoiceField(label=_("Thema der Termine"), choices=Topic.choices, initial=Topic.OTHER)
    licence = forms.CharField(label=_("Lizenz"), max_length=100, initial="dl-zero-de/2.0")
