"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (results)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from konzeptk.participation import selectors
from konzeptk.participation.phases import registry
from konzeptk.participation.views.common import _process_or_404

# --- results, netiquette, inbox ---------------------------------------------------------------


def results(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    return render(
        request, "participation/results.html", {"process": process, **selectors.results_of(process)}
    )


def netiquette(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/netiquette.html", {"phase_types": registry.all()})
