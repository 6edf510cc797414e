"""Forms of the open data catalogue."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _


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
