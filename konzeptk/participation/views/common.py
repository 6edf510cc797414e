"""Helpers shared by the pages of this package: the process of a URL, the signed-in person, refusals."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.participation import rules, selectors
from konzeptk.participation.models import Process

SEED_KEY = "participation_seed"


def _process_or_404(request: HttpRequest, slug: str) -> Process:
    process = selectors.process_by_slug(slug)
    if process is None or not (process.is_public or rules.is_editor(request.user, process)):
        raise Http404(_("Diesen Beteiligungsprozess gibt es nicht."))
    return process


def signed_in(request: HttpRequest) -> User:
    """The person of a page behind ``login_required``."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    return user


def as_domain_error(exc: DomainError | ValidationError) -> DomainError:
    """A service's refusal as the platform's one error: Django's ValidationError (invalid input,
    keyed by field) becomes a DomainError with status 400 naming the same fields."""
    if isinstance(exc, DomainError):
        return exc
    if hasattr(exc, "error_dict"):
        fields = [(name, str(text)) for name, texts in exc.message_dict.items() for text in texts]
    else:
        fields = [("", str(text)) for text in exc.messages]
    return DomainError("invalid", status=400, fields=fields)


def refused(
    request: HttpRequest, exc: DomainError | ValidationError, *, form: forms.Form | None = None
) -> int:
    """Show a service's refusal on the page (``core.errors.page_error``): as the form's errors where
    the page has a form, otherwise as messages. Returns the status the page answers with."""
    return page_error(request, as_domain_error(exc), form=form)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(nxt)
    return HttpResponseRedirect(fallback)


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """The errors of ``exc`` on ``form`` (kept for the pages of surveys and verification while they
    move; new code calls :func:`refused`)."""
    for field, text in as_domain_error(exc).errors:
        form.add_error(field if field in form.fields else None, text)
