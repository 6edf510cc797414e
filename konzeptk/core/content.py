"""Content staff configure, in six languages: the pieces forms, services and the admin share.

Translatable fields are registered with django-modeltranslation in each app's ``translation.py``:
one column per language in the model's own table (``title_de``, ``title_en``, … ``title_uk``).
German is the original and is required where the field is; the other five are optional and pages
fall back to German, marked (``{% kk_text %}`` in ``core/templatetags/kk_content.py``).

The plain attribute (``obj.title``) and plain lookups (``filter(title=…)``) follow the *active*
language under modeltranslation. A service that writes content therefore never assigns the plain
attribute: it writes the German column and the translations explicitly (``content_fields`` when
creating, ``content_assign`` when changing), so a staff member using the English interface still
edits the German original in the German field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

GERMAN = "de"


def active_language() -> str:
    """The reader's language without region (``de``, ``en``, ``tr``, ``ar``, ``pl``, ``uk``)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def content_in_language(obj: Any, field: str, lang: str | None = None) -> tuple[str, str]:
    """The field's text and the language it is in: the reader's language, else German.

    Reads the per-language columns directly (``title_tr``, ``title_de``), never the plain attribute:
    modeltranslation's plain attribute already falls back silently and would hide that the text
    is German. A dict (e.g. a row of a selector) is read the same way by key.
    """
    lang = (lang or active_language()).split("-")[0]
    read = obj.get if isinstance(obj, dict) else lambda name, default=None: getattr(obj, name, default)
    own = read(f"{field}_{lang}", None)
    if own:
        return str(own), lang
    german = read(f"{field}_{GERMAN}", None)
    if german is None:  # not registered for translation: the German original
        german = read(field, "")
    return str(german or ""), GERMAN


def german(obj: Any, field: str) -> str:
    """The German original of ``obj.<field>`` (the ``<field>_de`` column), ``""`` when empty."""
    return str(getattr(obj, f"{field}_{GERMAN}", None) or "")


#: The languages content can be entered in, German first.
CONTENT_LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
#: The languages besides German, in the order staff forms show them.
OTHER_LANGUAGES: tuple[str, ...] = tuple(code for code in CONTENT_LANGUAGES if code != GERMAN)
RTL_LANGUAGES = frozenset(getattr(settings, "LANGUAGES_BIDI", ("ar",)))


def language_name(code: str) -> str:
    """The language's name in the UI language (from ``settings.LANGUAGES``)."""
    return str(dict(settings.LANGUAGES).get(code, code))


def language_attrs(code: str) -> dict[str, str]:
    """``lang`` and ``dir`` for an input holding text in ``code`` (Arabic right to left)."""
    return {"lang": code, "dir": "rtl" if code in RTL_LANGUAGES else "ltr"}


def translation_keys(fields: Iterable[str]) -> list[str]:
    """``["title_en", "title_tr", …]``: the keys of the other languages of ``fields``."""
    return [f"{field}_{code}" for field in fields for code in OTHER_LANGUAGES]


def content_translations(obj: Any, fields: Iterable[str]) -> dict[str, str]:
    """The stored translations of ``fields`` (the other languages), e.g. as a form's initial data."""
    return {key: getattr(obj, key, None) or "" for key in translation_keys(fields)}


class ContentLabel(str):
    """A choice label from content, knowing its language: a German fallback is marked in the HTML."""

    lang: str = GERMAN

    def __new__(cls, text: str, lang: str = GERMAN) -> ContentLabel:
        label = super().__new__(cls, text)
        label.lang = lang
        return label

    @property
    def is_fallback(self) -> bool:
        return self.lang != active_language()


def content_label(obj: Any, field: str) -> ContentLabel:
    """``obj.<field>`` in the reader's language, else German, as a label that knows which it is."""
    text, lang = content_in_language(obj, field)
    return ContentLabel(text, lang)


def option_language_attrs(label: Any) -> str:
    """`` lang="de" dir="ltr"`` for an ``<option>`` whose label fell back to German, else ``""``."""
    if isinstance(label, ContentLabel) and label.is_fallback:
        return f' lang="{label.lang}" dir="ltr"'
    return ""


