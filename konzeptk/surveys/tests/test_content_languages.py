"""Questionnaires in the residents' languages: questions, hints, scale labels and answer options."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from konzeptk.participation.models import Phase
from konzeptk.participation.tests.conftest import NOW
from konzeptk.participation.tests.factories import ProcessFactory
from konzeptk.surveys import services
from konzeptk.surveys.models import Question, Survey

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def survey(editor: Any) -> Survey:
    process = ProcessFactory(organiser=editor.memberships.get().organisation, slug="digitale-bildung")
    phase = Phase.objects.create(
        process=process, type="survey", start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(days=20)
    )
    created: Survey = services.survey_create(
        phase=phase, by=editor, title="Digitale Bildung", allows_anonymous=True
    )
    return created


def _edit_url(survey: Survey) -> str:
    return reverse("surveys:survey_edit", kwargs={"slug": survey.process.slug, "pk": survey.pk})


def test_staff_enter_a_question_with_its_choices_in_six_languages(
    client: Client, editor: Any, survey: Survey
) -> None:
    client.force_login(editor)
    data = {
        "action": "add",
        "neu-text": "Wie alt sind Sie?",
        "neu-kind": "single",
        "neu-required": "on",
        "neu-choices": "unter 18\n18 bis 29\n30 und älter",
        "neu-text_tr": "Kaç yaşındasınız?",
        "neu-choices_tr": "18 yaşından küçük\n18–29\n30 ve üzeri",
        "neu-text_ar": "كم عمرك؟",
        "neu-choices_ar": "أقل من 18\nمن 18 إلى 29",  # the third line is missing: German
        "neu-text_en": "How old are you?",
        "neu-text_pl": "Ile ma Pan/Pani lat?",
        "neu-text_uk": "Скільки вам років?",
    }
    response = client.post("/en" + _edit_url(survey), data)
    assert response.status_code == 302
    question = Question.objects.get(survey=survey)
    assert (question.text_de, question.text_tr, question.text_uk) == (
        "Wie alt sind Sie?",
        "Kaç yaşındasınız?",
        "Скільки вам років?",
    )
    choices = list(question.choices.order_by("order"))
    assert [c.text_de for c in choices] == ["unter 18", "18 bis 29", "30 und älter"]
    assert [c.text_tr for c in choices] == ["18 yaşından küçük", "18–29", "30 ve üzeri"]
    assert [c.text_ar for c in choices] == ["أقل من 18", "من 18 إلى 29", ""]
    # the editor shows the stored translations again, one option per line
    editor_page = client.get(_edit_url(survey)).content.decode()
    assert "18 yaşından küçük\n18–29\n30 ve üzeri</textarea>" in editor_page
    arabic = re.search(r'<textarea[^>]*name="q\d+-choices_ar"[^>]*>', editor_page)
    assert arabic
    assert 'dir="rtl"' in arabic.group(0)

    # residents: Turkish throughout; in Arabic the missing option is German, marked
    turkish = client.get(f"/tr/beteiligung/{survey.process.slug}/umfragen/{survey.pk}/").content.decode()
    assert "Kaç yaşındasınız?" in turkish
    assert "30 ve üzeri" in turkish
    assert "kk-fallback" not in turkish.split("novalidate>")[1]
    arabic_page = client.get(f"/ar/beteiligung/{survey.process.slug}/umfragen/{survey.pk}/").content.decode()
    assert "كم عمرك؟" in arabic_page
    assert '<bdi lang="de" dir="ltr" class="kk-fallback">30 und älter</bdi>' in arabic_page
