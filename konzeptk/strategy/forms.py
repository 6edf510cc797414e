"""Forms of the strategy pages. They parse input; the services decide."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import District
from konzeptk.core.content import TranslatedFieldsMixin
from konzeptk.strategy.models import FieldOfAction, Goal, Measure, Project, Revision, Stage

INPUT = {"class": "kern-form-input__input"}
TEXTAREA = {"class": "kern-form-input__input", "rows": 4}
SELECT = {"class": "kern-form-input__select"}


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Suche in Titel und Beschreibung"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**INPUT, "type": "search"}),
    )
    field = forms.ChoiceField(label=_("Handlungsfeld"), required=False, widget=forms.Select(attrs=SELECT))
    stage = forms.ChoiceField(label=_("Phase"), required=False, widget=forms.Select(attrs=SELECT))
    organisation = forms.ChoiceField(
        label=_("Organisation"), required=False, widget=forms.Select(attrs=SELECT)
    )
    district = forms.ChoiceField(label=_("Gebiet"), required=False, widget=forms.Select(attrs=SELECT))

    def __init__(
        self,
        *args: Any,
        fields: list[FieldOfAction],
        organisations: list[Organisation],
        districts: list[District],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("alle"))]
        cast(forms.ChoiceField, self.fields["field"]).choices = everything + [
            (str(f.key), f.title) for f in fields
        ]
        cast(forms.ChoiceField, self.fields["stage"]).choices = everything + list(Stage.choices)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = everything + [
            (o.slug, str(o)) for o in organisations
        ]
        cast(forms.ChoiceField, self.fields["district"]).choices = everything + [
            (str(d.pk), d.name) for d in districts
        ]

    def clean_field(self) -> uuid.UUID | None:
        value = self.cleaned_data.get("field")
        return uuid.UUID(value) if value else None

    def clean_district(self) -> int | None:
        value = self.cleaned_data.get("district")
        return int(value) if value else None


class ProjectForm(forms.ModelForm):
    field_keys = forms.MultipleChoiceField(
        label=_("Handlungsfelder"), required=False, widget=forms.CheckboxSelectMultiple
    )
    goal_keys = forms.MultipleChoiceField(
        label=_("Ziele"), required=False, widget=forms.CheckboxSelectMultiple
    )
    measure_keys = forms.MultipleChoiceField(
        label=_("Maßnahmen"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "lead",
            "partners",
            "city_wide",
            "districts",
            "evaluation_criteria",
            "decision_record",
            "budget_planned",
            "budget_spent",
            "funding_source",
            "contact_name",
            "contact_email",
            "published",
        ]
        widgets = {
            "title": forms.TextInput(attrs=INPUT),
            "slug": forms.TextInput(attrs=INPUT),
            "summary": forms.Textarea(attrs=TEXTAREA),
            "description": forms.Textarea(attrs=TEXTAREA),
            "lead": forms.Select(attrs=SELECT),
            "partners": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "evaluation_criteria": forms.Textarea(attrs=TEXTAREA),
            "decision_record": forms.Textarea(attrs=TEXTAREA),
            "budget_planned": forms.NumberInput(attrs=INPUT),
            "budget_spent": forms.NumberInput(attrs=INPUT),
            "funding_source": forms.TextInput(attrs=INPUT),
            "contact_name": forms.TextInput(attrs=INPUT),
            "contact_email": forms.EmailInput(attrs=INPUT),
        }

    def __init__(
        self,
        *args: Any,
        revision: Revision | None,
        lead_choices: Any,
        districts: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = lead_choices  # type: ignore[attr-defined]
        self.fields["districts"].queryset = districts  # type: ignore[attr-defined]
        if revision is not None:
            cast(forms.ChoiceField, self.fields["field_keys"]).choices = [
                (str(f.key), f.title)
                for f in FieldOfAction.objects.filter(revision=revision).order_by("position")
            ]
            cast(forms.ChoiceField, self.fields["goal_keys"]).choices = [
                (str(g.key), g.title) for g in Goal.objects.filter(revision=revision).order_by("position")
            ]
            cast(forms.ChoiceField, self.fields["measure_keys"]).choices = [
                (str(m.key), m.title) for m in Measure.objects.filter(revision=revision).order_by("position")
            ]
        if self.instance.pk:
            links = list(self.instance.links.values_list("kind", "key"))
            self.initial.setdefault("field_keys", [str(k) for kind, k in links if kind == "field"])
            self.initial.setdefault("goal_keys", [str(k) for kind, k in links if kind == "goal"])
            self.initial.setdefault("measure_keys", [str(k) for kind, k in links if kind == "measure"])

    def keys(self, name: str) -> list[uuid.UUID]:
        return [uuid.UUID(k) for k in self.cleaned_data.get(name, [])]


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("Neue Phase"), choices=Stage.choices, widget=forms.Select(attrs=SELECT)
    )
    date = forms.DateField(
        label=_("Datum des Wechsels"), widget=forms.DateInput(attrs={**INPUT, "type": "date"})
    )
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs=TEXTAREA), max_length=2000)
    decision_record = forms.CharField(
        label=_("Entscheidung (bei Abschluss eines Piloten)"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=4000,
    )


class ValueForm(forms.Form):
    value = forms.CharField(
        label=_("Wert"), max_length=40, widget=forms.TextInput(attrs={**INPUT, "inputmode": "decimal"})
    )
    date = forms.DateField(label=_("Stichtag"), widget=forms.DateInput(attrs={**INPUT, "type": "date"}))
    source_ref = forms.CharField(
        label=_("Beleg (Quelle)"), required=False, max_length=300, widget=forms.TextInput(attrs=INPUT)
    )


class TargetForm(forms.Form):
    value = forms.CharField(
        label=_("Zielwert"), max_length=40, widget=forms.TextInput(attrs={**INPUT, "inputmode": "decimal"})
    )
    year = forms.CharField(
        label=_("Zieljahr"), max_length=4, widget=forms.TextInput(attrs={**INPUT, "inputmode": "numeric"})
    )
    note = forms.CharField(
        label=_("Hinweis"), required=False, max_length=300, widget=forms.TextInput(attrs=INPUT)
    )


class ElementForm(TranslatedFieldsMixin, forms.Form):
    translated_fields = ("title", "description")

    title = forms.CharField(label=_("Titel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={**INPUT, "rows": 2})
    )
    parent = forms.IntegerField(label=_("gehört zu"), required=False, widget=forms.Select(attrs=SELECT))
    position = forms.IntegerField(
        label=_("Reihenfolge"), required=False, min_value=0, widget=forms.NumberInput(attrs=INPUT)
    )
    city_concept = forms.CharField(
        label=_("Konzept der Stadt"), required=False, max_length=200, widget=forms.TextInput(attrs=INPUT)
    )


class AdoptForm(forms.Form):
    council_decision = forms.CharField(
        label=_("Ratsbeschluss (Datum, Nummer der Vorlage)"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    decided_on = forms.DateField(
        label=_("Beschlossen am"), widget=forms.DateInput(attrs={**INPUT, "type": "date"})
    )


class RevisionMetaForm(TranslatedFieldsMixin, forms.Form):
    translated_fields = ("title", "motto", "vision")

    title = forms.CharField(label=_("Titel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    motto = forms.CharField(
        label=_("Leitbild"), required=False, max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    vision = forms.CharField(label=_("Vision"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
