"""Forms of the inner-city pages: owners, units, photos, filters and the count."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.innercity.models import Owner, Unit, UseKey
from konzeptk.innercity.services import OWNER_FIELDS, TRANSLATED_FIELDS

if TYPE_CHECKING:  # the form classes are generic for the type checker only
    OwnerFormBase = forms.ModelForm[Owner]
    UnitFormBase = forms.ModelForm[Unit]
else:
    OwnerFormBase = UnitFormBase = forms.ModelForm

LANGUAGE_NAMES = {
    "en": _("Englisch"),
    "tr": _("Türkisch"),
    "ar": _("Arabisch"),
    "pl": _("Polnisch"),
    "uk": _("Ukrainisch"),
}


class OwnerForm(OwnerFormBase):
    class Meta:
        model = Owner
        fields = ["role", "contact_name", "organisation", "phone"]


class UnitForm(UnitFormBase):
    """What an owner or agent says about a unit (German texts; staff add the other languages)."""

    uses = forms.MultipleChoiceField(
        label=_("mögliche Nutzungen"),
        choices=UseKey.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Unit
        fields = list(OWNER_FIELDS)
        labels = {
            "title_de": _("Bezeichnung"),
            "description_de": _("Beschreibung"),
            "lat": _("Breite (WGS84)"),
            "lon": _("Länge (WGS84)"),
            "owner_consent_public": _("Ich bin einverstanden, dass das Ladenlokal öffentlich gezeigt wird."),
        }
        help_texts = {
            "lat": _("Klicken Sie auf die Karte oder geben Sie die Koordinate ein, z. B. 51,3331."),
            "lon": _("z. B. 6,5623"),
            "owner_consent_public": _(
                "Sichtbar werden Adresse, Fläche, Miete, Fotos und Beschreibung – nie Ihr Name oder Ihre Kontaktdaten."
            ),
        }
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "description_de": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title_de"].required = True
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})
        if self.instance.pk:
            self.initial.setdefault("uses", [u.key for u in self.instance.uses.all()])

    def clean_postcode(self) -> str:
        code = str(self.cleaned_data.get("postcode") or "").strip()
        if code and not (len(code) == 5 and code.isdigit()):
            raise forms.ValidationError(_("Die Postleitzahl hat fünf Ziffern."))
        return code


class StaffUnitForm(UnitForm):
    """The coordination's view of a unit: status, vacancy and notes, and the texts in all languages."""

    class Meta(UnitForm.Meta):
        fields = [*OWNER_FIELDS, "status", "vacant_since", "reason", "notes", *TRANSLATED_FIELDS]
        labels = {
            **UnitForm.Meta.labels,
            "owner_consent_public": _("Eigentümer/in hat der Veröffentlichung zugestimmt"),
        }
        widgets = {
            **UnitForm.Meta.widgets,
            "vacant_since": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            **{
                f"description_{lang}": forms.Textarea(attrs={"rows": 3})
                for lang in ("en", "tr", "ar", "pl", "uk")
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TRANSLATED_FIELDS:
            field, lang = name.rsplit("_", 1)
            base = _("Bezeichnung") if field == "title" else _("Beschreibung")
            self.fields[name].label = f"{base} ({LANGUAGE_NAMES[lang]})"
            self.fields[name].widget.attrs["lang"] = lang
            if lang == "ar":
                self.fields[name].widget.attrs["dir"] = "rtl"


class PhotoForm(forms.Form):
    # a plain file field: ImageField would decode the upload with Pillow before core/images.py bounds it
    photo = forms.FileField(label=_("Foto"), help_text=_("JPEG, PNG, WebP oder GIF, höchstens 10 MB."))
    alt_text = forms.CharField(
        label=_("Was ist auf dem Foto zu sehen?"),
        max_length=200,
        required=False,
        help_text=_("Eine kurze Beschreibung für Menschen, die das Foto nicht sehen können."),
    )


class UnitFilterForm(forms.Form):
    """Filters of the public list; every field optional, wrong values are form errors, not 500s."""

    min_area = forms.DecimalField(
        label=_("Fläche ab (m²)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100000),
        decimal_places=1,
    )
    max_area = forms.DecimalField(
        label=_("Fläche bis (m²)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100000),
        decimal_places=1,
    )
    district = forms.ChoiceField(label=_("Stadtbezirk"), required=False)
    street = forms.ChoiceField(label=_("Straße"), required=False)
    use = forms.ChoiceField(label=_("Nutzung"), required=False)

    def __init__(
        self, *args: Any, districts: list[tuple[str, str]], streets: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("alle"))
        cast(forms.ChoiceField, self.fields["district"]).choices = [everything, *districts]
        cast(forms.ChoiceField, self.fields["street"]).choices = [everything, *((s, s) for s in streets)]
        cast(forms.ChoiceField, self.fields["use"]).choices = [everything, *UseKey.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_area"), data.get("max_area")
        if low is not None and high is not None and low > high:
            self.add_error("max_area", _("„Fläche bis“ muss mindestens so groß sein wie „Fläche ab“."))
        return data


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    street = forms.CharField(label=_("Straße"), required=False, max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("alle")), *Unit.Status.choices]


class CountForm(forms.Form):
    count_date = forms.DateField(
        label=_("Stichtag"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
