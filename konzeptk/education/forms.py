"""Forms of the education network: the list's filters, the Digital-Check and the providers' offer form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.core.content import TranslatedFieldsMixin, content_translations, german
from konzeptk.education import digcomp
from konzeptk.education.languages import language_choices
from konzeptk.education.models import Offer
from konzeptk.education.search import ACCESS_FIELDS, OfferFilter
from konzeptk.education.selectors import district_by_code, district_choices
from konzeptk.education.types import OfferData

MAX_RANGE = dt.timedelta(days=3 * 366)
ACCESS_CHOICES = [
    ("step_free", _("stufenlos erreichbar")),
    ("induction_loop", _("mit Induktionsschleife")),
    ("sign_language", _("mit Gebärdensprache")),
    ("easy_language", _("in Leichter Sprache")),
]
MODE_CHOICES = [("", _("online und vor Ort")), ("online", _("nur online")), ("onsite", _("nur vor Ort"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class FilterForm(forms.Form):
    """The GET form of ``/bildung/``; invalid values are shown as errors and then ignored."""

    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100)
    age = forms.IntegerField(label=_("Alter"), required=False, min_value=0, max_value=120)
    district = forms.ChoiceField(label=_("Stadtbezirk"), required=False)
    language = forms.ChoiceField(label=_("Sprache"), required=False)
    kind = forms.ChoiceField(label=_("Art des Angebots"), required=False)
    area = forms.ChoiceField(label=_("Kompetenzbereich (DigComp)"), required=False)
    level = forms.ChoiceField(label=_("Kompetenzstufe (DigComp)"), required=False)
    mode = forms.ChoiceField(label=_("Online oder vor Ort"), required=False, choices=MODE_CHOICES)
    free = forms.BooleanField(label=_("nur kostenlose Angebote"), required=False)
    access = forms.MultipleChoiceField(
        label=_("Barrierefreiheit"),
        required=False,
        choices=ACCESS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = forms.DateField(label=_("Termine ab"), required=False, widget=DateInput())
    date_to = forms.DateField(
        label=_("Termine bis"),
        required=False,
        widget=DateInput(),
        help_text=_("Mit einem Zeitraum sehen Sie nur Angebote mit Terminen in diesem Zeitraum."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("alle"))
        _choice(self, "district").choices = [everything, *((d.code, d.name) for d in district_choices())]
        _choice(self, "language").choices = [everything, *language_choices()]
        _choice(self, "kind").choices = [everything, *Offer.Kind.choices]
        _choice(self, "area").choices = [everything, *digcomp.area_choices()]
        _choice(self, "level").choices = [everything, *digcomp.level_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not 2000 <= day.year <= 2100:
                self.add_error(name, _("Bitte wählen Sie ein Datum zwischen 2000 und 2100."))
                return data
        if start and end and end < start:
            self.add_error("date_to", _("Das Ende des Zeitraums liegt vor seinem Anfang."))
        elif start and end and end - start > MAX_RANGE:
            self.add_error("date_to", _("Bitte wählen Sie einen Zeitraum von höchstens drei Jahren."))
        return data

    def to_filter(self) -> OfferFilter:
        """The valid fields as a filter; a field with an error counts as not set."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        if "date_to" in self.errors:
            data.pop("date_from", None)
        return OfferFilter(
            q=(data.get("q") or "").strip(),
            age=data.get("age"),
            district=district_by_code(data.get("district") or ""),
            language=data.get("language") or "",
            area=int(data["area"]) if data.get("area") else None,
            level=int(data["level"]) if data.get("level") else None,
            kind=data.get("kind") or "",
            free=bool(data.get("free")),
            access=tuple(name for name in data.get("access") or () if name in ACCESS_FIELDS),
            mode=data.get("mode") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


SELF_RATINGS = [
    ("0", _("Damit habe ich noch keine Erfahrung.")),
    ("1", _("Mit Hilfe schaffe ich einfache Dinge.")),
    ("3", _("Einfache Dinge schaffe ich allein.")),
    ("5", _("Ich komme gut zurecht und kann anderen helfen.")),
]

CHECK_QUESTIONS: dict[int, Any] = {
    1: _("Im Internet Informationen suchen, finden und einschätzen, ob sie stimmen"),
    2: _("Mit anderen per Nachricht, E-Mail oder Videoanruf in Kontakt sein und Dienste online nutzen"),
    3: _("Texte, Fotos oder Videos am Gerät erstellen und bearbeiten"),
    4: _("Gerät, Passwörter und persönliche Daten schützen"),
    5: _("Technische Probleme lösen, zum Beispiel ein Update machen oder eine App einrichten"),
}


class DigitalCheckForm(forms.Form):
    """Five questions, one per DigComp area; nothing is stored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area, question in CHECK_QUESTIONS.items():
            self.fields[f"a{area}"] = forms.ChoiceField(
                label=question, choices=SELF_RATINGS, widget=forms.RadioSelect, required=True
            )

    def ratings(self) -> dict[int, int]:
        """Area → the level the person rates themselves at (0 = no experience yet)."""
        return {area: int(self.cleaned_data[f"a{area}"]) for area in CHECK_QUESTIONS}


def _parse_competences(text: str) -> list[tuple[str, int]]:
    pairs: list[tuple[str, int]] = []
    for raw in text.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item:
            continue
        code, sep, level = item.partition("/")
        if not sep or not level.strip().isdigit():
            raise forms.ValidationError(
                _("„%(item)s“: Schreiben Sie Kompetenz und Stufe so: 1.1/2"), params={"item": item[:20]}
            )
        pairs.append((code.strip(), int(level.strip())))
    return pairs


def _parse_exdates(text: str) -> list[dt.date]:
    days: list[dt.date] = []
    for raw in text.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item:
            continue
        try:
            days.append(dt.date.fromisoformat(item))
        except ValueError:
            try:
                days.append(dt.datetime.strptime(item, "%d.%m.%Y").date())
            except ValueError:
                raise forms.ValidationError(
                    _("„%(item)s“ ist kein Datum. Schreiben Sie es so: 24.12.2026"),
                    params={"item": item[:20]},
                ) from None
    return days


class OfferForm(TranslatedFieldsMixin, forms.Form):
    """What a provider enters for an offer (German; translations optional)."""

    translated_fields = ("title", "summary", "description", "lending_conditions")

    provider = forms.ChoiceField(label=_("Anbieter"))
    kind = forms.ChoiceField(label=_("Art des Angebots"), choices=Offer.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Offer.Status.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(label=_("Kurzbeschreibung"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Beschreibung"), widget=forms.Textarea, max_length=10000, required=False
    )
    age_min = forms.IntegerField(label=_("Alter ab"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Alter bis"), required=False, min_value=0, max_value=120)
    languages = forms.MultipleChoiceField(
        label=_("Unterrichtssprachen"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    prior_knowledge = forms.ChoiceField(label=_("Vorkenntnisse"), choices=Offer.Knowledge.choices)
    competences = forms.CharField(
        label=_("DigComp-Kompetenzen mit Stufe"),
        required=False,
        max_length=400,
        help_text=_(
            "Je Zeile Kompetenz und Stufe (1 bis 8), zum Beispiel 1.1/2 für „Recherchieren, Stufe 2“."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    step_free = forms.BooleanField(label=_("stufenlos erreichbar"), required=False)
    induction_loop = forms.BooleanField(label=_("Induktionsschleife"), required=False)
    sign_language = forms.BooleanField(label=_("Gebärdensprache"), required=False)
    easy_language = forms.BooleanField(label=_("Leichte Sprache"), required=False)
    is_free = forms.BooleanField(label=_("kostenlos"), required=False)
    price = forms.DecimalField(
        label=_("Preis in Euro"), required=False, min_value=Decimal(0), max_digits=7, decimal_places=2
    )
    reduced_price = forms.DecimalField(
        label=_("ermäßigter Preis mit Sozialpass (Euro)"),
        required=False,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
    )
    online = forms.BooleanField(label=_("online"), required=False)
    place_name = forms.CharField(label=_("Ort"), max_length=200, required=False)
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    lat = forms.FloatField(label=_("Breite"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Länge"), required=False, min_value=-180, max_value=180)
    url = forms.URLField(
        label=_("Weitere Informationen (Link)"), max_length=500, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=_("Plätze"), required=False, min_value=1, max_value=100000)
    booking_open = forms.BooleanField(label=_("Anmeldung über die Plattform"), required=False)
    first_start = forms.DateTimeField(label=_("erster Termin"), required=False, widget=DateTimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Dauer je Termin (Minuten)"), required=False, min_value=1, max_value=1440
    )
    rrule = forms.CharField(
        label=_("Wiederholung (RRULE)"),
        required=False,
        max_length=500,
        help_text=_("Zum Beispiel FREQ=WEEKLY;COUNT=8 für acht Termine im Wochenabstand."),
    )
    exdates = forms.CharField(
        label=_("Ausnahmen (Daten ohne Termin)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ein Datum je Zeile, zum Beispiel 24.12.2026."),
    )
    opening_hours = forms.CharField(label=_("Öffnungszeiten"), max_length=255, required=False)
    lending_conditions = forms.CharField(
        label=_("Ausleihbedingungen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    max_lending_days = forms.IntegerField(
        label=_("längste Ausleihe (Tage)"), required=False, min_value=1, max_value=365
    )
    licence = forms.CharField(label=_("Lizenz"), max_length=100, required=False)

    def __init__(self, *args: Any, providers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "provider").choices = providers
        _choice(self, "languages").choices = language_choices()

    def clean_competences(self) -> list[tuple[str, int]]:
        return _parse_competences(self.cleaned_data.get("competences") or "")

    def clean_exdates(self) -> list[dt.date]:
        return _parse_exdates(self.cleaned_data.get("exdates") or "")

    def to_data(self) -> OfferData:
        d = self.cleaned_data
        return OfferData(
            title=d["title"],
            kind=d["kind"],
            status=d["status"],
            summary=d.get("summary") or "",
            description=d.get("description") or "",
            age_min=d.get("age_min"),
            age_max=d.get("age_max"),
            languages=list(d.get("languages") or []),
            prior_knowledge=d["prior_knowledge"],
            step_free=d["step_free"],
            induction_loop=d["induction_loop"],
            sign_language=d["sign_language"],
            easy_language=d["easy_language"],
            is_free=d["is_free"],
            price=d.get("price"),
            reduced_price=d.get("reduced_price"),
            online=d["online"],
            place_name=d.get("place_name") or "",
            address=d.get("address") or "",
            lat=d.get("lat"),
            lon=d.get("lon"),
            url=d.get("url") or "",
            capacity=d.get("capacity"),
            booking_open=d["booking_open"],
            first_start=d.get("first_start"),
            duration_minutes=d.get("duration_minutes"),
            rrule=d.get("rrule") or "",
            exdates=d.get("exdates") or [],
            opening_hours=d.get("opening_hours") or "",
            lending_conditions=d.get("lending_conditions") or "",
            max_lending_days=d.get("max_lending_days"),
            licence=d.get("licence") or "",
            competences=d.get("competences") or [],
        )


def offer_initial(offer: Offer) -> dict[str, Any]:
    """The form's initial data from a stored offer (German originals and translations)."""
    local_start = timezone.localtime(offer.first_start) if offer.first_start else None
    initial: dict[str, Any] = {name: german(offer, name) for name in OfferForm.translated_fields}
    initial.update(content_translations(offer, OfferForm.translated_fields))
    initial.update(
        provider=str(offer.provider_id),
        languages=[code for code in offer.languages.split("|") if code],
        competences="\n".join(f"{c.code}/{c.level}" for c in offer.competences.order_by("code")),
        exdates="\n".join(line for line in offer.exdates.splitlines() if line),
        first_start=local_start,
    )
    for name in [
        "kind",
        "status",
        "age_min",
        "age_max",
        "prior_knowledge",
        "step_free",
        "induction_loop",
        "sign_language",
        "easy_language",
        "is_free",
        "price",
        "reduced_price",
        "online",
        "place_name",
        "address",
        "lat",
        "lon",
        "url",
        "capacity",
        "booking_open",
        "duration_minutes",
        "rrule",
        "opening_hours",
        "max_lending_days",
        "licence",
    ]:
        initial[name] = getattr(offer, name)
    return initial
