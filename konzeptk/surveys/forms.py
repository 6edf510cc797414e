"""Forms of the survey pages. They parse input; the services decide and validate again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from konzeptk.core.content import OTHER_LANGUAGES, TranslatedFieldsMixin, content_translations, german
from konzeptk.core.templatetags.kk_content import kk_text
from konzeptk.participation.models import TEXT_MAX, TITLE_MAX
from konzeptk.surveys.models import Question, Survey
from konzeptk.surveys.services import AnswerValue


class SurveyForm(forms.Form):
    """The whole questionnaire as one form. Field ``q<id>`` per question; a ranking has one select
    ``q<id>_c<choice id>`` per choice (place 1, 2, …)."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.prefetch_related("choices"))
        self.blocks: list[dict[str, Any]] = []
        for q in self.questions:
            name = f"q{q.pk}"
            # content in the reader's language; German fallbacks marked lang="de" (kk_text escapes)
            choices = [(str(c.pk), kk_text(c, "text")) for c in q.choices.all()]
            help_text: SafeString = kk_text(q, "help_text")
            if not q.required:
                help_text = (
                    format_html("{} ({})", help_text, _("freiwillig"))
                    if q.help_text
                    else escape(_("freiwillig"))
                )
            field: forms.Field
            if q.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple)
            elif q.kind == Question.Kind.SCALE:
                labels = {
                    q.scale_min: kk_text(q, "scale_low_label"),
                    q.scale_max: kk_text(q, "scale_high_label"),
                }
                field = forms.ChoiceField(
                    choices=[
                        (str(v), format_html("{} – {}", v, labels[v]) if labels.get(v) else str(v))
                        for v in q.scale_values
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
                        label=mark_safe(escape(_("Platz für „%(choice)s“")) % {"choice": text}),
                        choices=ranks,
                        required=q.required,
                        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
                    )
                    names.append(sub)
                self.blocks.append({"question": q, "ranking": names, "name": name, "help": help_text})
                continue
            field.label = kk_text(q, "text")
            field.required = q.required
            field.help_text = help_text
            self.fields[name] = field
            self.blocks.append({"question": q, "name": name})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answers: dict[int, AnswerValue] = {}
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


class SurveySettingsForm(TranslatedFieldsMixin, forms.Form):
    """Title, introduction and who may answer a questionnaire."""

    translated_fields = ("title", "intro")

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


class QuestionForm(TranslatedFieldsMixin, forms.Form):
    """One question of the editor. Which fields count depends on the kind (said in their hints).

    Per other language: the question, hint, scale labels and the answer options, one per line in
    the order of the German ones."""

    translated_fields = ("text", "help_text", "choices", "scale_low_label", "scale_high_label")

    text = forms.CharField(label=_("Frage"), max_length=500)
    help_text = forms.CharField(label=_("Hinweis zur Frage (freiwillig)"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Art der Frage"), choices=Question.Kind.choices)
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

    def values(self) -> dict[str, Any]:
        keys = set(self.translations())
        data = {k: v for k, v in self.cleaned_data.items() if k not in keys}
        data["choices"] = data["choices"].splitlines()
        data["translations"] = self.translations()
        data["scale_min"] = 1 if data["scale_min"] is None else data["scale_min"]
        data["scale_max"] = 5 if data["scale_max"] is None else data["scale_max"]
        return data

    @staticmethod
    def initial_of(question: Question) -> dict[str, Any]:
        """The form's values for an existing question."""
        choices = list(question.choices.all())
        lines = {
            f"choices_{code}": "\n".join(getattr(c, f"text_{code}") or "" for c in choices)
            for code in OTHER_LANGUAGES
        }
        return {
            # the German originals in the German fields, the translations beside them
            "text": german(question, "text"),
            "help_text": german(question, "help_text"),
            **content_translations(question, ("text", "help_text", "scale_low_label", "scale_high_label")),
            **{key: value for key, value in lines.items() if value.strip()},
            "kind": question.kind,
            "required": question.required,
            "choices": "\n".join(german(c, "text") for c in choices),
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "scale_low_label": german(question, "scale_low_label"),
            "scale_high_label": german(question, "scale_high_label"),
        }
