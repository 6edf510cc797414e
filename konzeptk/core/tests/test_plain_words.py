"""Issue 13: plain German on the pages. A technical term ("Steuerrad", "Raking", "Segregationsindex",
"Brückenwert", "Stufe für …") appears only in a sentence that explains it, never as a bare label; no
stray space before a colon ("auf Kurs : 3"); counts inflect their noun ("mit 5 Stadtbezirke")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string

from konzeptk.participation.tests.conftest import city  # noqa: F401 – fixture

ROOT = Path(__file__).resolve().parents[2]
JARGON = ("Steuerrad", "Raking", "Segregationsindex", "Brückenwert", "Stufe für")
#: a string shorter than this is a label, not a sentence that explains the term
EXPLAINED = 60


def _ui_strings() -> list[tuple[str, str]]:
    found = []
    pattern = re.compile(r'(?:\{% translate|_\()\s*"([^"]+)"')
    for path in [*ROOT.glob("*/templates/**/*.html"), *ROOT.glob("*/forms.py")]:
        for text in pattern.findall(path.read_text()):
            found.append((str(path.relative_to(ROOT)), text))
    return found


def test_technical_terms_stand_only_in_sentences_that_explain_them() -> None:
    bare = [
        (where, text)
        for where, text in _ui_strings()
        if any(term in text for term in JARGON) and len(text) < EXPLAINED
    ]
    assert not bare


def test_a_status_badge_is_followed_directly_by_its_colon() -> None:
    html = render_to_string("strategy/_status.html", {"status": "on_track", "label": "auf Kurs"}) + ": 3"
    assert "auf Kurs</span>: 3" in html


@pytest.mark.django_db
def test_the_map_caption_inflects_the_number_of_districts(city: Any) -> None:  # noqa: F811
    from django.utils import translation

    from konzeptk.city.selectors import active_profile
    from konzeptk.city.views import city_map_context

    profile = active_profile()
    layer = profile.layers.first()
    layer.name = "5 Stadtbezirke (ab 1.11.2025)"
    districts = list(layer.districts.all())
    with translation.override("de"):
        caption = city_map_context(profile, layer, districts)["caption"]
    assert f"mit {len(districts)} Gebieten der Ebene „5 Stadtbezirke (ab 1.11.2025)“." in caption
    with translation.override("de"):
        caption = city_map_context(profile, layer, districts[:1])["caption"]
    assert "mit 1 Gebiet der Ebene" in caption
