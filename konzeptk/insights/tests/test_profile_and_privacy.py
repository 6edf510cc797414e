"""Voluntary profile under consent; withdrawal removes answers from every computation; published
numbers never show groups of 1 to 4 people; GDPR export and erasure."""

from __future__ import annotations

from typing import Any

import pytest

from konzeptk.accounts.export_registry import collect_export
from konzeptk.accounts.models import Consent
from konzeptk.accounts.services import consent_give, consent_withdraw, user_erase
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.insights import analysis, selectors
from konzeptk.insights.models import DemographicProfile
from konzeptk.insights.tests.conftest import published
from konzeptk.participation.models import Support
from konzeptk.participation.tests.factories import IdeaFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def _districts() -> list[Any]:
    layer = selectors.reference_layer()
    assert layer is not None
    return list(layer.districts.order_by("code"))


def _person(district: Any, age: str = "30-49", gender: str = "f", *, consent: bool = True) -> Any:
    user = UserFactory()
    DemographicProfile.objects.create(user=user, district=district, age_band=age, gender=gender)
    if consent:
        consent_give(user=user, purpose=Consent.Purpose.DEMOGRAPHICS)
    return user


@pytest.fixture
def process(krefeld: None) -> Any:
    process = ProcessFactory()
    PhaseFactory(process=process)
    return process


def _support(process: Any, people: list[Any], idea: Any | None = None) -> Any:
    idea = idea or IdeaFactory(process=process, author=None)
    Support.objects.bulk_create([Support(idea=idea, user=u) for u in people])
    return idea


def test_profile_page_saves_with_consent_and_withdraws(client: Any, krefeld: None) -> None:
    user = UserFactory()
    client.force_login(user)
    district = _districts()[0]
    response = client.post(
        "/auswertung/meine-angaben/",
        {
            "consent_demographics": "on",
            "age_band": "65+",
            "gender": "f",
            "district": district.pk,
            "languages": ["de", "tr"],
        },
    )
    assert response.status_code == 302
    profile = DemographicProfile.objects.get(user=user)
    assert (profile.age_band, profile.gender, profile.district, profile.languages) == (
        "65+",
        "f",
        district,
        ["de", "tr"],
    )
    assert Consent.objects.filter(user=user, purpose="demographics").active().exists()
    assert not Consent.objects.filter(user=user, purpose="migration").exists()
    response = client.post("/auswertung/meine-angaben/widerrufen/demographics/")
    assert response.status_code == 302
    assert not DemographicProfile.objects.filter(user=user).exists()
    assert not Consent.objects.filter(user=user, purpose="demographics").active().exists()


def test_nothing_is_stored_without_consent(client: Any, krefeld: None) -> None:
    user = UserFactory()
    client.force_login(user)
    client.post("/auswertung/meine-angaben/", {"age_band": "65+", "gender": "m"})
    assert not DemographicProfile.objects.filter(user=user).exists()
    assert not Consent.objects.filter(user=user).exists()


def test_migration_background_needs_its_own_consent(client: Any, krefeld: None) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/auswertung/meine-angaben/", {"consent_demographics": "on", "migration_background": "self"}
    )
    assert response.status_code == 200
    assert "nur mit Ihrer ausdrücklichen Einwilligung" in response.content.decode()
    assert not DemographicProfile.objects.filter(user=user).exists()
    client.post(
        "/auswertung/meine-angaben/",
        {"consent_demographics": "on", "consent_migration": "on", "migration_background": "self"},
    )
    assert DemographicProfile.objects.get(user=user).migration_background == "self"
    client.post("/auswertung/meine-angaben/widerrufen/migration/")
    assert DemographicProfile.objects.get(user=user).migration_background == ""
    assert Consent.objects.filter(user=user, purpose="demographics").active().exists()


@pytest.mark.parametrize(
    "data",
    [
        {"consent_demographics": "on", "age_band": "uralt"},
        {"consent_demographics": "on", "gender": "q"},
        {"consent_demographics": "on", "district": "abc"},
        {"consent_demographics": "on", "district": "999999"},
        {"consent_demographics": "on", "languages": ["kling"]},
        {"consent_demographics": "on", "postcode": "12", "suggest": "1"},
    ],
)
def test_bad_profile_input_gets_a_form_error(client: Any, krefeld: None, data: dict[str, Any]) -> None:
    client.force_login(UserFactory())
    response = client.post("/auswertung/meine-angaben/", data)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_district_suggested_from_postcode(client: Any, krefeld: None) -> None:
    client.force_login(UserFactory())
    response = client.post("/auswertung/meine-angaben/", {"postcode": "47829", "suggest": "1"})
    assert response.status_code == 200
    assert response.context["suggestion"] is not None
    response = client.post("/auswertung/meine-angaben/", {"postcode": "10115", "suggest": "1"})
    assert "keinen Stadtbezirk" in response.content.decode()


