"""Weighted results of a process: idea supports, ballots and surveys raw and raked to the population."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from konzeptk.ballots.models import Ballot, Vote
from konzeptk.insights import privacy, selectors
from konzeptk.insights.analysis.common import MIN, band_label, idea_url, sex_label, small
from konzeptk.insights.engine import disclosure
from konzeptk.insights.engine import raking as er
from konzeptk.insights.engine.errors import EngineError
from konzeptk.insights.models import POPULATION_BANDS
from konzeptk.participation.models import Process
from konzeptk.surveys.models import Answer, Question


# --- Weighting ---------------------------------------------------------------------------------
@dataclass
class WeightedItem:
    label: str
    url: str
    raw: int  # all supports/votes (public tallies) or survey answers (published, cell-key method)
    raw_profiled: int | None  # of people in the weighting (published, cell-key method)
    raw_share: float | None
    weighted_share: float | None
    raw_rank: int = 0
    weighted_rank: int = 0
    # rankings: mean place among all answers, among weighted people unweighted, and weighted
    mean_all: float | None = None
    mean_raw: float | None = None
    mean_weighted: float | None = None
    # who is counted, until :func:`_publish` turns them into published counts (then emptied)
    members: list[int] = field(default_factory=list, repr=False)  # weighted people (user ids)
    raw_members: list[int] | None = field(default=None, repr=False)  # survey responses (ids)


@dataclass
class WeightedBlock:
    title: str
    unit: str
    items: list[WeightedItem]
    people: int  # people of the weighting who could take part in this block
    kind: str = "shares"  # "shares", "scale" (items are the values 1–5) or "ranking"
    # who answered (surveys): all answers, without an account, with an account but not weighted
    answered: int | None = None
    anonymous: int | None = None
    unprofiled: int | None = None
    ess: float | None = None  # Kish effective sample size of the weighted people in this block
    # scale questions: mean of all answers, of the weighted people unweighted, and weighted
    mean_all: float | None = None
    mean_raw: float | None = None
    mean_weighted: float | None = None
    # who is counted, until :func:`_publish` turns them into published counts (then emptied)
    members: list[int] = field(default_factory=list, repr=False)  # weighted people (user ids)
    answered_members: list[int] | None = field(default=None, repr=False)  # survey responses (ids)
    anonymous_members: list[int] | None = field(default=None, repr=False)
    unprofiled_members: list[int] | None = field(default=None, repr=False)


@dataclass
class WeightingReport:
    participants: int
    weighted_people: int
    result: er.RakingResult | None
    margins: list[dict[str, Any]]
    blocks: list[WeightedBlock]
    error: str = ""
    trim: tuple[float, float] = (0.2, 5.0)
    survey_blocks: list[WeightedBlock] = field(default_factory=list)
    trimmed: int = 0  # people whose weight is at a trimming bound (published, cell-key method)

    @property
    def ess(self) -> float | None:
        return None if self.result is None else self.result.effective_sample_size


def _rank(items: list[WeightedItem]) -> None:
    for attr, target in (("raw_share", "raw_rank"), ("weighted_share", "weighted_rank")):
        order = sorted(items, key=lambda i: (-(getattr(i, attr) or 0.0), i.label))
        for position, item in enumerate(order, start=1):
            setattr(item, target, position)


def _shares(
    groups: dict[Any, list[int]], weights: dict[int, float], people: int, total_weight: float
) -> dict[Any, tuple[int, float, float, list[int]]]:
    out = {}
    for key, users in groups.items():
        inside = [u for u in users if u in weights]
        n = len(inside)
        out[key] = (
            n,
            n / people if people else 0.0,
            sum(weights[u] for u in inside) / total_weight if total_weight else 0.0,
            inside,
        )
    return out


def _people(users: list[int]) -> list[str]:
    return [privacy.person_of_user(u) for u in users]


def _responses(ids: list[int]) -> list[str]:
    return [privacy.person_of_response(r) for r in ids]


def _publish(report: WeightingReport, ring: disclosure.Keyring) -> None:
    """Every count of people in the blocks becomes its published value (cell-key method): weighted
    people per block and per item, and for surveys the answers per option, all answers, those
    without an account and those that cannot be weighted – the latter with the keys of the filled-in
    questionnaires, so they match the survey's results page. Raw shares are computed from published
    counts. Figures that are not counts (weighted shares, means, Borda shares, effective sample
    size) are shown only for groups whose published count is large enough that no group of 1 to 4
    people is ever described (:func:`disclosure.large_enough`, decided on the published number)."""
    for block in report.blocks + report.survey_blocks:
        people = ring.cell(_people(block.members))
        block.people = people
        if block.answered_members is not None:
            block.answered = ring.cell(_responses(block.answered_members))
            block.anonymous = ring.cell(_responses(block.anonymous_members or []))
            block.unprofiled = ring.cell(_responses(block.unprofiled_members or []))
        block_ok = disclosure.large_enough(people)
        if not block_ok:
            block.ess = block.mean_raw = block.mean_weighted = None
        for item in block.items:
            if item.raw_members is not None:
                item.raw = ring.cell(_responses(item.raw_members))
            k = ring.cell(_people(item.members))
            item.raw_profiled = k
            if block.kind != "ranking":
                share = disclosure.share(k, people)
                item.raw_share = None if share is None else share * 100
            if not (block_ok and disclosure.large_enough(k)):
                item.weighted_share = None
                item.mean_raw = item.mean_weighted = None
                if block.kind == "ranking":
                    item.raw_share = None
            if block.kind == "ranking" and not disclosure.large_enough(item.raw):
                item.mean_all = None
            item.members, item.raw_members = [], None
        if block.kind == "scale":  # the mean of all answers from the published counts per value
            total = sum(i.raw for i in block.items)
            block.mean_all = (
                sum(v * i.raw for v, i in enumerate(block.items, start=1)) / total if total else None
            )
        block.members = []
        block.answered_members = block.anonymous_members = block.unprofiled_members = None
        _rank(block.items)
        if block.kind == "ranking" or (block.items and block.items[0].url):
            block.items.sort(key=lambda i: (i.weighted_rank, i.label))


def weighting_report(process: Process) -> WeightingReport:
    """Rake the process' participants with a complete profile (district, age band, female/male) to
    the population margins and show idea supports, ballots and surveys raw and weighted."""
    layer = selectors.reference_layer()
    pop = selectors.population(layer) if layer else None
    people = selectors.people(process, layer=layer)
    ring = privacy.keyring()
    report = WeightingReport(
        participants=ring.cell(list(people.first_seen)),  # the same people as on the representation page
        weighted_people=0,
        result=None,
        margins=[],
        blocks=[],
    )
    if pop is None:
        report.error = _(
            "Für dieses Stadtprofil liegen keine Bevölkerungszahlen nach Bezirk, Alter und Geschlecht vor."
        )
        return report
    names = dict(pop.districts)
    complete = [
        (int(key[1:]), p)
        for key, p in people.profiles.items()
        if key.startswith("u") and p.district_id in names and p.population_band and p.sex
    ]
    complete.sort(key=lambda kv: kv[0])
    report.weighted_people = ring.cell(_people([u for u, _p in complete]))
    if report.weighted_people < 2 * MIN:  # decided on the published number, so it tells nothing more
        report.error = _(
            "Erst %(n)s Beteiligte haben Bezirk, Alter und Geschlecht angegeben. Gewichtet wird ab 10 Personen."
        ) % {"n": small(report.weighted_people)}
        return report
    by_district: dict[Any, float] = {d: pop.by_district()[d] for d, _ in pop.districts}
    by_band: dict[Any, float] = dict(pop.by_band())
    by_sex: dict[Any, float] = dict(pop.by_sex())
    margins = [
        er.margin_from_values(_("Stadtbezirk"), [p.district_id for _, p in complete], by_district),
        er.margin_from_values(_("Alter"), [p.population_band for _, p in complete], by_band),
        er.margin_from_values(_("Geschlecht"), [p.sex for _, p in complete], by_sex),
    ]
    labels = {
        **{str(d): n for d, n in pop.districts},
        **{b: band_label(b) for b in POPULATION_BANDS},
        **{s: sex_label(s) for s in selectors.SEXES},
    }
    try:
        result = er.rake(margins, trim=report.trim)
    except EngineError as exc:
        # Name groups in words, not ids: the engine names categories by their key.
        message = str(exc)
        for key, label in labels.items():
            message = message.replace(f"„{key}“", f"„{label}“")
        report.error = message
        return report
    report.result = result
    # the raw share of each group among the weighted people, from published counts
    in_group: dict[tuple[str, str], list[int]] = defaultdict(list)
    for user_id, p in complete:
        in_group[(_("Stadtbezirk"), str(p.district_id))].append(user_id)
        in_group[(_("Alter"), p.population_band)].append(user_id)
        in_group[(_("Geschlecht"), p.sex)].append(user_id)
    report.margins = [
        {
            "name": m.name,
            "category": labels.get(m.category, m.category),
            "population": m.population_share * 100,
            "raw": (
                disclosure.share(
                    ring.cell(_people(in_group[(m.name, str(m.category))])), report.weighted_people
                )
                or 0.0
            )
            * 100,
            "weighted": m.weighted_share * 100,
        }
        for m in result.margins
    ]
    weights = {user_id: float(w) for (user_id, _), w in zip(complete, result.weights, strict=True)}
    mean_weight = float(result.weights.mean())
    report.trimmed = ring.cell(
        _people(
            [
                u
                for u, w in weights.items()
                if math.isclose(w, report.trim[0] * mean_weight, rel_tol=1e-9)
                or math.isclose(w, report.trim[1] * mean_weight, rel_tol=1e-9)
            ]
        )
    )
    total_weight = float(result.weights.sum())
    n = len(complete)

    # Idea supports
    ideas = list(selectors.visible_ideas(process).values_list("pk", "title", "support_count"))
    supporters: dict[int, list[int]] = defaultdict(list)
    for idea_id, user_id in selectors.supports_of(process):
        supporters[idea_id].append(user_id)
    shares = _shares(supporters, weights, n, total_weight)
    items = []
    for pk, title, _count in ideas:
        k, raw_share, weighted_share, inside = shares.get(pk, (0, 0.0, 0.0, []))
        items.append(
            WeightedItem(
                label=title,
                url=idea_url(process.slug, pk),
                raw=len(supporters.get(pk, ())),
                raw_profiled=k,
                raw_share=raw_share * 100,
                weighted_share=weighted_share * 100,
                members=inside,
            )
        )
    _rank(items)
    items.sort(key=lambda i: (i.weighted_rank, i.label))
    if any(i.raw for i in items):
        report.blocks.append(
            WeightedBlock(
                _("Unterstützungen der Ideen"),
                _("Anteil der Beteiligten, die die Idee unterstützen"),
                items[:30],
                n,
                members=[u for u, _p in complete],
            )
        )

    # Ballots
    for ballot in Ballot.objects.filter(phase__process=process).select_related("phase"):
        voters: dict[int, list[int]] = defaultdict(list)
        raw_votes: Counter[int] = Counter()
        titles = {}
        for idea_id, user_id, title in Vote.objects.filter(ballot=ballot).values_list(
            "idea_id", "user_id", "idea__title"
        ):
            voters[idea_id].append(user_id)
            raw_votes[idea_id] += 1
            titles[idea_id] = title
        if not raw_votes:
            continue
        voted = {u for users in voters.values() for u in users if u in weights}
        w_total = sum(weights[u] for u in voted)
        shares = _shares(voters, weights, len(voted), w_total)
        items = [
            WeightedItem(
                label=titles[i],
                url=idea_url(process.slug, i),
                raw=raw_votes[i],
                raw_profiled=shares[i][0],
                raw_share=shares[i][1] * 100,
                weighted_share=shares[i][2] * 100,
                members=shares[i][3],
            )
            for i in raw_votes
        ]
        _rank(items)
        items.sort(key=lambda i: (i.weighted_rank, i.label))
        report.blocks.append(
            WeightedBlock(
                _("Abstimmung: %(phase)s") % {"phase": ballot.phase.display_name},
                _("Anteil der Abstimmenden, die für den Vorschlag gestimmt haben"),
                items,
                len(voted),
                members=sorted(voted),
            )
        )

    report.survey_blocks = _survey_blocks(process, weights)

    _publish(report, ring)
    return report


def _kish(w: list[float]) -> float | None:
    total = sum(w)
    squares = sum(x * x for x in w)
    return total * total / squares if squares else None


def _mean(values: Sequence[tuple[float, float]]) -> float | None:
    """Weighted mean of (value, weight) pairs; None without weight."""
    total = sum(w for _v, w in values)
    return sum(v * w for v, w in values) / total if total else None


def _survey_blocks(process: Process, weights: dict[int, float]) -> list[WeightedBlock]:
    """Every question of the process' surveys except free text, raw next to weighted: choice
    shares, scale means and distributions, ranking mean places and Borda points. Answers given
    without an account, and those of people without a consented complete profile, cannot be
    weighted; each block counts them."""
    questions = list(
        Question.objects.filter(survey__process=process)
        .exclude(kind=Question.Kind.TEXT)
        .select_related("survey")
        .prefetch_related("choices")
        .order_by("survey", "order", "pk")
    )
    # question → response → (user id or None, [(choice id, value)])
    answers: dict[int, dict[int, tuple[int | None, list[tuple[int | None, int | None]]]]] = defaultdict(dict)
    for question_id, response_id, respondent, choice_id, value in Answer.objects.filter(
        question__in=questions
    ).values_list("question_id", "response_id", "response__user_id", "choice_id", "value"):
        entry = answers[question_id].setdefault(response_id, (respondent, []))
        entry[1].append((choice_id, value))
    blocks = []
    for question in questions:
        by_response = answers.get(question.pk, {})
        if not by_response:
            continue
        users = [u for u, _ in by_response.values()]
        inside = [u for u in users if u is not None and u in weights]
        block = WeightedBlock(
            title=_("Umfrage „%(survey)s“: %(question)s")
            % {"survey": question.survey.title, "question": question.text},
            unit="",
            items=[],
            people=len(inside),
            answered=len(users),
            anonymous=sum(1 for u in users if u is None),
            unprofiled=sum(1 for u in users if u is not None and u not in weights),
            ess=_kish([weights[u] for u in inside]),
            members=inside,
            answered_members=list(by_response),
            anonymous_members=[r for r, (u, _p) in by_response.items() if u is None],
            unprofiled_members=[
                r for r, (u, _p) in by_response.items() if u is not None and u not in weights
            ],
        )
        choices = list(question.choices.all())
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            block.unit = _("Anteil der Antwortenden, die diese Antwort gewählt haben")
            by_choice: dict[int, list[int]] = defaultdict(list)
            raw_total: Counter[int] = Counter()
            raw_responses: dict[int, list[int]] = defaultdict(list)
            for response_id, (uid, picked) in by_response.items():
                for picked_choice, _value in picked:
                    if picked_choice is None:
                        continue
                    raw_total[picked_choice] += 1
                    raw_responses[picked_choice].append(response_id)
                    if uid is not None:
                        by_choice[picked_choice].append(uid)
            w_total = sum(weights[u] for u in inside)
            shares = _shares(by_choice, weights, len(inside), w_total)
            block.items = [
                WeightedItem(
                    label=c.text,
                    url="",
                    raw=raw_total.get(c.pk, 0),
                    raw_profiled=shares.get(c.pk, (0, 0.0, 0.0, []))[0],
                    raw_share=shares.get(c.pk, (0, 0.0, 0.0, []))[1] * 100,
                    weighted_share=shares.get(c.pk, (0, 0.0, 0.0, []))[2] * 100,
                    members=shares.get(c.pk, (0, 0.0, 0.0, []))[3],
                    raw_members=raw_responses.get(c.pk, []),
                )
                for c in choices
            ]
            _rank(block.items)
        elif question.kind == Question.Kind.SCALE:
            block.kind = "scale"
            block.unit = _("Verteilung der Antworten auf der Skala von 1 bis 5 und Mittelwert")
            with_response = [
                (r, u, v)
                for r, (u, picked) in by_response.items()
                for _c, v in picked
                if v in (1, 2, 3, 4, 5)
            ]
            values = [(u, v) for _r, u, v in with_response]
            block.mean_all = _mean([(v, 1.0) for _u, v in values])
            block.mean_raw = _mean([(v, 1.0) for u, v in values if u in weights])
            block.mean_weighted = _mean([(v, weights[u]) for u, v in values if u in weights])
            by_value: dict[int, list[int]] = defaultdict(list)
            for u, v in values:
                if u is not None:
                    by_value[v].append(u)
            shares = _shares(by_value, weights, len(inside), sum(weights[u] for u in inside))
            labels = {1: question.scale_low_label, 5: question.scale_high_label}
            block.items = [
                WeightedItem(
                    label=f"{v} – {labels[v]}" if labels.get(v) else str(v),
                    url="",
                    raw=sum(1 for _u, x in values if x == v),
                    raw_profiled=shares.get(v, (0, 0.0, 0.0, []))[0],
                    raw_share=shares.get(v, (0, 0.0, 0.0, []))[1] * 100,
                    weighted_share=shares.get(v, (0, 0.0, 0.0, []))[2] * 100,
                    members=shares.get(v, (0, 0.0, 0.0, []))[3],
                    raw_members=[r for r, _u, x in with_response if x == v],
                )
                for v in (1, 2, 3, 4, 5)
            ]
        else:  # ranking: value is the place (1 = first)
            block.kind = "ranking"
            block.unit = _(
                "Mittlerer Platz (1 = vorn) und Anteil der Borda-Punkte: Platz 1 von n Einträgen bekommt n − 1 Punkte, der letzte Platz 0"
            )
            n = len(choices)
            places: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
            ranked_by: dict[int, list[int]] = defaultdict(list)
            for response_id, (uid, picked) in by_response.items():
                for ranked, place in picked:
                    if ranked is not None and place:
                        places[ranked].append((uid, place))
                        ranked_by[ranked].append(response_id)
            w_total = sum(weights[u] for u in inside)
            points_raw_total = len(inside) * n * (n - 1) / 2
            for c in choices:
                given = places.get(c.pk, [])
                mine = [(p, weights[u]) for u, p in given if u is not None and u in weights]
                raw_points = sum(n - p for p, _w in mine)
                weighted_points = sum((n - p) * w for p, w in mine)
                block.items.append(
                    WeightedItem(
                        label=c.text,
                        url="",
                        raw=len(given),
                        raw_profiled=len(mine),
                        raw_share=raw_points / points_raw_total * 100 if points_raw_total else None,
                        weighted_share=weighted_points / (w_total * n * (n - 1) / 2) * 100
                        if w_total and n > 1
                        else None,
                        mean_all=_mean([(p, 1.0) for _u, p in given]),
                        mean_raw=_mean([(p, 1.0) for p, _w in mine]),
                        mean_weighted=_mean(mine),
                        members=[u for u, _p in given if u is not None and u in weights],
                        raw_members=ranked_by.get(c.pk, []),
                    )
                )
            _rank(block.items)
            block.items.sort(key=lambda i: (i.weighted_rank, i.label))
        blocks.append(block)
    return blocks
