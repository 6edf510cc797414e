"""Reads of the catalogue: search with facets (shared by the HTML catalogue and the CKAN Action API)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet, TextField, Window
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import District
from konzeptk.core.errors import DomainError
from konzeptk.opendata import search, vocab
from konzeptk.opendata.models import Dataset, DatasetRequest, Distribution, Tag

ROWS_MAX = 1000
# CKAN's facet and filter field names → our facet kinds
FACETS: dict[str, str] = {
    "organization": Tag.Kind.ORGANISATION,
    "groups": Tag.Kind.THEME,
    "tags": Tag.Kind.KEYWORD,
    "res_format": Tag.Kind.FORMAT,
    "license_id": Tag.Kind.LICENCE,
    "district": Tag.Kind.DISTRICT,
}
SORTS: dict[str, str] = {
    "metadata_modified": "modified",
    "metadata_created": "issued",
    "title_string": "title",
    "name": "name",
    "score": "rank",
}
_FQ_TERM = re.compile(r'\s*(?:AND\s+)?(\+?)([a-z_]+):(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))\s*', re.UNICODE)


@dataclass(frozen=True)
class Query:
    q: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    sort: str = ""
    start: int = 0
    rows: int = 10
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 50


@dataclass
class Result:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def parse_fq(fq: str) -> tuple[tuple[str, str], ...]:
    """``organization:krefeld tags:"Öffentlicher Verkehr" +res_format:CSV`` → ((kind, value), …)."""
    terms: list[tuple[str, str]] = []
    position = 0
    text = fq.strip()
    while position < len(text):
        match = _FQ_TERM.match(text, position)
        if match is None or match.end() == position:
            raise DomainError(
                "invalid_fq",
                _("Der Filter fq ist fehlerhaft bei: %(rest)s") % {"rest": text[position:][:60]},
                409,
            )
        name = match.group(2)
        if name not in FACETS:
            raise DomainError(
                "invalid_fq",
                _("Nach „%(name)s“ kann nicht gefiltert werden. Möglich: %(names)s")
                % {"name": name, "names": ", ".join(sorted(FACETS))},
                409,
            )
        value = match.group(3) if match.group(3) is not None else match.group(4)
        terms.append((FACETS[name], value.replace('\\"', '"')))
        position = match.end()
    return tuple(terms)


def parse_sort(sort: str, *, has_query: bool) -> list[str]:
    if not sort.strip():
        return ["-rank", "-modified", "id"] if has_query else ["-modified", "id"]
    order: list[str] = []
    for part in sort.split(","):
        words = part.split()
        if len(words) != 2 or words[0] not in SORTS or words[1].lower() not in ("asc", "desc"):
            raise DomainError(
                "invalid_sort",
                _("Unbekannte Sortierung „%(sort)s“. Möglich: %(names)s jeweils mit asc oder desc.")
                % {"sort": part.strip()[:60], "names": ", ".join(SORTS)},
                409,
            )
        key = SORTS[words[0]]
        if key == "rank" and not has_query:
            key = "modified"
        order.append(("-" if words[1].lower() == "desc" else "") + key)
    return [*order, "id"]


def _filtered(query: Query) -> QuerySet[Dataset]:
    queryset = Dataset.objects.all()
    text = query.q.strip()
    if text and text != "*:*":
        queryset = search.matching(queryset, text)
    for kind, value in query.filters:
        queryset = queryset.filter(pk__in=Tag.objects.filter(kind=kind, value=value).values("dataset_id"))
    return queryset


def facet_counts(
    queryset: QuerySet[Dataset], kinds: tuple[str, ...], limit: int
) -> dict[str, list[tuple[str, int]]]:
    """Counts of the facet values within ``queryset``: one query for all requested fields."""
    if not kinds:
        return {}
    field_of = {FACETS[name]: name for name in kinds}
    rows = (
        Tag.objects.filter(kind__in=list(field_of), dataset_id__in=queryset.order_by().values("pk"))
        .values_list("kind", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    grouped: dict[str, list[tuple[str, int]]] = {name: [] for name in kinds}
    for kind, value, n in rows:
        grouped[field_of[kind]].append((value, n))
    return {
        name: sorted(items, key=lambda item: (-item[1], item[0]))[: max(0, limit)]
        for name, items in grouped.items()
    }


def with_details(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return queryset.select_related("publisher").prefetch_related(
        Prefetch("distributions", queryset=Distribution.objects.select_related("service").order_by("id"))
    )


def _validated(query: Query) -> None:
    if query.rows < 0 or query.rows > ROWS_MAX:
        raise DomainError(
            "invalid_rows", _("rows muss zwischen 0 und %(max)d liegen.") % {"max": ROWS_MAX}, 409
        )
    if query.start < 0:
        raise DomainError("invalid_start", _("start darf nicht negativ sein."), 409)


def search_page(query: Query) -> tuple[int, list[int], dict[str, list[tuple[str, int]]]]:
    """(count, ids of the page in order, facets): at most three queries whatever the page size and facets."""
    _validated(query)
    queryset = _filtered(query)
    has_query = bool(query.q.strip()) and query.q.strip() != "*:*"
    order = parse_sort(query.sort, has_query=has_query)
    if has_query and search.is_postgres():
        return _search_in_one_pass(queryset, query, order)
    if has_query:
        return _search_sqlite(queryset, query, order)
    ids: list[int] = []
    count = -1
    if query.rows and has_query:
        # the page and the number of all hits from one scan of the matches
        rows = list(
            queryset.annotate(total=Window(Count("pk")))
            .order_by(*order)
            .values_list("pk", "total")[query.start : query.start + query.rows]
        )
        ids = [pk for pk, _total in rows]
        count = rows[0][1] if rows else -1
    elif query.rows:
        ids = list(
            queryset.order_by(*order).values_list("pk", flat=True)[query.start : query.start + query.rows]
        )
    if count < 0:
        count = queryset.count()
    facets = facet_counts(queryset, query.facet_fields, query.facet_limit) if query.facet_fields else {}
    return count, ids, facets


def _search_in_one_pass(
    queryset: QuerySet[Dataset], query: Query, order: list[str]
) -> tuple[int, list[int], dict[str, list[tuple[str, int]]]]:
    """PostgreSQL, a word search: one read of the matching rows, sorted by the database (id and the facet
    values of the column ``facet_keys``, migration 0004), gives the count, the page and the facets."""
    kinds = {FACETS[name]: name for name in query.facet_fields}
    ordered = queryset.order_by(*order)
    if not kinds:
        ids = list(ordered.values_list("pk", flat=True))
        return len(ids), ids[query.start : query.start + query.rows], {}
    rows = list(
        ordered.annotate(keys=RawSQL("facet_keys", [], output_field=TextField())).values_list("pk", "keys")
    )
    counted = Counter(chain.from_iterable(keys for _pk, keys in rows))
    found: dict[str, list[tuple[str, int]]] = {name: [] for name in query.facet_fields}
    for key, n in counted.items():
        kind, _sep, value = key.partition(":")
        if kind in kinds:
            found[kinds[kind]].append((value, n))
    facets = {
        name: sorted(items, key=lambda item: (-item[1], item[0]))[: max(0, query.facet_limit)]
        for name, items in found.items()
    }
    return len(rows), [pk for pk, _keys in rows[query.start : query.start + query.rows]], facets


def _search_sqlite(
    queryset: QuerySet[Dataset], query: Query, order: list[str]
) -> tuple[int, list[int], dict[str, list[tuple[str, int]]]]:
    """SQLite, a word search: the scores from one FTS5 query and the sort fields of the matching rows,
    sorted here (SQLite compares text bytewise, as Python does), instead of one FTS5 lookup per row."""
    scores = search.ranks(query.q.strip())
    fields = list(dict.fromkeys(key.lstrip("-") for key in order if key.lstrip("-") != "rank"))
    rows = list(queryset.order_by().values_list("pk", *fields))
    position = {name: n + 1 for n, name in enumerate(fields)}
    for key in reversed(order):  # stable sorts, last key first
        name = key.lstrip("-")

        def value(row: tuple[Any, ...], n: int = position.get(name, 0)) -> Any:
            return scores.get(row[0], 0.0) if n == 0 else row[n]

        rows.sort(key=value, reverse=key.startswith("-"))
    ids = [row[0] for row in rows[query.start : query.start + query.rows]]
    facets = facet_counts(queryset, query.facet_fields, query.facet_limit) if query.facet_fields else {}
    return len(rows), ids, facets


def search_datasets(query: Query) -> Result:
    count, ids, facets = search_page(query)
    by_pk = {d.pk: d for d in with_details(Dataset.objects.filter(pk__in=ids))} if ids else {}
    return Result(count=count, datasets=[by_pk[pk] for pk in ids if pk in by_pk], facets=facets)


def dataset_by_name(name: str) -> Dataset | None:
    return with_details(Dataset.objects.filter(name=name)).first()


def dataset_exists(name: str) -> bool:
    return Dataset.objects.filter(name=name).exists()


def distribution(dataset: Dataset, pk: int) -> Distribution | None:
    return dataset.distributions.filter(pk=pk).select_related("service").first()


def public_requests() -> QuerySet[DatasetRequest]:
    return DatasetRequest.objects.select_related("dataset").order_by("-created_at", "-id")


def organisations_with_datasets() -> list[tuple[str, str, int]]:
    rows = (
        Dataset.objects.exclude(publisher=None)
        .values_list("publisher__slug", "publisher__name")
        .annotate(n=Count("id"))
        .order_by("publisher__name")
    )
    return [(slug, name, n) for slug, name, n in rows]


def quality_by_organisation() -> list[tuple[str, int, int, int]]:
    """(organisation, datasets, mean score, datasets above 300) – metadata quality per publisher."""
    rows = (
        Dataset.objects.values_list("publisher__name")
        .annotate(n=Count("id"), mean=Avg("quality_score"), good=Count("id", filter=Q(quality_score__gt=300)))
        .order_by("publisher__name")
    )
    return [(name or "", n, round(mean or 0), good) for name, n, mean, good in rows]


def share_above(threshold: int = 300) -> float | None:
    """Share of datasets whose metadata score is above ``threshold`` (a strategy indicator can bind to it)."""
    total = Dataset.objects.count()
    if not total:
        return None
    return Dataset.objects.filter(quality_score__gt=threshold).count() / total


def datasets_by_quality() -> QuerySet[Dataset]:
    return Dataset.objects.order_by("quality_score", "name").only("name", "title", "quality_score")


def govdata_page(number: int, per_page: int) -> tuple[list[Dataset], int, dt.datetime | None]:
    """One page of the GovData export: datasets with a licence (the others wait until fixed)."""
    queryset = Dataset.objects.exclude(licence="")
    summary = queryset.aggregate(total=Count("id"), last=Max("modified"))
    total, modified = summary["total"], summary["last"]
    start = (number - 1) * per_page
    datasets = list(with_details(queryset.order_by("-modified", "id"))[start : start + per_page])
    return datasets, total, modified


def facet_titles(facets: dict[str, list[tuple[str, int]]]) -> dict[tuple[str, str], str]:
    """Readable names of facet values (organisation names, theme and licence titles, district names)."""
    titles: dict[tuple[str, str], str] = {}
    slugs = [v for v, _n in facets.get("organization", [])]
    for slug, name in Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"):
        titles[(Tag.Kind.ORGANISATION, slug)] = name
    codes = [v for v, _n in facets.get("district", [])]
    for code, name in District.objects.filter(code__in=codes).values_list("code", "name"):
        titles[(Tag.Kind.DISTRICT, code)] = name
    for value, _n in facets.get("groups", []):
        titles[(Tag.Kind.THEME, value)] = str(vocab.THEMES.get(value, value))
    for value, _n in facets.get("license_id", []):
        licence = vocab.licence(value)
        titles[(Tag.Kind.LICENCE, value)] = licence.title if licence else value
    return titles


def staff_datasets(organisations: list[Organisation]) -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(origin=Dataset.Origin.STAFF, publisher__in=organisations)
        .select_related("publisher")
        .order_by("-modified", "id")
    )
