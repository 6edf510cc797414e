"""Full-text search in German over the catalogue, on both databases.

PostgreSQL: the stored column ``search_vector`` (generated as ``to_tsvector('german', search_text)`` on every
write, GIN index; migration 0003), queried with ``websearch_to_tsquery('german', …)`` and ranked with
``ts_rank`` over the stored vector (no text is parsed again at query time).
SQLite (embedded default): an FTS5 table ``opendata_fts`` holding the Snowball-stemmed text of each dataset
(German stemming as PostgreSQL's configuration does it, so "Bäume" finds "Baum"), ranked with ``bm25``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from konzeptk.opendata.models import Dataset

_WORD = re.compile(r"\w+", re.UNICODE)
FTS_TABLE = "opendata_fts"


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("german")


def stems(text: str) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text) if not w.isdigit() or len(w) < 12]
    return list(_stemmer().stemWords(words))


def document(dataset: Dataset, extra: Iterable[str] = ()) -> str:
    """The text a dataset is found by: title (twice, it weighs more), keywords, description, more."""
    parts = [dataset.title, dataset.title, " ".join(dataset.keywords), dataset.description, *extra]
    return "\n".join(p for p in parts if p)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index(datasets: Iterable[Dataset]) -> None:
    """Refresh the SQLite index of these datasets (PostgreSQL indexes the column itself)."""
    if is_postgres():
        return
    rows = [(d.pk, " ".join(stems(d.search_text))) for d in datasets]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _t in rows])  # noqa: S608
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)", rows)  # noqa: S608


def unindex(ids: Iterable[int]) -> None:
    if is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in ids])  # noqa: S608


def _fts5_query(text: str) -> str:
    # every stem must occur; a stem also matches longer words (prefix), quotes keep FTS5 syntax out
    return " AND ".join(f'"{stem}"*' for stem in stems(text))


def ranks(text: str) -> dict[int, float]:
    """SQLite: the score of every dataset matching ``text``, from one FTS5 query (higher is better)."""
    query = _fts5_query(text)
    if not query:
        return {}
    with connection.cursor() as cursor:
        # the search text is a bound parameter; the SQL around it is fixed
        cursor.execute(
            "SELECT rowid, -bm25(opendata_fts) FROM opendata_fts WHERE opendata_fts MATCH %s", [query]
        )
        return {int(pk): float(score) for pk, score in cursor.fetchall()}


def matching(queryset: QuerySet[Dataset], text: str) -> QuerySet[Dataset]:
    """Datasets matching ``text``, annotated with ``rank`` (higher is better)."""
    if is_postgres():
        return queryset.filter(
            RawSQL(
                "search_vector @@ websearch_to_tsquery('german', %s)",
                [text],
                output_field=BooleanField(),
            )
        ).annotate(
            rank=RawSQL(
                "ts_rank(search_vector, websearch_to_tsquery('german', %s))",
                [text],
                output_field=FloatField(),
            )
        )
    query = _fts5_query(text)
    if not query:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    # the search text is a bound parameter; the SQL around it is fixed
    return queryset.filter(
        pk__in=RawSQL("SELECT rowid FROM opendata_fts WHERE opendata_fts MATCH %s", [query])
    ).annotate(
        rank=RawSQL(
            "(SELECT -bm25(opendata_fts) FROM opendata_fts "
            "WHERE opendata_fts MATCH %s AND opendata_fts.rowid = opendata_dataset.id)",
            [query],
            output_field=FloatField(),
        )
    )
