"""Helpers shared by the modules of this package."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from konzeptk.participation import rules, selectors
from konzeptk.participation.models import (
    Process,
)

SEED_KEY = "participation_seed"


def _process_or_404(request: HttpRequest, slug: str) -> Process:
    process = selectors.process_by_slug(slug)
    if process is None or not (process.is_public or rules.is_editor(request.user, process)):
        raise Http404(_("Diesen Beteiligungsprozess gibt es nicht."))
    return process


def _apply_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(nxt)
    return HttpResponseRedirect(fallback)