def content_fields(
    *, german: Mapping[str, str], translations: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Keyword arguments for ``Model.objects.create``: the German columns and the translations."""
    values = {f"{field}_{GERMAN}": value for field, value in german.items()}
    allowed = set(translation_keys(german))
    for key, value in (translations or {}).items():
        if key in allowed:
            values[key] = (value or "").strip()
    return values


def content_assign(
    obj: Any, *, german: Mapping[str, str], translations: Mapping[str, str] | None = None
) -> None:
    """Set the German text of ``german``'s fields and, if given, their translations on ``obj``.

    Without ``translations`` the stored translations stay as they are.
    """
    for key, value in content_fields(german=german, translations=translations).items():
        setattr(obj, key, value)


def empty_string_defaults(*models: type[Any]) -> None:
    """New rows get ``""`` in every language column of a text field, as the original field would.

    modeltranslation makes the language columns nullable with a default of ``NULL``; then
    ``exclude(answer="")`` (rewritten to ``answer_de``) would count rows without any answer. Each
    app's ``translation.py`` calls this after registering its models.
    """
    from modeltranslation.translator import translator

    for model in models:
        options = translator.get_options_for_model(model)
        for name, translated in options.all_fields.items():
            original = model._meta.get_field(name)
            if original.null or original.has_default():
                continue
            for field in translated:
                setattr(field, "default", "")  # noqa: B010 – the stubs do not know TranslationField.default
                field.__dict__.pop("_get_default", None)


def translations_from(table: Mapping[str, Mapping[str, str]], german: Mapping[str, str]) -> dict[str, str]:
    """``{"title_en": …}`` for the German texts of ``german`` that ``table`` translates.

    ``table`` maps a German text to its translations by language (the demo's ``translations.json``).
    """
    values: dict[str, str] = {}
    for field, text in german.items():
        for code, translated in (table.get(text) or {}).items():
            if code in OTHER_LANGUAGES and translated:
                values[f"{field}_{code}"] = translated
    return values


class TranslatedFieldsMixin(forms.Form):
    """A staff form with the German field and, per other language, an optional field beside it.

    Name the translatable fields in ``translated_fields``; the form keeps the German field under
    its own name (``title``) and adds ``title_en`` … ``title_uk`` with ``lang`` and ``dir`` set, so
    Arabic is typed right to left. ``{{ form }}`` shows the German fields first and the others in a
    ``<details>`` per language (``core/forms/translated_form.html``, works without JavaScript).
    ``form.translations()`` gives the cleaned translations for the service.
    """

    translated_fields: tuple[str, ...] = ()
    template_name = "core/forms/translated_form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.translated_fields:
            base = self.fields.get(name)
            if base is None:
                continue
            base.widget.attrs.update(language_attrs(GERMAN))
            for code in OTHER_LANGUAGES:
                field = _copy_field(base)
                field.required = False
                field.help_text = ""
                field.label = format_html("{} ({})", base.label, language_name(code))
                field.widget.attrs.update(language_attrs(code))
                self.fields[f"{name}_{code}"] = field

    def translations(self) -> dict[str, str]:
        """The cleaned translations, ``{"title_en": "…", …}`` (empty strings where left empty)."""
        data = getattr(self, "cleaned_data", {})
        return {
            key: (data.get(key) or "").strip()
            for key in translation_keys(self.translated_fields)
            if key in self.fields
        }

    def german_fields(self) -> list[Any]:
        """The bound fields without the translations (for templates that lay out fields one by one)."""
        keys = set(translation_keys(self.translated_fields))
        return [bound for bound in self if bound.name not in keys]

    def translation_groups(self) -> list[dict[str, Any]]:
        """Per other language: its code, name, bound fields and whether anything is filled in."""
        groups = []
        for code in OTHER_LANGUAGES:
            bound = [
                self[f"{name}_{code}"] for name in self.translated_fields if f"{name}_{code}" in self.fields
            ]
            if not bound:
                continue
            groups.append(
                {
                    "code": code,
                    "name": language_name(code),
                    "fields": bound,
                    "filled": sum(1 for b in bound if b.value()),
                    "errors": any(b.errors for b in bound),
                }
            )
        return groups

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        keys = set(translation_keys(self.translated_fields))
        context["fields"] = [(f, e) for f, e in context["fields"] if f.name not in keys]
        context["translation_groups"] = self.translation_groups()
        context["translation_legend"] = _(
            "Übersetzungen (freiwillig): Was leer bleibt, sehen Leserinnen und Leser auf Deutsch."
        )
        return context


def _copy_field(base: forms.Field) -> forms.Field:
    import copy

    field = copy.deepcopy(base)
    field.widget = copy.deepcopy(base.widget)
    return field


def translation_inputs(obj: Any, fields: list[str], id_prefix: str) -> SafeString:
    """The inputs of ``kk_translation_inputs``: per other language a ``<details>`` with one input
    (``<textarea>`` for text fields) per field, filled with the stored translation."""
    from django.db import models

    groups = []
    for code in OTHER_LANGUAGES:
        name = language_name(code)
        rows = []
        for field in fields:
            model_field = obj._meta.get_field(field)
            key = f"{field}_{code}"
            value = getattr(obj, key, None) or ""
            input_id = f"{id_prefix}-{key}"
            attrs = language_attrs(code)
            label = format_html(
                '<label class="kern-label" for="{}">{} ({})</label>', input_id, model_field.verbose_name, name
            )
            if isinstance(model_field, models.TextField):
                widget = format_html(
                    '<textarea class="kern-form-input__input" id="{}" name="{}" rows="2" lang="{}" dir="{}">{}</textarea>',
                    input_id,
                    key,
                    attrs["lang"],
                    attrs["dir"],
                    value,
                )
            else:
                widget = format_html(
                    '<input class="kern-form-input__input" id="{}" name="{}" value="{}" maxlength="{}" lang="{}" dir="{}">',
                    input_id,
                    key,
                    value,
                    model_field.max_length or 200,
                    attrs["lang"],
                    attrs["dir"],
                )
            rows.append(format_html('<div class="kern-form-input">{}{}</div>', label, widget))
        filled = sum(1 for field in fields if getattr(obj, f"{field}_{code}", None))
        summary = format_html("{} ({})", name, filled) if filled else name
        groups.append(
            format_html(
                '<details class="kk-translation"><summary>{}</summary>{}</details>',
                summary,
                format_html_join("", "{}", ((r,) for r in rows)),
            )
        )
    return format_html(
        '<fieldset class="kern-fieldset kk-translations"><legend class="kern-label">{}</legend>{}</fieldset>',
        _("Übersetzungen (freiwillig): Was leer bleibt, sehen Leserinnen und Leser auf Deutsch."),
        format_html_join("", "{}", ((g,) for g in groups)),
    )
