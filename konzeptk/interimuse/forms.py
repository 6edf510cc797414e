"""Forms of the interim-use programme. They check shapes; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer
from konzeptk.innercity.models import Unit, UseKey
from konzeptk.interimuse.models import Application, Call, Criterion


def current_districts() -> QuerySet[District]:
    profile = active_profile()
    layer = current_layer(profile) if profile else None
    if layer is None:
        return District.objects.none()
    return District.objects.filter(layer=layer).defer("geometry").order_by("name")


if TYPE_CHECKING:
    _UnitChoice = forms.ModelChoiceField[Unit]
else:
    _UnitChoice = forms.ModelChoiceField


class UnitChoiceField(_UnitChoice):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.address} – {obj.title} ({obj.area_m2} m²)"


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Sie bewerben sich als"), choices=Application.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Name des Vorhabens"), max_length=160)
    concept = forms.CharField(
        label=_("Konzept"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Was wollen Sie im Ladenlokal tun, für wen, und wie oft ist es geöffnet?"),
        error_messages={"required": _("Bitte beschreiben Sie Ihr Konzept.")},
    )
    use = forms.ChoiceField(label=_("Nutzung"), choices=UseKey.choices)
    unit = UnitChoiceField(
        label=_("Ladenlokal"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("kein bestimmtes – allgemein bewerben"),
    )
    area_min = forms.IntegerField(
        label=_("Fläche mindestens (m²)"), required=False, min_value=1, max_value=100000
    )
    area_max = forms.IntegerField(
        label=_("Fläche höchstens (m²)"), required=False, min_value=1, max_value=100000
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Gewünschte Stadtbezirke"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine Auswahl: Jeder Stadtbezirk ist Ihnen recht."),
    )
    budget = forms.DecimalField(
        label=_("Ihr Budget für die Miete pro Monat (Euro)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
    )
    needs_step_free = forms.BooleanField(label=_("Ich brauche einen stufenlosen Zugang."), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units if units is not None else Unit.objects.none()
        district_field = self.fields["districts"]
        assert isinstance(district_field, forms.ModelMultipleChoiceField)
        district_field.queryset = current_districts()

    def clean_concept(self) -> str:
        concept = str(self.cleaned_data.get("concept") or "").strip()
        if not concept:
            raise forms.ValidationError(_("Bitte beschreiben Sie Ihr Konzept."), code="required")
        return concept

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        low, high = data.get("area_min"), data.get("area_max")
        if low is not None and high is not None and high < low:
            self.add_error("area_max", _("Die größte Fläche ist kleiner als die kleinste."))
        return data


class CallForm(forms.Form):
    slug = forms.SlugField(label=_("Kennung in der Adresse"), max_length=80)
    title = forms.CharField(label=_("Titel"), max_length=200)
    text = forms.CharField(label=_("Aufruf"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8}))
    opens_on = forms.DateField(label=_("Bewerbung ab"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Bewerbung bis"), widget=forms.DateInput(attrs={"type": "date"}))
    owner_share = forms.DecimalField(
        label=_("Verzicht der Eigentümer (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=30,
    )
    funding_share = forms.DecimalField(
        label=_("Förderung (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100, initial=50
    )
    tenant_share = forms.DecimalField(
        label=_("Anteil der Mieter (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=20,
    )
    term_months = forms.IntegerField(label=_("Laufzeit (Monate)"), min_value=1, max_value=120, initial=12)
    report_every_months = forms.IntegerField(
        label=_("Bericht alle … Monate"), min_value=1, max_value=24, initial=3
    )
    units: forms.ModelMultipleChoiceField[Unit] = forms.ModelMultipleChoiceField(
        label=_("Ladenlokale des Aufrufs"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine Auswahl: alle öffentlich angebotenen Ladenlokale."),
    )
    source = forms.URLField(label=_("Quelle"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = units if units is not None else Unit.objects.none()


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Kriterium"), max_length=160)
    description = forms.CharField(
        label=_("Erläuterung"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    weight = forms.IntegerField(label=_("Gewicht"), min_value=1, max_value=100, initial=1)
    max_points = forms.IntegerField(label=_("Höchstpunktzahl"), min_value=1, max_value=100, initial=10)


class JurorForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse des Kontos"))


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(choices=Call.Status.choices, widget=forms.HiddenInput)


class ScoreForm(forms.Form):
    """One points field per criterion of the call (``c<id>``) and a comment."""

    comment = forms.CharField(
        label=_("Anmerkung (nur für die Jury und die Verwaltung)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=f"{c.title} ({_('Gewicht')} {c.weight})",
                min_value=0,
                max_value=c.max_points,
                help_text=_("0 bis %(max)s Punkte") % {"max": c.max_points},
                validators=[MinValueValidator(0), MaxValueValidator(c.max_points)],
            )
        self.order_fields([*(f"c{c.pk}" for c in criteria), "comment"])

    def points(self) -> dict[int, int]:
        return {c.pk: int(self.cleaned_data[f"c{c.pk}"]) for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Befangenheit"),
        max_length=500,
        help_text=_("z. B. Verwandtschaft, gemeinsames Geschäft, Freundschaft"),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("accept", _("annehmen")), ("reject", _("ablehnen"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begründung (die Bewerberin oder der Bewerber liest sie)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ContractForm(forms.Form):
    unit = UnitChoiceField(label=_("Ladenlokal"), queryset=Unit.objects.none())
    rent = forms.DecimalField(
        label=_("Miete pro Monat (Euro)"), max_digits=10, decimal_places=2, min_value=Decimal("0")
    )
    starts_on = forms.DateField(label=_("Beginn"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units if units is not None else Unit.objects.none()


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Ihr Bericht"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Was ist im Ladenlokal geschehen? Was lief gut, was nicht?"),
        error_messages={"required": _("Bitte schreiben Sie Ihren Bericht.")},
    )
    visitors = forms.IntegerField(
        label=_("Besucherinnen und Besucher im Zeitraum (ungefähr)"),
        required=False,
        min_value=0,
        max_value=10_000_000,
    )