def test_withdrawal_on_the_account_page_removes_answers_from_computations(process: Any) -> None:
    district = _districts()[0]
    people = [_person(district) for _ in range(6)]
    _support(process, people)
    layer = selectors.reference_layer()
    assert len(selectors.people(process, layer=layer).profiles) == 6
    assert analysis.representation_report(process).with_profile == published(people)
    consent_withdraw(user=people[0], purpose=Consent.Purpose.DEMOGRAPHICS)  # as the account page does
    assert len(selectors.people(process, layer=layer).profiles) == 5
    report = analysis.representation_report(process)
    assert report.with_profile == published(people[1:])
    assert report.participants == published(people)
    assert people[0].pk not in selectors.consented_profiles([p.pk for p in people], layer=layer)
    # answers without consent never count, even if stored
    _support(process, [_person(district, consent=False)])
    assert len(selectors.people(process, layer=layer).profiles) == 5
    assert analysis.representation_report(process).with_profile == published(people[1:])


def test_migration_answer_only_with_migration_consent(process: Any) -> None:
    user = _person(_districts()[0])
    DemographicProfile.objects.filter(user=user).update(migration_background="parent")
    layer = selectors.reference_layer()
    assert selectors.consented_profiles([user.pk], layer=layer)[user.pk].migration_background == ""
    consent_give(user=user, purpose=Consent.Purpose.MIGRATION)
    assert selectors.consented_profiles([user.pk], layer=layer)[user.pk].migration_background == "parent"


def test_small_groups_are_published_perturbed_in_pages_and_api(client: Any, process: Any) -> None:
    d = _districts()
    groups = [
        [_person(d[0]) for _ in range(3)],
        [_person(d[1]) for _ in range(7)],
        [_person(d[2]) for _ in range(6)],
    ]
    _support(process, [u for g in groups for u in g])
    data = client.get(f"/api/v1/insights/processes/{process.slug}/representation").json()
    assert data["max_deviation"] == 2
    assert "höchstens ±2" in data["protection"]
    by_district = next(t for t in data["tables"] if t["key"] == "district")
    counts = {row["group"]: row["participants"] for row in by_district["rows"]}
    for district, people in zip(d, groups, strict=False):
        assert counts[district.name] == published(people)
        assert abs(counts[district.name] - len(people)) <= 2
    assert counts[d[0].name] != 3  # 3 people are never shown as 3
    assert by_district["total"] == published([u for g in groups for u in g])
    combos = next(t for t in data["tables"] if t["key"] == "district_age")
    combo = next(r for r in combos["rows"] if r["key"] == f"{d[0].pk}|18-64")
    assert combo["participants"] == counts[d[0].name]  # the same people: the same number
    page = client.get(f"/auswertung/prozess/{process.slug}/").content.decode()
    assert "Abweichung höchstens ±2" in page
    assert "verdeckt" not in page


def test_tiny_process_total_is_never_shown_as_itself(client: Any, process: Any) -> None:
    people = [_person(_districts()[0]) for _ in range(2)]
    _support(process, people)
    data = client.get(f"/api/v1/insights/processes/{process.slug}/representation").json()
    assert data["participants"] == published(people)
    assert data["participants"] != 2
    page = client.get(f"/auswertung/prozess/{process.slug}/").content.decode()
    assert f"Beteiligt haben sich {published(people)} Personen" in page


