"""The offers as MOOChub v3 (JSON:API): ``/bildung/api/moochub/courses``.

One page is one count, one query for the ids of the page, one for its offers (with provider) and one for
their DigComp competences;
the first and last coming session of each offer are subqueries of the offers' query (indexed by
offer and start). The course id is a UUID derived from the offer's address (stable across exports).
Texts are German (the original); MOOChub has no per-language attributes for name and description.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from konzeptk.core.siteurl import absolute_url
from konzeptk.education import digcomp
from konzeptk.education.languages import language_codes
from konzeptk.education.models import Competence, Offer, Session
from konzeptk.education.selectors import published_offers

MEDIA_TYPE = "application/vnd.api+json"
DEFAULT_SIZE = 100
MAX_SIZE = 100
MAX_NUMBER = 1_000_000
HCRT_COURSE = {
    "identifier": "https://w3id.org/kim/hcrt/course",
    "type": "Concept",
    "inScheme": "https://w3id.org/kim/hcrt/scheme",
}
DIGCOMP_URL = "https://publications.jrc.ec.europa.eu/repository/handle/JRC128415"
GENERAL_PUBLIC = "http://purl.org/dcx/lrmi-vocabs/educationalAudienceRole/generalPublic"
PROPRIETARY = {"identifier": "proprietary", "url": None}


#: the columns a course needs (not the translations, not the booking fields)
FIELDS = (
    "slug", "title_de", "summary_de", "description_de", "online", "languages", "is_free", "price",
    "reduced_price", "place_name", "address", "lat", "lon", "url", "licence", "updated_at",
    "provider__name", "provider__slug", "provider__website",
)  # fmt: skip


class PageError(ValueError):
    """A paging parameter is wrong: the parameter and a German message (JSON:API error ``source``)."""

    def __init__(self, parameter: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Page:
    number: int
    size: int


def _positive(value: str | None, parameter: str, default: int, highest: int) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or len(value) > 9:
        raise PageError(parameter, f"{parameter} muss eine ganze Zahl ab 1 sein.")
    number = int(value)
    if not 1 <= number <= highest:
        raise PageError(parameter, f"{parameter} muss zwischen 1 und {highest} liegen.")
    return number


def parse_page(params: dict[str, str]) -> Page:
    """``page[number]`` (from 1) and ``page[size]`` (1 to 100) of a request's query."""
    return Page(
        number=_positive(params.get("page[number]"), "page[number]", 1, MAX_NUMBER),
        size=_positive(params.get("page[size]"), "page[size]", DEFAULT_SIZE, MAX_SIZE),
    )


def course_id(offer: Offer) -> str:
    """The offer's MOOChub id: a UUID (version 5) of its page's address, stable across exports."""
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, absolute_url(reverse("education:detail", kwargs={"slug": offer.slug})))
    )


def _licence(offer: Offer) -> dict[str, Any]:
    code = offer.licence.strip()
    if not code:
        return PROPRIETARY
    spdx = code.upper().replace(" ", "-")
    if spdx.startswith("CC"):
        return {"identifier": spdx, "url": f"https://spdx.org/licenses/{spdx}.html"}
    return {"identifier": code, "url": None}


def _skill(code: str, level_number: int) -> dict[str, Any]:
    known = digcomp.COMPETENCES[code]
    level = digcomp.LEVELS[level_number]
    names = [
        {"inLanguage": lang, "name": known.names[lang]} for lang in ("de", "en") if known.names.get(lang)
    ]
    level_names = [
        {"inLanguage": lang, "name": level.group.names[lang]}
        for lang in ("de", "en")
        if level.group.names.get(lang)
    ]
    return {
        "name": names,
        "shortCode": code,
        "educationalFramework": "DigComp",
        "educationalFrameworkVersion": "2.2",
        "url": DIGCOMP_URL,
        "educationalLevel": {
            "name": level_names,
            "shortCode": str(level_number),
            "educationalFramework": "DigComp",
            "educationalFrameworkVersion": "2.2",
            "type": "EducationalLevel",
        },
    }


@dataclass
class _Writer:
    """What every course of a page shares, worked out once per page (URL patterns, time zone, skills):
    ``reverse`` and the active language cost more than the rest of a course together."""

    detail: str = field(
        default_factory=lambda: absolute_url(reverse("education:detail", kwargs={"slug": "0"}))
    )
    provider_page: str = field(
        default_factory=lambda: absolute_url(reverse("education:provider", kwargs={"slug": "0"}))
    )
    zone: dt.tzinfo = field(default_factory=timezone.get_current_timezone)
    skills: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    def url(self, pattern: str, slug: str) -> str:
        return pattern[: pattern.rindex("/0/")] + f"/{slug}/"

    def iso(self, value: dt.datetime) -> str:
        return value.astimezone(self.zone).isoformat(timespec="seconds")

    def skill(self, code: str, level: int) -> dict[str, Any]:
        if (code, level) not in self.skills:
            self.skills[code, level] = _skill(code, level)
        return self.skills[code, level]


