"""``/georeport/v2/``: the index of the Open311 interface (HTML for people, JSON for programs) with the
links to the specification, the discovery document and the lists; every other path keeps the error list
of the specification."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from konzeptk.core.api_index import ApiLink, api_index_response
from konzeptk.servicedesk.open311 import SPEC_URL


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    def url(name: str, fmt: str = "json") -> str:
        return reverse(f"open311:{name}", kwargs={"format": fmt})

    return api_index_response(
        request,
        name=_("Mängelmelder: Open311 GeoReport v2"),
        description=_(
            "Standard-Schnittstelle des Mängelmelders nach Open311 GeoReport v2: Kategorien lesen, "
            "veröffentlichte Meldungen abrufen und mit einem API-Schlüssel neue Meldungen einreichen. "
            "Jede Adresse gibt es als .json und als .xml."
        ),
        links=[
            ApiLink("service-doc", SPEC_URL, _("Spezifikation Open311 GeoReport v2"), "text/html"),
            ApiLink("service-desc", url("discovery"), _("Discovery-Dokument (JSON)"), "application/json"),
            ApiLink("alternate", url("discovery", "xml"), _("Discovery-Dokument (XML)"), "text/xml"),
        ],
        sections=[
            (url("services"), _("Kategorien (Services)")),
            (url("requests"), _("veröffentlichte Meldungen der letzten 90 Tage (POST: neue Meldung)")),
        ],
    )
