"""Content staff enter, in the reader's language: ``{% kk_text obj "title" %}``.

Translatable fields are registered with django-modeltranslation in each app's ``translation.py``
(one column per language, ``title_de`` … ``title_uk``). The tag shows the active language's text;
where it is empty it shows the German text, marked ``lang="de"`` and isolated with ``dir="ltr"``
(an element with ``dir`` is isolated from the text around it, so a German sentence keeps its full
stop at the end on an Arabic page), followed by a short visible hint that it is German.
A field that is not registered for translation is German content and is marked the same way.

- ``{% kk_text obj "title" %}`` – inline (``<span>``); ``block=True`` renders paragraphs (``<div>``).
- ``{% kk_text obj "title" as title %}`` – keep it for a ``{% blocktranslate with title=title %}``
  sentence, so German text inside a translated sentence is isolated as well.
- ``{% kk_plain obj "title" %}`` – the bare text for places that cannot hold markup (``<title>``,
  ``alt``, ``aria-label``, ``<option>``).
- ``content_in_language(obj, field)`` – the same choice in Python, with the language of the text
  (forms mark German options with ``lang="de"``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from konzeptk.core.content import active_language, content_in_language, translation_inputs

register = template.Library()


def is_fallback(obj: Any, field: str) -> bool:
    """True if the reader gets the German text of ``field`` instead of their own language."""
    text, lang = content_in_language(obj, field)
    return bool(text) and lang != active_language()


def german_hint() -> str:
    """The short visible hint after German text on a page in another language."""
    return _("auf Deutsch")


@register.simple_tag
def kk_plain(obj: Any, field: str, default: Any = "") -> str:
    """The bare text of ``obj.<field>`` for the reader (no markup; autoescaped by the template)."""
    return content_in_language(obj, field)[0] or str(default or "")


@register.simple_tag
def kk_text(obj: Any, field: str, block: bool = False, default: Any = "", truncate: int = 0) -> SafeString:
    """The text of ``obj.<field>`` for the reader; ``block=True`` renders paragraphs.

    ``default`` is shown (escaped, unmarked) where the field is empty in every language, e.g. a
    phase without its own name shows the name of its type from the UI translations.
    ``truncate`` shortens the text to so many characters (with "…").
    """
    text, lang = content_in_language(obj, field)
    if truncate:
        text = Truncator(text).chars(truncate)
    if not text:
        return conditional_escape(default or "")
    active = active_language()
    body = mark_safe(linebreaks(text, autoescape=True)) if block else conditional_escape(text)
    if lang == active or not text:
        return body if block else format_html("{}", body)
    if block:
        return format_html(
            '<div class="kk-fallback kk-fallback--block"><div lang="de" dir="ltr">{}</div>'
            '<p class="kk-lang-hint">({})</p></div>',
            body,
            german_hint(),
        )
    return format_html(
        '<bdi lang="de" dir="ltr" class="kk-fallback">{}</bdi> <small class="kk-lang-hint">({})</small>',
        body,
        german_hint(),
    )


@register.simple_tag
def kk_translation_inputs(obj: Any, fields: str, *id_parts: Any) -> SafeString:
    """For hand-written staff forms: per other language a ``<details>`` with an input per field.

    ``fields`` is comma-separated (``"title,description"``); the inputs are named ``title_en`` …
    and carry ``lang``/``dir``; their ids start with the ``id_parts`` joined by ``-``. A view reads
    them with a ``TranslatedFieldsMixin`` form.
    """
    id_prefix = "-".join(str(part) for part in id_parts) or "tr"
    return translation_inputs(obj, [f.strip() for f in fields.split(",") if f.strip()], id_prefix)
