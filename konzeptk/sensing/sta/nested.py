"""``$expand`` of a to-many navigation property with a LIMIT per parent, not a window over all children.

``Things?$expand=Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))`` asks for one
Observation per Datastream. A window (``ROW_NUMBER() OVER (PARTITION BY datastream_id …)``, what Django's
sliced ``Prefetch`` writes) numbers every Observation of those Datastreams first. Here each parent's children are
read by their own ``ORDER BY … LIMIT``, which the (datastream, time) index answers with a few entries:

- PostgreSQL: ``unnest(parent ids) CROSS JOIN LATERAL (<the child query> WHERE fk = parent.id … LIMIT n)``,
  one statement that returns the rows themselves.
- SQLite (no LATERAL): per parent id (``json_each``) one correlated scalar subquery collects the ids of
  ``<the child query> WHERE fk = parent.value … LIMIT n`` with ``json_group_array``; the rows with those ids are
  read by primary key and the few of them ordered once more.

The child query is the ordinary Django queryset (``$filter``, order, offset, limit) with the parent id as a
column reference, so the same code compiles every filter. Used for children that hold a foreign key to the
parent (Datastreams of a Thing, Observations of a Datastream or a FeatureOfInterest, …); the few many-to-many
navigations (Locations of a Thing …) keep Django's prefetch.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connections, models
from django.db.models.expressions import RawSQL


def foreign_key(model: type[models.Model], lookup: str) -> models.ForeignKey[Any, Any] | None:
    field = model._meta.get_field(lookup)
    return field if isinstance(field, models.ForeignKey) else None


def _per_parent(qs: models.QuerySet[Any], fk: models.ForeignKey[Any, Any], start: int, stop: int) -> Any:
    connection = connections[qs.db]
    parent_ref = '"_kk_p"."id"' if connection.vendor == "postgresql" else '"_kk_p"."value"'
    parent = RawSQL(parent_ref, (), output_field=models.BigIntegerField())  # noqa: S611 – a constant
    return qs.filter(**{fk.name: parent})[start:stop]


def _lateral(sql: str) -> str:
    return (
        f'SELECT "_kk_x".* FROM unnest(%s::bigint[]) AS "_kk_p"("id") '  # noqa: S608 – compiled by Django
        f'CROSS JOIN LATERAL ({sql}) AS "_kk_x"'
    )


def _sqlite_ids(inner: models.QuerySet[Any], parent_ids: list[int]) -> RawSQL:
    sql, params = inner.values("pk").query.get_compiler(using=inner.db).as_sql()
    return RawSQL(  # noqa: S611 – column names and SQL compiled by Django, values as parameters
        f'SELECT "_kk_j"."value" FROM (SELECT (SELECT json_group_array("_kk_x"."pk") '  # noqa: S608
        f'FROM ({sql}) AS "_kk_x") AS "ids" FROM json_each(%s) AS "_kk_p") AS "_kk_y", '
        'json_each("_kk_y"."ids") AS "_kk_j"',
        (*params, json.dumps(list(parent_ids))),
    )


def children_per_parent(
    qs: models.QuerySet[Any], fk: models.ForeignKey[Any, Any], parent_ids: list[int], start: int, stop: int
) -> dict[int, list[models.Model]]:
    """``qs`` (filtered and ordered) sliced ``[start:stop]`` for each parent, as {parent id: children in order}."""
    grouped: dict[int, list[models.Model]] = {pk: [] for pk in parent_ids}
    if not parent_ids:
        return grouped
    inner = _per_parent(qs, fk, start, stop)
    if connections[qs.db].vendor == "postgresql":
        sql, params = inner.query.get_compiler(using=qs.db).as_sql()
        rows: Any = qs.model._default_manager.raw(_lateral(sql), [list(parent_ids), *params])
    else:
        rows = qs.filter(pk__in=_sqlite_ids(inner, parent_ids))
    for child in rows:
        grouped.setdefault(getattr(child, fk.attname), []).append(child)
    return grouped


def rows_per_parent(
    values: models.QuerySet[Any],
    fk: models.ForeignKey[Any, Any],
    parent_ids: list[int],
    start: int,
    stop: int,
) -> dict[int, list[tuple[Any, ...]]]:
    """The same for a ``values_list`` queryset whose second column is the foreign key: tuples instead of model
    instances (a leaf of ``$expand``). On PostgreSQL the LATERAL rows get Django's converters of the inner query."""
    grouped: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in parent_ids}
    if not parent_ids:
        return grouped
    inner = _per_parent(values, fk, start, stop)
    connection = connections[values.db]
    if connection.vendor == "postgresql":
        compiler = inner.query.get_compiler(using=values.db)
        sql, params = compiler.as_sql()
        with connection.cursor() as cursor:
            cursor.execute(_lateral(sql), [list(parent_ids), *params])
            fetched = cursor.fetchall()
        rows: Any = compiler.results_iter(results=[fetched], tuple_expected=True)
    else:
        rows = values.filter(pk__in=_sqlite_ids(inner, parent_ids))
    for row in rows:
        grouped.setdefault(row[1], []).append(row)
    return grouped
