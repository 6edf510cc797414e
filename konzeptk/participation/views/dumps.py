"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (dumps)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

# --- open data dumps -------------------------------------------------------------------------


def dumps(request: HttpRequest) -> HttpResponse:
    from konzeptk.participation import dumps as open_data

    manifest = open_data.manifest_read()
    return render(
        request,
        "participation/dumps.html",
        {"manifest": manifest, "min_group": open_data.MIN_GROUP},
    )


def dump_file(request: HttpRequest, name: str) -> HttpResponseBase:
    from django.http import FileResponse

    from konzeptk.participation import dumps as open_data

    if name not in open_data.allowed_names():
        raise Http404(_("Diese Datei gibt es nicht."))
    handle = open_data.dump_open(name)
    if handle is None:
        raise Http404(_("Diese Datei wurde noch nicht erzeugt."))
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/json"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="beteiligung-{name}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
