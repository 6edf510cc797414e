"""Content staff enter, in the reader's language: ``{% kk_text obj "title" %}``.

Translatable fields are registered with django-modeltranslation in each app's ``translation.py``
(one column per language, ``title_de`` … ``title_uk``). The tag shows the active language's text;
where it is empty it shows the German text, marked ``lang="de"`` and isolated with ``dir="ltr"``
so Arabic pages lay it out right, followed by a short visible hint that it is German.
A field that is not registered for translation is German content and is marked the same way.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def content_in_language(obj: Any, field: str, lang: str | None = None) -> tuple[str, str]:
    """The field's text and the language it is in: the active language's, else German."""
    lang = (lang or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    own = getattr(obj, f"{field}_{lang}", None)
    if own:
        return str(own), lang
    german = getattr(obj, f"{field}_{settings.LANGUAGE_CODE}", None)
    if german is None:  # not registered for translation: the German original
        german = getattr(obj, field, "")
    return str(german or ""), settings.LANGUAGE_CODE


@register.simple_tag
def kk_text(obj: Any, field: str, block: bool = False) -> SafeString:
    """The text of ``obj.<field>`` for the reader; ``block=True`` renders paragraphs."""
    text, lang = content_in_language(obj, field)
    active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    body = mark_safe(linebreaks(text, autoescape=True)) if block else conditional_escape(text)
    if lang == active or not text:
        return body if block else format_html("{}", body)
    hint = _("auf Deutsch")
    if block:
        return format_html(
            '<div lang="de" dir="ltr" class="kk-fallback">{}<p class="kk-lang-hint" lang="{}">({})</p></div>',
            body,
            active,
            hint,
        )
    return format_html(
        '<span lang="de" dir="ltr" class="kk-fallback">{}</span> <small class="kk-lang-hint" lang="{}">({})</small>',
        body,
        active,
        hint,
    )
