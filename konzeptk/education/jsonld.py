"""schema.org JSON-LD for an offer page, by kind of offer:

- a course: ``Course`` with ``hasCourseInstance`` (``CourseInstance``: mode, dates, place, price);
- a single event: ``EducationEvent``;
- an open learning place: ``CivicStructure`` (a ``Place`` with ``openingHours``);
- a lending item: ``Product`` with an ``Offer`` to lease out;
- online material: ``LearningResource`` with ``license``.

The DigComp competences are ``teaches`` as ``DefinedTerm`` of the DigComp 2.2 term set; the ages are a
``PeopleAudience``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone

from konzeptk.core.content import content_in_language
from konzeptk.education import digcomp
from konzeptk.education.languages import language_codes
from konzeptk.education.models import Competence, Offer, Session

DIGCOMP_SET = "https://joint-research-centre.ec.europa.eu/digcomp/digcomp-framework_en"
LEASE_OUT = "http://purl.org/goodrelations/v1#LeaseOut"


def _iso(value: Any) -> str:
    return str(timezone.localtime(value).isoformat())


def _text(offer: Offer, field: str) -> str:
    return content_in_language(offer, field)[0]


def _place(offer: Offer, city: str) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": city, "addressCountry": "DE"}
    if offer.address:
        address["streetAddress"] = offer.address
    place: dict[str, Any] = {
        "@type": "Place",
        "name": offer.place_name or offer.address or city,
        "address": address,
    }
    if offer.lat is not None and offer.lon is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": offer.lat, "longitude": offer.lon}
    features = [
        (name, True)
        for name, value in (
            ("stufenlos erreichbar", offer.step_free),
            ("Induktionsschleife", offer.induction_loop),
        )
        if value
    ]
    if features:
        place["amenityFeature"] = [
            {"@type": "LocationFeatureSpecification", "name": name, "value": value}
            for name, value in features
        ]
    return place


def _location(offer: Offer, city: str, url: str) -> dict[str, Any]:
    if offer.online:
        return {"@type": "VirtualLocation", "url": offer.url or url}
    return _place(offer, city)


def _price(offer: Offer, url: str) -> dict[str, Any] | None:
    if not offer.is_free and offer.price is None:
        return None
    return {
        "@type": "Offer",
        "price": "0.00" if offer.is_free else f"{offer.price:.2f}",
        "priceCurrency": "EUR",
        "url": url,
        "category": "Free" if offer.is_free else "Paid",
    }


def _teaches(competences: Sequence[Competence]) -> list[dict[str, Any]]:
    terms = []
    for c in competences:
        known = digcomp.COMPETENCES.get(c.code)
        terms.append(
            {
                "@type": "DefinedTerm",
                "termCode": c.code,
                "name": known.names.get("en", c.code) if known else c.code,
                "inDefinedTermSet": DIGCOMP_SET,
            }
        )
    return terms


def _common(offer: Offer, competences: Sequence[Competence], url: str, provider_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "name": _text(offer, "title"),
        "description": _text(offer, "summary") or _text(offer, "description") or _text(offer, "title"),
        "url": url,
        "inLanguage": language_codes(offer.languages),
        "isAccessibleForFree": offer.is_free,
        "provider": {"@type": "Organization", "name": offer.provider.name, "url": provider_url},
    }
    if competences:
        data["teaches"] = _teaches(competences)
        levels = sorted({c.level for c in competences})
        data["educationalLevel"] = [
            f"DigComp 2.2 level {n} ({digcomp.LEVELS[n].group.names['en']})"
            for n in levels
            if n in digcomp.LEVELS
        ]
    if offer.age_min is not None or offer.age_max is not None:
        audience: dict[str, Any] = {"@type": "PeopleAudience"}
        if offer.age_min is not None:
            audience["suggestedMinAge"] = offer.age_min
        if offer.age_max is not None:
            audience["suggestedMaxAge"] = offer.age_max
        data["audience"] = audience
    return data


def offer_jsonld(
    offer: Offer,
    *,
    competences: Sequence[Competence],
    sessions: Sequence[Session],
    city: str,
    absolute: Callable[[str], str],
    url: str,
    provider_url: str,
) -> dict[str, Any]:
    """The offer as schema.org JSON-LD; ``sessions`` are the coming ones (first and last give the run)."""
    page = absolute(url)
    data = _common(offer, competences, page, absolute(provider_url))
    price = _price(offer, page)
    dated = [s for s in sessions if not s.cancelled]
    if offer.kind == Offer.Kind.COURSE:
        data["@type"] = "Course"
        instance: dict[str, Any] = {
            "@type": "CourseInstance",
            "courseMode": "online" if offer.online else "onsite",
            "location": _location(offer, city, page),
        }
        if dated:
            instance["startDate"] = _iso(dated[0].start)
            instance["endDate"] = _iso(dated[-1].end)
        if price:
            instance["offers"] = price
        data["hasCourseInstance"] = [instance]
        if price:
            data["offers"] = price
    elif offer.kind == Offer.Kind.EVENT:
        data["@type"] = "EducationEvent"
        data["organizer"] = data.pop("provider")
        data["location"] = _location(offer, city, page)
        data["eventAttendanceMode"] = (
            "https://schema.org/OnlineEventAttendanceMode"
            if offer.online
            else "https://schema.org/OfflineEventAttendanceMode"
        )
        data["eventStatus"] = "https://schema.org/EventScheduled"
        if dated:
            data["startDate"] = _iso(dated[0].start)
            data["endDate"] = _iso(dated[0].end)
        elif sessions:
            data["startDate"] = _iso(sessions[0].start)
            data["eventStatus"] = "https://schema.org/EventCancelled"
        if price:
            data["offers"] = price
    elif offer.kind == Offer.Kind.PLACE:
        data["@type"] = "CivicStructure"
        data.update({k: v for k, v in _place(offer, city).items() if k != "@type" and k != "name"})
        data.pop("inLanguage", None)
        data.pop("teaches", None)
        data.pop("educationalLevel", None)
        data.pop("audience", None)
        data.pop("provider")
        if offer.opening_hours:
            data["openingHours"] = offer.opening_hours
    elif offer.kind == Offer.Kind.LENDING:
        data["@type"] = "Product"
        for key in ("inLanguage", "isAccessibleForFree", "teaches", "educationalLevel", "audience"):
            data.pop(key, None)
        seller = data.pop("provider")
        lease: dict[str, Any] = price or {
            "@type": "Offer",
            "price": "0.00",
            "priceCurrency": "EUR",
            "url": page,
        }
        lease["businessFunction"] = LEASE_OUT
        lease["offeredBy"] = seller
        if offer.max_lending_days:
            lease["eligibleDuration"] = {
                "@type": "QuantitativeValue",
                "value": offer.max_lending_days,
                "unitCode": "DAY",
            }
        data["offers"] = lease
    else:
        data["@type"] = "LearningResource"
        if offer.licence:
            data["license"] = offer.licence
        if offer.url:
            data["sameAs"] = offer.url
    return data
