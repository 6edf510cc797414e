"""Pages and feeds of warnings: ``/warnungen/`` (current on a map and as a list, then the past ones,
paged), one warning, the city's own alerts as CAP 1.2 (one document, and the index feed) and the Atom
feed of the current warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from konzeptk.city.selectors import active_profile
from konzeptk.core.maps import base_map
from konzeptk.resilience import feeds, selectors
from konzeptk.resilience.models import Severity, Source, Warning

PAGE_SIZE = 20


def _danger(severity: str) -> str:
    """The severity in plain words (the colour of the badge says the same)."""
    words: dict[str, str] = {
        Severity.EXTREME.value: _("Extreme Gefahr"),
        Severity.SEVERE.value: _("Große Gefahr"),
        Severity.MODERATE.value: _("Gefahr"),
        Severity.MINOR.value: _("Geringe Gefahr"),
    }
    return words.get(severity) or _("Gefahr nicht eingestuft")


def _when(warning: Warning) -> str:
    def local(moment: dt.datetime) -> str:
        return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))

    if warning.ended_at:
        return _("aufgehoben am %(time)s") % {"time": local(warning.ended_at)}
    if warning.onset and warning.expires:
        return _("gültig von %(start)s bis %(end)s") % {
            "start": local(warning.onset),
            "end": local(warning.expires),
        }
    if warning.expires:
        return _("gültig bis %(end)s") % {"end": local(warning.expires)}
    return _("herausgegeben am %(time)s") % {"time": local(warning.sent)}


def _labelled(warnings: Iterable[Warning]) -> list[Warning]:
    """The warnings with ``danger`` and ``when`` in words, for the cards."""
    found = list(warnings)
    for warning in found:
        warning.danger = _danger(warning.severity)  # type: ignore[attr-defined]
        warning.when = _when(warning)  # type: ignore[attr-defined]
    return found


def _city() -> str:
    profile = active_profile()
    return profile.name if profile is not None else "Konzept K"


@require_GET
def warning_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    current = _labelled(selectors.current_warnings(at=now)[: selectors.MAX_CURRENT])
    page = Paginator(selectors.past_warnings(at=now), PAGE_SIZE).get_page(request.GET.get("page"))
    base = base_map()
    link_base = reverse("resilience:warnings")  # a warning's page: link_base + pk + "/" (no reverse per card)
    urls = [f"{link_base}{w.pk}/" for w in current]
    pins = (
        selectors.map_pins(
            current,
            bounds=base.bounds,
            center=((base.bounds[1] + base.bounds[3]) / 2, (base.bounds[0] + base.bounds[2]) / 2),
            urls=urls,
        )
        if base is not None
        else []
    )
    return render(
        request,
        "resilience/warnings.html",
        {
            "current": current,
            "page": page,
            "past": _labelled(page.object_list),
            "pins": pins,
            "map_base": base,
            "link_base": link_base,
            "city": _city(),
        },
    )


@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.warning_get(pk)
    if found is None:
        raise Http404(_("Diese Warnung gibt es nicht."))
    (warning,) = _labelled([found])
    return render(
        request,
        "resilience/warnings_detail.html",
        {
            "warning": warning,
            "current": selectors.is_current(warning),
            "districts": list(warning.districts.all()),
            "has_cap": warning.source == Source.OWN,
            "city": _city(),
        },
    )


@require_GET
def warning_cap(request: HttpRequest, pk: int) -> HttpResponse:
    warning = selectors.own_alert_get(pk)
    if warning is None:
        raise Http404(_("Als CAP-Meldung gibt es nur die eigenen Warnungen der Stadt."))
    body = feeds.own_alert_cap(warning, profile=active_profile())
    return HttpResponse(body, content_type=f"{feeds.CAP_TYPE}; charset=utf-8")


@require_GET
def cap_index(request: HttpRequest) -> HttpResponse:
    title = _("Warnungen der Stadt %(city)s (CAP 1.2)") % {"city": _city()}
    body = feeds.cap_index(selectors.own_alerts_for_feed(), title=title)
    return HttpResponse(body, content_type=feeds.ATOM_TYPE)


@require_GET
def atom(request: HttpRequest) -> HttpResponse:
    title = _("Aktuelle Warnungen für %(city)s") % {"city": _city()}
    warnings = list(selectors.current_warnings().defer("geometry")[: selectors.MAX_CURRENT])
    return HttpResponse(feeds.atom_current(warnings, title=title), content_type=feeds.ATOM_TYPE)
