"""Forms of the open data catalogue."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Organisation
from konzeptk.opendata import vocab


class _Values(forms.Field):
    """Any number of values of one query parameter (``?theme=ENVI&theme=TRAN``)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v)[:200] for v in values if str(v).strip()]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=200)
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[("", _("beste Treffer zuerst")), ("newest", _("zuletzt geändert zuerst"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput)
    organisation = _Values(required=False)
    theme = _Values(required=False)
    keyword = _Values(required=False)
    format = _Values(required=False)
    licence = _Values(required=False)
    district = _Values(required=False)

    def __init__(self, data: QueryDict | None = None) -> None:
        values: dict[str, object] | None = None
        if data is not None:
            values = {
                key: data.getlist(key) if isinstance(self.base_fields.get(key), _Values) else data.get(key)
                for key in data
            }
        super().__init__(values)


class DatasetRequestForm(forms.Form):
    title = forms.CharField(
        label=_("Welche Daten wünschen Sie sich?"),
        max_length=200,
        help_text=_("Zum Beispiel: „Standorte aller Trinkwasserbrunnen“."),
    )
    description = forms.CharField(
        label=_("Wofür möchten Sie die Daten nutzen?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ihr Wunsch und die Antwort der Stadt erscheinen öffentlich auf dieser Seite, ohne Ihren Namen."
        ),
    )


def _choices(mapping: Mapping[str, object]) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in mapping.items()]


class DatasetForm(forms.Form):
    """The metadata of a dataset, each field with what it means for people who search."""

    title = forms.CharField(
        label=_("Titel"),
        max_length=300,
        help_text=_("Kurz und genau, so wie jemand danach sucht: „Baumkataster Krefeld 2024“ statt „Bäume“."),
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("Was steht in den Daten, woher kommen sie, wie aktuell sind sie, was sollte man wissen?"),
    )
    publisher = forms.ModelChoiceField(
        label=_("Herausgeber"),
        queryset=Organisation.objects.none(),
        help_text=_("Die Organisation, die für die Daten verantwortlich ist."),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themen"),
        choices=_choices(vocab.THEMES),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Die Themen des europäischen Datenportals; über sie finden Portale wie GovData den Datensatz."
        ),
    )
    keywords = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        max_length=1000,
        help_text=_("Durch Kommas getrennt, z. B. „Bäume, Stadtgrün, Umwelt“."),
    )
    licence = forms.ChoiceField(
        label=_("Lizenz"),
        required=False,
        choices=[("", _("– noch keine –")), *[(item.code, item.title) for item in vocab.LICENCES.values()]],
        help_text=_(
            "Wer darf die Daten wie nutzen? Für offene Daten der Stadt empfohlen: Datenlizenz Deutschland – Zero. "
            "Ohne Lizenz bleibt der Datensatz hier sichtbar, geht aber nicht an GovData."
        ),
    )
    frequency = forms.ChoiceField(
        label=_("Aktualisierung"),
        choices=_choices(vocab.FREQUENCIES),
        initial="IRREG",
        help_text=_("Wie oft kommen neue Daten hinzu?"),
    )
    temporal_start = forms.DateField(
        label=_("Zeitraum von"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Der früheste Zeitpunkt, den die Daten beschreiben."),
    )
    temporal_end = forms.DateField(
        label=_("Zeitraum bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leer lassen, wenn die Daten fortlaufend ergänzt werden."),
    )
    contact_email = forms.EmailField(
        label=_("Kontakt-E-Mail"),
        required=False,
        help_text=_("Ein Funktionspostfach, an das Fragen zu den Daten gehen (keine persönliche Adresse)."),
    )
    landing_page = forms.URLField(
        label=_("Webseite zu den Daten"),
        required=False,
        assume_scheme="https",
        help_text=_("Falls es eine Seite mit Erläuterungen gibt."),
    )
    file = forms.FileField(
        label=_("Datei hochladen"),
        required=False,
        help_text=_("Bis 25 MB, am besten in einem offenen Format wie CSV, JSON oder GeoJSON."),
    )
    url = forms.URLField(
        label=_("oder Adresse der Daten"),
        required=False,
        assume_scheme="https",
        max_length=1000,
        help_text=_(
            "Wenn die Daten schon anderswo liegen: die direkte Adresse der Datei oder Schnittstelle."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("aus der Datei erkennen")), *[(code, code) for code in vocab.FILE_TYPES]],
        help_text=_("Nur nötig, wenn die Endung der Datei oder Adresse das Format nicht verrät."),
    )

    def __init__(self, *args: object, organisations: list[Organisation], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["publisher"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")

    def keyword_list(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.cleaned_data.get("keywords", "").split(",") if k.strip())
