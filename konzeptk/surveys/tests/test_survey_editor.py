"""Staff set up the questionnaire of a survey phase without the admin: settings, questions of every
kind with choices, order; bad input gives messages; once answered, only wording may be fixed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from konzeptk.accounts.models import Membership, User
from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.core.errors import DomainError
from konzeptk.participation import services as participation_services
from konzeptk.participation.models import Phase
from konzeptk.participation.tests.conftest import NOW
from konzeptk.participation.tests.factories import ProcessFactory
from konzeptk.surveys import rules, services
from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey

pytestmark = pytest.mark.usefixtures("frozen")

XSS = "<script>alert(1)</script>"


@pytest.fixture
def phase(editor: Any) -> Phase:
    process = ProcessFactory(organiser=editor.memberships.get().organisation, slug="digitale-bildung")
    return Phase.objects.create(
        process=process, type="survey", start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(days=20)
    )


def _edit_url(survey: Survey) -> str:
    return reverse("surveys:survey_edit", kwargs={"slug": survey.process.slug, "pk": survey.pk})


def _question(prefix: str = "neu", **values: Any) -> dict[str, Any]:
    data = {
        "text": "Wie oft nutzen Sie die Mediothek?",
        "help_text": "",
        "kind": "single",
        "required": "on",
        "choices": "nie\nmonatlich\nwöchentlich",
        "scale_min": "1",
        "scale_max": "5",
        "scale_low_label": "",
        "scale_high_label": "",
        **values,
    }
    if data.get("required") is None:
        del data["required"]
    return {f"{prefix}-{k}": v for k, v in data.items()}


def _add(client: Client, survey: Survey, **values: Any) -> Any:
    return client.post(_edit_url(survey), {"action": "add", **_question(**values)})


def _survey(phase: Phase, editor: Any, **kwargs: Any) -> Survey:
    survey: Survey = services.survey_create(phase=phase, by=editor, title="Digitale Bildung", **kwargs)
    return survey


def test_editor_builds_a_questionnaire_of_every_kind(client: Client, editor: Any, phase: Phase) -> None:
    client.force_login(editor)
    process = phase.process
    phases_html = client.get(f"/beteiligung/{process.slug}/phasen/").content.decode()
    new_url = reverse("surveys:survey_new", kwargs={"slug": process.slug, "phase": phase.pk})
    assert new_url in phases_html
    assert "noch keinen Fragebogen" in phases_html
    page = client.get(new_url).content.decode()
    assert "eine Antwort pro Browser, nicht pro Person" in page  # the honest note
    response = client.post(new_url, {"title": "", "intro": "x"})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    response = client.post(
        new_url, {"title": XSS + "Digitale Bildung", "intro": "Fünf Minuten.", "allows_anonymous": "on"}
    )
    survey = Survey.objects.get(process=process)
    assert response.status_code == 302
    assert response["Location"] == _edit_url(survey)
    assert survey.allows_anonymous
    assert survey.phase == phase
    html = client.get(_edit_url(survey)).content.decode()
    assert "&lt;script&gt;" in html
    assert XSS not in html
    assert "noch keine Fragen" in html

    assert _add(client, survey).status_code == 302
    assert _add(client, survey, kind="multiple", text="Welche Angebote?", required=None).status_code == 302
    assert (
        _add(
            client,
            survey,
            kind="scale",
            text="Wie sicher fühlen Sie sich online?",
            choices="",
            scale_min="0",
            scale_max="10",
            scale_low_label="gar nicht",
            scale_high_label="völlig",
        ).status_code
        == 302
    )
    assert (
        _add(client, survey, kind="text", text="Was fehlt?", choices="ignored", required=None).status_code
        == 302
    )
    assert (
        _add(
            client, survey, kind="ranking", text="Was ist am wichtigsten?", choices="WLAN\nKurse\n\nGeräte\n"
        ).status_code
        == 302
    )
    questions = list(survey.questions.order_by("order"))
    assert [q.kind for q in questions] == ["single", "multiple", "scale", "text", "ranking"]
    assert [q.required for q in questions] == [True, False, True, False, True]
    assert [c.text for c in questions[0].choices.all()] == ["nie", "monatlich", "wöchentlich"]
    assert not questions[3].choices.exists()  # free text has no choices
    assert [c.text for c in questions[4].choices.all()] == ["WLAN", "Kurse", "Geräte"]
    assert (questions[2].scale_min, questions[2].scale_max) == (0, 10)

    # change: rename a choice, drop one, add one (no answers yet)
    single = questions[0]
    response = client.post(
        _edit_url(survey),
        {
            "action": "change",
            "question": single.pk,
            **_question(f"q{single.pk}", choices="nie\nselten\noft\nsehr oft"),
        },
    )
    assert response.status_code == 302
    assert [c.text for c in single.choices.all()] == ["nie", "selten", "oft", "sehr oft"]

    # order: move the ranking up, the single choice down
    ranking = questions[4]
    client.post(_edit_url(survey), {"action": "up", "question": ranking.pk})
    client.post(_edit_url(survey), {"action": "down", "question": single.pk})
    assert list(survey.questions.order_by("order").values_list("kind", flat=True)) == [
        "multiple",
        "single",
        "scale",
        "ranking",
        "text",
    ]
    html = client.get(_edit_url(survey)).content.decode()
    assert html.count('value="up"') == 4
    assert html.count('value="down"') == 4

    # the public page asks the scale from 0 to 10 and takes 0 as an answer
    client.logout()
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "Die Umfrage läuft vom 14. Mai 2025 bis zum 4. Juni 2025, 14:00 Uhr." in page  # when to come back
    assert "0 – gar nicht" in page
    assert "10 – völlig" in page
    scale = survey.questions.get(kind="scale")
    data: dict[str, Any] = {
        f"q{survey.questions.get(kind='single').pk}": str(single.choices.first().pk),  # type: ignore[union-attr]
        f"q{scale.pk}": "0",
    }
    for place, choice in enumerate(ranking.choices.all(), start=1):
        data[f"q{ranking.pk}_c{choice.pk}"] = str(place)
    response = client.post(survey.get_absolute_url(), data)
    assert response.status_code == 302, response.content.decode()
    assert Answer.objects.get(question=scale).value == 0
    response = client.post(survey.get_absolute_url(), {**data, f"q{scale.pk}": "11"})
    assert response.status_code in (400, 409)
    api = client.get(f"/api/v1/participation/surveys/{survey.pk}/results").json()
    asked = next(q for q in api["questions"] if q["kind"] == "scale")
    assert (asked["scale_min"], asked["scale_max"]) == (0, 10)
    assert next(q for q in api["questions"] if q["kind"] == "single")["scale_min"] is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"text": "   "}, "Dieses Feld ist zwingend erforderlich."),
        ({"text": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"choices": ""}, "mindestens zwei Antwortmöglichkeiten"),
        ({"choices": "nur eine"}, "mindestens zwei Antwortmöglichkeiten"),
        ({"choices": "ja\nJa"}, "nur einmal vorkommen"),
        ({"kind": "ranking", "choices": "\n".join(str(i) for i in range(11))}, "höchstens 10"),
        ({"choices": "a\n" + "b" * 201}, "höchstens 200 Zeichen"),
        ({"kind": "scale", "scale_min": "5", "scale_max": "5"}, "von einem kleineren zu einem größeren Wert"),
        ({"kind": "scale", "scale_min": "7", "scale_max": "3"}, "von einem kleineren zu einem größeren Wert"),
        ({"kind": "scale", "scale_max": "11"}, "kleiner oder gleich 10"),
        ({"kind": "scale", "scale_min": "eins"}, "ganze Zahl"),
        ({"kind": "essay"}, "keine gültige Auswahl"),
        ({"text": "x" * 1_000_000}, "höchstens 500 Zeichen"),
        ({"scale_low_label": "x" * 81}, "höchstens 80 Zeichen"),
    ],
)
def test_bad_questions_are_refused_with_a_message(
    client: Client, editor: Any, phase: Phase, values: dict[str, Any], message: str
) -> None:
    survey = _survey(phase, editor)
    client.force_login(editor)
    response = _add(client, survey, **values)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert not survey.questions.exists()


def test_service_validates_again(editor: Any, phase: Phase) -> None:
    survey = _survey(phase, editor)
    with pytest.raises(ValidationError) as raised:
        services.question_save(
            survey=survey, by=editor, text=" \x00 ", kind="single", choices=["a"], scale_max=0
        )
    assert raised.value.message_dict["text"] == ["Bitte füllen Sie das Feld „Frage“ aus."]
    assert "mindestens zwei" in raised.value.message_dict["choices"][0]
    assert "scale_max" not in raised.value.message_dict  # the scale range counts for scales only
    with pytest.raises(ValidationError) as raised:
        services.question_save(
            survey=survey, by=editor, text="Skala", kind="scale", scale_min=-1, scale_max=3
        )
    assert "scale_max" in raised.value.message_dict
    assert not survey.questions.exists()


def test_script_in_texts_is_stored_as_text_and_escaped(client: Client, editor: Any, phase: Phase) -> None:
    survey = _survey(phase, editor)
    client.force_login(editor)
    _add(client, survey, text=XSS + "Frage", help_text=XSS, choices=f"{XSS}\n<b>fett</b>")
    _add(client, survey, text="Frei", kind="text", help_text=XSS + "&", required=None)
    _add(client, survey, text="Rang", kind="ranking", help_text=XSS + "&", required=None)
    question = survey.questions.get(text__endswith="Frage")
    assert question.text == XSS + "Frage"
    for url in (_edit_url(survey), survey.get_absolute_url()):
        html = client.get(url).content.decode()
        assert XSS not in html
        assert "<b>fett</b>" not in html
        assert "&lt;script&gt;" in html
        assert "&amp;amp;" not in html  # escaped once, not twice
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp; (freiwillig)" in html


def test_settings_and_million_character_intro(client: Client, editor: Any, phase: Phase) -> None:
    survey = _survey(phase, editor)
    client.force_login(editor)
    response = client.post(
        _edit_url(survey), {"action": "settings", "title": "Neu", "intro": "x" * 1_000_000}
    )
    assert response.status_code == 400
    assert "höchstens 10000 Zeichen" in response.content.decode()
    survey.refresh_from_db()
    assert survey.title == "Digitale Bildung"
    response = client.post(
        _edit_url(survey),
        {"action": "settings", "title": "Bildung für alle", "intro": "Bitte", "allows_anonymous": "on"},
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.intro, survey.allows_anonymous) == ("Bildung für alle", "Bitte", True)
    response = client.post(_edit_url(survey), {"action": "bogus"})
    assert response.status_code == 400


def _answered(phase: Phase, editor: Any) -> tuple[Survey, Question, Question]:
    survey = _survey(phase, editor)
    single = services.question_save(
        survey=survey, by=editor, text="Wie oft?", kind="single", choices=["nie", "monatlich", "wochentlich"]
    )
    scale = services.question_save(survey=survey, by=editor, text="Wie sicher?", kind="scale", scale_max=7)
    services.survey_answer(
        survey=survey,
        user=UserFactory(),
        browser_token="",
        answers={single.pk: single.choices.get(text="wochentlich").pk, scale.pk: 7},
    )
    return survey, single, scale


def test_answered_questionnaire_is_locked_except_wording(client: Client, editor: Any, phase: Phase) -> None:
    survey, single, scale = _answered(phase, editor)
    client.force_login(editor)
    html = client.get(_edit_url(survey)).content.decode()
    assert "schon 1-mal beantwortet" in html
    assert "Tippfehler" in html
    assert 'value="add"' not in html
    assert 'value="delete"' not in html
    assert "delete_survey" not in html

    def change(question: Question, **values: Any) -> Any:
        base = {
            "text": question.text,
            "kind": question.kind,
            "choices": "\n".join(c.text for c in question.choices.all()),
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
        }
        return client.post(
            _edit_url(survey),
            {
                "action": "change",
                "question": question.pk,
                **_question(f"q{question.pk}", **{**base, **values}),
            },
        )

    for values, message in (
        ({"kind": "multiple"}, "lässt sich das nicht mehr ändern"),
        ({"required": None}, "lässt sich das nicht mehr ändern"),
        ({"choices": "nie\nmonatlich"}, "Zahl der Antwortmöglichkeiten nicht mehr ändern (3)"),
        ({"choices": "nie\nmonatlich\nwöchentlich\ntäglich"}, "Zahl der Antwortmöglichkeiten"),
        ({"choices": "monatlich\nnie\nwochentlich"}, "Reihenfolge der Antwortmöglichkeiten"),
    ):
        response = change(single, **values)
        assert response.status_code == 400, values
        assert message in response.content.decode()
    response = change(scale, scale_max="5")
    assert response.status_code == 400
    assert "lässt sich das nicht mehr ändern" in response.content.decode()

    # a typo fixed in place: the stored answer still points at the same choice
    answer_choice = Answer.objects.get(question=single).choice_id
    assert (
        change(single, text="Wie oft kommen Sie?", choices="nie\nmonatlich\nwöchentlich").status_code == 302
    )
    assert Choice.objects.get(pk=answer_choice).text == "wöchentlich"
    assert change(scale, scale_high_label="sehr sicher").status_code == 302

    # no new questions, no deleting; moving is allowed
    response = _add(client, survey)
    assert response.status_code == 403
    assert "Neue Fragen würden die Ergebnisse verzerren" in response.content.decode()
    assert client.post(_edit_url(survey), {"action": "delete", "question": single.pk}).status_code == 403
    assert client.post(_edit_url(survey), {"action": "delete_survey"}).status_code == 403
    assert client.post(_edit_url(survey), {"action": "down", "question": single.pk}).status_code == 302
    assert list(survey.questions.order_by("order")) == [scale, single]
    assert survey.questions.count() == 2
    assert Response.objects.filter(survey=survey).count() == 1

    # the phase keeps its questionnaire: not deleted, not turned into another kind of phase
    phases_url = f"/beteiligung/{phase.process.slug}/phasen/"
    client.post(phases_url, {"action": "delete", "phase": phase.pk})
    assert Phase.objects.filter(pk=phase.pk).exists()
    with pytest.raises(ValidationError):
        participation_services.phase_save(
            process=phase.process, by=editor, phase=phase, type="ballot", start=phase.start, end=phase.end
        )


def test_unanswered_question_and_survey_can_be_deleted(client: Client, editor: Any, phase: Phase) -> None:
    survey = _survey(phase, editor)
    question = services.question_save(survey=survey, by=editor, text="Was fehlt?", kind="text")
    client.force_login(editor)
    assert client.post(_edit_url(survey), {"action": "delete", "question": question.pk}).status_code == 302
    assert not survey.questions.exists()
    assert client.post(_edit_url(survey), {"action": "delete", "question": 999_999}).status_code == 404
    response = client.post(_edit_url(survey), {"action": "delete_survey"})
    assert response.status_code == 302
    assert not Survey.objects.filter(pk=survey.pk).exists()


def test_a_questionnaire_needs_a_survey_phase_and_questions(
    client: Client, editor: Any, phase: Phase
) -> None:
    process = phase.process
    other = Phase.objects.create(
        process=process,
        type="idea_collection",
        start=NOW + dt.timedelta(days=20),
        end=NOW + dt.timedelta(days=40),
    )
    client.force_login(editor)
    url = reverse("surveys:survey_new", kwargs={"slug": process.slug, "phase": other.pk})
    response = client.post(url, {"title": "Falsche Phase"})
    assert response.status_code == 400
    assert "Phase der Art „Umfrage“" in response.content.decode()
    survey = _survey(phase, editor)
    # empty questionnaires are not offered to the public and cannot be answered
    client.logout()
    assert survey.title not in client.get(process.get_absolute_url()).content.decode()
    resident = UserFactory()
    assert rules.survey_denial(resident, survey) == "Dieser Fragebogen hat noch keine Fragen."
    services.question_save(survey=survey, by=editor, text="Was fehlt?", kind="text")
    assert rules.survey_denial(resident, survey) is None
    assert survey.title in client.get(process.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("anonymous", False),
        ("resident", False),
        ("member", False),
        ("editor", True),
        ("moderator", True),
        ("admin", True),
        ("editor_elsewhere", False),
        ("staff", True),
    ],
)
def test_who_may_edit_questionnaires(client: Client, editor: Any, phase: Phase, who: str, may: bool) -> None:
    survey = _survey(phase, editor)
    user: Any
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "staff":
        user = UserFactory(platform_role=User.PlatformRole.STAFF)
    elif who == "editor_elsewhere":
        user = MembershipFactory(role=Membership.Role.EDITOR).user
    else:
        user = UserFactory()
        if who != "resident":
            Membership.objects.create(user=user, organisation=phase.process.organiser, role=who)
    assert user.has_perm("surveys.change_survey", survey) is may
    if user.is_authenticated:
        client.force_login(user)
    new_url = reverse("surveys:survey_new", kwargs={"slug": phase.process.slug, "phase": phase.pk})
    for url in (_edit_url(survey), new_url):
        response = client.get(url)
        assert response.status_code == (200 if may else 302 if who == "anonymous" else 403), url
    response = _add(client, survey)
    assert response.status_code == (302 if may else 302 if who == "anonymous" else 403)
    assert survey.questions.exists() is may
    if not may:
        with pytest.raises(DomainError):
            services.question_save(survey=survey, by=user, text="Frage", kind="text")


def test_editor_page_query_count_is_constant(
    client: Client, editor: Any, phase: Phase, django_assert_max_num_queries: Any
) -> None:
    survey = _survey(phase, editor)
    client.force_login(editor)

    def add(n: int) -> None:
        for i in range(n):
            services.question_save(
                survey=survey, by=editor, text=f"Frage {i}", kind="multiple", choices=["a", "b", "c"]
            )

    add(2)
    client.get(_edit_url(survey))
    with django_assert_max_num_queries(20) as few:
        assert client.get(_edit_url(survey)).status_code == 200
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(_edit_url(survey)).content.decode()
    assert "Frage 14" in html


def test_profile_links_participation_pages(client: Client, editor: Any) -> None:
    resident = UserFactory()
    client.force_login(resident)
    html = client.get(reverse("accounts:profile")).content.decode()
    for name in ("accounts:verification", "notifications:inbox", "notifications:settings"):
        assert reverse(name) in html
    assert reverse("participation:staff_processes") not in html
    assert reverse("accounts:verification_staff") not in html
    client.force_login(editor)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("participation:staff_processes") in html
    assert reverse("accounts:verification_staff") not in html
    client.force_login(UserFactory(platform_role=User.PlatformRole.STAFF))
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("participation:staff_processes") in html
    assert reverse("accounts:verification_staff") in html
