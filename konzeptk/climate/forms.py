"""Forms of the climate staff pages: a yearly balance, the CSV of balances, a year's modal split."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.climate.importing import RowError, german_float
from konzeptk.climate.models import Mode, Sector
from konzeptk.climate.services import BalanceData

MAX_UPLOAD = 1024 * 1024


class GermanFloatField(forms.FloatField):
    """A number as Germans write it: ``400.000,5`` or ``11,5`` (a plain ``11.5`` is read too)."""

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return german_float(str(value), what=str(self.label))
        except RowError:
            raise forms.ValidationError(
                _("Bitte geben Sie eine Zahl ein, z. B. 1.234,5."), code="invalid"
            ) from None


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("Jahr"), min_value=1990, max_value=2100)


class BalanceForm(forms.Form):
    """One year's greenhouse-gas balance: residents and t CO₂-equivalent per sector (German decimals)."""

    year = _year_field()
    population = forms.IntegerField(label=_("Einwohnerzahl"), min_value=1, max_value=100_000_000)
    source = forms.CharField(label=_("Quelle"), max_length=300)
    licence = forms.CharField(label=_("Lizenz"), max_length=100, required=False)
    simulated = forms.BooleanField(label=_("simulierte Werte (Beispielinhalt)"), required=False)
    note = forms.CharField(label=_("Hinweis"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for sector in Sector:
            self.fields[sector.value] = GermanFloatField(
                label=_("%(sector)s (t CO₂-Äquivalente)") % {"sector": sector.label},
                min_value=0,
                max_value=1e9,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(s) is not None for s in Sector.values):
            raise forms.ValidationError(_("Bitte geben Sie die Emissionen mindestens eines Sektors an."))
        year = data.get("year")
        if year is not None and year > timezone.localdate().year:
            self.add_error(
                "year", _("Eine Bilanz kann es nur für vergangene Jahre oder das laufende Jahr geben.")
            )
        return data

    def balance_data(self) -> BalanceData:
        data = self.cleaned_data
        return BalanceData(
            year=data["year"],
            population=data["population"],
            figures={s: data[s] for s in Sector.values if data.get(s) is not None},
            source=data["source"],
            licence=data.get("licence") or "",
            simulated=bool(data.get("simulated")),
            note=data.get("note") or "",
        )


class BalanceCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei"),
        help_text=_(
            "Eine Zeile je Jahr mit den Spalten jahr, einwohner, je Sektor eine Spalte, quelle, lizenz, simuliert."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Die Datei ist größer als 1 MB."))
        return upload


class ModalSplitForm(forms.Form):
    year = _year_field()
    source = forms.CharField(label=_("Quelle"), max_length=300)
    licence = forms.CharField(label=_("Lizenz"), max_length=100, required=False)
    simulated = forms.BooleanField(label=_("simulierte Werte (Beispielinhalt)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for mode in Mode:
            self.fields[mode.value] = GermanFloatField(
                label=_("%(mode)s: Anteil an allen Wegen (%%)") % {"mode": mode.label},
                min_value=0,
                max_value=100,
            )

    def shares(self) -> dict[str, float]:
        return {m: self.cleaned_data[m] for m in Mode.values}
