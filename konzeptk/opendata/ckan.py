"""A CKAN-compatible Action API at ``/api/3/action/<action>`` (read actions), so CKAN clients and harvesters
work unchanged.

Every answer has CKAN's envelope ``{"help", "success", "result"}``; errors have CKAN's form
``{"help", "success": false, "error": {"__type", "message", …}}`` with CKAN's status codes: 400 for a
request that cannot be read, 404 "Not Found Error", 409 "Validation Error" (invalid parameters).
Parameters come from the query string (GET) or from a JSON or form body (POST, as ``ckanapi`` sends them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from konzeptk import __version__
from konzeptk.accounts.models import Organisation
from konzeptk.core.errors import DomainError, register_api_errors
from konzeptk.opendata import selectors, vocab
from konzeptk.opendata.dcat import site_url
from konzeptk.opendata.models import Dataset, Distribution, Tag

Params = Mapping[str, Any]
Action = Callable[[Params], Any]

_ERROR_TYPES = {
    400: "Bad request",
    403: "Authorization Error",
    404: "Not Found Error",
    409: "Validation Error",
}


def _help(action: str) -> str:
    return site_url(f"/api/3/action/help_show?name={action}")


def ckan_error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    action = request.path.rstrip("/").rsplit("/", 1)[-1]
    error: dict[str, Any] = {
        "__type": _ERROR_TYPES.get(status, "Internal Error" if status >= 500 else "Error"),
        "message": message,
    }
    if status == 409:
        error[code] = [message]
    body = {"help": _help(action), "success": False, "error": error}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


register_api_errors("/api/3/", ckan_error)
register_api_errors("/api/action/", ckan_error)


def _iso(value: Any) -> str | None:
    return value.replace(tzinfo=None).isoformat() if value is not None else None


def _organisation(slug: str, name: str, description: str) -> dict[str, Any]:
    return {
        "id": slug,
        "name": slug,
        "title": name,
        "display_name": name,
        "description": description,
        "image_url": "",
        "type": "organization",
        "state": "active",
        "is_organization": True,
        "approval_status": "approved",
    }


def organisation_dict(
    organisation: Organisation | None, *, count: int | None = None
) -> dict[str, Any] | None:
    if organisation is None:
        return None
    result = _organisation(organisation.slug, organisation.name, organisation.description)
    if count is not None:
        result["package_count"] = count
    return result


# The fields a package is built from: read as plain rows (``.values()``), so a page of 1,000 packages
# costs no model instances. ``package_dict`` turns a model instance into the same rows.
DATASET_FIELDS = (
    "id",
    "name",
    "title",
    "description",
    "licence",
    "contact_email",
    "landing_page",
    "issued",
    "modified",
    "keywords",
    "themes",
    "origin",
    "frequency",
    "quality_score",
    "temporal_start",
    "temporal_end",
    "publisher__slug",
    "publisher__name",
    "publisher__description",
)
DISTRIBUTION_FIELDS = (
    "id",
    "dataset_id",
    "title",
    "description",
    "access_url",
    "download_url",
    "file_format",
    "media_type",
    "byte_size",
)


def _resource(row: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": f"{row['name']}-{item['id']}",
        "package_id": row["name"],
        "name": item["title"],
        "description": item["description"],
        "url": site_url(item["download_url"] or item["access_url"]),
        "format": item["file_format"],
        "mimetype": item["media_type"] or None,
        "size": item["byte_size"],
        "created": _iso(row["issued"]),
        "last_modified": _iso(row["modified"]),
        "state": "active",
        "position": item["id"],
        "access_url": site_url(item["access_url"]),
    }


def _row(dataset: Dataset) -> dict[str, Any]:
    row = {name: getattr(dataset, name) for name in DATASET_FIELDS if "__" not in name}
    publisher = dataset.publisher
    row["publisher__slug"] = publisher.slug if publisher else None
    row["publisher__name"] = publisher.name if publisher else None
    row["publisher__description"] = publisher.description if publisher else None
    return row


def _item(item: Distribution) -> dict[str, Any]:
    return {name: getattr(item, name) for name in DISTRIBUTION_FIELDS}


def resource_dict(dataset: Dataset, item: Distribution) -> dict[str, Any]:
    return _resource(_row(dataset), _item(item))


def _package(row: Mapping[str, Any], items: list[Mapping[str, Any]]) -> dict[str, Any]:
    licence = vocab.licence(row["licence"])
    resources = [_resource(row, item) for item in items]
    slug = row["publisher__slug"]
    themes = [(code, str(vocab.THEMES.get(code, code))) for code in row["themes"]]
    return {
        "id": row["name"],
        "name": row["name"],
        "title": row["title"],
        "notes": row["description"],
        "type": "dataset",
        "state": "active",
        "private": False,
        "license_id": row["licence"] or None,
        "license_title": licence.title if licence else None,
        "license_url": licence.url if licence else None,
        "isopen": bool(licence and licence.open),
        "organization": (
            _organisation(slug, row["publisher__name"], row["publisher__description"]) if slug else None
        ),
        "owner_org": slug,
        "maintainer_email": row["contact_email"] or None,
        "url": site_url(row["landing_page"] or reverse("opendata:dataset", args=[row["name"]])),
        "metadata_created": _iso(row["issued"]),
        "metadata_modified": _iso(row["modified"]),
        "tags": [{"name": k, "display_name": k, "state": "active"} for k in row["keywords"]],
        "num_tags": len(row["keywords"]),
        "groups": [{"name": code.lower(), "title": title, "display_name": title} for code, title in themes],
        "resources": resources,
        "num_resources": len(resources),
        "extras": [
            {"key": "origin", "value": row["origin"]},
            {"key": "frequency", "value": row["frequency"]},
            {"key": "quality_score", "value": str(row["quality_score"])},
            *(
                [{"key": "temporal_start", "value": row["temporal_start"].isoformat()}]
                if row["temporal_start"]
                else []
            ),
            *(
                [{"key": "temporal_end", "value": row["temporal_end"].isoformat()}]
                if row["temporal_end"]
                else []
            ),
        ],
    }


def package_dict(dataset: Dataset) -> dict[str, Any]:
    return _package(_row(dataset), [_item(d) for d in dataset.distributions.all()])


def packages(ids: list[int]) -> list[dict[str, Any]]:
    """The packages of these datasets in this order: two queries (datasets with publisher, distributions)."""
    if not ids:
        return []
    rows = {row["id"]: row for row in Dataset.objects.filter(pk__in=ids).values(*DATASET_FIELDS)}
    items: dict[int, list[Mapping[str, Any]]] = {pk: [] for pk in ids}
    for item in Distribution.objects.filter(dataset_id__in=ids).order_by("id").values(*DISTRIBUTION_FIELDS):
        items[item["dataset_id"]].append(item)
    return [_package(rows[pk], items[pk]) for pk in ids if pk in rows]


# --- parameters -----------------------------------------------------------------------------------
def _int(params: Params, name: str, default: int, *, low: int | None = None, high: int | None = None) -> int:
    raw = params.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise DomainError(name, _("%(name)s muss eine ganze Zahl sein.") % {"name": name}, 409) from None
    if low is not None and value < low:
        raise DomainError(name, _("%(name)s muss mindestens %(low)d sein.") % {"name": name, "low": low}, 409)
    if high is not None and value > high:
        raise DomainError(
            name, _("%(name)s darf höchstens %(high)d sein.") % {"name": name, "high": high}, 409
        )
    return value


def _text(params: Params, name: str, default: str = "") -> str:
    value = params.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str | int | float):
        raise DomainError(name, _("%(name)s muss ein Text sein.") % {"name": name}, 409)
    return str(value)


def _facet_fields(params: Params) -> tuple[str, ...]:
    raw = params.get("facet.field")
    if raw in (None, ""):
        return ()
    fields = raw
    if isinstance(raw, str):
        try:
            fields = json.loads(raw)
        except ValueError:
            raise DomainError("facet.field", _("facet.field muss eine JSON-Liste sein."), 409) from None
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise DomainError("facet.field", _("facet.field muss eine JSON-Liste sein."), 409)
    unknown = [f for f in fields if f not in selectors.FACETS]
    if unknown:
        raise DomainError(
            "facet.field",
            _("Unbekanntes Facettenfeld %(name)s. Möglich: %(names)s")
            % {"name": unknown[0], "names": ", ".join(sorted(selectors.FACETS))},
            409,
        )
    return tuple(fields)


def _dataset(params: Params) -> Dataset:
    name = _text(params, "id") or _text(params, "name")
    dataset = selectors.dataset_by_name(name) if name else None
    if dataset is None:
        raise DomainError("not_found", _("Diesen Datensatz gibt es nicht."), 404)
    return dataset


def _facet_title(field: str, value: str, organisations: Mapping[str, str]) -> str:
    if field == "groups":
        return str(vocab.THEMES.get(value, value))
    if field == "organization":
        return organisations.get(value, value)
    if field == "license_id":
        licence = vocab.licence(value)
        return licence.title if licence else value
    return value


# --- actions --------------------------------------------------------------------------------------
def package_search(params: Params) -> dict[str, Any]:
    fields = _facet_fields(params)
    query = selectors.Query(
        q=_text(params, "q"),
        filters=selectors.parse_fq(_text(params, "fq")),
        sort=_text(params, "sort"),
        start=_int(params, "start", 0, low=0),
        rows=_int(params, "rows", 10, low=0, high=selectors.ROWS_MAX),
        facet_fields=fields,
        facet_limit=_int(params, "facet.limit", 50, low=-1),
    )
    if query.facet_limit < 0:
        query = selectors.Query(**{**query.__dict__, "facet_limit": 10_000})
    count, ids, facet_items = selectors.search_page(query)
    organisations = dict(Organisation.objects.values_list("slug", "name")) if "organization" in fields else {}
    search_facets = {
        field: {
            "title": field,
            "items": [
                {"name": value, "display_name": _facet_title(field, value, organisations), "count": n}
                for value, n in items
            ],
        }
        for field, items in facet_items.items()
    }
    return {
        "count": count,
        "sort": query.sort or ("score desc, metadata_modified desc" if query.q else "metadata_modified desc"),
        "results": packages(ids),
        "facets": {field: dict(items) for field, items in facet_items.items()},
        "search_facets": search_facets,
    }


def package_show(params: Params) -> dict[str, Any]:
    return package_dict(_dataset(params))


def package_list(params: Params) -> list[str]:
    limit = _int(params, "limit", 1000, low=0, high=selectors.ROWS_MAX)
    offset = _int(params, "offset", 0, low=0)
    names = Dataset.objects.order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit])


def current_package_list_with_resources(params: Params) -> list[dict[str, Any]]:
    limit = _int(params, "limit", 100, low=0, high=selectors.ROWS_MAX)
    offset = _int(params, "offset", 0, low=0)
    ids = Dataset.objects.order_by("-modified", "id").values_list("pk", flat=True)[offset : offset + limit]
    return packages(list(ids))


def organization_list(params: Params) -> list[Any]:
    rows = selectors.organisations_with_datasets()
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        by_slug = {o.slug: o for o in Organisation.objects.filter(slug__in=[slug for slug, _n, _c in rows])}
        return [organisation_dict(by_slug[slug], count=n) for slug, _name, n in rows]
    return [slug for slug, _name, _n in rows]


def organization_show(params: Params) -> dict[str, Any]:
    slug = _text(params, "id")
    organisation = Organisation.objects.filter(slug=slug).first() if slug else None
    if organisation is None:
        raise DomainError("not_found", _("Diese Organisation gibt es nicht."), 404)
    count = Dataset.objects.filter(publisher=organisation).count()
    return organisation_dict(organisation, count=count) or {}


def _group(code: str, count: int) -> dict[str, Any]:
    title = str(vocab.THEMES[code])
    return {
        "id": code.lower(),
        "name": code.lower(),
        "title": title,
        "display_name": title,
        "type": "group",
        "state": "active",
        "is_organization": False,
        "package_count": count,
        "image_url": "",
        "description": vocab.theme_uri(code),
    }


def _theme_counts() -> dict[str, int]:
    return dict(
        Tag.objects.filter(kind=Tag.Kind.THEME).values_list("value").annotate(n=Count("id")).order_by()
    )


def group_list(params: Params) -> list[Any]:
    counts = _theme_counts()
    codes = [c for c in vocab.THEMES if counts.get(c)]
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [_group(c, counts[c]) for c in codes]
    return [c.lower() for c in codes]


def group_show(params: Params) -> dict[str, Any]:
    code = _text(params, "id").upper()
    if code not in vocab.THEMES:
        raise DomainError("not_found", _("Diese Gruppe gibt es nicht."), 404)
    return _group(code, _theme_counts().get(code, 0))


def tag_list(params: Params) -> list[str]:
    query = Tag.objects.filter(kind=Tag.Kind.KEYWORD)
    text = _text(params, "query")
    if text:
        query = query.filter(value__icontains=text)
    return list(query.order_by("value").values_list("value", flat=True).distinct()[:1000])


def license_list(params: Params) -> list[dict[str, Any]]:
    return [
        {
            "id": item.code,
            "title": item.title,
            "url": item.url,
            "od_conformance": "approved" if item.open else "not reviewed",
            "status": "active",
        }
        for item in vocab.LICENCES.values()
    ]


def resource_show(params: Params) -> dict[str, Any]:
    resource_id = _text(params, "id")
    name, _sep, number = resource_id.rpartition("-")
    dataset = selectors.dataset_by_name(name) if name and number.isdigit() else None
    item = selectors.distribution(dataset, int(number)) if dataset is not None else None
    if dataset is None or item is None:
        raise DomainError("not_found", _("Diese Ressource gibt es nicht."), 404)
    return resource_dict(dataset, item)


def status_show(params: Params) -> dict[str, Any]:
    return {
        "site_title": "Konzept K – Offene Daten",
        "site_url": site_url(),
        "site_description": "",
        "ckan_version": "2.10.0",
        "konzeptk_version": __version__,
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["dcat"],
    }


ACTIONS: dict[str, Action] = {
    "package_search": package_search,
    "package_show": package_show,
    "package_list": package_list,
    "current_package_list_with_resources": current_package_list_with_resources,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "license_list": license_list,
    "resource_show": resource_show,
    "status_show": status_show,
}


def _params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.GET.items())
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type == "application/json" or (request.body[:1] in (b"{", b"[")):
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                raise DomainError(
                    "bad_json", _("Der Inhalt der Anfrage ist kein gültiges JSON."), 400
                ) from None
            if not isinstance(body, dict):
                raise DomainError("bad_json", _("Der Inhalt der Anfrage muss ein JSON-Objekt sein."), 400)
            params.update(body)
        else:
            params.update(request.POST.items())
    return params


# Read-only actions: no writes, no session, so no CSRF token (clients send no cookie) – rate limits do
# not apply, as for the other read APIs.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, name: str) -> HttpResponse:
    handler = ACTIONS.get(name)
    if handler is None:
        raise DomainError("not_found", _("Diese Aktion gibt es nicht: %(name)s") % {"name": name[:60]}, 400)
    result = handler(_params(request))
    body = {"help": _help(name), "success": True, "result": result}
    response = JsonResponse(body, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
