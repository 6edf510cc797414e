"""Forms of residency verification: the person's own page and the Bürgerbüro."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("Ihre Postleitzahl"),
        max_length=10,
        help_text=_("Fünf Ziffern, zum Beispiel 47798. Wir speichern nur die Postleitzahl, keine Anschrift."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code aus Ihrem Brief"),
        max_length=40,
        help_text=_("Zwölf Zeichen, zum Beispiel ABCD-EFGH-JKLM. Groß- und Kleinschreibung ist egal."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


class PersonLookupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse des Kontos"),
        max_length=254,
        help_text=_("Die Person nennt Ihnen die E-Mail-Adresse, mit der sie sich angemeldet hat."),
    )


class ConfirmForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    identity_checked = forms.BooleanField(
        label=_("Ich habe den Ausweis und die Meldeadresse der Person in Krefeld geprüft."), required=True
    )


class LetterForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Anschrift für den Brief (wird nicht gespeichert)"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_(
            "Name, Straße und Hausnummer, Postleitzahl und Ort – so, wie sie auf den Brief gedruckt werden."
        ),
    )
