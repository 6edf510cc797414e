"""Forms of economy: the directory's filters (GET), a claim, an owner's edit, a staff decision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.core import opening_hours as hours
from konzeptk.core.content import ContentLabel, content_label
from konzeptk.economy.models import Business, Category, StepFree
from konzeptk.economy.selectors import DirectoryFilter

if TYPE_CHECKING:  # ModelForm is generic for the type checker only
    BusinessFormBase = forms.ModelForm[Business]
else:
    BusinessFormBase = forms.ModelForm

SERVICE_CHOICES = (
    ("", _("alle")),
    ("delivery", _("Lieferdienst")),
    ("click_collect", _("Click & Collect")),
    ("online_shop", _("Online-Shop")),
    ("card_payment", _("Kartenzahlung")),
)


class SelectWidget(forms.Select):
    """A select whose options from content are marked ``lang="de" dir="ltr"`` where they fell back to
    German. The class name must end in "SelectWidget": Django derives the widget type from it."""

    def create_option(
        self, name: str, value: Any, label: Any, selected: Any, index: int, subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if isinstance(label, ContentLabel) and label.is_fallback:
            option["attrs"] = {**option["attrs"], "lang": label.lang, "dir": "ltr"}
        return option


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Suche nach Name oder Straße"), required=False, max_length=80)
    category = forms.ChoiceField(label=_("Branche"), required=False, widget=SelectWidget)
    service = forms.ChoiceField(label=_("Service"), required=False, choices=SERVICE_CHOICES)
    open_now = forms.BooleanField(label=_("jetzt geöffnet"), required=False)
    step_free = forms.BooleanField(label=_("nur mit stufenlosem Eingang"), required=False)

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("alle Branchen"))] + [(c.slug, content_label(c, "name")) for c in categories]

    def filter(self) -> DirectoryFilter:
        if not self.is_valid():
            return DirectoryFilter()
        data = self.cleaned_data
        return DirectoryFilter(
            q=data["q"].strip(),
            category=data["category"],
            open_now=bool(data["open_now"]),
            step_free=bool(data["step_free"]),
            service=data["service"],
        )


def clean_hours(value: str) -> str:
    value = value.strip()
    if value:
        try:
            hours.parse(value)
        except hours.HoursError as exc:
            raise forms.ValidationError(hours.error_message(exc), code="invalid_opening_hours") from None
    return value


class ClaimForm(forms.Form):
    role = forms.CharField(
        label=_("Ihre Rolle im Geschäft"),
        max_length=80,
        help_text=_("zum Beispiel Inhaberin, Geschäftsführer, Filialleitung"),
    )
    evidence = forms.CharField(
        label=_("Wie können wir Ihre Angabe prüfen?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "zum Beispiel die Telefonnummer des Geschäfts, unter der wir Sie zurückrufen, oder die Gewerbeanmeldung"
        ),
    )


class OwnerForm(BusinessFormBase):
    class Meta:
        model = Business
        fields = (
            "description_de",
            "opening_hours",
            "step_free",
            "delivery",
            "click_collect",
            "online_shop",
            "card_payment",
            "website",
            "shop_url",
            "phone",
        )
        labels = {"description_de": _("Beschreibung (Deutsch)")}
        help_texts = {
            "opening_hours": _("In der Schreibweise von OpenStreetMap, zum Beispiel: %(example)s")
            % {"example": hours.EXAMPLE},
        }
        widgets = {"description_de": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step_free"].choices = StepFree.choices  # type: ignore[attr-defined]

    def clean_opening_hours(self) -> str:
        return clean_hours(self.cleaned_data.get("opening_hours") or "")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=(("verify", _("bestätigen")), ("reject", _("ablehnen"))),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Vermerk"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdminBusinessForm(BusinessFormBase):
    """The admin's form: the same hours check as the owners' form."""

    class Meta:
        model = Business
        fields = (  # the district comes from the point (service)
            "slug", "name", "category", "description", "street", "postcode", "locality", "lat", "lon", "step_free",
            "delivery", "click_collect", "online_shop", "card_payment", "website", "shop_url", "phone",
            "opening_hours", "published", "simulated",
        )  # fmt: skip

    def clean_opening_hours(self) -> str:
        return clean_hours(self.cleaned_data.get("opening_hours") or "")
