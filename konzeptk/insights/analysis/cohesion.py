"""Cohesion across districts: which ideas find support beyond their own district."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from konzeptk.insights import selectors
from konzeptk.insights.analysis.common import MIN, idea_url
from konzeptk.insights.analysis.representation import WeekPoint, _start, _weeks
from konzeptk.insights.engine import bridging as eb
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
    item, supporter = [], []
    for idea_id, user_id in selectors.supports_of(process):
        profile = people.profiles.get(f"u{user_id}")
        if idea_id in positions and profile is not None and profile.district_id in index:
            item.append(positions[idea_id])
            supporter.append(index[profile.district_id])
    item_arr = np.array(item, dtype=np.int64)
    sup_arr = np.array(supporter, dtype=np.int64)
    own = np.array([index.get(idea_district.get(pk, -1), -1) for pk, *_ in ideas], dtype=np.int64)
    outside = eb.outside_support_share(item_arr, sup_arr, np.where(own >= 0, own, len(district_ids)))
    counts = (
        eb.group_support(item_arr, sup_arr, n_items=len(ideas), n_groups=len(district_ids))
        if ideas
        else np.zeros((0, len(district_ids)), dtype=np.int64)
    )
    # People of each district who took part: everyone who could have supported.
    took_part = Counter(
        p.district_id for k, p in people.profiles.items() if k.startswith("u") and p.district_id in index
    )
    trials = (
        np.array([[took_part[d] for d in district_ids]] * len(ideas), dtype=float)
        if ideas
        else np.zeros((0, len(district_ids)))
    )
    eligible_districts = sum(1 for d in district_ids if took_part[d] >= MIN)
    scores = eb.bridging_scores(counts, np.maximum(trials, counts), min_trials=MIN) if ideas else np.zeros(0)
    rows = []
    for i, (pk, title, slug, *_rest) in enumerate(ideas):
        known = int(counts[i].sum())
        if known < MIN:
            continue  # too few supporters with a known district to say anything
        supporting = int((counts[i] > 0).sum())
        score = None if math.isnan(scores[i]) else float(scores[i])
        rows.append(
            CohesionIdea(
                pk=pk,
                title=title,
                url=idea_url(slug, pk),
                district=names.get(idea_district.get(pk, -1), _("ohne Bezirk")),
                supports_known=known,
                outside_share=None if math.isnan(outside[i]) else float(outside[i]) * 100,
                districts_supporting=supporting,
                bridging=score,
                broad=bool(
                    eligible_districts >= 2
                    and supporting >= max(2, math.ceil(0.6 * len(district_ids)))
                    and (outside[i] >= 0.5 if not math.isnan(outside[i]) else False)
                ),
            )
        )
    rows.sort(key=lambda r: (-(r.bridging or 0.0), -r.supports_known, r.title))
    report.ideas = rows[:50]
    report.broad = [r for r in rows if r.broad][:10]
    return report
