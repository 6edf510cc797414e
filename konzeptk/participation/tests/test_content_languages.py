"""Processes, phases and answers in the residents' languages (issue 13, "Content stays German").

Staff enter the German text and, beside it, the five other languages; residents read their own
language, or the German text marked as German (lang="de", isolated, with a visible hint).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from konzeptk.accounts.models import Level
from konzeptk.participation.models import Idea, Phase, Process
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory

from .conftest import phases_around

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "tr", "ar", "pl", "uk")


def test_arabic_process_page_marks_untranslated_text_and_shows_translated_text_plainly(
    client: Client, city: Any
) -> None:
    process = ProcessFactory(title="Radverkehr 2026", teaser="Wo fehlen Radwege?")
    process.teaser_ar = "أين تنقص مسارات الدراجات؟"
    process.save()
    phases_around(process, "idea_collection", "results")
    html = client.get(f"/ar/beteiligung/{process.slug}/").content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1
    assert '<bdi lang="de" dir="ltr" class="kk-fallback">Radverkehr 2026</bdi>' in h1.group(1)
    assert 'class="kk-lang-hint"' in h1.group(1)
    teaser = re.search(r'<p class="kern-body kern-body--large">(.*?)</p>', html, re.S)
    assert teaser
    assert teaser.group(1) == "أين تنقص مسارات الدراجات؟"
    # the process list too
    listing = client.get("/ar/beteiligung/").content.decode()
    assert '<bdi lang="de" dir="ltr" class="kk-fallback">Radverkehr 2026</bdi>' in listing
    # in German nothing is marked
    assert "kk-fallback" not in client.get(f"/beteiligung/{process.slug}/").content.decode()


def test_german_answer_on_an_arabic_page_keeps_its_full_stop_at_the_end(client: Client, city: Any) -> None:
    """The ".aufgegriffen" bug: a German sentence inside an Arabic page is isolated left to right."""
    idea = IdeaFactory(status=Idea.Status.ACCEPTED)
    idea.answer_de = "Die Idee wird im Handlungsprogramm aufgegriffen."
    idea.save()
    phases_around(idea.process, "idea_collection")
    html = client.get(f"/ar/beteiligung/{idea.process.slug}/ideen/{idea.pk}/").content.decode()
    assert (
        '<div class="kk-fallback kk-fallback--block"><div lang="de" dir="ltr"><p>Die Idee wird im '
        "Handlungsprogramm aufgegriffen.</p></div>"
    ) in html
    idea.answer_ar = "ستُدرَج الفكرة في برنامج العمل."
    idea.save()
    html = client.get(f"/ar/beteiligung/{idea.process.slug}/ideen/{idea.pk}/").content.decode()
    assert "<p>ستُدرَج الفكرة في برنامج العمل.</p>" in html
    assert "aufgegriffen" not in html


def test_staff_form_saves_all_six_languages_whatever_the_interface_language(
    client: Client, editor: Any, city: Any
) -> None:
    process = ProcessFactory(organiser=editor.memberships.get().organisation, title="Alt")
    phases_around(process, "idea_collection")
    client.force_login(editor)
    form = client.get(f"/en/beteiligung/{process.slug}/bearbeiten/").content.decode()
    # German first, then a <details> per language with lang and dir on each input
    assert form.count('<details class="kk-translation"') == 5
    arabic = re.search(r'<input[^>]*name="title_ar"[^>]*>', form)
    assert arabic
    assert 'lang="ar"' in arabic.group(0)
    assert 'dir="rtl"' in arabic.group(0)
    data = {
        "title": "Radwege 2026",
        "teaser": "Wo fehlen Radwege?",
        "description": "",
        "status": Process.Status.PUBLISHED,
        "idea_level": Level.EMAIL,
        "comment_level": Level.EMAIL,
        "support_level": Level.EMAIL,
        "vote_level": Level.RESIDENT,
        **{f"title_{code}": f"Titel {code}" for code in LANGUAGES},
        "teaser_tr": "Bisiklet yolları nerede eksik?",
    }
    response = client.post(f"/en/beteiligung/{process.slug}/bearbeiten/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    process.refresh_from_db()
    assert process.title_de == "Radwege 2026"  # the English interface did not write German into title_en
    assert [getattr(process, f"title_{code}") for code in LANGUAGES] == [
        f"Titel {code}" for code in LANGUAGES
    ]
    assert (process.teaser_de, process.teaser_tr, process.teaser_en) == (
        "Wo fehlen Radwege?",
        "Bisiklet yolları nerede eksik?",
        "",
    )
    with translation.override("tr"):
        assert process.teaser == "Bisiklet yolları nerede eksik?"
    # the form shows what is stored, German in the German field
    again = client.get(f"/en/beteiligung/{process.slug}/bearbeiten/").content.decode()
    assert re.search(r'<input[^>]*name="title"[^>]*value="Radwege 2026"', again)
    assert re.search(r'<input[^>]*name="title_uk"[^>]*value="Titel uk"', again)


def test_phase_names_in_the_phase_editor_and_on_the_page(client: Client, editor: Any, city: Any) -> None:
    process = ProcessFactory(organiser=editor.memberships.get().organisation)
    client.force_login(editor)
    url = f"/beteiligung/{process.slug}/phasen/"
    response = client.post(
        url,
        {
            "action": "add",
            "neu-type": "idea_collection",
            "neu-name": "Ideen sammeln",
            "neu-name_pl": "Zbieranie pomysłów",
            "neu-start": "2025-05-01T00:00",
            "neu-end": "2030-05-30T00:00",
        },
    )
    assert response.status_code == 302
    phase = Phase.objects.get(process=process)
    assert (phase.name_de, phase.name_pl, phase.name_en) == ("Ideen sammeln", "Zbieranie pomysłów", "")
    assert "Zbieranie pomysłów" in client.get(f"/pl/beteiligung/{process.slug}/").content.decode()
    english = client.get(f"/en/beteiligung/{process.slug}/").content.decode()
    assert '<bdi lang="de" dir="ltr" class="kk-fallback">Ideen sammeln</bdi>' in english
