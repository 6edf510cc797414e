"""Forms of the participation pages. They parse input; the services decide and validate again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import District
from konzeptk.participation.models import (
    COMMENT_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Channel,
    Idea,
    Level,
    Topic,
)
from konzeptk.participation.selectors import SORTS
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


class AnswerForm(forms.Form):
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
        from konzeptk.participation.selectors import adopted_measures

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


class SurveyForm(forms.Form):
    """The whole questionnaire as one form. Field ``q<id>`` per question; a ranking has one select
    ``q<id>_c<choice id>`` per choice (place 1, 2, …)."""

    def __init__(self, *args: Any, survey: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from konzeptk.participation.models import Question

        self.questions = list(survey.questions.prefetch_related("choices"))
        self.blocks: list[dict[str, Any]] = []
        for q in self.questions:
            name = f"q{q.pk}"
            choices = [(str(c.pk), c.text) for c in q.choices.all()]
            # Django's form templates print help texts unescaped: escape what organisers typed
            help_text = escape(q.help_text)
            if not q.required:
                help_text = (
                    format_html("{} ({})", q.help_text, _("freiwillig"))
                    if q.help_text
                    else escape(_("freiwillig"))
                )
            field: forms.Field
            if q.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple)
            elif q.kind == Question.Kind.SCALE:
                labels = {q.scale_min: q.scale_low_label, q.scale_max: q.scale_high_label}
                field = forms.ChoiceField(
                    choices=[
                        (str(v), f"{v} – {labels[v]}" if labels.get(v) else str(v)) for v in q.scale_values
                    ],
                    widget=forms.RadioSelect,
                )
            elif q.kind == Question.Kind.TEXT:
                field = forms.CharField(
                    max_length=5_000,
                    widget=forms.Textarea(attrs={"rows": 4, "class": "kern-form-input__input"}),
                )
            else:
                ranks = [("", _("– Platz wählen –"))] + [(str(i), str(i)) for i in range(1, len(choices) + 1)]
                names = []
                for value, text in choices:
                    sub = f"{name}_c{value}"
                    self.fields[sub] = forms.ChoiceField(
                        label=_("Platz für „%(choice)s“") % {"choice": text},
                        choices=ranks,
                        required=q.required,
                        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
                    )
                    names.append(sub)
                self.blocks.append({"question": q, "ranking": names, "name": name, "help": help_text})
                continue
            field.label = q.text
            field.required = q.required
            field.help_text = help_text
            self.fields[name] = field
            self.blocks.append({"question": q, "name": name})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        from konzeptk.participation.models import Question

        answers: dict[int, Any] = {}
        for block in self.blocks:
            q = block["question"]
            if q.kind == Question.Kind.RANKING:
                picked = {n: cleaned.get(n) for n in block["ranking"]}
                given = {n: int(v) for n, v in picked.items() if v}
                if not given:
                    continue
                if len(given) != len(picked) or sorted(given.values()) != list(range(1, len(picked) + 1)):
                    self.add_error(
                        block["ranking"][0],
                        _("Bitte vergeben Sie jeden Platz genau einmal (1 bis %(n)s).") % {"n": len(picked)},
                    )
                    continue
                order = sorted(given, key=lambda n: given[n])
                answers[q.pk] = [int(n.rsplit("_c", 1)[1]) for n in order]
                continue
            value = cleaned.get(block["name"])
            if value in (None, "", []):
                continue
            if q.kind == Question.Kind.MULTIPLE:
                answers[q.pk] = [int(v) for v in value]
            elif q.kind == Question.Kind.TEXT:
                answers[q.pk] = value.strip()
            else:
                answers[q.pk] = int(value)
        cleaned["answers"] = answers
        return cleaned


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


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        from konzeptk.participation.models import NotificationSetting

        model = NotificationSetting
        fields = ["email_frequency", "on_replies", "on_status", "on_phases"]
        widgets = {"email_frequency": forms.RadioSelect}
        labels = {"email_frequency": _("Wie oft möchten Sie E-Mails erhalten?")}
        help_texts = {
            "email_frequency": _(
                "Alle Benachrichtigungen finden Sie auch auf der Plattform unter „Benachrichtigungen“."
            )
        }


LEVEL_CHOICES = [(str(value), label) for value, label in Level.choices]


class ProcessForm(forms.Form):
    """Create (with organiser, identifier and blueprint) or edit a process."""

    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX)
    slug = forms.SlugField(
        label=_("Kennung in der Adresse"),
        max_length=80,
        help_text=_("Kleinbuchstaben, Ziffern und Bindestriche, zum Beispiel „radverkehr-2026“."),
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
    idea_level = forms.TypedChoiceField(label=_("Stufe für Ideen"), choices=LEVEL_CHOICES, coerce=int)
    comment_level = forms.TypedChoiceField(label=_("Stufe für Kommentare"), choices=LEVEL_CHOICES, coerce=int)
    support_level = forms.TypedChoiceField(
        label=_("Stufe für Unterstützungen"), choices=LEVEL_CHOICES, coerce=int
    )
    vote_level = forms.TypedChoiceField(label=_("Stufe für Abstimmungen"), choices=LEVEL_CHOICES, coerce=int)
    blueprint = forms.ChoiceField(label=_("Vorlage für die Phasen"), required=False)
    start = forms.DateField(
        label=_("Beginn der ersten Phase"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, organisations: Any, districts: list[District], creating: bool, **kwargs: Any
    ) -> None:
        from konzeptk.participation.models import Process
        from konzeptk.participation.phases import BLUEPRINTS

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


class PhaseForm(forms.Form):
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
        from konzeptk.participation.phases import registry

        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(t.key, t.name) for t in registry.all()]  # type: ignore[attr-defined]


class BallotForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Art der Abstimmung"),
        choices=[("votes", _("feste Zahl von Stimmen")), ("budget", _("Budget verteilen"))],
        widget=forms.RadioSelect,
    )
    votes_per_person = forms.IntegerField(label=_("Stimmen pro Person"), min_value=1, max_value=50, initial=3)
    budget = forms.IntegerField(
        label=_("Budget in Euro"), min_value=1, max_value=1_000_000_000, required=False
    )


class SurveySettingsForm(forms.Form):
    """Title, introduction and who may answer a questionnaire."""

    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX)
    intro = forms.CharField(
        label=_("Einleitung (freiwillig)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wofür die Antworten gebraucht werden und wie lange das Ausfüllen dauert."),
    )
    # what this means is said in a paragraph above the form (a check box's hint is squeezed into its row)
    allows_anonymous = forms.BooleanField(label=_("Auch ohne Konto beantwortbar"), required=False)


class QuestionForm(forms.Form):
    """One question of the editor. Which fields count depends on the kind (said in their hints)."""

    text = forms.CharField(label=_("Frage"), max_length=500)
    help_text = forms.CharField(label=_("Hinweis zur Frage (freiwillig)"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Art der Frage"), choices=[])
    required = forms.BooleanField(label=_("Pflichtfrage"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Antwortmöglichkeiten"),
        required=False,
        max_length=8_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Nur für Auswahl und Rangfolge: eine Antwortmöglichkeit pro Zeile, mindestens zwei, in der Reihenfolge, "
            "in der sie erscheinen sollen."
        ),
    )
    scale_min = forms.IntegerField(
        label=_("Skala von"),
        min_value=0,
        max_value=10,
        initial=1,
        required=False,
        help_text=_("Nur für Skalen: 0 bis 10."),
    )
    scale_max = forms.IntegerField(
        label=_("Skala bis"),
        min_value=0,
        max_value=10,
        initial=5,
        required=False,
        help_text=_("Nur für Skalen: 0 bis 10."),
    )
    scale_low_label = forms.CharField(
        label=_("Bedeutung des kleinsten Werts (freiwillig)"),
        max_length=80,
        required=False,
        help_text=_("Nur für Skalen, zum Beispiel „gar nicht“."),
    )
    scale_high_label = forms.CharField(
        label=_("Bedeutung des größten Werts (freiwillig)"),
        max_length=80,
        required=False,
        help_text=_("Nur für Skalen, zum Beispiel „sehr“."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from konzeptk.participation.models import Question

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Question.Kind.choices  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = data["choices"].splitlines()
        data["scale_min"] = 1 if data["scale_min"] is None else data["scale_min"]
        data["scale_max"] = 5 if data["scale_max"] is None else data["scale_max"]
        return data
