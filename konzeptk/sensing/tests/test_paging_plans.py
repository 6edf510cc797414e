"""Issue 14: the page queries are bounded by the page, not the table – asserted on the query plans and the
query counts at two data sizes (3,000 and 30,000 observations in the same three months), on SQLite and
PostgreSQL. The figures (1 and 10 million rows) are in ``bench.py``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from konzeptk.sensing import models as m
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
SPAN_MINUTES = 90 * 24 * 60
DASHBOARD = {"$expand": "Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))"}


def _load(total: int, streams: int = 10) -> list[m.Datastream]:
    datastreams = [make_datastream(name=f"Plan {i}") for i in range(streams)]
    feature = m.FeatureOfInterest.objects.create(
        name="F", feature={"type": "Point", "coordinates": [6.5, 51.3]}
    )
    step = SPAN_MINUTES / total
    rows = [
        Row(
            datastreams[i % streams].pk,
            feature.pk,
            T0 + dt.timedelta(minutes=int(i * step)),
            result_number=float(i % 40),
        )
        for i in range(total)
    ]
    insert_rows(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE sensing_observation")
    return datastreams


def _page_sql(anon: Any, path: str, params: dict[str, str], *, pages: int = 2) -> tuple[list[str], int, Any]:
    """SQL of the observation reads of the last of ``pages`` pages (following nextLinks), query count, body."""
    body = anon.get(path, **params).json()
    for _ in range(pages - 1):
        body = anon.client.get(body["@iot.nextLink"].replace("http://testserver", "")).json()
    link = body.get("@iot.nextLink")
    with CaptureQueriesContext(connection) as queries:
        if link:
            body = anon.client.get(link.replace("http://testserver", "")).json()
        else:
            body = anon.get(path, **params).json()
    sqls = [q["sql"] for q in queries.captured_queries if "sensing_observation" in q["sql"]]
    return sqls, len(queries.captured_queries), body


def _plan(sql: str) -> tuple[str, float]:
    """(plan text, estimated total cost) – cost on PostgreSQL only, 0 on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return json.dumps(plan), float(plan[0]["Plan"]["Total Cost"])
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(f"{row[0]}<{row[1]} {row[-1]}" for row in cursor.fetchall()), 0.0


def _node_types(plan: str) -> set[str]:
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        found.add(node["Node Type"])
        for child in node.get("Plans", []):
            walk(child)

    walk(json.loads(plan)[0]["Plan"])
    return found


def _index_conds(plan: str) -> list[str]:
    found: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if "Index Cond" in node:
            found.append(node["Index Cond"])
        for child in node.get("Plans", []):
            walk(child)

    walk(json.loads(plan)[0]["Plan"])
    return found


def _check_page_plan(sql: str, *, sorted_by_index: bool = True) -> float:
    plan, cost = _plan(sql)
    if connection.vendor == "postgresql":
        nodes = _node_types(plan)
        assert "Seq Scan" not in nodes, plan
        assert "WindowAgg" not in nodes, plan
        if sorted_by_index:
            assert "Sort" not in nodes, plan  # the index gives the order; no top-N sort of the table
    else:
        assert "SCAN sensing_observation\n" not in plan + "\n", (
            plan
        )  # a full scan would say so without an index
        if sorted_by_index:
            assert "TEMP B-TREE" not in plan, plan
    return cost


@pytest.mark.parametrize("path", ["Observations", "NESTED"])
def test_next_link_page_uses_the_index_at_both_sizes(anon: Any, path: str) -> None:
    costs = []
    counts = []
    for total in (3_000, 30_000):
        m.Observation.objects.all().delete()
        streams = _load(total)
        url = f"Datastreams({streams[3].pk})/Observations" if path == "NESTED" else path
        sqls, count, body = _page_sql(anon, url, {"$top": "100"}, pages=3)
        assert len(body["value"]) == 100
        assert "$skiptoken" in body["@iot.nextLink"]
        [sql] = sqls  # one read of the observations per page (no extra lookup of the last row's key)
        costs.append(_check_page_plan(sql))
        if path == "NESTED" and connection.vendor == "postgresql":  # the (datastream, time, id) index
            assert any("datastream_id = " in cond for cond in _index_conds(_plan(sql)[0]))
        counts.append(count)
    assert counts[0] == counts[1] <= 3
    if connection.vendor == "postgresql":
        assert costs[1] < 2 * costs[0], costs  # ten times the rows, not ten times the cost


def test_descending_and_filtered_pages_use_the_index(anon: Any) -> None:
    _load(30_000)
    sqls, _count, body = _page_sql(anon, "Observations", {"$top": "100", "$orderby": "phenomenonTime desc"})
    assert len(body["value"]) == 100
    _check_page_plan(sqls[0])
    params = {"$top": "100", "$filter": "result gt 20", "$count": "true"}
    sqls, count, body = _page_sql(anon, "Observations", params)
    assert body["@iot.count"] == 30_000 * 19 // 40
    page = [sql for sql in sqls if "COUNT(" not in sql.upper()]
    assert len(page) == 1
    assert count <= 3
    _check_page_plan(page[0])


def test_dashboard_query_is_one_limit_per_datastream_at_both_sizes(anon: Any) -> None:
    counts = []
    for total in (3_000, 30_000):
        m.Observation.objects.all().delete()
        m.Datastream.objects.all().delete()
        streams = _load(total, streams=20)
        sqls, count, body = _page_sql(anon, "Things", DASHBOARD, pages=1)
        latest = {
            d["@iot.id"]: d["Observations"][0]["result"] for t in body["value"] for d in t["Datastreams"]
        }
        expected = {
            ds.pk: ds.observations.order_by("-phenomenon_time_start", "-pk").values_list(
                "result_number", flat=True
            )[0]
            for ds in streams
        }
        assert latest == expected
        [sql] = sqls
        assert "ROW_NUMBER" not in sql.upper()
        _check_page_plan(sql, sorted_by_index=False)
        plan, _cost = _plan(sql)
        if connection.vendor == "sqlite":
            assert "sensing_obs_ds_time" in plan, plan
            # the per-datastream subquery reads the index in order; only the few result rows are sorted (at <0)
            assert not [line for line in plan.splitlines() if "TEMP B-TREE" in line and "<0 " not in line], (
                plan
            )
        else:  # one short range of the (datastream, time, id) index per Datastream
            assert "Nested Loop" in plan, plan
            assert "(datastream_id = _kk_p.id)" in _index_conds(plan), plan
        counts.append(count)
    assert counts[0] == counts[1] <= 4  # things, datastreams, observations (+ savepoint-free)
