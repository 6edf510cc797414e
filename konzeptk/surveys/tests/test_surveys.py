"""Surveys: answering, one response per account or browser, phases, escaping, export, results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from konzeptk.accounts.models import Membership, User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.errors import DomainError
from konzeptk.participation.models import Phase
from konzeptk.participation.tests.factories import ProcessFactory
from konzeptk.surveys import rules, selectors, services
from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey

pytestmark = pytest.mark.django_db


def _survey(*, phase_type: str = "survey", anonymous: bool = True) -> Survey:
    process = ProcessFactory()
    now = timezone.now()
    phase = Phase.objects.create(
        process=process, type=phase_type, start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=9)
    )
    survey = Survey.objects.create(
        process=process,
        phase=phase,
        title="Digitale Bildung",
        intro="Bitte mitmachen.",
        allows_anonymous=anonymous,
    )
    single = Question.objects.create(survey=survey, text="Wie alt sind Sie?", kind="single", order=1)
    for i, text in enumerate(["unter 30", "30 bis 64", "65 und älter"]):
        Choice.objects.create(question=single, text=text, order=i)
    multi = Question.objects.create(
        survey=survey, text="Welche Angebote nutzen Sie?", kind="multiple", order=2, required=False
    )
    for i, text in enumerate(["Mediothek", "VHS", "Digitalcafé"]):
        Choice.objects.create(question=multi, text=text, order=i)
    Question.objects.create(
        survey=survey,
        text="Wie sicher fühlen Sie sich online?",
        kind="scale",
        order=3,
        scale_low_label="gar nicht",
        scale_high_label="sehr",
    )
    rank = Question.objects.create(survey=survey, text="Was ist am wichtigsten?", kind="ranking", order=4)
    for i, text in enumerate(["WLAN", "Kurse", "Geräte"]):
        Choice.objects.create(question=rank, text=text, order=i)
    Question.objects.create(survey=survey, text="Was fehlt?", kind="text", order=5, required=False)
    return survey


def _q(survey: Survey, kind: str) -> Question:
    return survey.questions.get(kind=kind)


def _post(survey: Survey, **overrides: Any) -> dict[str, Any]:
    single, multi, scale, rank, text = (
        _q(survey, k) for k in ("single", "multiple", "scale", "ranking", "text")
    )
    data: dict[str, Any] = {
        f"q{single.pk}": str(single.choices.all()[1].pk),
        f"q{multi.pk}": [str(c.pk) for c in multi.choices.all()[:2]],
        f"q{scale.pk}": "4",
        f"q{text.pk}": "Mehr Kurse für Senior:innen",
    }
    for place, choice in enumerate(rank.choices.all(), start=1):
        data[f"q{rank.pk}_c{choice.pk}"] = str(4 - place)
    data.update(overrides)
    return data


def _published(responses: Any) -> int:
    """The value the platform publishes for a count of these filled-in questionnaires."""
    from django.conf import settings

    from konzeptk.insights.engine import disclosure

    ring = disclosure.Keyring(disclosure.secret_from(settings.DISCLOSURE_KEY, str(settings.SECRET_KEY)))
    return ring.cell([f"r{r.pk}" for r in responses])


def _url(survey: Survey, name: str = "survey") -> str:
    return reverse(f"surveys:{name}", kwargs={"slug": survey.process.slug, "pk": survey.pk})


def test_signed_in_person_answers_once(client: Client) -> None:
    survey = _survey(anonymous=False)
    person = UserFactory()
    client.force_login(person)
    assert client.get(_url(survey)).status_code == 200
    response = client.post(_url(survey), _post(survey))
    assert response.status_code == 302
    saved = Response.objects.get(survey=survey)
    assert saved.user == person
    rank = _q(survey, "ranking")
    ranked = list(
        Answer.objects.filter(question=rank).order_by("value").values_list("choice__text", flat=True)
    )
    assert ranked == ["Geräte", "Kurse", "WLAN"]
    assert Answer.objects.filter(question=_q(survey, "multiple")).count() == 2
    # Twice: a clear message, nothing saved.
    again = client.post(_url(survey), _post(survey, **{f"q{_q(survey, 'scale').pk}": "1"}))
    assert again.status_code == 409
    assert "bereits beantwortet" in again.content.decode()
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(question=_q(survey, "scale"), value=1).exists()
    with pytest.raises(DomainError):
        services.survey_answer(survey=survey, user=person, browser_token="", answers={})


def test_anonymous_one_response_per_browser(client: Client) -> None:
    survey = _survey()
    page = client.get(_url(survey))
    assert "Cookie" in page.content.decode()
    assert client.post(_url(survey), _post(survey)).status_code == 302
    assert Response.objects.get().user is None
    second = client.post(_url(survey), _post(survey))
    assert second.status_code == 409
    assert Response.objects.count() == 1
    # Another browser may answer; a browser without the cookie is asked to allow cookies.
    other = Client()
    assert other.post(_url(survey), _post(survey)).status_code == 400
    assert Response.objects.count() == 1
    other.get(_url(survey))
    assert other.post(_url(survey), _post(survey)).status_code == 302
    assert Response.objects.count() == 2
    # A forged (unsigned) cookie counts as none.
    forged = Client()
    forged.cookies["konzeptk_umfrage"] = Response.objects.first().browser_token  # type: ignore[union-attr]
    assert forged.post(_url(survey), _post(survey)).status_code == 400


def test_without_anonymous_login_is_required(client: Client) -> None:
    survey = _survey(anonymous=False)
    response = client.post(_url(survey), _post(survey))
    assert response.status_code == 403
    assert "melden Sie sich an" in response.content.decode()
    assert not Response.objects.exists()


def test_required_and_optional_questions(client: Client) -> None:
    survey = _survey()
    client.get(_url(survey))
    single, multi, rank, text = (_q(survey, k) for k in ("single", "multiple", "ranking", "text"))
    data = _post(survey)
    del data[f"q{single.pk}"]
    response = client.post(_url(survey), data)
    assert response.status_code == 400
    assert "Es wurde nichts gespeichert" in response.content.decode()
    assert not Response.objects.exists()
    # Ranks given twice.
    bad = _post(survey, **{f"q{rank.pk}_c{c.pk}": "1" for c in rank.choices.all()})
    response = client.post(_url(survey), bad)
    assert response.status_code == 400
    assert "jeden Platz genau einmal" in response.content.decode()
    # A choice of another question is refused by the form.
    response = client.post(_url(survey), _post(survey, **{f"q{single.pk}": str(multi.choices.first().pk)}))  # type: ignore[union-attr]
    assert response.status_code == 400
    assert not Response.objects.exists()
    # Optional questions may stay empty.
    data = _post(survey)
    del data[f"q{multi.pk}"]
    data[f"q{text.pk}"] = ""
    assert client.post(_url(survey), data).status_code == 302
    saved = Response.objects.get()
    assert not saved.answers.filter(question__in=[multi, text]).exists()


def test_service_validates_again() -> None:
    survey = _survey()
    person = UserFactory()
    scale = _q(survey, "scale")
    with pytest.raises(Exception) as info:
        services.survey_answer(survey=survey, user=person, browser_token="", answers={scale.pk: 9})
    assert "ungültig" in str(info.value) or "beantworten" in str(info.value)
    assert not Response.objects.exists()


def test_outside_the_survey_phase(client: Client) -> None:
    survey = _survey(phase_type="idea_collection")
    person = UserFactory()
    assert rules.survey_denial(person, survey) is not None
    client.force_login(person)
    response = client.post(_url(survey), _post(survey))
    assert response.status_code == 403
    assert "kann die Umfrage nicht beantwortet werden" in response.content.decode()
    assert not Response.objects.exists()
    # After the phase ended.
    later = _survey()
    Phase.objects.filter(surveys=later).update(
        start=timezone.now() - dt.timedelta(days=9), end=timezone.now() - dt.timedelta(days=1)
    )
    later.process.refresh_from_db()
    assert rules.survey_denial(person, Survey.objects.get(pk=later.pk)) is not None


def test_html_and_script_are_escaped(client: Client) -> None:
    survey = _survey()
    client.get(_url(survey))
    text = _q(survey, "text")
    evil = '<script>alert("x")</script><b>fett</b>'
    assert client.post(_url(survey), _post(survey, **{f"q{text.pk}": evil})).status_code == 302
    Choice.objects.filter(text="WLAN").update(text="<img src=x onerror=alert(1)>")
    for n in range(8):  # results appear from 7 published questionnaires on (9 are at least 7)
        Response.objects.create(survey=survey, browser_token=f"x{n}")
    page = client.get(_url(survey, "survey_results")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
    assert "<b>fett</b>" not in page


def test_csv_export_permissions(client: Client) -> None:
    survey = _survey()
    client.get(_url(survey))
    client.post(_url(survey), _post(survey, **{f"q{_q(survey, 'text').pk}": "=HYPERLINK(1)"}))
    url = _url(survey, "survey_export")
    assert client.get(url).status_code == 403
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    member = UserFactory()
    Membership.objects.create(user=member, organisation=survey.process.organiser, role=Membership.Role.MEMBER)
    client.force_login(member)
    assert client.get(url).status_code == 403
    for role in (Membership.Role.EDITOR, Membership.Role.MODERATOR):
        organiser = UserFactory()
        Membership.objects.create(user=organiser, organisation=survey.process.organiser, role=role)
        client.force_login(organiser)
        response = client.get(url)
        assert response.status_code == 200, role
    staff = UserFactory(platform_role=User.PlatformRole.STAFF)
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    raw = response.getvalue()
    assert raw.startswith("\ufeff".encode())  # the one format: UTF-8 with BOM, commas
    body = raw.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Nr.,Datum,Weg,simuliert,Wie alt sind Sie?")
    assert "30 bis 64" in lines[1]
    assert "Geräte > Kurse > WLAN" in lines[1]
    assert "'=HYPERLINK(1)" in lines[1]
    assert "Browser" in lines[1]


def test_results_chart_and_table(client: Client) -> None:
    survey = _survey()
    for _n in range(9):  # 9 questionnaires are published as at least 7: results are shown
        other = Client()
        other.get(_url(survey))
        assert other.post(_url(survey), _post(survey)).status_code == 302
    results = selectors.survey_results(survey)
    everyone = _published(Response.objects.filter(survey=survey))
    assert results["total"] == everyone
    single = results["items"][0]
    assert [r["count"] for r in single["rows"]] == [0, everyone, 0]  # the same 9 people: same number
    assert results["items"][2]["mean"] == 4
    ranking = results["items"][3]
    assert [r["label"] for r in ranking["rows"]] == ["Geräte", "Kurse", "WLAN"]
    assert results["items"][4]["texts"] == ["Mehr Kurse für Senior:innen"] * 9
    page = client.get(_url(survey, "survey_results"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<figure class="kk-bars">') == 4  # bars whose labels stay text of the page (issue 13)
    assert html.count("<table") == 4
    assert 'scope="row"' in html
    assert "Mehr Kurse für Senior:innen" in html
    # German decimal commas never reach the SVG.
    svg = html.split("<svg", 2)[1].split("</svg>")[0]
    assert "," not in svg.split(">", 1)[0]
    for chunk in html.split("<svg")[1:]:
        for attr in ("width=", "x=", "y="):
            for value in chunk.split("</svg>")[0].split(attr)[1:]:
                assert "," not in value.split('"')[1]


def test_results_page_query_count_is_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    survey = _survey()
    single, scale, rank, text = (_q(survey, k) for k in ("single", "scale", "ranking", "text"))
    choices = list(single.choices.all())
    ranks = list(rank.choices.all())
    for n in range(60):
        response = Response.objects.create(survey=survey, browser_token=f"t{n}", is_demo=True)
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=single, choice=choices[n % 3]),
                Answer(response=response, question=scale, value=1 + n % 5),
                Answer(response=response, question=text, text=f"Text {n}"),
                *[
                    Answer(response=response, question=rank, choice=c, value=i + 1)
                    for i, c in enumerate(ranks)
                ],
            ]
        )
    with django_assert_max_num_queries(14):
        page = client.get(_url(survey, "survey_results"))
    assert page.status_code == 200
    shown = _published(Response.objects.filter(survey=survey))
    assert f"{shown} ausgefüllte Fragebögen" in page.content.decode()


def test_api_gives_aggregates_only(client: Client) -> None:
    survey = _survey()
    client.get(_url(survey))
    client.post(_url(survey), _post(survey, **{f"q{_q(survey, 'text').pk}": "Geheimer Freitext"}))
    response = client.get(f"/api/v1/participation/surveys/{survey.pk}/results")
    assert response.status_code == 200
    data = response.json()
    assert data["responses"] == _published(Response.objects.filter(survey=survey))
    assert data["responses"] != 1
    assert data["questions"][0]["rows"] == []  # fewer than 7 published questionnaires: only the number
    assert data["questions"][4]["rows"] == []
    assert "Geheimer Freitext" not in response.content.decode()
    missing = client.get("/api/v1/participation/surveys/999999/results")
    assert missing.status_code == 404
    assert missing.json()["code"]


def test_process_page_links_the_survey(client: Client) -> None:
    survey = _survey()
    page = client.get(survey.process.get_absolute_url()).content.decode()
    assert _url(survey) in page


def test_empty_form_gets_german_messages(client: Client) -> None:
    survey = _survey()
    client.get(_url(survey))
    response = client.post(_url(survey), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert 'aria-invalid="true"' in html
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("who", "phase_type", "anonymous", "answer", "export"),
    [
        ("anonymous", "survey", True, True, False),
        ("anonymous", "survey", False, False, False),
        ("anonymous", "idea_collection", True, False, False),
        ("resident", "survey", False, True, False),
        ("resident", "results", False, False, False),
        ("member", "survey", False, True, False),
        ("editor", "survey", False, True, True),
        ("moderator", "idea_collection", False, False, True),
        ("staff", "survey", False, True, True),
    ],
)
def test_who_may_answer_and_export(
    who: str, phase_type: str, anonymous: bool, answer: bool, export: bool
) -> None:
    from django.contrib.auth.models import AnonymousUser

    survey = _survey(phase_type=phase_type, anonymous=anonymous)
    user: Any
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "staff":
        user = UserFactory(platform_role=User.PlatformRole.STAFF)
    else:
        user = UserFactory()
        if who != "resident":
            Membership.objects.create(user=user, organisation=survey.process.organiser, role=who)
    assert user.has_perm("surveys.answer_survey", survey) is answer
    assert user.has_perm("surveys.export_survey", survey) is export


def test_small_groups_are_never_shown(client: Client) -> None:
    """Privacy: below 7 published questionnaires (always when fewer than 5 were filled in) only their
    number; above, every count is published through the cell-key method: 1–4 never as itself."""
    survey = _survey()
    single = _q(survey, "single")
    _first, second, third = single.choices.all()
    page = client.get(_url(survey, "survey_results")).content.decode()
    assert "sobald die gezeigte Zahl der Fragebögen mindestens 7 ist" in page
    for n in range(4):
        response = Response.objects.create(survey=survey, browser_token=f"s{n}")
        Answer.objects.create(response=response, question=single, choice=second)
    results = selectors.survey_results(survey)
    assert results["withheld"]
    assert results["items"][0]["rows"] == []
    page = client.get(_url(survey, "survey_results")).content.decode()
    assert "sobald die gezeigte Zahl der Fragebögen mindestens 7 ist" in page
    assert 'class="kk-bars"' not in page
    for n in range(10):
        response = Response.objects.create(survey=survey, browser_token=f"t{n}")
        Answer.objects.create(response=response, question=single, choice=third)
    results = selectors.survey_results(survey)
    assert not results["withheld"]
    rows = results["items"][0]["rows"]
    few = _published(Response.objects.filter(survey=survey, browser_token__startswith="s"))
    many = _published(Response.objects.filter(survey=survey, browser_token__startswith="t"))
    assert [r["count"] for r in rows] == [0, few, many]
    assert few != 4
    assert abs(few - 4) <= 2
    assert [b["value"] for b in results["items"][0]["chart"]["bars"]] == [0, few, many]
    page = client.get(_url(survey, "survey_results")).content.decode()
    assert "höchstens ±2" in page
    api = client.get(f"/api/v1/participation/surveys/{survey.pk}/results").json()
    assert [r["count"] for r in api["questions"][0]["rows"]] == [0, few, many]
