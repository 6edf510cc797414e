"""Cohesion across districts: which ideas find support beyond their own district."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from konzeptk.insights import privacy, selectors
from konzeptk.insights.analysis.common import idea_url
from konzeptk.insights.analysis.representation import WeekPoint, _start, _weeks
from konzeptk.insights.engine import bridging as eb
from konzeptk.insights.engine import disclosure
from konzeptk.participation.models import Process


# --- Cohesion ----------------------------------------------------------------------------------
@dataclass
class CohesionIdea:
    pk: int
    title: str
    url: str
    district: str
    supports_known: int
    outside_share: float | None
    districts_supporting: int
    bridging: float | None
    broad: bool


@dataclass
class CohesionReport:
    weeks: list[WeekPoint]
    ideas: list[CohesionIdea]
    broad: list[CohesionIdea]
    districts: int
    error: str = ""


def cohesion_report(process: Process | None) -> CohesionReport:
    """Which ideas find support across districts, from published counts only: supporters per idea
    and district and participants per district pass the cell-key method; the share from outside an
    idea's district, the number of supporting districts and the bridging score are computed from
    those, and an idea is described only when its published number of supporters with a known
    district is large enough (never a group of 1 to 4 people)."""
    layer = selectors.reference_layer()
    pop = selectors.population(layer) if layer else None
    people = selectors.people(process, layer=layer)
    report = CohesionReport(
        weeks=_weeks(people, pop, _start(process)),
        ideas=[],
        broad=[],
        districts=len(pop.districts) if pop else 0,
    )
    if layer is None or pop is None:
        report.error = _("Für dieses Stadtprofil liegen keine Stadtbezirke mit Bevölkerungszahlen vor.")
        return report
    district_ids = [d for d, _ in pop.districts]
    index = {d: i for i, d in enumerate(district_ids)}
    names = dict(pop.districts)
    ideas = list(
        selectors.visible_ideas(process)
        .select_related("process")
        .values_list("pk", "title", "process__slug", "district_id", "lat", "lon")[:5000]
    )
    idea_district = selectors.idea_district_ids(
        ((pk, d, lat, lon) for pk, _t, _s, d, lat, lon in ideas), layer
    )
    positions = {pk: i for i, (pk, *_rest) in enumerate(ideas)}
    # Who supported each idea, by district (only supporters with a consented district). Every count
    # of people below is published through the cell-key method; shares and scores come from them.
    ring = privacy.keyring()
    supporters: dict[tuple[int, int], list[str]] = defaultdict(list)
    for idea_id, user_id in selectors.supports_of(process):
        key = privacy.person_of_user(user_id)
        profile = people.profiles.get(key)
        if idea_id in positions and profile is not None and profile.district_id in index:
            supporters[(positions[idea_id], index[profile.district_id])].append(key)
    n_d = len(district_ids)
    counts = np.zeros((len(ideas), n_d), dtype=np.int64)
    for (i, d), keys in supporters.items():
        counts[i, d] = ring.cell(keys)
    # People of each district who took part: everyone who could have supported.
    took_part: dict[int, list[str]] = defaultdict(list)
    for k, p in people.profiles.items():
        if k.startswith("u") and p.district_id in index:
            took_part[index[p.district_id]].append(k)
    took_part_published = np.array([ring.cell(took_part.get(d, [])) for d in range(n_d)], dtype=float)
    trials = np.tile(took_part_published, (len(ideas), 1)) if ideas else np.zeros((0, n_d))
    eligible_districts = int(
        sum(1 for d in range(n_d) if disclosure.large_enough(int(took_part_published[d])))
    )
    scores = (
        eb.bridging_scores(counts, np.maximum(trials, counts), min_trials=disclosure.MIN_DESCRIBED)
        if ideas
        else np.zeros(0)
    )
    own = [index.get(idea_district.get(pk, -1), -1) for pk, *_ in ideas]
    rows = []
    for i, (pk, title, slug, *_rest) in enumerate(ideas):
        known = ring.cell([k for d in range(n_d) for k in supporters.get((i, d), [])])
        if not disclosure.large_enough(known):
            continue  # too few supporters with a known district to say anything
        row_total = int(counts[i].sum())
        outside = (
            float(sum(counts[i, d] for d in range(n_d) if d != own[i])) / row_total if row_total else math.nan
        )
        supporting = int((counts[i] > 0).sum())
        score = None if math.isnan(scores[i]) else float(scores[i])
        rows.append(
            CohesionIdea(
                pk=pk,
                title=title,
                url=idea_url(slug, pk),
                district=names.get(idea_district.get(pk, -1), _("ohne Bezirk")),
                supports_known=known,
                outside_share=None if math.isnan(outside) else outside * 100,
                districts_supporting=supporting,
                bridging=score,
                broad=bool(
                    eligible_districts >= 2
                    and supporting >= max(2, math.ceil(0.6 * n_d))
                    and (outside >= 0.5 if not math.isnan(outside) else False)
                ),
            )
        )
    rows.sort(key=lambda r: (-(r.bridging or 0.0), -r.supports_known, r.title))
    report.ideas = rows[:50]
    report.broad = [r for r in rows if r.broad][:10]
    return report
