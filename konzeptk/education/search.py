"""Finding offers: the filters of the list page ``/bildung/`` as one typed value and one queryset.

Without a date range the list shows what can still be attended: offers with a session that has not
ended, and offers without dates (open learning places, lending items, online material, courses
without fixed dates). With a date range only offers with a session in that range are shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from konzeptk.city.models import District
from konzeptk.core.content import GERMAN, active_language
from konzeptk.education.models import Competence, Offer, Session
from konzeptk.education.selectors import published_offers
from konzeptk.education.sessions import MAX_EXPLICIT_LENGTH

ACCESS_FIELDS = ("step_free", "induction_loop", "sign_language", "easy_language")
LONGEST_SESSION = MAX_EXPLICIT_LENGTH  # a session starting earlier cannot reach into the range


@dataclass(frozen=True)
class OfferFilter:
    """What a visitor asked for; every field optional."""

    q: str = ""
    age: int | None = None
    district: District | None = None
    language: str = ""  # ISO 639-1
    area: int | None = None  # DigComp area 1–5
    level: int | None = None  # DigComp level 1–8
    kind: str = ""
    free: bool = False
    access: tuple[str, ...] = ()  # names of ACCESS_FIELDS
    mode: str = ""  # "online" | "onsite" | ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return self == OfferFilter()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def _text(query: str) -> Q:
    lang = active_language()
    condition = Q()
    for word in query.split()[:8]:
        word_q = Q(title_de__icontains=word) | Q(summary_de__icontains=word)
        if lang != GERMAN:
            word_q |= Q(**{f"title_{lang}__icontains": word}) | Q(**{f"summary_{lang}__icontains": word})
        condition &= word_q
    return condition


def search_offers(flt: OfferFilter, *, now: dt.datetime | None = None) -> QuerySet[Offer]:
    """Published offers matching ``flt``, the next dates first, then offers without dates."""
    offers = published_offers()
    if flt.q.strip():
        offers = offers.filter(_text(flt.q.strip()[:100]))
    if flt.age is not None:
        offers = offers.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=flt.age),
            Q(age_max__isnull=True) | Q(age_max__gte=flt.age),
        )
    if flt.district is not None:
        offers = offers.filter(district=flt.district)
    if flt.language:
        offers = offers.filter(languages__contains=f"|{flt.language}|")
    if flt.kind:
        offers = offers.filter(kind=flt.kind)
    if flt.free:
        offers = offers.filter(is_free=True)
    for name in flt.access:
        if name in ACCESS_FIELDS:
            offers = offers.filter(**{name: True})
    if flt.mode == "online":
        offers = offers.filter(online=True)
    elif flt.mode == "onsite":
        offers = offers.filter(online=False)
    if flt.area is not None or flt.level is not None:
        # driven from the competences' index (area, level, offer): a semi-join, not a probe per offer
        competences = Competence.objects.all()
        if flt.area is not None:
            competences = competences.filter(area=flt.area)
        if flt.level is not None:
            competences = competences.filter(level=flt.level)
        offers = offers.filter(pk__in=competences.values("offer_id"))
    if flt.date_from is not None or flt.date_to is not None:
        # driven from the sessions' index (start, offer): only the sessions in the range are read
        dated = Session.objects.filter(cancelled=False)
        if flt.date_from is not None:
            dated = dated.filter(start__gte=_day_start(flt.date_from) - LONGEST_SESSION)
            dated = dated.filter(end__gte=_day_start(flt.date_from))
        if flt.date_to is not None:
            dated = dated.filter(start__lt=_day_start(flt.date_to + dt.timedelta(days=1)))
        offers = offers.filter(pk__in=dated.values("offer_id"))
    else:
        # still on: no sessions at all (places, lending, material, courses without dates) or a session
        # that has not ended (``last_end`` is kept by ``offer_save`` and ``session_cancel``)
        moment = now or timezone.now()
        offers = offers.filter(Q(last_end__isnull=True) | Q(last_end__gte=moment))
    return offers.order_by(F("next_start").asc(nulls_last=True), "title", "pk")


def recommended_levels(rating: int) -> tuple[int, ...]:
    """The DigComp levels to learn next after a self-rating (0 = no experience yet … 5 = advanced)."""
    first = min(max(rating + 1, 1), 7)
    return (first, first + 1)


def recommend(*, area: int, levels: tuple[int, ...], limit: int) -> QuerySet[Offer]:
    """Current published offers teaching a competence of ``area`` at one of ``levels``."""
    fitting = Competence.objects.filter(area=area, level__in=levels).values("offer_id")
    return search_offers(OfferFilter()).filter(pk__in=fitting)[:limit]
