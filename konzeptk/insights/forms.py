"""Forms of the insights pages. They parse input; the services validate again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District
from konzeptk.insights.models import STATEMENT_MAX, AgeBand, Gender, Language, MigrationBackground


class ProfileForm(forms.Form):
    consent_demographics = forms.BooleanField(
        label=_(
            "Ich willige ein, dass diese freiwilligen Angaben gespeichert und für Auswertungen genutzt werden."
        ),
        required=False,
        help_text=_(
            "Zweck: zeigen, wer sich beteiligt und wer noch fehlt, und Ergebnisse nach der Bevölkerung gewichten. "
            "Veröffentlicht werden nur Zahlen über Gruppen von mindestens fünf Personen. Sie können die "
            "Einwilligung jederzeit auf dieser Seite widerrufen; dann löschen wir die Angaben."
        ),
    )
    age_band = forms.ChoiceField(
        label=_("Alter"), required=False, choices=[("", _("– keine Angabe –")), *AgeBand.choices]
    )
    gender = forms.ChoiceField(
        label=_("Geschlecht"), required=False, choices=[("", _("– keine Angabe –")), *Gender.choices]
    )
    district = forms.TypedChoiceField(
        label=_("Stadtbezirk, in dem Sie wohnen"), required=False, coerce=int, empty_value=None
    )
    postcode = forms.CharField(
        label=_("Postleitzahl (nur für einen Vorschlag des Stadtbezirks, wird nicht gespeichert)"),
        required=False,
        max_length=5,
    )
    languages = forms.MultipleChoiceField(
        label=_("Sprachen, die Sie zu Hause sprechen"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_migration = forms.BooleanField(
        label=_(
            "Ich willige ausdrücklich ein, dass meine Angabe zur Migrationsgeschichte gespeichert und ausgewertet wird."
        ),
        required=False,
        help_text=_(
            "Diese Angabe ist eine besondere Kategorie personenbezogener Daten (Art. 9 DSGVO). Sie ist freiwillig, "
            "wird getrennt von den übrigen Angaben eingewilligt und kann getrennt widerrufen werden."
        ),
    )
    migration_background = forms.ChoiceField(
        label=_("Migrationsgeschichte"),
        required=False,
        choices=[("", _("– keine Angabe –")), *MigrationBackground.choices],
    )

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.districts = {d.pk: d for d in districts}
        self.fields["district"].choices = [("", _("– keine Angabe –")), *((d.pk, d.name) for d in districts)]  # type: ignore[attr-defined]

    def clean_district(self) -> District | None:
        value = self.cleaned_data.get("district")
        return self.districts.get(value) if value else None

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").strip()
        if value and (not value.isdigit() or len(value) != 5):
            raise forms.ValidationError(_("Eine Postleitzahl hat fünf Ziffern."))
        return value


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Ihre Aussage"),
        max_length=STATEMENT_MAX,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ein kurzer Satz, dem andere zustimmen oder nicht zustimmen können (höchstens 280 Zeichen)."
        ),
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField(min_value=1)
    value = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0"), ("-1", "-1")], coerce=int)


class ModerateForm(forms.Form):
    statement = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
