"""Public pages of the education network: the list with search and map, the offer page, the provider
page and the Digital-Check (self-assessment without storage)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from konzeptk.city.selectors import active_profile
from konzeptk.core.maps import base_map
from konzeptk.education import digcomp, search, selectors
from konzeptk.education.forms import CHECK_QUESTIONS, DigitalCheckForm, FilterForm
from konzeptk.education.jsonld import offer_jsonld
from konzeptk.education.languages import language_codes, language_name
from konzeptk.education.models import Offer
from konzeptk.events.jsonld import script_text

PAGE_SIZE = 20
SESSIONS_PAGE_SIZE = 10
RECOMMENDATIONS_PER_AREA = 3


def _city() -> str:
    profile = active_profile()
    return profile.name if profile is not None else "Konzept K"


def _query(request: HttpRequest, *, without: str = "page") -> str:
    """The request's query string without the page parameter (for the pagination links)."""
    return urlencode([(k, v) for k, values in request.GET.lists() for v in values if k != without][:40])


def _points(offers: list[Offer], first: int) -> list[dict[str, Any]]:
    return [
        {
            "lat": o.lat,
            "lon": o.lon,
            "title": o.title,
            "url": reverse("education:detail", kwargs={"slug": o.slug}),
            "mark": str(first + i),
        }
        for i, o in enumerate(offers)
        if o.lat is not None and o.lon is not None and not o.online
    ]


def _cards(offers: list[Offer]) -> list[dict[str, Any]]:
    areas: dict[int, set[int]] = {}
    for o in offers:
        areas[o.pk] = {c.area for c in o.competences.all()}
    return [
        {
            "offer": o,
            "areas": [digcomp.AREAS[a] for a in sorted(areas[o.pk]) if a in digcomp.AREAS],
            "languages": [language_name(code) for code in language_codes(o.languages)],
        }
        for o in offers
    ]


@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    flt = form.to_filter()
    results = search.search_offers(flt).prefetch_related("competences")
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    offers = list(page.object_list)
    return render(
        request,
        "education/list.html",
        {
            "form": form,
            "page": page,
            "cards": _cards(offers),
            "points": _points(offers, page.start_index()),
            "base": base_map(),
            "query": _query(request),
            "filtered": not flt.is_empty,
        },
    )


@require_GET
def offer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    offer = selectors.public_offer(slug)
    if offer is None:
        raise Http404
    competences = list(offer.competences.all())
    page = Paginator(selectors.upcoming_sessions(offer), SESSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    sessions = list(page.object_list)
    url = reverse("education:detail", kwargs={"slug": offer.slug})
    provider_url = reverse("education:provider", kwargs={"slug": offer.provider.slug})
    data = offer_jsonld(
        offer,
        competences=competences,
        sessions=list(selectors.run_bounds(offer)),
        city=_city(),
        absolute=request.build_absolute_uri,
        url=url,
        provider_url=provider_url,
    )
    return render(
        request,
        "education/detail.html",
        {
            "offer": offer,
            "competences": [
                {"c": c, "known": digcomp.COMPETENCES.get(c.code), "level": digcomp.LEVELS.get(c.level)}
                for c in competences
            ],
            "languages": [language_name(code) for code in language_codes(offer.languages)],
            "page": page,
            "sessions": sessions,
            "jsonld": script_text(data),
            "base": base_map() if offer.lat is not None and not offer.online else None,
            "query": "",
        },
    )


@require_GET
def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_by_slug(slug)
    if provider is None:
        raise Http404
    page = Paginator(selectors.provider_offers(provider), PAGE_SIZE).get_page(request.GET.get("page"))
    offers = list(page.object_list)
    points = _points(offers, page.start_index())
    if provider.lat is not None and provider.lon is not None:
        points.insert(0, {"lat": provider.lat, "lon": provider.lon, "title": provider.name, "mark": "A"})
    return render(
        request,
        "education/provider.html",
        {
            "provider": provider,
            "page": page,
            "offers": offers,
            "points": points,
            "base": base_map(),
            "query": "",
        },
    )


@require_GET
def digital_check(request: HttpRequest) -> HttpResponse:
    """Five questions by GET; the answer recommends offers one step above each self-rating."""
    asked = any(f"a{area}" in request.GET for area in CHECK_QUESTIONS)
    form = DigitalCheckForm(request.GET if asked else None)
    results: list[dict[str, Any]] = []
    if asked and form.is_valid():
        for area, rating in form.ratings().items():
            levels = search.recommended_levels(rating)
            results.append(
                {
                    "area": digcomp.AREAS[area],
                    "rating": rating,
                    "levels": [digcomp.LEVELS[n] for n in levels],
                    "offers": list(
                        search.recommend(area=area, levels=levels, limit=RECOMMENDATIONS_PER_AREA)
                    ),
                    "more": "?" + urlencode({"area": area, "level": levels[0]}),
                }
            )
    return render(
        request,
        "education/digital_check.html",
        {"form": form, "results": results, "asked": asked, "areas": digcomp.AREAS.values()},
        status=400 if asked and not form.is_valid() else 200,
    )
