"""The SensorThings API 1.1 endpoints: plain Django views over the resource path.

The path after ``/sta/v1.1/`` is parsed segment by segment (``Things(1)/Datastreams``,
``…/name/$value``, ``…/$ref``); query options go through ``konzeptk.sensing.odata``.
"""

from __future__ import annotations

import gc
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, InternalError, OperationalError, models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from konzeptk.core import jsonsafe
from konzeptk.core.errors import DomainError
from konzeptk.sensing import bulk, bulk_fast, landing, retry, services, single_write
from konzeptk.sensing.errors import StaError
from konzeptk.sensing.odata import ParseError, QueryOptions, parse_options
from konzeptk.sensing.odata.parser import ExpandItem
from konzeptk.sensing.sta import conformance, json_patch, nested, paging
from konzeptk.sensing.sta.auth import writer_for
from konzeptk.sensing.sta.compile import UnsupportedError, compile_filter
from konzeptk.sensing.sta.data_array import data_array
from konzeptk.sensing.sta.schema import ENTITY_SETS, ENTITY_TYPES, OBSERVATION, EntityType, Nav
from konzeptk.sensing.sta.serialize import (
    PlainRows,
    check_select,
    property_value,
    self_link,
    self_links_json,
    serialize,
    serialize_queryset,
)
from konzeptk.sensing.timeutil import loads

log = logging.getLogger(__name__)
DEFAULT_TOP = 100
MAX_PATH_SEGMENTS = 12
_SEGMENT = re.compile(r"^([A-Za-z]+)(?:\((\d{1,18}|'\d{1,18}')\))?$")


def error(code: int, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "type": "error", "message": message}, status=code)