def test_weighted_shares_of_small_groups_are_hidden_and_counts_published(process: Any) -> None:
    d = _districts()
    people = []
    for _i, district in enumerate(d):
        for age in ("unter 18", "30-49", "65+"):
            for gender in ("f", "m"):
                people.append(_person(district, age, gender))
    popular = _support(process, people)
    niche = _support(process, people[:3])
    report = analysis.weighting_report(process)
    assert report.result is not None
    assert report.result.effective_sample_size > 0
    items = {i.label: i for block in report.blocks for i in block.items}
    assert items[popular.title].weighted_share == pytest.approx(100.0)
    # 3 weighted supporters: their count is published (never as 3), their share is computed from the
    # published counts, and the weighted share of so few people is not shown at all
    niche_item = items[niche.title]
    assert niche_item.raw_profiled == published(people[:3])
    assert niche_item.raw_profiled != 3
    assert niche_item.raw_share == pytest.approx(100 * published(people[:3]) / published(people))
    assert niche_item.weighted_share is None


def test_raking_names_groups_nobody_belongs_to(process: Any) -> None:
    d = _districts()
    _support(
        process,
        [_person(d[0], "30-49", "f") for _ in range(6)] + [_person(d[1], "30-49", "m") for _ in range(6)],
    )
    report = analysis.weighting_report(process)
    assert report.result is None
    assert "keine Teilnehmenden" in report.error
    assert d[2].name in report.error


def test_export_and_erasure(krefeld: None) -> None:
    user = _person(_districts()[0], "65+", "f")
    sections = collect_export(user)["sections"]
    assert sections["insights.profile"]["age_band"] == "65+"
    user_erase(user=user)
    assert not DemographicProfile.objects.filter(user=user).exists()


def test_ballot_and_survey_results_raw_and_weighted(process: Any) -> None:
    from konzeptk.ballots.models import Ballot, Vote
    from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey

    d = _districts()
    people = [
        _person(district, age, gender)
        for district in d
        for age in ("unter 18", "30-49", "65+")
        for gender in ("f", "m")
    ]
    ballot = Ballot.objects.create(phase=PhaseFactory(process=process, type="ballot"))
    a, b = IdeaFactory(process=process, author=None), IdeaFactory(process=process, author=None)
    # the older people vote for a, everybody else for b
    Vote.objects.bulk_create(
        [Vote(ballot=ballot, user=u, idea=a if i % 6 >= 4 else b) for i, u in enumerate(people)]
    )
    survey = Survey.objects.create(process=process, title="Fragen")
    question = Question.objects.create(survey=survey, text="Was nutzen Sie?", kind=Question.Kind.SINGLE)
    yes, no = (
        Choice.objects.create(question=question, text="Ja"),
        Choice.objects.create(question=question, text="Nein"),
    )
    for i, user in enumerate(people):
        response = Response.objects.create(survey=survey, user=user)
        Answer.objects.create(response=response, question=question, choice=yes if i % 6 >= 4 else no)
    report = analysis.weighting_report(process)
    blocks = {block.title.split(":")[0]: block for block in report.blocks + report.survey_blocks}
    assert {"Abstimmung", "Umfrage „Fragen“"} <= set(blocks)
    votes = {item.label: item for item in blocks["Abstimmung"].items}
    assert votes[a.title].raw == 10
    assert votes[b.title].raw == 20
    # 65+ are a third of the participants but 23 % of the population: weighting lowers their option
    assert votes[a.title].weighted_share < votes[a.title].raw_share
    answers = {item.label: item for item in blocks["Umfrage „Fragen“"].items}
    # raw shares come from published counts (each within ±2), so they add up to about 100
    assert answers["Ja"].raw_share + answers["Nein"].raw_share == pytest.approx(100.0, abs=4 * 100 / 28)
    assert answers["Ja"].weighted_share + answers["Nein"].weighted_share == pytest.approx(100.0)


def test_cohesion_publishes_counts_and_describes_no_small_group(client: Any, process: Any) -> None:
    d = _districts()
    here = [_person(d[0]) for _ in range(8)]
    there = [_person(d[1]) for _ in range(6)]
    broad = _support(process, here + there, IdeaFactory(process=process, author=None, district=d[0]))
    narrow = _support(process, here[:3], IdeaFactory(process=process, author=None, district=d[0]))
    report = analysis.cohesion_report(process)
    ideas = {i.pk: i for i in report.ideas}
    assert narrow.pk not in ideas  # 3 supporters are never described
    row = ideas[broad.pk]
    assert row.supports_known == published(here + there)
    assert row.outside_share == pytest.approx(100 * published(there) / (published(here) + published(there)))
    page = client.get(f"/auswertung/prozess/{process.slug}/zusammenhalt/").content.decode()
    assert "Abweichung höchstens ±2" in page
