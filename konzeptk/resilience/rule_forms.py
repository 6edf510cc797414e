"""The staff form of a rule: impossible thresholds and units are form errors, texts in all six languages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District
from konzeptk.core.content import OTHER_LANGUAGES, TranslatedFieldsMixin, language_name
from konzeptk.resilience import rules as maths
from konzeptk.resilience.models import Rule, Severity
from konzeptk.resilience.subscription_forms import city_districts
from konzeptk.sensing.models import Datastream

#: translated texts every alert needs in all six languages (the description is optional)
REQUIRED_IN_ALL_LANGUAGES = ("headline", "instruction")
MAX_DURATION_MINUTES = 30 * 24 * 60


class DatastreamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Datastream) -> str:
        symbol = (obj.unit_of_measurement or {}).get("symbol", "")
        return f"{obj.name} ({symbol}) – #{obj.pk}" if symbol else f"{obj.name} – #{obj.pk}"


def datastream_unit(datastream: Datastream) -> str:
    return str((datastream.unit_of_measurement or {}).get("symbol") or "")


class RuleForm(TranslatedFieldsMixin, forms.Form):
    translated_fields = ("headline", "description", "instruction")

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=Rule.Kind.choices)
    datastream = DatastreamChoiceField(
        label=_("Datenreihe"), queryset=Datastream.objects.order_by("name", "pk")
    )
    humidity_datastream = DatastreamChoiceField(
        label=_("Datenreihe der Luftfeuchte"),
        queryset=Datastream.objects.order_by("name", "pk"),
        required=False,
        help_text=_("Nur für die gefühlte Temperatur."),
    )
    threshold = forms.FloatField(label=_("Schwelle"))
    unit = forms.CharField(
        label=_("Einheit"),
        max_length=20,
        help_text=_("Wie die Datenreihe misst, zum Beispiel °C, mm/h, mm, m oder cm."),
    )
    min_duration_minutes = forms.IntegerField(
        label=_("Mindestdauer (Minuten)"), min_value=0, max_value=MAX_DURATION_MINUTES, initial=0
    )
    hysteresis = forms.FloatField(
        label=_("Hysterese"),
        min_value=0,
        initial=0,
        help_text=_(
            "Die Warnung endet erst, wenn der Wert um so viel auf der anderen Seite der Schwelle liegt."
        ),
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Stadtteile"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ohne Auswahl gilt die Warnung für die ganze Stadt."),
    )
    severity = forms.ChoiceField(label=_("Schwere"), choices=Severity.choices, initial=Severity.MODERATE)
    headline = forms.CharField(label=_("Überschrift der Warnung"), max_length=300)
    description = forms.CharField(label=_("Beschreibung der Warnung"), widget=forms.Textarea, required=False)
    instruction = forms.CharField(label=_("Was Sie tun können"), widget=forms.Textarea)
    heat_checklist = forms.BooleanField(
        label=_("Einrichtungen erhalten die Hitze-Checkliste"), required=False
    )
    active = forms.BooleanField(label=_("aktiv"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = self.fields["districts"]
        assert isinstance(districts, forms.ModelMultipleChoiceField)
        districts.queryset = city_districts()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, unit, threshold = data.get("kind"), data.get("unit") or "", data.get("threshold")
        datastream = data.get("datastream")
        if kind in maths.KINDS:
            spec = maths.KINDS[kind]
            if unit and maths.unit_key(unit) not in spec.units:
                self.add_error(
                    "unit",
                    _("Diese Einheit passt nicht zur Art der Regel. Möglich: %(units)s.")
                    % {"units": ", ".join(maths.KIND_UNIT_LABELS[kind])},
                )
            elif (
                unit
                and datastream is not None
                and maths.unit_key(datastream_unit(datastream)) != maths.unit_key(unit)
            ):
                self.add_error(
                    "unit",
                    _("Die Datenreihe misst in „%(measured)s“, nicht in „%(unit)s“.")
                    % {"measured": datastream_unit(datastream) or "–", "unit": unit},
                )
            elif threshold is not None and not maths.threshold_plausible(kind, threshold, unit):
                self.add_error("threshold", _("Diese Schwelle ist für diese Art von Messung nicht möglich."))
            hysteresis = data.get("hysteresis")
            if hysteresis is not None and hysteresis > (spec.high - spec.low) / 4:
                self.add_error("hysteresis", _("Die Hysterese ist zu groß für diese Art von Messung."))
            humidity = data.get("humidity_datastream")
            if kind == maths.FELT_HEAT:
                if humidity is None:
                    self.add_error(
                        "humidity_datastream", _("Die gefühlte Temperatur braucht die Luftfeuchte.")
                    )
                elif maths.unit_key(datastream_unit(humidity)) not in maths.HUMIDITY_UNITS:
                    self.add_error(
                        "humidity_datastream", _("Diese Datenreihe misst keine relative Luftfeuchte in %.")
                    )
        for name in REQUIRED_IN_ALL_LANGUAGES:
            for code in OTHER_LANGUAGES:
                key = f"{name}_{code}"
                if key in self.fields and not (data.get(key) or "").strip():
                    self.add_error(
                        key,
                        _(
                            "Bitte auch auf %(language)s ausfüllen: Die Warnung geht in allen sechs Sprachen hinaus."
                        )
                        % {"language": language_name(code)},
                    )
        return data
