"""The year choice of the education reach page (a GET form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ReachYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Jahr"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(str(y), str(y)) for y in years]
        self.years = years

    def chosen_year(self) -> int:
        """The valid chosen year, else the newest year."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return self.years[0]
