"""The DigComp 2.2 vocabulary: 5 areas, 21 competences and 8 proficiency levels in 4 groups.

Read once from ``data/digcomp-2.2.json`` (source and licence in ``data/README.md``). Names are given in
the language of the request where the file has it, else in English, else in German."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

DATA_FILE = Path(__file__).parent / "data" / "digcomp-2.2.json"


def _pick(names: dict[str, str], language: str | None = None) -> str:
    lang = (language or get_language() or "de").split("-")[0]
    return names.get(lang) or names.get("en") or names["de"]


@dataclass(frozen=True)
class Area:
    number: int
    names: dict[str, str]

    @property
    def name(self) -> str:
        return _pick(self.names)

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


@dataclass(frozen=True)
class Competence:
    code: str  # "1.1" … "5.4"
    area: int
    names: dict[str, str]

    @property
    def name(self) -> str:
        return _pick(self.names)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True, eq=False)
class LevelGroup:
    levels: tuple[int, ...]
    names: dict[str, str]

    @property
    def name(self) -> str:
        return _pick(self.names)


@dataclass(frozen=True)
class Level:
    number: int  # 1 … 8
    group: LevelGroup

    @property
    def name(self) -> str:
        return f"{self.number} – {self.group.name}"


def _load() -> tuple[dict[int, Area], dict[str, Competence], dict[int, Level]]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    areas = {int(a["number"]): Area(number=int(a["number"]), names=dict(a["names"])) for a in raw["areas"]}
    competences = {
        c["code"]: Competence(code=c["code"], area=int(c["code"].split(".")[0]), names=dict(c["names"]))
        for c in raw["competences"]
    }
    levels: dict[int, Level] = {}
    for g in raw["level_groups"]:
        group = LevelGroup(levels=tuple(int(n) for n in g["levels"]), names=dict(g["names"]))
        for number in group.levels:
            levels[number] = Level(number=number, group=group)
    return areas, competences, dict(sorted(levels.items()))


AREAS, COMPETENCES, LEVELS = _load()
LEVEL_GROUPS: tuple[LevelGroup, ...] = tuple(LEVELS[n].group for n in sorted(LEVELS) if n % 2 == 1)


def is_known(code: str) -> bool:
    """Whether ``code`` is one of the 21 competences (``"2.3"``)."""
    return code in COMPETENCES


def area_of(code: str) -> int:
    """The area number of a known competence code."""
    return COMPETENCES[code].area


def competences_of(area: int) -> list[Competence]:
    return [c for c in COMPETENCES.values() if c.area == area]


def area_choices() -> list[tuple[str, str]]:
    return [(str(a.number), str(a)) for a in AREAS.values()]


def competence_choices() -> list[tuple[str, str]]:
    return [(c.code, str(c)) for c in COMPETENCES.values()]


def level_choices() -> list[tuple[str, str]]:
    return [(str(level.number), level.name) for level in LEVELS.values()]
