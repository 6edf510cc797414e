"""Every registered public page renders in every UI language, with the right lang and dir."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from konzeptk.core.a11y import NOT_FOUND_PATH
from konzeptk.core.tests.browser import in_language, registered_pages

# Words that would show English text leaking into the German interface (e.g. an untranslated
# library template). Checked as whole words in the visible page.
ENGLISH_LEFTOVERS = [
    "Sign In",
    "Sign Up",
    "Forgot Password",
    "Remember Me",
    "Password",
    "Submit",
    "Search",
    "Next",
]


# German number formatting inside SVG attributes breaks every chart and map ("400,7" is no number).
LOCALIZED_SVG_NUMBER = re.compile(r'\s(?:x|y|cx|cy|x1|x2|y1|y2|width|height|r)="-?\d+,\d+"')


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<[^>]*\blang="(?!de)[a-z-]+"[^>]*>.*?</[a-z]+>', " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_every_public_page_renders_in_every_language() -> None:
    paths = registered_pages()
    assert "/" in paths
    client = Client()
    problems = []
    for language, _name in settings.LANGUAGES:
        for path in paths:
            url = in_language(path, language)
            response = client.get(url)
            expected = 404 if path == NOT_FOUND_PATH else 200
            if response.status_code != expected:
                problems.append(f"{url}: {response.status_code}")
                continue
            html = response.content.decode()
            direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
            if f'<html lang="{language}" dir="{direction}"' not in html:
                problems.append(f"{url}: lang/dir fehlen")
            if LOCALIZED_SVG_NUMBER.search(html):
                problems.append(f"{url}: SVG-Koordinate mit Dezimalkomma (localize off fehlt)")
            if language == settings.LANGUAGE_CODE:
                text = _visible_text(html)
                leaks = [w for w in ENGLISH_LEFTOVERS if re.search(rf"\b{w}\b", text)]
                if leaks:
                    problems.append(f"{url}: englische Reste {leaks}")
    assert not problems, "\n".join(problems)
