"""Demo content of the strategy: Krefeld's real strategy, read from the city profile pack (idempotent).

The text lives as data with its sources in ``city/profiles/krefeld/demo/``: ``strategy-revisions.json``
(the two revisions with their fields of action, sub-topics, themes, goals and measures),
``strategy-projects.json`` (projects with their stage history, milestones and links) and
``strategy-indicators.json`` (indicators with targets, values and a binding to a data series or to another
room's value source). This module only reads those files and creates everything through
:mod:`konzeptk.strategy.services`, so the demo takes the same paths as the core team does: a draft is
filled and adopted by the council, a project is created and moves from stage to stage. Projects and
indicators are loaded before the revisions (they link to elements by key), so both revisions record the
same targets at adoption: the data has no earlier targets, and the comparison of the two revisions shows
none as changed.

Everything invented (stages, dates, budgets, milestones, goals' assignment where inferred, targets without
an official source, values after the baseline) is flagged ``is_demo_content`` in the data and shown as
"Beispielinhalt". A second run creates nothing new: revisions that exist are left as they are (an adopted
revision cannot be changed), projects and indicators are updated from the data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, TextIO

from konzeptk.accounts.models import Organisation
from konzeptk.city import selectors as city_selectors
from konzeptk.city.demo_data import demo_data
from konzeptk.city.models import District
from konzeptk.core.content import translations_from
from konzeptk.strategy import services
from konzeptk.strategy.models import (
    Indicator,
    IndicatorBinding,
    IndicatorValue,
    Project,
    Revision,
    RevisionElement,
    Strategy,
)

#: The namespace of the elements' stable keys (``key_namespace`` in strategy-revisions.json says the same).
NAMESPACE = uuid.UUID("5d1f0a52-7c0e-4b7e-9a43-6a4b3b0c2f11")

#: Order in which the elements of a revision are added; (data list, element kind, parent list, parent kind)
ELEMENT_ORDER: tuple[tuple[str, str, str | None], ...] = (
    ("fields", "field", None),
    ("sub_topics", "sub_topic", "fields"),
    ("themes", "theme", None),
    ("goals", "goal", "fields"),
    ("measures", "measure", "goals"),
)
PARENT_NAME = {"sub_topics": "field", "goals": "field", "measures": "goal"}


def key(name: str) -> uuid.UUID:
    """The stable key of the demo element with this name (the same in every revision)."""
    return uuid.uuid5(NAMESPACE, name)


def _district_map() -> dict[str, District]:
    profile = city_selectors.active_profile()
    layer = city_selectors.current_layer(profile) if profile else None
    return {d.name: d for d in city_selectors.districts_of(layer)} if layer else {}


def _revision(strategy: Strategy, data: dict[str, Any], parent: Revision | None) -> Revision:
    """A draft filled with the revision's elements, then adopted as the council did."""
    draft = services.revision_create(
        strategy=strategy,
        by=None,
        title=data["title"],
        motto=data["motto"],
        vision=data["vision"],
        parent=parent,
    )
    made: dict[str, dict[str, RevisionElement]] = {}
    # translations of titles and descriptions (German text → language → text)
    table = (demo_data("translations") or {}).get("texts", {})
    for group, kind, parent_group in ELEMENT_ORDER:
        made[group] = {}
        for row in data[group]:
            parent_id = made[parent_group][row[PARENT_NAME[group]]].pk if parent_group else None
            made[group][row["name"]] = services.element_add(
                revision=draft,
                kind=kind,
                title=row["title"],
                description=row.get("description", ""),
                parent_id=parent_id,
                city_concept=row.get("city_concept", ""),
                key=key(row["name"]),
                is_demo_content=row.get("is_demo_content", False),
                by=None,
                translations=translations_from(
                    table, {"title": row["title"], "description": row.get("description", "")}
                ),
            )
    return services.revision_adopt(
        revision=draft,
        by=None,
        council_decision=data["council_decision"],
        decided_on=dt.date.fromisoformat(data["date"]),
    )


def _load_revisions(data: dict[str, Any]) -> Strategy:
    strategy = services.strategy_save(**data["strategy"])
    existing = {r.version: r for r in Revision.objects.filter(strategy=strategy)}
    for row in sorted(data["revisions"], key=lambda r: r["version"]):
        version = row["version"]
        if version in existing:
            continue
        if max(existing, default=0) != version - 1:
            continue  # someone else's revisions took the number: leave the strategy as it is
        existing[version] = _revision(strategy, row, existing.get(version - 1))
    return strategy


