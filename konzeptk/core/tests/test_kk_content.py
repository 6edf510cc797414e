"""``{% kk_text %}``: content in the reader's language, or German marked as German (issue 13)."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from konzeptk.core.content import (
    ContentLabel,
    content_fields,
    content_translations,
    option_language_attrs,
    translations_from,
)
from konzeptk.core.templatetags.kk_content import kk_plain, kk_text

ITEM = SimpleNamespace(
    title_de="Radwege <sicher>", title_en="", title_ar="مسارات آمنة", text_de="Absatz eins.\n\nAbsatz zwei."
)


def test_translated_text_without_mark_or_hint() -> None:
    with translation.override("ar"):
        assert kk_text(ITEM, "title") == "مسارات آمنة"


def test_german_fallback_is_marked_isolated_and_hinted() -> None:
    with translation.override("en"):
        html = kk_text(ITEM, "title")
    assert html == (
        '<bdi lang="de" dir="ltr" class="kk-fallback">Radwege &lt;sicher&gt;</bdi>'
        ' <small class="kk-lang-hint">(in German)</small>'  # the hint speaks the reader's language
    )


def test_block_fallback_keeps_paragraphs_and_puts_the_hint_below() -> None:
    with translation.override("ar"):
        html = kk_text(ITEM, "text", block=True)
    assert html.startswith(
        '<div class="kk-fallback kk-fallback--block"><div lang="de" dir="ltr"><p>Absatz eins.</p>'
    )
    assert html.endswith('<p class="kk-lang-hint">(بالألمانية)</p></div>')


def test_german_page_never_marks() -> None:
    with translation.override("de"):
        assert kk_text(ITEM, "title") == "Radwege &lt;sicher&gt;"


def test_unregistered_field_counts_as_german_and_empty_gives_the_default() -> None:
    plain = SimpleNamespace(name="Stadtwerke")
    with translation.override("tr"):
        assert 'lang="de"' in kk_text(plain, "name")
        assert kk_text(SimpleNamespace(title_de="", title_tr=""), "title", default="Ideen <sammeln>") == (
            "Ideen &lt;sammeln&gt;"
        )
        assert kk_plain(ITEM, "title") == "Radwege <sicher>"


def test_truncate_and_the_template_tag_with_as() -> None:
    template = Template(
        '{% load i18n kk_content %}{% kk_text item "title" as t %}{% blocktranslate with title=t %}„{{ title }}“{% endblocktranslate %}'
        '|{% kk_text item "title" truncate=6 %}'
    )
    with translation.override("en"):
        html = template.render(Context({"item": ITEM}))
    assert html.startswith('„<bdi lang="de" dir="ltr" class="kk-fallback">Radwege &lt;sicher&gt;</bdi>')
    assert '|<bdi lang="de" dir="ltr" class="kk-fallback">Radwe…</bdi>' in html


def test_choice_labels_know_their_language() -> None:
    with translation.override("tr"):
        assert option_language_attrs(ContentLabel("Abfall", "de")) == ' lang="de" dir="ltr"'
        assert option_language_attrs(ContentLabel("Atık", "tr")) == ""
        assert option_language_attrs("Abfall") == ""


def test_service_helpers_write_german_and_only_known_translations() -> None:
    values = content_fields(german={"title": "Titel"}, translations={"title_tr": " Başlık ", "slug_en": "x"})
    assert values == {"title_de": "Titel", "title_tr": "Başlık"}
    assert content_translations(ITEM, ["title"])["title_ar"] == "مسارات آمنة"
    table = {"Abfall": {"en": "Waste", "tr": "Atık", "de": "ignoriert"}}
    assert translations_from(table, {"name": "Abfall", "description": ""}) == {
        "name_en": "Waste",
        "name_tr": "Atık",
    }
