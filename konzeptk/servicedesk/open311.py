"""Open311 GeoReport v2 at /georeport/v2/, in JSON and XML as the specification writes them.

http://wiki.open311.org/GeoReport_v2 – discovery, services, service definitions, requests
(GET and POST), requests/{id} and tokens/{id}. Booleans are the strings "true"/"false",
date-times are ISO 8601 with offset, errors are the specification's list of {code, description}
with the HTTP status 400, 403, 404 or 405. Only published, visible reports are ever listed.

POST takes photos as files in the field ``media`` (multipart/form-data, up to three, checked and
re-encoded like the web form's). A ``media_url`` is not fetched (the server loads nothing from
strangers' addresses); the answer's ``service_notice`` says so. Without ``lat``/``long`` an
``address_string`` is placed only at a known place of the city profile in the same street.
``media_url`` in the request lists points at the first photo that staff have published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.db import connections
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from konzeptk.city.selectors import active_profile
from konzeptk.core.errors import DomainError
from konzeptk.core.ratelimits import limit
from konzeptk.servicedesk.models import Category, Report, ReportPhoto
from konzeptk.servicedesk.open311_format import error, render, w3c_from_utc_text
from konzeptk.servicedesk.places import place_in_street
from konzeptk.servicedesk.services import api_key_check, report_create

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2025-01-01T00:00:00+01:00"
MAX_RESULTS = 1000
MAX_SPAN = dt.timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def open311_error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """Every error under /georeport/ (registered with core.errors): the spec's error list, XML for ``.xml``."""
    fmt = "xml" if request.path.rstrip("/").endswith(".xml") else "json"
    return error(fmt, status, [message])


def _handle(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every view answers with the spec's error list, never with an HTML error page."""

    def wrapped(request: HttpRequest, *args: Any, format: str, **kwargs: Any) -> HttpResponse:
        try:
            _check_jurisdiction(request)
            return view(request, *args, fmt=format, **kwargs)
        except Open311Error as exc:
            return error(format, exc.status, [exc.description])
        except DomainError as exc:
            return error(format, exc.status, [message for _field, message in exc.errors])

    # keeps the view's name and marks (rate limit) and lets the architecture test read the view
    return update_wrapper(wrapped, view)


def _jurisdiction() -> str:
    profile = active_profile()
    return profile.slug if profile else ""


def _check_jurisdiction(request: HttpRequest) -> None:
    given = (request.POST.get("jurisdiction_id") if request.method == "POST" else None) or request.GET.get(
        "jurisdiction_id", ""
    )
    if given and given.strip().lower() != _jurisdiction():
        raise Open311Error(
            404,
            _("Unbekannte jurisdiction_id „%(id)s“. Gültig ist „%(ok)s“.")
            % {"id": given, "ok": _jurisdiction()},
        )


def _only(request: HttpRequest, *methods: str) -> None:
    if request.method not in methods:
        raise Open311Error(405, _("Methode %(m)s ist hier nicht erlaubt.") % {"m": request.method})


# --- discovery and services ----------------------------------------------------------------


@_handle
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"format": fmt})).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": _("Kontakt über die Seite Impressum der Plattform."),
        "key_service": _("API-Schlüssel für Anwendungen vergibt die Plattform-Administration."),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, data, root="discovery")


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.service_code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(getattr(category, "attribute_count", 0)),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@_handle
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    from konzeptk.servicedesk.selectors import service_list

    return render(fmt, [_service(c) for c in service_list()], root="services", item="service")


@_handle
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    category = Category.objects.active().filter(service_code=service_code).first()
    if category is None:
        raise Open311Error(404, _("Unbekannter service_code „%(code)s“.") % {"code": service_code})
    attributes = [
        {
            "variable": a.variable,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description,
            "order": a.order,
            "description": a.description,
            **(
                {"values": [{"key": v.get("key"), "name": v.get("name")} for v in a.values]}
                if a.values
                else {}
            ),
        }
        for a in category.attributes.order_by("order", "code")
    ]
    data = {"service_code": category.service_code, "attributes": attributes}
    return render(fmt, data, root="service_definition")


# --- requests ------------------------------------------------------------------------------


_ROW_FIELDS = (
    "pk",
    "service_request_id",
    "status",
    "status_notes",
    "category__name",
    "category__service_code",
    "category__expected_days",
    "description",
    "organisation__name",
    "requested_text",
    "updated_text",
    "address",
    "lat",
    "lon",
)


