"""The index page of a machine interface (``/api/v1/``, ``/georeport/v2/``): what it is and where its
documentation lies, as HTML for people and as JSON for programs.

The JSON answer comes when the request asks for it (``?format=json`` or an ``Accept`` header that
prefers ``application/json``); a browser gets the page. Links carry the relations of RFC 8631
(``service-desc`` for a machine-readable description such as OpenAPI, ``service-doc`` for documentation
people read) and are sent as ``Link`` header as well, so a client finds the description from any answer
of the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

__all__ = ["ApiLink", "api_index_response", "wants_json"]

JSON = "application/json"
HTML = "text/html"


@dataclass(frozen=True)
class ApiLink:
    """One link of an index: ``rel`` as in RFC 8631/8288, ``href`` relative or absolute."""

    rel: str
    href: str
    title: str
    media_type: str = ""


def wants_json(request: HttpRequest) -> bool:
    """``?format=json``, or an ``Accept`` header that prefers JSON to HTML (``*/*`` gets the page)."""
    fmt = request.GET.get("format", "").lower()
    if fmt in ("json", "html"):
        return fmt == "json"
    if "accept" not in request.headers:
        return False
    return request.get_preferred_type([HTML, JSON]) == JSON


def api_index_response(
    request: HttpRequest,
    *,
    name: str,
    description: str,
    links: Sequence[ApiLink],
    sections: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """The index of one interface: ``links`` to its description and documentation, ``sections`` as
    (path, what it holds) of its parts."""
    absolute = [(link, request.build_absolute_uri(link.href)) for link in links]
    if wants_json(request):
        data = {
            "name": name,
            "description": description,
            "links": [
                {
                    "rel": link.rel,
                    "href": href,
                    "title": link.title,
                    **({"type": link.media_type} if link.media_type else {}),
                }
                for link, href in absolute
            ],
            "sections": [
                {"path": request.build_absolute_uri(path), "title": title} for path, title in sections
            ],
        }
        response: HttpResponse = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(
            request,
            "core/api_index.html",
            {"name": name, "description": description, "links": links, "sections": sections},
        )
    response["Link"] = ", ".join(
        f'<{href}>; rel="{link.rel}"' + (f'; type="{link.media_type}"' if link.media_type else "")
        for link, href in absolute
    )
    response["Vary"] = "Accept"
    return response
