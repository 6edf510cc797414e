"""The attacker test of issue 11, finding 1: differencing the published representation tables.

An attacker reads, over HTTP only, every representation table the platform publishes – for the
platform and every process, today and on every past day with a stored snapshot – and solves integer
linear programmes for every group of people. The unknowns are the true counts of the finest cells
(district × age band × sex) of every population (platform or process, on each day). What the attacker
knows and uses:

* every published number is within ``± max_deviation`` of the true count (the API says how large
  that is; without it, published numbers are taken as exact, as the old small-cell suppression
  published them), and a hidden number (``null``) tells nothing;
* one-way tables, two-way tables, their totals and the number of participants are sums of the
  same finest cells;
* participants only ever accumulate (a cell on a later day is at least as large as on an earlier day)
  and the processes here have disjoint participants, so the platform is their sum – knowledge a
  real attacker might have, given to this one to make it strong.

For every cell with 1 to 4 people (published ones and the finest ones), the attacker asks whether any
whole-number solution of all published numbers gives the cell another value than the true one (that
is: whether the smallest and the largest possible value differ). The test fails if any such cell is
pinned to a single value, or if any published number equals a true count of 1 to 4.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
import time_machine
from django.utils import timezone
from scipy import sparse
from scipy.optimize import linprog

from konzeptk.accounts.models import Consent
from konzeptk.accounts.services import consent_give
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.insights import selectors, services
from konzeptk.insights.models import POPULATION_BANDS, DemographicProfile
from konzeptk.participation.models import Support
from konzeptk.participation.tests.factories import IdeaFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db

BANDS = POPULATION_BANDS  # "6-17", "18-64", "65+"
SEXES = ("f", "m")
AGE_OF_BAND = {"6-17": "unter 18", "18-64": "30-49", "65+": "65+"}
BAND_LABEL = {"6-17": "6 bis 17 Jahre", "18-64": "18 bis 64 Jahre", "65+": "65 Jahre und älter"}
SEX_LABEL = {"f": "weiblich", "m": "männlich"}
DAYS_AGO = (14, 7, 0)

# New participants per process and day: (district index, band, sex) → number of people.
# "bildung" repeats the finding's example: Mitte (district 0) with one person aged 6–17 among many.
PLAN: dict[str, dict[int, dict[tuple[int, str, str], int]]] = {
    "bildung": {
        14: {
            (0, "18-64", "f"): 9,
            (0, "18-64", "m"): 8,
            (0, "65+", "f"): 3,
            (0, "65+", "m"): 3,
            (0, "6-17", "f"): 1,
            (1, "18-64", "f"): 4,
            (1, "18-64", "m"): 5,
            (1, "65+", "f"): 2,
            (2, "18-64", "f"): 7,
            (2, "18-64", "m"): 3,
            (3, "6-17", "m"): 2,
            (3, "18-64", "f"): 5,
            (3, "18-64", "m"): 6,
            (4, "18-64", "m"): 4,
            (4, "65+", "f"): 1,
        },
        7: {(0, "18-64", "f"): 2, (1, "65+", "m"): 1, (2, "6-17", "f"): 3, (4, "18-64", "f"): 6},
        0: {(0, "18-64", "m"): 3, (3, "65+", "f"): 4, (4, "6-17", "m"): 1},
    },
    "mobil": {
        14: {
            (0, "18-64", "f"): 12,
            (0, "18-64", "m"): 10,
            (1, "18-64", "f"): 3,
            (1, "65+", "m"): 1,
            (2, "18-64", "m"): 6,
            (2, "65+", "f"): 5,
            (3, "18-64", "f"): 2,
            (4, "18-64", "m"): 8,
            (4, "6-17", "f"): 2,
        },
        7: {(1, "18-64", "m"): 4, (3, "65+", "m"): 2},
        0: {(0, "65+", "f"): 1, (2, "6-17", "m"): 4},
    },
    "klima": {  # nobody new on the last day: the same population on two days
        14: {
            (0, "18-64", "m"): 5,
            (1, "18-64", "f"): 6,
            (1, "6-17", "m"): 1,
            (2, "65+", "f"): 3,
            (3, "18-64", "f"): 7,
            (3, "18-64", "m"): 2,
            (4, "65+", "m"): 4,
        },
        7: {(0, "6-17", "f"): 2, (2, "18-64", "m"): 5},
        0: {},
    },
}


def _person(district: Any, band: str, sex: str) -> Any:
    user = UserFactory()
    DemographicProfile.objects.create(user=user, district=district, age_band=AGE_OF_BAND[band], gender=sex)
    consent_give(user=user, purpose=Consent.Purpose.DEMOGRAPHICS)
    return user


@pytest.fixture
def published_world(krefeld: None, client: Any) -> dict[str, Any]:
    """Builds the processes day by day (time-machine), takes the daily snapshots as the background
    job does, then reads every published table over HTTP. Returns truth and publications."""
    layer = selectors.reference_layer()
    assert layer is not None
    districts = list(layer.districts.order_by("code"))
    assert len(districts) >= 5
    districts = districts[:5]
    real_now = timezone.now()
    slugs = {name: f"auswertung-{name}" for name in PLAN}
    ideas: dict[str, Any] = {}
    truth: dict[tuple[str, int], dict[tuple[int, str, str], int]] = {}
    running: dict[str, dict[tuple[int, str, str], int]] = {name: defaultdict(int) for name in PLAN}
    for ago in DAYS_AGO:
        with time_machine.travel(real_now - dt.timedelta(days=ago), tick=False):
            for name, per_day in PLAN.items():
                if name not in ideas:
                    process = ProcessFactory(slug=slugs[name])
                    PhaseFactory(process=process, end=real_now + dt.timedelta(days=30))
                    ideas[name] = IdeaFactory(process=process, author=None)
                for (d, band, sex), n in per_day[ago].items():
                    for _ in range(n):
                        Support.objects.create(idea=ideas[name], user=_person(districts[d], band, sex))
                    running[name][(d, band, sex)] += n
                truth[(slugs[name], ago)] = dict(running[name])
            platform: dict[tuple[int, str, str], int] = defaultdict(int)
            for name in PLAN:
                for cell, n in running[name].items():
                    platform[cell] += n
            truth[("", ago)] = dict(platform)
            services.representation_snapshots_take()
    published: dict[tuple[str, int], dict[str, Any]] = {}
    for scope in ["", *slugs.values()]:
        base = (
            "/api/v1/insights/representation"
            if not scope
            else f"/api/v1/insights/processes/{scope}/representation"
        )
        for ago in DAYS_AGO:
            # snapshots are dated by the city's calendar day (Europe/Berlin), not by UTC's
            day = timezone.localdate(real_now - dt.timedelta(days=ago))
            url = base if ago == 0 else f"{base}?day={day.isoformat()}"
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            data = response.json()
            if ago == 0 or data.get("day") == day.isoformat():
                published[(scope, ago)] = data
            # an API that ignores ``day`` answers with today's tables: those are read already
        # today's snapshot and today's live report are the same population: read both
        today = timezone.localdate(real_now).isoformat()
        response = client.get(f"{base}?day={today}")
        assert response.status_code == 200
        if response.json().get("day") == today:
            published[(scope, -1)] = response.json()
    return {"districts": districts, "truth": truth, "published": published, "scopes": ["", *slugs.values()]}


def _expressions(names: list[str]) -> dict[tuple[str, str], list[tuple[int, str, str]]]:
    """(table key, group label as published) → the finest cells the group is the sum of."""
    cells = list(itertools.product(range(len(names)), BANDS, SEXES))
    out: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    for d, name in enumerate(names):
        out[("district", name)] = [c for c in cells if c[0] == d]
        for band in BANDS:
            out[("district_age", f"{name}, {BAND_LABEL[band]}")] = [c for c in cells if c[:2] == (d, band)]
    for band in BANDS:
        out[("age", BAND_LABEL[band])] = [c for c in cells if c[1] == band]
        for sex in SEXES:
            out[("age_sex", f"{BAND_LABEL[band]}, {SEX_LABEL[sex]}")] = [
                c for c in cells if c[1:] == (band, sex)
            ]
    for sex in SEXES:
        out[("sex", SEX_LABEL[sex])] = [c for c in cells if c[2] == sex]
    out[("total", "")] = cells
    return out


def _observations(data: dict[str, Any], names: list[str]) -> list[tuple[list[tuple[int, str, str]], int]]:
    """Every published number of one response with the finest cells it sums."""
    expressions = _expressions(names)
    out = []
    if data.get("participants") is not None:
        out.append((expressions[("total", "")], int(data["participants"])))
    for table in data["tables"]:
        rows = table["rows"]
        total = table.get("total")
        if total is None:  # without a published total, it follows from any count and its share
            for row in rows:
                if row["participants"] and row.get("participant_share"):
                    total = round(row["participants"] / row["participant_share"])
                    break
        if total is not None:
            out.append((expressions[("total", "")], int(total)))
        for row in rows:
            if row["participants"] is not None:
                out.append((expressions[(table["key"], row["group"])], int(row["participants"])))
    return out


def test_differencing_attack_finds_no_small_cell(published_world: dict[str, Any]) -> None:
    names = [d.name for d in published_world["districts"]]
    truth = published_world["truth"]
    published = published_world["published"]
    scopes = published_world["scopes"]
    cells = list(itertools.product(range(len(names)), BANDS, SEXES))
    blocks = [(scope, ago) for scope in scopes for ago in DAYS_AGO]
    var = {(block, cell): i for i, (block, cell) in enumerate(itertools.product(blocks, cells))}
    n = len(var)
    a_ub: list[np.ndarray] = []
    b_ub: list[float] = []
    a_eq: list[np.ndarray] = []
    b_eq: list[float] = []
    deviation = 0
    for (scope, ago), data in published.items():
        block = (scope, 0 if ago == -1 else ago)
        d = int(data.get("max_deviation", 0))
        deviation = max(deviation, d)
        for expr, value in _observations(data, names):
            row = np.zeros(n)
            for cell in expr:
                row[var[(block, cell)]] = 1
            a_ub.extend([row, -row])
            b_ub.extend([value + d, -(value - d)])
    for scope in scopes:  # participants only accumulate
        for earlier, later in itertools.pairwise(DAYS_AGO):
            for cell in cells:
                row = np.zeros(n)
                row[var[((scope, earlier), cell)]] = 1
                row[var[((scope, later), cell)]] = -1
                a_ub.append(row)
                b_ub.append(0)
    for ago in DAYS_AGO:  # the platform is the sum of its (disjoint) processes
        for cell in cells:
            row = np.zeros(n)
            row[var[(("", ago), cell)]] = 1
            for scope in scopes[1:]:
                row[var[((scope, ago), cell)]] = -1
            a_eq.append(row)
            b_eq.append(0)
    ub, ubb = sparse.csr_array(np.array(a_ub)), np.array(b_ub)
    eq, eqb = sparse.csr_array(np.array(a_eq)), np.array(b_eq)
    integrality = np.ones(n)

    def solution(objective: np.ndarray, extra: tuple[np.ndarray, float] | None = None) -> np.ndarray | None:
        """A whole-number solution of everything published (checked here, not trusted), or None."""
        a, b = ub, ubb
        if extra is not None:
            a = sparse.vstack([ub, sparse.csr_array(extra[0][None, :])])
            b = np.append(ubb, extra[1])
        result = linprog(
            objective,
            A_ub=a,
            b_ub=b,
            A_eq=eq,
            b_eq=eqb,
            bounds=(0, None),
            integrality=integrality,
            options={"time_limit": 20},
        )
        if result.x is None:
            return None
        x = np.round(result.x)
        ok = np.all(a @ x <= b + 1e-6) and np.allclose(eq @ x, eqb) and np.all(x >= 0)
        return x if ok else None

    pinned = []
    shown_small = []
    targets: list[tuple[tuple[str, int], tuple[str, str], np.ndarray, int]] = []
    for scope, ago in blocks:
        true = truth[(scope, ago)]
        groups: dict[tuple[str, str], list[tuple[int, str, str]]] = dict(_expressions(names))
        groups.update({("cell", "|".join(map(str, c))): [c] for c in cells})
        values = published.get((scope, ago), {"tables": []})
        shown = {(t["key"], r["group"]): r["participants"] for t in values["tables"] for r in t["rows"]}
        for key, expr in groups.items():
            count = sum(true.get(c, 0) for c in expr)
            if not 1 <= count <= 4:
                continue
            if shown.get(key) == count:
                shown_small.append((scope, ago, key, count))
            row = np.zeros(n)
            row[[var[((scope, ago), c)] for c in expr]] = 1
            targets.append(((scope, ago), key, row, count))
    # A cell is not pinned once some whole-number solution gives it another value. Solutions that
    # push many small cells up or down at once settle most cells in a few solves ...
    open_ = list(range(len(targets)))
    rng = np.random.default_rng(11)
    for attempt in range(6):
        if not open_:
            break
        weights = rng.uniform(0.5, 1.5, len(open_)) * (1 if attempt % 2 == 0 else -1)
        objective = -sum(w * targets[i][2] for w, i in zip(weights, open_, strict=True))
        x = solution(objective)
        assert x is not None or attempt > 0  # the true counts are always a solution
        if x is not None:
            open_ = [i for i in open_ if round(float(targets[i][2] @ x)) == targets[i][3]]
    # ... and each remaining one is asked on its own: at least count + 1, or at most count - 1?
    for i in open_:
        block, key, row, count = targets[i]
        if (
            solution(np.zeros(n), (-row, -(count + 1))) is None
            and solution(np.zeros(n), (row, count - 1)) is None
        ):
            pinned.append((block[0] or "Plattform", block[1], key, count))
    assert len(targets) > 50  # the data has many small cells
    assert not shown_small, shown_small
    assert not pinned, f"{len(pinned)} kleine Zellen rückrechenbar: {pinned[:10]}"
    assert deviation <= 2
    # every stored past day was read (an API without ``?day=`` would only have shown today)
    assert len(published) == len(scopes) * (len(DAYS_AGO) + 1)
