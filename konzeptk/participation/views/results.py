"""Public pages of results: what became of the ideas, the netiquette with the kinds of phases."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from konzeptk.participation import selectors
from konzeptk.participation.phases import registry
from konzeptk.participation.views.common import _process_or_404


def results(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    status = request.GET.get("status", "")
    answer = selectors.results_of(process, status=status, page=request.GET.get("page"))
    query = QueryDict(mutable=True)
    if answer["current_status"]:
        query["status"] = answer["current_status"]
    return render(
        request, "participation/results.html", {"process": process, "query": query.urlencode(), **answer}
    )


def netiquette(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/netiquette.html", {"phase_types": registry.all()})
