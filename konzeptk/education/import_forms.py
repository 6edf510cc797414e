"""Forms of the import pages: a new feed, and a file for a one-off import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.education.importers.base import MAX_BYTES
from konzeptk.education.models import ImportSource


class SourceForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("Anbieter"), coerce=int)
    title = forms.CharField(label=_("Titel"), max_length=200, help_text=_("Zum Beispiel „Kursprogramm VHS“."))
    format = forms.ChoiceField(label=_("Format"), choices=ImportSource.Format.choices)
    url = forms.URLField(
        label=_("Adresse (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Die Adresse, unter der Ihr Programm abrufbar ist. Sie wird alle sechs Stunden neu eingelesen."
        ),
    )

    def __init__(self, *args: Any, providers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = providers  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("Anbieter"), coerce=int)
    format = forms.ChoiceField(label=_("Format"), choices=ImportSource.Format.choices)
    file = forms.FileField(
        label=_("Datei"),
        help_text=_(
            "Höchstens 10 MB: schema.org JSON-LD (auch eine gespeicherte Webseite), MOOChub-JSON, iCalendar oder CSV."
        ),
    )

    def __init__(self, *args: Any, providers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = providers  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Die Datei ist größer als 10 MB."))
        return upload
