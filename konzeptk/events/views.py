"""Public pages of the event calendar and the organisers' pages (submit, own events)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.accounts.models import User
from konzeptk.city.selectors import active_profile
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit, register
from konzeptk.events import selectors, services
from konzeptk.events.forms import EventForm, FilterForm
from konzeptk.events.ical_write import calendar_bytes
from konzeptk.events.jsonld import event_jsonld, script_text
from konzeptk.events.models import Event, Topic
from konzeptk.events.source_registry import external_events

PAGE_SIZE = 20
MAX_EXTERNAL_SHOWN = 20
register("events_submit", "20/h", purpose="Veranstaltungen einreichen oder ändern")


def _city() -> str:
    profile = active_profile()
    return profile.name if profile is not None else "Konzept K"


def _query(form: FilterForm) -> str:
    if not form.is_valid():
        return ""
    pairs = [
        (name, value.isoformat() if isinstance(value, dt.date) else ("1" if value is True else value))
        for name, value in form.cleaned_data.items()
        if value not in (None, "", False)
    ]
    return urlencode(pairs)


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    flt = form.to_filter()
    page = Paginator(selectors.events_public(flt), PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page.object_list)
    start = flt.date_from or timezone.localdate()
    end = flt.date_to or start + dt.timedelta(days=60)
    others = (
        []
        if (flt.free or flt.accessible or flt.district is not None or page.number > 1)
        else [
            e
            for e in external_events(
                dt.datetime.combine(start, dt.time(), tzinfo=timezone.get_current_timezone()),
                dt.datetime.combine(
                    end + dt.timedelta(days=1), dt.time(), tzinfo=timezone.get_current_timezone()
                ),
            )
            if not flt.topic or e.topic == flt.topic
        ][:MAX_EXTERNAL_SHOWN]
    )
    parts = [("district", flt.district.code if flt.district else ""), ("topic", flt.topic)]
    ics = "?" + urlencode([(k, v) for k, v in parts if v])
    return render(
        request,
        "events/list.html",
        {
            "form": form,
            "page": page,
            "events": events,
            "points": [
                {"lat": e.lat, "lon": e.lon, "title": e.title, "url": reverse("events:detail", args=[e.pk])}
                for e in events
                if e.lat is not None
            ],
            "others": others,
            "query": _query(form),
            "ics_query": ics if ics != "?" else "",
            "topics": dict(Topic.choices),
        },
    )


def _absolute(request: HttpRequest) -> Any:
    return lambda path: request.build_absolute_uri(path)


@require_GET
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """``kalender.ics?district=<code>&topic=<key>``: the whole calendar or a part; unknown values give 400."""
    code, topic = request.GET.get("district", ""), request.GET.get("topic", "")
    district = selectors.district_by_code(code)
    if code and district is None:
        return HttpResponse(
            _("Diesen Stadtbezirk gibt es nicht."), status=400, content_type="text/plain; charset=utf-8"
        )
    if topic and topic not in Topic.values:
        return HttpResponse(
            _("Dieses Thema gibt es nicht."), status=400, content_type="text/plain; charset=utf-8"
        )
    events = selectors.calendar_events(district=district, topic=topic)
    now = timezone.now()
    external = (
        []
        if district is not None
        else [
            e
            for e in external_events(now - dt.timedelta(days=30), now + dt.timedelta(days=366))
            if not topic or e.topic == topic
        ]
    )
    name = _("Veranstaltungen in %(city)s") % {"city": _city()}
    if district is not None:
        name += f" – {district.name}"
    if topic:
        name += f" – {Topic(topic).label}"
    body = calendar_bytes(
        events, name=name, absolute=_absolute(request), host=request.get_host(), external=external
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    return response


@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_visible(pk)
    if event is None or event.status != Event.Status.PUBLISHED:
        raise Http404
    body = calendar_bytes([event], name=event.title, absolute=_absolute(request), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="veranstaltung-{event.pk}.ics"'
    return response


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    event = selectors.event_visible(pk, user=user)
    if event is None:
        raise Http404
    if event.duplicate_of_id and event.duplicate_of and event.duplicate_of.status == Event.Status.PUBLISHED:
        return redirect("events:detail", pk=event.duplicate_of_id)
    city = _city()
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "topic": Topic(event.topic).label if event.topic in Topic.values else event.topic,
            "jsonld": script_text(event_jsonld(event, city=city, absolute=_absolute(request))),
            "is_published": event.status == Event.Status.PUBLISHED,
            "access": _access(event),
        },
    )


def _access(event: Event) -> list[tuple[str, bool | None]]:
    venue = event.venue
    if venue is None:
        return []
    return [
        (_("stufenlos erreichbar"), venue.step_free),
        (_("rollstuhlgerechte Toilette"), venue.accessible_toilet),
        (_("Induktionsschleife"), venue.induction_loop),
        (_("Sitzplätze"), venue.seating),
        (_("mit Gebärdensprache"), event.sign_language),
    ]


def _event_form_page(request: HttpRequest, *, event: Event | None) -> HttpResponse:
    user = cast(User, request.user)
    status = 200
    if request.method == "POST":
        form = EventForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if event is None:
                    event = services.event_submit(by=user, data=form.to_data())
                else:
                    event = services.event_update(event=event, by=user, data=form.to_data())
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(
                    request, _("Danke! Die Redaktion prüft Ihre Veranstaltung. Sie bekommen eine Nachricht.")
                )
                return redirect("events:mine")
        else:
            status = 400
    elif event is not None:
        form = EventForm(initial=_initial(event))
    else:
        form = EventForm()
    return render(request, "events/submit.html", {"form": form, "event": event}, status=status)


def _initial(event: Event) -> dict[str, Any]:
    venue = event.venue
    tz = timezone.get_current_timezone()
    return {
        "title": event.title_de,  # type: ignore[attr-defined]
        "description": event.description_de,  # type: ignore[attr-defined]
        "start": timezone.localtime(event.start, tz).replace(tzinfo=None),
        "end": timezone.localtime(event.end, tz).replace(tzinfo=None) if event.end else None,
        "topic": event.topic,
        "venue_name": venue.name if venue else "",
        "address": venue.address if venue else "",
        "lat": venue.lat if venue else None,
        "lon": venue.lon if venue else None,
        "step_free": venue.step_free if venue else None,
        "accessible_toilet": venue.accessible_toilet if venue else None,
        "induction_loop": venue.induction_loop if venue else None,
        "seating": venue.seating if venue else None,
        "sign_language": event.sign_language,
        "organiser_name": event.organiser_name,
        "link": event.link,
        "is_free": event.is_free,
        "price": event.price,
        "image_alt": event.image_alt,
    }


@login_required
@require_http_methods(["GET", "POST"])
@limit("events_submit")
def event_submit(request: HttpRequest) -> HttpResponse:
    return _event_form_page(request, event=None)


@login_required
@require_http_methods(["GET", "POST"])
@limit("events_submit")
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    event = selectors.event_visible(pk, user=user)
    if event is None or (event.submitted_by_id != user.pk and not user.is_platform_staff):
        raise Http404
    if event.source == Event.Source.IMPORTED:
        raise Http404
    return _event_form_page(request, event=event)


@login_required
@require_GET
def my_events(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    page = Paginator(selectors.events_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/mine.html", {"page": page, "events": list(page.object_list), "query": ""})
