"""The filter form of the white-spot page (a GET form: works without JavaScript)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from konzeptk.education import digcomp
from konzeptk.education.white_spots import (
    AGE_GROUP_BY_KEY,
    AGE_GROUPS,
    DEFAULT_RADIUS_KM,
    DEFAULT_WEEKS,
    Criteria,
)


def default_criteria() -> Criteria:
    """The page without filters: seniors, any language and area, 2 km, 8 weeks."""
    return Criteria(
        age=AGE_GROUP_BY_KEY["seniors"],
        language="",
        area=None,
        radius_km=DEFAULT_RADIUS_KM,
        weeks=DEFAULT_WEEKS,
    )


def language_name(code: str) -> str:
    """The name of a language in the language of the page ("Türkisch" for ``tr``), or the code."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class WhiteSpotForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Altersgruppe"),
        choices=[(g.key, g.label) for g in AGE_GROUPS],
        initial="seniors",
        required=False,
    )
    language = forms.ChoiceField(label=_("Unterrichtssprache"), required=False)
    area = forms.TypedChoiceField(label=_("DigComp-Bereich"), coerce=int, empty_value=None, required=False)
    radius = forms.DecimalField(
        label=_("Umkreis in km"),
        min_value=Decimal("0.5"),
        max_value=Decimal("20"),
        max_digits=4,
        decimal_places=1,
        initial=Decimal(str(DEFAULT_RADIUS_KM)),
        required=False,
        localize=True,
    )
    weeks = forms.IntegerField(
        label=_("Zeitraum in Wochen"), min_value=1, max_value=52, initial=DEFAULT_WEEKS, required=False
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", _("jede Sprache"))] + [
            (code, language_name(code)) for code in languages
        ]
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = [("", _("jeder Bereich"))] + [
            (str(number), str(area)) for number, area in sorted(digcomp.AREAS.items())
        ]

    def criteria(self) -> Criteria:
        """The criteria of a valid form; a field left empty takes its default."""
        data = self.cleaned_data
        radius = data.get("radius")
        weeks = data.get("weeks")
        return Criteria(
            age=AGE_GROUP_BY_KEY[data.get("group") or "seniors"],
            language=data.get("language") or "",
            area=data.get("area"),
            radius_km=float(radius) if radius is not None else DEFAULT_RADIUS_KM,
            weeks=weeks if weeks is not None else DEFAULT_WEEKS,
        )
