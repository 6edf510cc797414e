"""Weighted survey results: every question except free text (choices, scales, rankings), raw next
to weighted, and honest counts of the answers that cannot be weighted."""

from __future__ import annotations

from typing import Any

import pytest

from konzeptk.accounts.models import Consent
from konzeptk.accounts.services import consent_give
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.insights import analysis, selectors
from konzeptk.insights.models import DemographicProfile
from konzeptk.insights.tests.conftest import published
from konzeptk.participation.models import Support
from konzeptk.participation.tests.factories import IdeaFactory, PhaseFactory, ProcessFactory
from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey

pytestmark = pytest.mark.django_db


def _published_responses(responses: Any) -> int:
    from konzeptk.insights import privacy

    return privacy.keyring().cell([f"r{pk}" for pk in responses.values_list("pk", flat=True).distinct()])


@pytest.fixture
def setup(krefeld: None) -> dict[str, Any]:
    process = ProcessFactory()
    PhaseFactory(process=process)
    layer = selectors.reference_layer()
    people = []
    for district in layer.districts.order_by("code"):
        for age in ("unter 18", "30-49", "65+"):
            for gender in ("f", "m"):
                user = UserFactory()
                DemographicProfile.objects.create(user=user, district=district, age_band=age, gender=gender)
                consent_give(user=user, purpose=Consent.Purpose.DEMOGRAPHICS)
                people.append((user, age))
    survey = Survey.objects.create(process=process, title="Fragen")
    return {"process": process, "people": people, "survey": survey}


def _older(age: str) -> bool:
    return age == "65+"


def test_scale_and_ranking_raw_and_weighted_with_unweightable_answers_counted(setup: dict[str, Any]) -> None:
    survey, people = setup["survey"], setup["people"]
    scale = Question.objects.create(survey=survey, text="Wie zufrieden?", kind=Question.Kind.SCALE, order=1)
    ranking = Question.objects.create(survey=survey, text="Was zuerst?", kind=Question.Kind.RANKING, order=2)
    first, second, third = (
        Choice.objects.create(question=ranking, text=t, order=i) for i, t in enumerate("ABC")
    )
    Question.objects.create(survey=survey, text="Sonst noch?", kind=Question.Kind.TEXT, order=3)

    def answer(user: Any, older: bool) -> None:
        response = Response.objects.create(
            survey=survey, user=user, browser_token="" if user else "t" + str(id(older))
        )
        Answer.objects.create(response=response, question=scale, value=5 if older else 1)
        order = (first, second, third) if older else (third, second, first)
        for place, choice in enumerate(order, start=1):
            Answer.objects.create(response=response, question=ranking, choice=choice, value=place)

    for user, age in people:
        answer(user, _older(age))
    # two answers without an account and one of a person without a profile: counted, not weighted
    for i in range(2):
        response = Response.objects.create(survey=survey, browser_token=f"browser-{i}")
        Answer.objects.create(response=response, question=scale, value=3)
    unprofiled = UserFactory()
    response = Response.objects.create(survey=survey, user=unprofiled)
    Answer.objects.create(response=response, question=scale, value=3)

    report = analysis.weighting_report(setup["process"])
    blocks = {b.title.split(": ")[1]: b for b in report.survey_blocks}
    assert set(blocks) == {"Wie zufrieden?", "Was zuerst?"}  # free text is not weighted
    s = blocks["Wie zufrieden?"]
    assert s.kind == "scale"
    # every count is the published one (cell-key method): answers by filled-in questionnaire,
    # weighted people by account; 2 and 1 are never shown as themselves
    scale_responses = Response.objects.filter(answers__question=scale)
    assert s.answered == _published_responses(scale_responses)
    assert s.people == published([u for u, _age in people])
    assert s.anonymous == _published_responses(scale_responses.filter(user__isnull=True))
    assert s.unprofiled == _published_responses(scale_responses.filter(user=unprofiled))
    assert s.anonymous != 2
    assert s.unprofiled != 1
    # a third are 65+ (answer 5), in the population fewer: weighting lowers the mean
    assert s.mean_raw == pytest.approx(1 + 4 * 10 / 30)
    assert s.mean_weighted < s.mean_raw
    values = {i.label: i for i in s.items}
    assert values["5"].raw == _published_responses(scale_responses.filter(answers__value=5))
    # the mean of all answers is computed from the published counts per value
    assert s.mean_all == pytest.approx(
        sum(v * i.raw for v, i in enumerate(s.items, 1)) / sum(i.raw for i in s.items)
    )
    assert s.mean_all == pytest.approx((10 * 5 + 20 * 1 + 3 * 3) / 33, abs=0.5)
    assert values["5"].weighted_share < 100 * 10 / 30
    # nobody weighted chose 2, 3 or 4: no weighted share is shown for groups published under 7
    assert sum(i.weighted_share or 0.0 for i in s.items) == pytest.approx(100.0)
    r = blocks["Was zuerst?"]
    assert r.kind == "ranking"
    items = {i.label: i for i in r.items}
    assert items["A"].mean_raw == pytest.approx((10 * 1 + 20 * 3) / 30)
    assert items["A"].mean_weighted > items["A"].mean_raw  # the older people's favourite sinks
    assert sum(i.raw_share for i in r.items) == pytest.approx(100.0)
    assert sum(i.weighted_share for i in r.items) == pytest.approx(100.0)
    assert r.items[0].label == "C"  # sorted by weighted Borda points
    assert r.items[0].weighted_rank == 1


def test_every_question_is_listed_and_paginated(client: Any, setup: dict[str, Any]) -> None:
    survey, people = setup["survey"], setup["people"]
    questions = []
    for n in range(25):
        q = Question.objects.create(survey=survey, text=f"Frage {n:02d}", kind=Question.Kind.SINGLE, order=n)
        questions.append((q, Choice.objects.create(question=q, text="ja")))
    for user, _age in people:
        response = Response.objects.create(survey=survey, user=user)
        Answer.objects.bulk_create([Answer(response=response, question=q, choice=c) for q, c in questions])
    report = analysis.weighting_report(setup["process"])
    assert len(report.survey_blocks) == 25
    url = f"/auswertung/prozess/{setup['process'].slug}/gewichtet/"
    page1 = client.get(url).content.decode()
    page3 = client.get(url + "?page=3").content.decode()
    assert "Frage 00" in page1
    assert "Frage 24" not in page1
    assert "Frage 24" in page3
    assert "Seite 3 von 3" in page3
    assert client.get(url + "?page=abc").status_code == 200
    assert client.get(url + "?page=999").status_code == 200


def test_few_weighted_respondents_hide_means(setup: dict[str, Any]) -> None:
    survey, people = setup["survey"], setup["people"]
    scale = Question.objects.create(survey=survey, text="Wie zufrieden?", kind=Question.Kind.SCALE)
    for user, _age in people[:3]:
        response = Response.objects.create(survey=survey, user=user)
        Answer.objects.create(response=response, question=scale, value=4)
    idea = IdeaFactory(process=setup["process"], author=None)  # everybody else takes part otherwise
    Support.objects.bulk_create([Support(idea=idea, user=u) for u, _age in people])
    block = analysis.weighting_report(setup["process"]).survey_blocks[0]
    assert block.people == published([u for u, _age in people[:3]])
    assert block.people != 3
    assert block.mean_raw is None
    assert block.mean_weighted is None
    assert block.ess is None
    assert all(i.weighted_share is None for i in block.items)