def _raw_rows(values: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list() queryset straight from the cursor, without Django's converters."""
    sql, params = values.query.get_compiler(using=values.db).as_sql()
    with connections[values.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def request_rows(qs: QuerySet[Report], request: HttpRequest) -> list[dict[str, Any]]:
    """The Open311 request rows for a (sliced) queryset, with the first photo: one query.

    Built from value tuples rather than model instances: a full page of 1000 rows stays cheap.
    """
    # the first published photo of each row, by the index on report_id (no second query with 1000 ids)
    first_photo = Subquery(
        ReportPhoto.objects.filter(report_id=OuterRef("pk"), published=True).order_by("pk").values("pk")[:1]
    )
    # date-times as UTC text (both backends keep the connection in UTC): formatting them from text
    # instead of parsing 2,000 timestamps saves about a third of the time of a full page
    as_text = {
        "requested_text": Cast("requested_at", output_field=CharField()),
        "updated_text": Cast("updated_at", output_field=CharField()),
    }
    values = qs.annotate(first_photo=first_photo, **as_text).values_list(*_ROW_FIELDS, "first_photo")
    rows = _raw_rows(values)
    photo_base = request.build_absolute_uri(reverse("servicedesk:photo", kwargs={"pk": 0}))[: -len("0/")]
    w3c = w3c_from_utc_text()
    closed_status = Report.Status.CLOSED.value
    result = []
    for (
        _pk,
        rid,
        status,
        notes,
        name,
        code,
        days,
        text,
        org,
        requested,
        updated,
        address,
        lat,
        lon,
        photo,
    ) in rows:
        closed = status == closed_status
        result.append(
            {
                "service_request_id": rid,
                "status": "closed" if closed else "open",
                "status_notes": notes,
                "service_name": name,
                "service_code": code,
                "description": text,
                "agency_responsible": org or "",
                "service_notice": "",
                "requested_datetime": w3c(requested),
                "updated_datetime": w3c(updated),
                "expected_datetime": "" if closed else w3c(requested, days),
                "address": address,
                "address_id": "",
                "zipcode": "",
                "lat": round(lat, 6),
                "long": round(lon, 6),
                "media_url": f"{photo_base}{photo}/" if photo else "",
            }
        )
    return result


def _public_requests() -> QuerySet[Report]:
    return Report.objects.public()


def parse_w3c(value: str, name: str) -> dt.datetime:
    """A W3C date-time (2010-01-01T00:00:00Z, with offset) or a plain date."""
    value = value.strip()
    parsed = None
    try:
        parsed = parse_datetime(value.replace(" ", "+")) if "T" in value else None
        if parsed is None and "T" not in value:
            day = parse_date(value)
            if day is not None:
                parsed = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(
            400,
            _("%(name)s „%(value)s“ ist kein gültiges Datum. Erwartet wird z. B. 2025-01-01T00:00:00Z.")
            % {"name": name, "value": value[:40]},
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def requests_query(params: Any, *, now: dt.datetime | None = None) -> tuple[QuerySet[Report], int, int]:
    """Parse GET requests parameters into (queryset, page, page_size); Open311Error on bad input."""
    now = now or timezone.now()
    qs = _public_requests()
    ids = _split(params.get("service_request_id", ""))
    page_size = _int(params.get("page_size"), "page_size", default=MAX_RESULTS, low=1, high=MAX_RESULTS)
    page = _int(params.get("page"), "page", default=1, low=1, high=1_000_000)
    if ids:
        return qs.filter(service_request_id__in=ids[:MAX_RESULTS]).order_by("-requested_at"), 1, MAX_RESULTS
    codes = _split(params.get("service_code", ""))
    if codes:
        category_ids = list(Category.objects.filter(service_code__in=codes).values_list("pk", flat=True))
        if not category_ids:
            raise Open311Error(
                404, _("Unbekannter service_code „%(code)s“.") % {"code": ",".join(codes)[:60]}
            )
        qs = (
            qs.filter(category_id__in=category_ids)
            if len(category_ids) > 1
            else qs.filter(category_id=category_ids[0])
        )
    statuses = _split(params.get("status", "").lower())
    if statuses:
        wrong = [s for s in statuses if s not in ("open", "closed")]
        if wrong:
            raise Open311Error(
                400, _("status „%(s)s“ ist ungültig; erlaubt sind open und closed.") % {"s": wrong[0]}
            )
        if statuses == ["closed"]:
            qs = qs.filter(status=Report.Status.CLOSED)
        elif statuses == ["open"]:
            qs = qs.exclude(status=Report.Status.CLOSED)
    start = parse_w3c(params["start_date"], "start_date") if params.get("start_date") else None
    end = parse_w3c(params["end_date"], "end_date") if params.get("end_date") else None
    if start and end and end < start:
        raise Open311Error(400, _("end_date liegt vor start_date."))
    if start and end and end - start > MAX_SPAN:
        raise Open311Error(400, _("Der Zeitraum darf höchstens 90 Tage umfassen."))
    if start is None and end is None:
        end = now
        start = now - MAX_SPAN
    elif start is None:
        assert end is not None
        start = end - MAX_SPAN
    elif end is None:
        end = start + MAX_SPAN
    qs = qs.filter(requested_at__gte=start, requested_at__lte=end)
    return qs.order_by("-requested_at", "-pk"), page, page_size


def _int(value: str | None, name: str, *, default: int, low: int, high: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise Open311Error(400, _("%(name)s muss eine ganze Zahl sein.") % {"name": name}) from None
    if not low <= number <= high:
        raise Open311Error(
            400,
            _("%(name)s muss zwischen %(low)d und %(high)d liegen.")
            % {"name": name, "low": low, "high": high},
        )
    return number


@csrf_exempt
@limit("open311_report")
@_handle
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD", "POST")
    if request.method == "POST":
        return _create(request, fmt)
    qs, page, page_size = requests_query(request.GET)
    offset = (page - 1) * page_size
    rows = request_rows(qs[offset : offset + page_size], request)
    return render(fmt, rows, root="service_requests", item="request", ready=True)


def _attributes_from_post(request: HttpRequest) -> dict[str, Any]:
    """attribute[code]=value, and attribute[code][]=value for multi-value lists."""
    answers: dict[str, Any] = {}
    for key in request.POST:
        if not key.startswith("attribute[") or "]" not in key:
            continue
        code = key[len("attribute[") : key.index("]")]
        values = request.POST.getlist(key)
        answers[code] = values if key.endswith("[]") or len(values) > 1 else values[0]
    return answers


def _coordinate(value: str | None, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value))
    except ValueError:
        raise Open311Error(400, _("%(name)s muss eine Zahl sein.") % {"name": name}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise Open311Error(400, _("%(name)s muss eine Zahl sein.") % {"name": name})
    return number


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = api_key_check(raw=data.get("api_key", ""))
    if key is None:
        message = _("api_key fehlt.") if not data.get("api_key") else _("api_key ist ungültig oder gesperrt.")
        raise Open311Error(403, message)
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code fehlt."))
    category = Category.objects.active().filter(service_code=code).first()
    if category is None:
        raise Open311Error(400, _("Unbekannter service_code „%(code)s“.") % {"code": code[:60]})
    lat = _coordinate(data.get("lat"), "lat")
    lon = _coordinate(data.get("long"), "long")
    address = data.get("address_string", "").strip()
    precise = True
    if (lat is None) != (lon is None):
        raise Open311Error(400, _("lat und long gehören zusammen: bitte beide senden."))
    if lat is None and address:
        # no geocoding service: only the street of a place known from the city profile
        found = place_in_street(address)
        if found is None:
            raise Open311Error(
                400,
                _(
                    "address_string „%(address)s“ können wir keinem Ort zuordnen (es gibt keine Adresssuche). "
                    "Bitte senden Sie lat und long."
                )
                % {"address": address[:80]},
            )
        lat, lon, precise = found.lat, found.lon, False
    if lat is None or lon is None:
        raise Open311Error(400, _("Der Ort fehlt: bitte lat und long (oder address_string) senden."))
    result = report_create(
        category=category,
        description=data.get("description", ""),
        lat=lat,
        lon=lon,
        location_precise=precise,
        address=address,
        email=data.get("email", ""),
        attributes=_attributes_from_post(request),
        photos=request.FILES.getlist("media"),
        source=Report.Source.OPEN311,
        api_key=key,
    )
    report = result.report
    notices = []
    if not report.published:
        notices.append(_("Die Meldung wird geprüft und danach veröffentlicht."))
    if not precise:
        notices.append(_("Der Ort ist ungefähr: ein bekannter Ort in derselben Straße."))
    if data.get("media_url", "").strip():
        # fetching a stranger's URL from the server would be a privacy and security risk
        notices.append(
            _(
                "media_url wurde nicht übernommen. Bitte senden Sie Fotos als Datei im Feld media (multipart/form-data)."
            )
        )
    notice = " ".join(notices)
    row = {
        "service_request_id": report.service_request_id,
        "token": report.token,
        "service_notice": notice,
        "account_id": "",
    }
    return render(
        fmt, [row], root="service_requests", item="request", status=200 if result.duplicate else 201
    )


@_handle
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    rows = request_rows(_public_requests().filter(service_request_id=service_request_id)[:1], request)
    if not rows:
        raise Open311Error(
            404, _("Keine öffentliche Meldung mit der Nummer „%(id)s“.") % {"id": service_request_id[:40]}
        )
    return render(fmt, rows, root="service_requests", item="request", ready=True)


@_handle
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    report = Report.objects.filter(token=token).only("service_request_id", "token").first()
    if report is None:
        raise Open311Error(404, _("Unbekanntes Token."))
    row = {"service_request_id": report.service_request_id, "token": report.token}
    return render(fmt, [row], root="service_requests", item="request")
