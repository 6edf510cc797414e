"""Writing offers: providers' staff, the demo and the importers save offers through :func:`offer_save`
(keyword-only, in one transaction). It checks the data, sets the district from the position, writes the
DigComp competences and turns the dates into Session rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.city.selectors import district_for
from konzeptk.core.content import content_assign
from konzeptk.core.errors import DomainError
from konzeptk.core.slugs import german_slug
from konzeptk.education import digcomp, sessions
from konzeptk.education.models import Competence, ImportSource, Offer, Provider, Session
from konzeptk.education.selectors import can_manage_provider
from konzeptk.education.types import OfferData, SaveResult

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
TEXT_FIELDS = ("title", "summary", "description", "lending_conditions")
MAX_WARNINGS = 10


def _check(data: OfferData) -> None:
    problems: list[tuple[str, str]] = []
    if not data.title.strip():
        problems.append(("title", _("Bitte geben Sie einen Titel an.")))
    elif len(data.title.strip()) > 200:
        problems.append(("title", _("Der Titel ist zu lang (höchstens 200 Zeichen).")))
    if len(data.summary.strip()) > 300:
        problems.append(("summary", _("Die Kurzbeschreibung ist zu lang (höchstens 300 Zeichen).")))
    if data.kind not in Offer.Kind.values:
        problems.append(("kind", _("Bitte wählen Sie eine Art des Angebots aus der Liste.")))
    if data.status not in Offer.Status.values:
        problems.append(("status", _("Bitte wählen Sie einen Status aus der Liste.")))
    if data.prior_knowledge not in Offer.Knowledge.values:
        problems.append(("prior_knowledge", _("Bitte wählen Sie die Vorkenntnisse aus der Liste.")))
    for name, age in (("age_min", data.age_min), ("age_max", data.age_max)):
        if age is not None and not 0 <= age <= 120:
            problems.append((name, _("Das Alter muss zwischen 0 und 120 liegen.")))
    if data.age_min is not None and data.age_max is not None and data.age_max < data.age_min:
        problems.append(("age_max", _("Das Höchstalter liegt unter dem Mindestalter.")))
    if not data.languages or any(not LANGUAGE_CODE.match(code) for code in data.languages):
        problems.append(("languages", _("Bitte geben Sie mindestens eine Sprache an.")))
    for name, price in (("price", data.price), ("reduced_price", data.reduced_price)):
        if price is not None and (price < 0 or price >= Decimal("100000")):
            problems.append((name, _("Bitte geben Sie einen Preis zwischen 0 und 99.999 Euro an.")))
    if data.is_free and (data.price or data.reduced_price):
        problems.append(("price", _("Ein kostenloses Angebot hat keinen Preis.")))
    if (data.lat is None) != (data.lon is None):
        problems.append(("lat", _("Bitte geben Sie Breite und Länge an, oder keins von beiden.")))
    elif (
        data.lat is not None
        and data.lon is not None
        and not (-90 <= data.lat <= 90 and -180 <= data.lon <= 180)
    ):
        problems.append(("lat", _("Diese Koordinaten gibt es nicht.")))
    if data.capacity is not None and not 1 <= data.capacity <= 100000:
        problems.append(("capacity", _("Die Zahl der Plätze muss zwischen 1 und 100.000 liegen.")))
    if data.booking_open and data.capacity is None and data.kind != Offer.Kind.LENDING:
        problems.append(
            ("capacity", _("Für eine Anmeldung über die Plattform geben Sie bitte die Plätze an."))
        )
    if data.max_lending_days is not None and not 1 <= data.max_lending_days <= 365:
        problems.append(("max_lending_days", _("Eine Ausleihe dauert 1 bis 365 Tage.")))
    if data.rrule.strip() and (data.first_start is None or data.duration_minutes is None):
        problems.append(
            ("first_start", _("Für eine Wiederholung brauchen Sie den ersten Termin und die Dauer."))
        )
    if (data.first_start is None) != (data.duration_minutes is None):
        problems.append(("duration_minutes", _("Bitte geben Sie den ersten Termin und seine Dauer an.")))
    if data.kind == Offer.Kind.PLACE and not data.online and not data.address.strip():
        problems.append(("address", _("Ein Lernort braucht eine Adresse.")))
    seen: set[str] = set()
    for code, level in data.competences:
        if not digcomp.is_known(code):
            problems.append(
                ("competences", _("„%(code)s“ ist keine Kompetenz aus DigComp 2.2.") % {"code": code})
            )
        elif code in seen:
            problems.append(("competences", _("Die Kompetenz %(code)s steht doppelt.") % {"code": code}))
        if not 1 <= level <= 8:
            problems.append(("competences", _("Die Kompetenzstufe muss zwischen 1 und 8 liegen.")))
        seen.add(code)
    if problems:
        raise DomainError("invalid_offer", status=400, fields=problems)


def _spans(data: OfferData) -> list[sessions.Span]:
    generated: list[sessions.Span] = []
    if data.first_start is not None and data.duration_minutes is not None:
        generated = sessions.expand(
            first_start=data.first_start,
            duration_minutes=data.duration_minutes,
            rule=data.rrule,
            exdates=data.exdates,
        )
    return sessions.merge(generated, data.sessions)


def _is_page(slug: str) -> bool:
    """Whether ``/bildung/<slug>/`` is another page of the room (``digital-check``, ``verwaltung``, …)."""
    try:
        match = resolve(f"{reverse('education:list')}{slug}/")
    except Resolver404:
        return False
    return match.url_name != "detail"


def _free_slug(title: str) -> str:
    base = german_slug(title, max_length=100) or "angebot"
    taken = set(Offer.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken and not _is_page(base):
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _fill(offer: Offer, data: OfferData, translations: Mapping[str, str] | None) -> None:
    content_assign(
        offer,
        german={
            "title": data.title.strip(),
            "summary": data.summary.strip(),
            "description": data.description.strip(),
            "lending_conditions": data.lending_conditions.strip(),
        },
        translations=translations,
    )
    for name in TEXT_FIELDS:  # the plain attribute too, so str(offer) and the slug see German
        offer.__dict__[name] = getattr(offer, f"{name}_de")
    offer.kind, offer.status = data.kind, data.status
    offer.age_min, offer.age_max = data.age_min, data.age_max
    offer.languages = "|" + "|".join(dict.fromkeys(data.languages)) + "|"
    offer.prior_knowledge = data.prior_knowledge
    offer.step_free, offer.induction_loop = data.step_free, data.induction_loop
    offer.sign_language, offer.easy_language = data.sign_language, data.easy_language
    offer.is_free = data.is_free
    offer.price = None if data.is_free else data.price
    offer.reduced_price = None if data.is_free else data.reduced_price
    offer.online = data.online
    offer.place_name, offer.address = data.place_name.strip(), data.address.strip()
    offer.lat, offer.lon = data.lat, data.lon
    offer.url = data.url.strip()
    offer.capacity, offer.booking_open = data.capacity, data.booking_open
    offer.first_start, offer.duration_minutes = data.first_start, data.duration_minutes
    offer.rrule = data.rrule.strip()
    offer.exdates = "\n".join(day.isoformat() for day in sorted(set(data.exdates)))
    offer.opening_hours = data.opening_hours.strip()
    offer.max_lending_days = data.max_lending_days
    offer.licence = data.licence.strip()
    offer.simulated = data.simulated
    offer.source_note = data.source_note.strip()[:300]
    offer.external_id = data.external_id.strip()[:300]
    offer.district = None
    if data.lat is not None and data.lon is not None:
        offer.district = district_for(data.lat, data.lon).district


def _write_sessions(offer: Offer, spans: list[sessions.Span], *, fresh: bool) -> None:
    """Keep the sessions that stay (with their cancellation), delete the others, add the new ones."""
    wanted = {(s.astimezone(dt.UTC), e.astimezone(dt.UTC)) for s, e in spans}
    if not fresh:
        existing = {
            (row.start.astimezone(dt.UTC), row.end.astimezone(dt.UTC)): row.pk for row in offer.sessions.all()
        }
        gone = [pk for key, pk in existing.items() if key not in wanted]
        if gone:
            Session.objects.filter(pk__in=gone).delete()
        wanted -= set(existing)
    Session.objects.bulk_create(
        [Session(offer=offer, start=start, end=end) for start, end in sorted(wanted)], batch_size=500
    )


def _write_competences(offer: Offer, pairs: list[tuple[str, int]], *, fresh: bool) -> None:
    if not fresh:
        offer.competences.all().delete()
    Competence.objects.bulk_create(
        [Competence(offer=offer, code=code, area=digcomp.area_of(code), level=level) for code, level in pairs]
    )


def offer_next_start(offer: Offer) -> None:
    """Store the start of the next session that takes place (the lists' order) and the end of the last
    one (whether the offer is still on: a plain column for the search)."""
    taking_place = Session.objects.filter(offer=offer, cancelled=False)
    upcoming = (
        taking_place.filter(start__gte=timezone.now())
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    last_end = taking_place.aggregate(last=Max("end"))["last"]
    Offer.objects.filter(pk=offer.pk).update(next_start=upcoming, last_end=last_end)
    offer.next_start, offer.last_end = upcoming, last_end


def offers_refresh_next_start(*, now: dt.datetime | None = None) -> int:
    """Move ``next_start`` of offers whose stored next session has begun on to their next one (daily);
    returns how many offers changed."""
    moment = now or timezone.now()
    stale = Offer.objects.filter(next_start__lt=moment).values_list("pk", flat=True)
    changed = 0
    for pk in stale.iterator():
        upcoming = (
            Session.objects.filter(offer_id=pk, cancelled=False, start__gte=moment)
            .order_by("start")
            .values_list("start", flat=True)
            .first()
        )
        changed += Offer.objects.filter(pk=pk).update(next_start=upcoming)
    return changed


def _overlap_warnings(offer: Offer, spans: list[sessions.Span]) -> list[str]:
    """Sessions of this offer overlapping each other, or other offers' sessions at the same address."""
    warnings: list[str] = []
    for a, _b in sessions.self_overlaps(spans):
        warnings.append(
            _("Zwei Termine dieses Angebots überschneiden sich am %(day)s.")
            % {"day": timezone.localtime(a[0]).strftime("%d.%m.%Y")}
        )
    if offer.online or not offer.address or not spans:
        return warnings[:MAX_WARNINGS]
    rows = (
        Session.objects.filter(
            offer__address__iexact=offer.address,
            cancelled=False,
            start__lt=spans[-1][1],
            end__gt=spans[0][0] - dt.timedelta(days=1),
        )
        .exclude(offer=offer)
        .exclude(offer__status=Offer.Status.ARCHIVED)
        .order_by("start")
        .values_list("start", "end", "offer__title_de")
    )
    others = [(start, end) for start, end, _title in rows]
    titles = {(start, end): title for start, end, title in rows}
    for own, other in sessions.overlaps(spans, others):
        warnings.append(
            _("Am %(day)s um %(time)s Uhr findet am selben Ort auch „%(title)s“ statt.")
            % {
                "day": timezone.localtime(own[0]).strftime("%d.%m.%Y"),
                "time": timezone.localtime(other[0]).strftime("%H:%M"),
                "title": titles[other],
            }
        )
        if len(warnings) >= MAX_WARNINGS:
            break
    return warnings[:MAX_WARNINGS]


@transaction.atomic
def offer_save(
    *,
    provider: Provider,
    data: OfferData,
    offer: Offer | None = None,
    actor: User | None = None,
    import_source: ImportSource | None = None,
    translations: Mapping[str, str] | None = None,
) -> SaveResult:
    """Create or change an offer of ``provider``; returns it with warnings for staff.

    ``actor`` (staff forms) must manage the provider; the demo and importers pass none. Translations
    (``{"title_en": …}``) are kept as they are when ``translations`` is None.
    """
    if actor is not None and not can_manage_provider(actor, provider):
        raise DomainError("not_allowed", _("Sie dürfen die Angebote dieses Anbieters nicht bearbeiten."), 403)
    if offer is not None and offer.provider_id != provider.pk:
        raise DomainError("not_allowed", _("Dieses Angebot gehört zu einem anderen Anbieter."), 403)
    _check(data)
    spans = _spans(data)
    fresh = offer is None
    if offer is None:
        offer = Offer(provider=provider, slug=_free_slug(data.title))
    else:
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if data.capacity is not None and data.capacity < offer.seats_taken:
            message = _("Es sind schon %(taken)d Plätze gebucht; weniger Plätze sind nicht möglich.") % {
                "taken": offer.seats_taken
            }
            raise DomainError("capacity_below_bookings", message, 409, fields=[("capacity", message)])
    _fill(offer, data, translations)
    if import_source is not None:
        offer.import_source = import_source
    offer.save()
    _write_sessions(offer, spans, fresh=fresh)
    _write_competences(offer, data.competences, fresh=fresh)
    offer_next_start(offer)
    return SaveResult(offer=offer, warnings=_overlap_warnings(offer, spans), created=fresh)


@transaction.atomic
def session_cancel(*, session: Session, actor: User, cancelled: bool = True) -> Session:
    """Staff cancel one session (or take the cancellation back)."""
    if not can_manage_provider(actor, session.offer.provider):
        raise DomainError("not_allowed", _("Sie dürfen die Angebote dieses Anbieters nicht bearbeiten."), 403)
    Session.objects.filter(pk=session.pk).update(cancelled=cancelled)
    session.cancelled = cancelled
    offer_next_start(session.offer)
    return session


@transaction.atomic
def offer_set_status(*, offer: Offer, actor: User, status: str) -> Offer:
    """Publish, archive or return an offer to draft."""
    if status not in Offer.Status.values:
        raise DomainError("invalid_status", _("Unbekannter Status."), 400)
    if not can_manage_provider(actor, offer.provider):
        raise DomainError("not_allowed", _("Sie dürfen die Angebote dieses Anbieters nicht bearbeiten."), 403)
    Offer.objects.filter(pk=offer.pk).update(status=status, updated_at=timezone.now())
    offer.status = status
    return offer