def _money(value: float | int | None) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def _load_projects(data: dict[str, Any]) -> dict[str, Project]:
    orgs = {o.slug: o for o in Organisation.objects.all()}
    districts = _district_map()
    reasons: dict[str, str] = data["stage_reasons"]
    result: dict[str, Project] = {}
    for row in data["projects"]:
        if row["lead"] not in orgs:
            continue
        existing = Project.objects.filter(slug=row["slug"]).first()
        where = row["districts"]
        stages = [(s["stage"], dt.date.fromisoformat(s["date"])) for s in row["stages"]]
        project = services.project_save(
            project=existing,
            by=None,
            data={
                "slug": row["slug"],
                "title": row["title"],
                "summary": row["summary"],
                "lead": orgs[row["lead"]],
                "city_wide": where == "*",
                "budget_planned": _money(row["budget_planned"]),
                "budget_spent": _money(row["budget_spent"]),
                "funding_source": row["funding_source"],
                "published": True,
                "is_demo_content": row["is_demo_content"],
                "sources": row["sources"],
                "evaluation_criteria": row["evaluation_criteria"],
                "decision_record": row["decision_record"],
                "contact_name": data["contact_name"],
            },
            partners=[orgs[p] for p in row["partners"] if p in orgs],
            districts=[] if where == "*" else [districts[n] for n in where if n in districts],
            field_keys=[key(n) for n in row["fields"]],
            goal_keys=[key(n) for n in row["goals"]],
            measure_keys=[key(n) for n in row["measures"]],
            theme_keys=[key(n) for n in row["themes"]],
            started_on=stages[0][1],
            start_reason=reasons[stages[0][0]],
        )
        result[project.slug] = project
        if existing is not None:
            continue
        for stage, day in stages[1:]:
            services.project_change_stage(
                project=project, to_stage=stage, reason=reasons[stage], on=day, by=None
            )
        for milestone in row["milestones"]:
            services.milestone_add(
                project=project,
                title=milestone["title"],
                due=dt.date.fromisoformat(milestone["due"]),
                done_on=dt.date.fromisoformat(milestone["done_on"]) if milestone["done_on"] else None,
                by=None,
            )
        for link in row.get("web_links", []):
            services.web_link_add(project=project, url=link["url"], label=link["label"], by=None)
    return result


def _load_indicators(data: dict[str, Any], projects: dict[str, Project]) -> None:
    for row in data["indicators"]:
        indicator = services.indicator_save(
            indicator=Indicator.objects.filter(slug=row["slug"]).first(),
            by=None,
            data={
                "slug": row["slug"],
                "name": row["name"],
                "description": row.get("description", ""),
                "unit": row["unit"],
                "direction": row["direction"],
                "source": row["source"],
                "method": row["method"],
                "baseline_value": row["baseline_value"],
                "baseline_year": row["baseline_year"],
                "goal_key": key(row["goal"]),
                "is_demo_content": row["is_demo_content"],
                "series_source": row["series_source"],
                "published": True,
            },
            projects=[projects[p] for p in row["projects"] if p in projects],
        )
        for target in row["targets"]:
            services.indicator_target_set(
                indicator=indicator,
                value=target["value"],
                year=target["year"],
                note=target["note"],
                is_demo_content=target["is_demo_content"],
                by=None,
            )
        known = set(
            indicator.values.filter(source=IndicatorValue.Source.MANUAL).values_list("date", flat=True)
        )
        for value in row["values"]:
            day = dt.date(value["year"], 1, 1)
            if day in known:
                continue
            services.indicator_value_add(
                indicator=indicator,
                value=value["value"],
                on=day,
                # a documented value cites the indicator's source; the others are examples
                source_ref="Beispielwert" if value["is_demo_content"] else row["source"],
                is_demo_content=value["is_demo_content"],
                by=None,
            )
        # Bound by name (a datastream) or to a room's value source: the sensing demo runs after this one,
        # education's bookings come in its after_demo(); finish_demo() computes the values once every room's
        # demo data exists (later: the hourly `strategy.refresh_indicators` or a page view's job).
        if "binding" in row:
            services.indicator_bind(indicator=indicator, **row["binding"])


def load_demo(*, out: TextIO) -> None:
    revisions = demo_data("strategy-revisions")
    if revisions is None:
        out.write("    Strategie: Das Stadtprofil bringt keine Demo-Inhalte mit.\n")
        return
    # Projects and indicators link to elements by key, so they come first: each revision then records the
    # targets of its indicators when it is adopted, and the comparison shows no invented target changes.
    projects = _load_projects(demo_data("strategy-projects") or {"projects": [], "stage_reasons": {}})
    _load_indicators(demo_data("strategy-indicators") or {"indicators": []}, projects)
    strategy = _load_revisions(revisions)
    out.write(
        f"    Strategie: {Revision.objects.filter(strategy=strategy).count()} Fassungen, "
        f"{Project.objects.count()} Projekte, {Indicator.objects.count()} Indikatoren\n"
    )


def finish_demo(*, out: TextIO) -> None:
    """After every room's demo content and its ``after_demo``: compute the indicator values bound to demo
    data series and to other rooms' value sources (core/demo_registry.py runs this last)."""
    refreshed = [b for b in services.indicators_refresh_all() if b.state == IndicatorBinding.State.OK]
    out.write(f"    Strategie: {len(refreshed)} Indikatoren aus Datenreihen und Wertquellen berechnet\n")
