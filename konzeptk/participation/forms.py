"""Forms of the participation pages. They parse input; the services decide and validate again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Level, Organisation
from konzeptk.city.models import District
from konzeptk.core.content import TranslatedFieldsMixin
from konzeptk.participation.models import (
    COMMENT_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Channel,
    Idea,
    Process,
    Topic,
)
from konzeptk.participation.phases import BLUEPRINTS, registry
from konzeptk.participation.selectors import SORTS, adopted_measures
from konzeptk.strategy.models import Project

SORT_LABELS = {
    "newest": _("neueste zuerst"),
    "supported": _("meiste Unterstützung"),
    "discussed": _("meiste Kommentare"),
    "random": _("zufällige Reihenfolge"),
}


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _district_field(districts: list[District], label: Any, required: bool = False) -> DistrictChoiceField:
    return DistrictChoiceField(
        queryset=District.objects.filter(pk__in=[d.pk for d in districts]).order_by("code"),
        required=required,
        label=label,
        empty_label=_("– keine Angabe –"),
    )


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Titel Ihrer Idee"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Was schlagen Sie vor, und warum? Höchstens 10.000 Zeichen."),
    )
    topic = forms.ChoiceField(
        label=_("Handlungsfeld"), choices=[("", _("– bitte wählen –")), *Topic.choices], required=False
    )
    district = forms.ModelChoiceField(queryset=District.objects.none(), required=False)
    address = forms.CharField(
        label=_("Ort oder Adresse"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel „Dionysiusplatz“ oder „Ecke Rheinstraße/Ostwall“."),
    )
    lat = forms.FloatField(
        label=_("Breitengrad (zum Beispiel 51.3331)"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    lon = forms.FloatField(
        label=_("Längengrad (zum Beispiel 6.5623)"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_(
            "Die Koordinaten sind freiwillig. Mit JavaScript können Sie den Ort auf der Karte wählen."
        ),
    )
    image = forms.FileField(
        label=_("Bild"),
        required=False,
        help_text=_("JPEG, PNG, WebP oder GIF, höchstens 5 MB. Angaben zu Kamera und Ort werden entfernt."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = _district_field(districts, _("Stadtbezirk"))
        self.fields["district"].help_text = _(
            "Wenn Sie einen Punkt angeben, ermitteln wir den Bezirk daraus."
        )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Ihr Kommentar"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.goal.title} – {obj.title}"


class AnswerForm(TranslatedFieldsMixin, forms.Form):
    translated_fields = ("answer",)

    status = forms.ChoiceField(label=_("Status"), choices=Idea.Status.choices)
    answer = forms.CharField(
        label=_("Antwort der Verwaltung"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    strategy_project = forms.ModelChoiceField(
        label=_("Projekt der Smart-City-Strategie, das die Idee aufgreift"),
        queryset=Project.objects.filter(published=True).only("id", "title").order_by("title"),
        required=False,
        empty_label=_("– kein Projekt –"),
        help_text=_("Die Projektseite nennt dann diese Idee als eine ihrer Quellen."),
    )
    strategy_measure = MeasureChoiceField(
        label=_("Maßnahme der Smart-City-Strategie, die die Idee aufgreift"),
        queryset=None,
        required=False,
        empty_label=_("– keine Maßnahme –"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy_measure"].queryset = adopted_measures()  # type: ignore[attr-defined]


class OfflineForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Weg des Beitrags"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    channel_date = forms.DateField(
        label=_("Datum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    channel_place = forms.CharField(label=_("Ort der Veranstaltung"), max_length=200, required=False)
    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX)
    text = forms.CharField(label=_("Beitrag"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    topic = forms.ChoiceField(
        label=_("Handlungsfeld"), choices=[("", _("– bitte wählen –")), *Topic.choices], required=False
    )
    district = forms.ModelChoiceField(queryset=District.objects.none(), required=False)
    address = forms.CharField(label=_("Ort oder Adresse"), max_length=200, required=False)
    age_band = forms.ChoiceField(
        label=_("Alter der Person (freiwillige Angabe)"),
        required=False,
        choices=[
            ("", _("– keine Angabe –")),
            ("unter 18", _("unter 18")),
            ("18-29", "18–29"),
            ("30-49", "30–49"),
            ("50-64", "50–64"),
            ("65+", _("65 und älter")),
        ],
    )

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = _district_field(districts, _("Stadtbezirk"))


class FilterForm(forms.Form):
    """The GET form above the idea list; unknown values fall back to "all"."""

    topic = forms.ChoiceField(
        label=_("Handlungsfeld"), required=False, choices=[("", _("alle")), *Topic.choices]
    )
    district = forms.TypedChoiceField(label=_("Stadtbezirk"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle")), *Idea.Status.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sortierung"), required=False, choices=[(s, SORT_LABELS[s]) for s in SORTS]
    )

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("alle")), *((d.pk, d.name) for d in districts)]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            # keep what is valid, drop the rest
            return {k: v for k, v in self.cleaned_data.items() if v}
        return {k: v for k, v in self.cleaned_data.items() if v}


LEVEL_CHOICES = [(str(value), label) for value, label in Level.choices]


class ProcessForm(TranslatedFieldsMixin, forms.Form):
    """Create (with organiser, identifier and blueprint) or edit a process."""

    translated_fields = ("title", "teaser", "description")

    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX)
    slug = forms.SlugField(
        label=_("Kennung in der Adresse"),
        max_length=80,
        required=False,
        help_text=_(
            "Kleinbuchstaben, Ziffern und Bindestriche, zum Beispiel „radverkehr-2026“. Bleibt das Feld "
            "leer, wird die Kennung aus dem Titel gebildet."
        ),
        widget=forms.TextInput(attrs={"data-kk-slug-from": "id_title"}),
    )
    organiser: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Veranstalter"), queryset=Organisation.objects.none()
    )
    teaser = forms.CharField(label=_("Kurzbeschreibung"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Beschreibung"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    topics = forms.MultipleChoiceField(
        label=_("Handlungsfelder"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Stadtbezirke"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keinen Bezirk wählen, wenn der Prozess die ganze Stadt betrifft."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=[])
    idea_level = forms.TypedChoiceField(
        label=_("Wer darf Ideen einreichen?"), choices=LEVEL_CHOICES, coerce=int
    )
    comment_level = forms.TypedChoiceField(
        label=_("Wer darf kommentieren?"), choices=LEVEL_CHOICES, coerce=int
    )
    support_level = forms.TypedChoiceField(
        label=_("Wer darf Ideen unterstützen?"), choices=LEVEL_CHOICES, coerce=int
    )
    vote_level = forms.TypedChoiceField(label=_("Wer darf abstimmen?"), choices=LEVEL_CHOICES, coerce=int)
    blueprint = forms.ChoiceField(label=_("Vorlage für die Phasen"), required=False)
    start = forms.DateField(
        label=_("Beginn der ersten Phase"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, organisations: Any, districts: list[District], creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["districts"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            pk__in=[d.pk for d in districts]
        ).order_by("code")
        self.fields["districts"].label_from_instance = lambda d: d.name  # type: ignore[attr-defined]
        self.fields["status"].choices = Process.Status.choices  # type: ignore[attr-defined]
        self.fields["blueprint"].choices = [  # type: ignore[attr-defined]
            ("", _("– keine, Phasen selbst anlegen –")),
            *((b.key, f"{b.name}: {b.description}") for b in BLUEPRINTS.values()),
        ]
        if not creating:
            for name in ("slug", "organiser", "blueprint", "start"):
                del self.fields[name]


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class PhaseForm(TranslatedFieldsMixin, forms.Form):
    translated_fields = ("name", "description")

    type = forms.ChoiceField(label=_("Art der Phase"), choices=[])
    name = forms.CharField(
        label=_("Name (freiwillig)"), max_length=120, required=False, help_text=_("Sonst der Name der Art.")
    )
    start = _datetime_field(_("Beginn"))
    end = _datetime_field(_("Ende"))
    description = forms.CharField(
        label=_("Beschreibung (freiwillig)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(t.key, t.name) for t in registry.all()]  # type: ignore[attr-defined]
