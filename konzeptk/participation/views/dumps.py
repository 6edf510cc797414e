"""The open data of participation: the list of files and one file."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from konzeptk.participation import dumps as open_data


def dumps(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/dumps.html", {"manifest": open_data.manifest_read()})


def dump_file(request: HttpRequest, name: str) -> HttpResponseBase:
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