def course(offer: Offer, competences: list[tuple[str, int]], writer: _Writer | None = None) -> dict[str, Any]:
    """One offer as a MOOChub ``Course`` resource object."""
    writer = writer or _Writer()
    description = str(getattr(offer, "description_de", "") or getattr(offer, "summary_de", "") or "")
    provider = offer.provider
    publisher = {
        "type": "Organization",
        "name": provider.name,
        "url": provider.website or writer.url(writer.provider_page, provider.slug),
    }
    page_url = writer.url(writer.detail, offer.slug)
    attributes: dict[str, Any] = {
        "name": str(getattr(offer, "title_de", "")),
        "courseCode": offer.slug,
        "learningResourceType": HCRT_COURSE,
        "courseMode": ["online"] if offer.online else ["onsite"],
        "description": "".join(f"<p>{escape(part)}</p>" for part in description.split("\n") if part.strip())
        or None,
        "inLanguage": language_codes(offer.languages),
        "publisher": publisher,
        "creator": [publisher],
        "url": page_url,
        "license": [_licence(offer)],
        "access": ["free"] if offer.is_free else ["paid"],
        "audience": [GENERAL_PUBLIC],
        "teaches": [writer.skill(code, level) for code, level in competences],
        "dateModified": writer.iso(offer.updated_at),
    }
    first_start = getattr(offer, "run_start", None)
    last_end = getattr(offer, "run_end", None)
    if first_start is not None and last_end is not None:
        attributes["startDate"] = [writer.iso(first_start)]
        attributes["endDate"] = [writer.iso(last_end)]
    prices = [p for p in (offer.price, offer.reduced_price) if p is not None]
    if prices and not offer.is_free:
        attributes["offer"] = [
            {"price": float(p), "priceCurrency": "EUR", "paymentFrequency": "one-time", "category": "course"}
            for p in dict.fromkeys(prices)
        ]
    if not offer.online:
        place: dict[str, Any] = {"name": offer.place_name or offer.address or provider.name}
        if offer.address:
            place["address"] = {"streetAddress": offer.address, "addressCountry": "DE"}
        if offer.lat is not None and offer.lon is not None:
            place["latitude"], place["longitude"] = offer.lat, offer.lon
        attributes["contentLocation"] = place
    elif offer.url:
        attributes["contentLocation"] = {"name": "online", "url": offer.url}
    return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, page_url)), "type": "Course", "attributes": attributes}


def courses_queryset() -> QuerySet[Offer]:
    """Published offers in a stable order, with the bounds of their coming run."""
    coming = Session.objects.filter(offer=OuterRef("pk"), cancelled=False, end__gte=timezone.now())
    return (
        published_offers()
        .select_related(None)
        .select_related("provider")
        .only(*FIELDS)
        .annotate(
            run_start=Subquery(coming.order_by("start").values("start")[:1]),
            run_end=Subquery(coming.order_by("-end").values("end")[:1]),
        )
        .order_by("pk")
    )


def _competences(offer_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    found: dict[int, list[tuple[str, int]]] = {pk: [] for pk in offer_ids}
    rows = Competence.objects.filter(offer_id__in=offer_ids).order_by("offer_id", "code")
    for offer_id, code, level in rows.values_list("offer_id", "code", "level"):
        found[offer_id].append((code, level))
    return found


def _link(path: str, number: int, size: int) -> str:
    return absolute_url(path + "?" + urlencode({"page[number]": number, "page[size]": size}))


def document(page: Page, *, path: str) -> dict[str, Any]:
    """The JSON:API document of one page; :class:`PageError` (404) past the last page."""
    total = published_offers().count()
    last = max(1, math.ceil(total / page.size))
    if page.number > last:
        raise PageError("page[number]", f"Diese Seite gibt es nicht; die letzte ist {last}.", status=404)
    offset = (page.number - 1) * page.size
    # the page's ids first: PostgreSQL evaluates the run subqueries for rows an OFFSET skips, too
    ids = list(published_offers().order_by("pk").values_list("pk", flat=True)[offset : offset + page.size])
    offers = list(courses_queryset().filter(pk__in=ids)) if ids else []
    competences = _competences([offer.pk for offer in offers]) if offers else {}
    writer = _Writer()
    links = {
        "self": _link(path, page.number, page.size),
        "first": _link(path, 1, page.size),
        "last": _link(path, last, page.size),
    }
    if page.number < last:
        links["next"] = _link(path, page.number + 1, page.size)
    if page.number > 1:
        links["prev"] = _link(path, page.number - 1, page.size)
    return {
        "links": links,
        "meta": {"total": total, "pages": last},
        "data": [course(offer, competences[offer.pk], writer) for offer in offers],
    }


def error_document(status: int, code: str, message: str, parameter: str = "") -> dict[str, Any]:
    """A JSON:API error object list (``errors``) with the status as a string, as the standard says."""
    error: dict[str, Any] = {"status": str(status), "code": code, "title": message, "detail": message}
    if parameter:
        error["source"] = {"parameter": parameter}
    return {"errors": [error]}