def sta_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """CSRF-exempt JSON endpoint: every failure becomes the standard's error JSON, never a 500."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return view(request, *args, **kwargs)
            # a write that meets another writer (deadlock, "database is locked") is run again (sensing/retry.py)
            return retry.run_write(lambda: view(request, *args, **kwargs))
        except retry.Overloaded as exc:
            response = error(
                503, "Der Dienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal."
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        except UnsupportedError as exc:
            return error(501, exc.message)
        except ParseError as exc:
            return error(400, str(exc))
        except StaError as exc:
            return error(exc.code, exc.message)
        except DomainError as exc:
            return error(exc.status, exc.message)
        except RequestDataTooBig:
            return error(413, "Die Anfrage ist zu groß.")
        except (OperationalError, InterfaceError, InternalError) as exc:  # not the input's fault (a read)
            log.error("STA request failed in the database: %s", exc)
            response = error(
                503, "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal."
            )
            response["Retry-After"] = str(retry.RETRY_AFTER)
            return response
        except (DatabaseError, OverflowError, ValueError, RecursionError) as exc:
            log.warning("STA request rejected: %s", exc)
            return error(400, "Die Anfrage lässt sich so nicht ausführen (ungültige Werte).")

    return wrapper


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/sta/v1.1").rstrip("/")


# --- resource path --------------------------------------------------------------------------
@dataclass
class Target:
    entity: EntityType
    queryset: models.QuerySet[Any] | None = None  # collection
    obj: models.Model | None = None  # single entity
    parent: tuple[EntityType, models.Model, str] | None = None  # for POST into a nested collection
    prop: str | None = None
    value: bool = False  # $value
    ref: bool = False  # $ref


def resolve_path(path: str) -> Target:
    segments = [s for s in path.strip("/").split("/") if s]
    if not segments or len(segments) > MAX_PATH_SEGMENTS:
        raise StaError(404, "Diesen Pfad gibt es nicht.")
    first = _SEGMENT.match(segments[0])
    if not first or first.group(1) not in ENTITY_SETS:
        raise StaError(404, f"Unbekannte Entitätsmenge {segments[0][:60]!r}.")
    entity = ENTITY_SETS[first.group(1)]
    target = Target(entity, queryset=entity.model._default_manager.all())
    if first.group(2):
        target = Target(
            entity, obj=_fetch(entity, entity.model._default_manager.all(), first.group(2), landed=True)
        )
    for raw in segments[1:]:
        if target.value or target.ref:
            raise StaError(404, "Nach $value oder $ref folgt nichts mehr.")
        if raw == "$ref":
            if target.prop:
                raise StaError(404, "$ref gibt es nur für Entitäten und Entitätsmengen.")
            target.ref = True
            continue
        if raw == "$value":
            if not target.prop:
                raise StaError(404, "$value gibt es nur für Eigenschaften.")
            target.value = True
            continue
        if target.obj is None or target.prop:
            raise StaError(404, f"Pfadsegment {raw[:60]!r} passt hier nicht.")
        match = _SEGMENT.match(raw)
        name = match.group(1) if match else raw
        obj = target.obj
        if name in target.entity.navs and match:
            nav = target.entity.navs[name]
            child = ENTITY_TYPES[nav.target]
            qs = child.model._default_manager.filter(**{nav.reverse: obj.pk})
            if nav.many and not match.group(2):
                target = Target(child, queryset=qs, parent=(target.entity, obj, name))
            elif match.group(2):
                target = Target(child, obj=_fetch(child, qs, match.group(2)))
            else:
                found = qs.first()
                if found is None:
                    raise StaError(404, f"{name} gibt es hier nicht.")
                target = Target(child, obj=found)
            continue
        if name in target.entity.props and name != "@iot.id":
            target.prop = name
            continue
        raise StaError(404, f"{target.entity.name} hat keine Eigenschaft {raw[:60]!r}.")
    return target


def _fetch(
    entity: EntityType, qs: models.QuerySet[Any], raw_id: str, *, landed: bool = False
) -> models.Model:
    pk = int(raw_id.strip("'"))
    obj = qs.filter(pk=pk).first()
    if obj is None and landed and entity is OBSERVATION:
        obj = landing.find(pk)  # answered with 201 a moment ago, not yet folded (sensing/landing.py)
    if obj is None:
        raise StaError(404, f"{entity.name} mit @iot.id {raw_id} gibt es nicht.")
    return obj


# --- reading --------------------------------------------------------------------------------
def _apply_filter(
    entity: EntityType, qs: models.QuerySet[Any], options: QueryOptions
) -> models.QuerySet[Any]:
    if options.filter is not None:
        q, distinct = compile_filter(options.filter, entity.resolver())
        qs = qs.filter(q)
        if distinct:
            qs = qs.distinct()
    return qs


def _next_link(request: HttpRequest, base: str, changes: dict[str, str | None]) -> str:
    params = {key: str(value) for key, value in request.GET.items()}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"{base}{request.path.split('/sta/v1.1', 1)[-1]}?{paging.query_string(params)}"


def read_collection(
    request: HttpRequest, entity: EntityType, qs: models.QuerySet[Any], options: QueryOptions, ref: bool
) -> dict[str, Any]:
    base = base_url(request)
    check_select(entity, options.select)
    if options.result_format and entity is not OBSERVATION:
        raise ParseError("$resultFormat=dataArray gibt es nur für Observations.")
    qs = _apply_filter(entity, qs, options)
    body: dict[str, Any] = {}
    if options.count:
        body["@iot.count"] = paging.count(qs)
    top = DEFAULT_TOP if options.top is None else options.top
    keyset = paging.keyset_field(entity, options)
    token = request.GET.get("$skiptoken")
    qs = qs.order_by(*paging.ordering(entity, options))
    start = options.skip
    if token:
        if keyset is None:
            raise ParseError("$skiptoken passt nicht zu dieser Sortierung")
        qs, start = paging.after_token(qs, keyset, token), 0
    keys: list[Any] = []
    if ref or options.expand or options.result_format:
        objs = list(qs[start : start + top + 1])
        more = len(objs) > top
        objs = objs[:top]
        pks = [obj.pk for obj in objs]
        keys = [getattr(obj, keyset[0]) for obj in objs] if keyset else []
        if options.result_format:
            body["value"] = data_array(objs, options.select, base)
        elif ref:
            body["value"] = [{"@iot.selfLink": self_link(base, entity, pk)} for pk in pks]
        else:
            body["value"] = render(entity, objs, options, base)
    else:  # plain rows: no model instances, timestamps formatted by the database
        key = keyset[0] if keyset and keyset[0] != "pk" else None
        pairs = serialize_queryset(
            entity, qs, base, options.select, start, start + top + 1, key=key, keys=keys
        )
        more = len(pairs) > top
        pks = [pk for pk, _item in pairs[:top]]
        body["value"] = [item for _pk, item in pairs[:top]]
    if more and pks:
        if keyset is not None:
            last = pks[-1]
            value = keys[len(pks) - 1] if keyset[0] != "pk" else last
            link = _next_link(
                request, base, {"$skiptoken": paging.token_for(keyset, value, last), "$skip": None}
            )
        else:
            link = _next_link(request, base, {"$skip": str(options.skip + top), "$top": str(top)})
        body["@iot.nextLink"] = link
    return body


def render(
    entity: EntityType, objs: list[models.Model], options: QueryOptions, base: str
) -> list[dict[str, Any]]:
    """Serialize objects and their $expand, with one query per expanded navigation property."""
    check_select(entity, options.select)
    dicts = [serialize(entity, obj, base, options.select) for obj in objs]
    for item in options.expand:
        _expand(entity, objs, dicts, item, base)
    return dicts


def _expand(
    entity: EntityType, objs: list[models.Model], dicts: list[dict[str, Any]], item: ExpandItem, base: str
) -> None:
    nav = entity.navs.get(item.path)
    if nav is None:
        raise ParseError(f"{entity.name} hat keine Navigationseigenschaft {item.path!r} ($expand)")
    target = ENTITY_TYPES[nav.target]
    if not objs:
        return
    if not nav.many:
        _expand_one(nav, target, objs, dicts, item, base)
        return
    options = item.options
    qs = _apply_filter(target, target.model._default_manager.all(), options)
    qs = qs.order_by(*paging.ordering(target, options))
    top = DEFAULT_TOP if options.top is None else options.top
    keyset = paging.keyset_field(target, options)
    next_link = paging.nested_next_links(options, top, keyset)
    fk = nested.foreign_key(target.model, nav.reverse)
    parent_ids = [obj.pk for obj in objs]
    start, stop = options.skip, options.skip + top + 1
    if fk is not None and not options.expand:  # a leaf: one LIMIT per parent, plain rows
        key = keyset[0] if keyset is not None and keyset[0] != "pk" else None
        plain = PlainRows(target, base, options.select, (fk.attname, key) if key else (fk.attname,))
        grouped_rows = nested.rows_per_parent(plain.queryset(qs), fk, parent_ids, start, stop)
        for obj, data in zip(objs, dicts, strict=True):
            rows = grouped_rows.get(obj.pk, [])
            data[item.path] = [plain.item(row) for row in rows[:top]]
            if len(rows) > top:
                last = rows[top - 1] if top else None
                last_key = None if last is None else last[2] if key else last[0]
                link = self_link(base, entity, obj.pk)
                data[f"{item.path}@iot.nextLink"] = next_link(link, item.path, last_key, last and last[0])
    else:
        if (
            fk is not None
        ):  # one LIMIT per parent (LATERAL / correlated subquery), not a window over all children
            grouped = nested.children_per_parent(qs, fk, parent_ids, start, stop)
            per_parent = [grouped.get(obj.pk, []) for obj in objs]
        else:  # many-to-many (Locations of a Thing …): few rows, Django's prefetch
            attr = f"_expanded_{item.path}"
            prefetch_related_objects(objs, Prefetch(nav.field, queryset=qs[start:stop], to_attr=attr))
            per_parent = [getattr(obj, attr) for obj in objs]
        children_all = [child for children in per_parent for child in children[:top]]
        rendered = render(target, children_all, options, base)
        by_identity = {id(child): data for child, data in zip(children_all, rendered, strict=True)}
        for obj, data, children in zip(objs, dicts, per_parent, strict=True):
            data[item.path] = [by_identity[id(child)] for child in children[:top]]
            if len(children) > top:
                last_obj = children[top - 1] if top else None
                link = self_link(base, entity, obj.pk)
                data[f"{item.path}@iot.nextLink"] = next_link(
                    link, item.path, last_obj, last_obj.pk if last_obj else None
                )
    if options.count:
        counts = dict(
            qs.order_by()
            .filter(**{f"{nav.reverse}__in": [o.pk for o in objs]})
            .values_list(nav.reverse)
            .annotate(n=models.Count("pk", distinct=True))
            .values_list(nav.reverse, "n")
        )
        for obj, data in zip(objs, dicts, strict=True):
            data[f"{item.path}@iot.count"] = counts.get(obj.pk, 0)


def _expand_one(
    nav: Nav,
    target: EntityType,
    objs: list[models.Model],
    dicts: list[dict[str, Any]],
    item: ExpandItem,
    base: str,
) -> None:
    ids = {getattr(obj, f"{nav.field}_id") for obj in objs}
    qs = target.model._default_manager.filter(pk__in=ids)
    found = list(_apply_filter(target, qs, item.options))
    rendered = dict(zip([f.pk for f in found], render(target, found, item.options, base), strict=True))
    for obj, data in zip(objs, dicts, strict=True):
        value = rendered.get(getattr(obj, f"{nav.field}_id"))
        if value is not None:
            data[item.path] = value


def validate(entity: EntityType, options: QueryOptions) -> None:
    """Check the whole option tree against the schema before any query runs."""
    check_select(entity, options.select)
    if options.filter is not None:
        compile_filter(options.filter, entity.resolver())
    paging.ordering(entity, options)
    for item in options.expand:
        nav = entity.navs.get(item.path)
        if nav is None:
            raise ParseError(f"{entity.name} hat keine Navigationseigenschaft {item.path!r} ($expand)")
        validate(ENTITY_TYPES[nav.target], item.options)


def _options(request: HttpRequest, entity: EntityType) -> QueryOptions:
    options = parse_options({k: str(v) for k, v in request.GET.items() if k != "$skiptoken"})
    validate(entity, options)
    return options


def _json_body(request: HttpRequest) -> Any:
    try:
        return loads(request.body or b"null")
    except jsonsafe.JsonTooDeep as exc:
        raise ParseError(
            f"Der JSON-Inhalt ist zu tief verschachtelt (höchstens {exc.max_depth} Ebenen)."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise ParseError("Der Inhalt ist kein gültiges JSON.") from None


# --- views ----------------------------------------------------------------------------------
@sta_endpoint
def service_root(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return error(405, "Nur GET ist hier erlaubt.")
    base = base_url(request)
    from django.conf import settings

    server_settings: dict[str, Any] = {"conformance": conformance.conformance()}
    if settings.MQTT_URL:
        endpoint = {"endpoints": [settings.MQTT_URL]}
        server_settings[conformance.MQTT_CREATE] = endpoint
        server_settings[conformance.MQTT_RECEIVE] = endpoint
    value = [{"name": e.set_name, "url": f"{base}/{e.set_name}"} for e in ENTITY_SETS.values()]
    return JsonResponse({"value": value, "serverSettings": server_settings})


@sta_endpoint
def resource(request: HttpRequest, path: str) -> HttpResponse:
    target = resolve_path(path)
    method = request.method
    if method in ("PATCH", "PUT", "DELETE") and target.obj is not None and target.obj._state.adding:
        landing.fold()  # a landed observation not yet folded: fold first, then change the stored one
        target = resolve_path(path)
    if method == "GET":
        return _get(request, target)
    if method == "POST":
        return _post(request, target)
    if method in ("PATCH", "PUT"):
        return _update(request, target, replace=method == "PUT")
    if method == "DELETE":
        return _delete(request, target)
    return error(405, f"Methode {method} ist hier nicht erlaubt.")


def _get(request: HttpRequest, target: Target) -> HttpResponse:
    entity = target.entity
    options = _options(request, entity)
    base = base_url(request)
    if target.queryset is not None:
        return JsonResponse(read_collection(request, entity, target.queryset, options, target.ref))
    assert target.obj is not None
    if target.ref:
        return JsonResponse({"@iot.selfLink": self_link(base, entity, target.obj.pk)})
    if target.prop:
        value = property_value(entity, target.prop, target.obj)
        if target.value:  # the raw value (18-088 §9.2.5): null is 204 No Content (OData 4.0 §11.2.4.1)
            if value is None:
                return HttpResponse(status=204)
            if isinstance(value, str):
                return HttpResponse(value, content_type="text/plain; charset=utf-8")
            if isinstance(value, dict | list):
                return HttpResponse(json.dumps(value), content_type="application/json")
            return HttpResponse(json.dumps(value), content_type="text/plain; charset=utf-8")
        return JsonResponse({target.prop: value})
    return JsonResponse(render(entity, [target.obj], options, base)[0])


def _post(request: HttpRequest, target: Target) -> HttpResponse:
    if target.queryset is None or target.ref:
        return error(405, "POST geht nur an eine Entitätsmenge.")
    writer = writer_for(request)
    data = _json_body(request)
    if not isinstance(data, dict):
        raise ParseError("Erwartet wird ein JSON-Objekt.")
    if target.entity is OBSERVATION:  # the hot path of sensors and gateways (single_write.py)
        obj = single_write.observation_create(data=data, writer=writer, parent=target.parent)
    else:
        obj = services.entity_create(entity=target.entity, data=data, writer=writer, parent=target.parent)
    base = base_url(request)
    response = JsonResponse(render(target.entity, [obj], QueryOptions(), base)[0], status=201)
    response["Location"] = self_link(base, target.entity, obj.pk)
    return response


def _update(request: HttpRequest, target: Target, *, replace: bool) -> HttpResponse:
    if target.obj is None or target.prop or target.ref:
        return error(405, "Ändern geht nur an einer einzelnen Entität.")
    writer = writer_for(request)
    data = _json_body(request)
    if request.content_type == "application/json-patch+json":
        if replace:
            return error(415, "JSON Patch geht nur mit PATCH, nicht mit PUT.")
        current = render(target.entity, [target.obj], QueryOptions(), base_url(request))[0]
        data = json_patch.changes(current, data)
    if not isinstance(data, dict):
        raise ParseError("Erwartet wird ein JSON-Objekt.")
    obj = services.entity_update(
        entity=target.entity, obj=target.obj, data=data, writer=writer, replace=replace
    )
    return JsonResponse(render(target.entity, [obj], QueryOptions(), base_url(request))[0])


def _delete(request: HttpRequest, target: Target) -> HttpResponse:
    if target.obj is None or target.prop or target.ref:
        return error(405, "Löschen geht nur an einer einzelnen Entität.")
    writer = writer_for(request)
    services.entity_delete(entity=target.entity, obj=target.obj, writer=writer)
    return HttpResponse(status=200)


@sta_endpoint
def create_observations(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return error(405, "CreateObservations nimmt nur POST an.")
    writer = writer_for(request)
    base = f"{base_url(request)}/Observations"
    # PostgreSQL, the common shape; a batch makes only acyclic objects (datetimes, floats, tuples, texts), so
    # the cyclic garbage collector need not scan the process's heap again and again meanwhile
    collecting = gc.isenabled()
    gc.disable()
    try:
        landed = bulk_fast.store_body(body=request.body, writer=writer)
        if landed is not None:
            return HttpResponse(self_links_json(base, landed), status=201, content_type="application/json")
    finally:
        if collecting:
            gc.enable()
    results = bulk.observations_create_bulk(payload=_json_body(request), writer=writer)
    return JsonResponse(
        [f"{base}({r})" if isinstance(r, int) else r for r in results], status=201, safe=False
    )


@sta_endpoint
def ingest_webhook(request: HttpRequest, network: str) -> HttpResponse:
    """HTTP webhook of a LoRaWAN network server (The Things Stack v3, ChirpStack v4)."""
    from konzeptk.sensing.ingest import IngestError
    from konzeptk.sensing.ingest.service import uplink_ingest

    if request.method != "POST":
        return error(405, "Uplinks werden per POST angenommen.")
    writer = writer_for(request)
    if network == "chirpstack" and request.GET.get("event", "up") != "up":
        return JsonResponse({"status": "ignored"}, status=200)
    try:
        result = uplink_ingest(network=network, payload=_json_body(request), writer=writer)
    except IngestError as exc:
        log.warning("Uplink abgelehnt (%s): %s", network, exc)
        return error(400, str(exc))
    status = 202 if result.status == "parked" else 200 if result.status == "duplicate" else 201
    return JsonResponse({"status": result.status, "observations": result.observations}, status=status)
