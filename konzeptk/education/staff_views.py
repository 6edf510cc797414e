"""The providers' staff area ``/bildung/verwaltung/``: members of a provider's organisation manage
their own offers and sessions; the Smart City core team and platform staff manage all of them."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.education import selectors, services
from konzeptk.education.forms import OfferForm, offer_initial
from konzeptk.education.models import Offer

PAGE_SIZE = 25
SESSIONS_PAGE_SIZE = 25


def _providers(user: User) -> list[tuple[str, str]]:
    choices = [(str(p.pk), p.name) for p in selectors.managed_providers(user).order_by("name")]
    if not choices:
        raise DomainError(
            "not_allowed",
            _("Diese Seiten sind für Bildungsanbieter. Ihr Konto gehört zu keinem Anbieter."),
            403,
        )
    return choices


def _managed_offer(user: User, slug: str) -> Offer:
    offer = selectors.managed_offers(user).filter(slug=slug).first()
    if offer is None:
        raise Http404
    return offer


def _show_warnings(request: HttpRequest, warnings: list[str]) -> None:
    for text in warnings:
        messages.warning(request, text)


@login_required
@require_GET
def staff_offers(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    _providers(user)
    query = request.GET.get("q", "")[:100]
    page = Paginator(selectors.managed_offers(user, query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "education/staff_offers.html",
        {"page": page, "offers": list(page.object_list), "q": query, "query": f"q={query}" if query else ""},
    )


def _save(request: HttpRequest, form: OfferForm, offer: Offer | None) -> HttpResponse | None:
    """Save a valid form; the redirect on success, None when the service refused (errors in the form)."""
    user = cast(User, request.user)
    provider = selectors.managed_providers(user).filter(pk=form.cleaned_data["provider"]).first()
    if provider is None:
        form.add_error("provider", _("Bitte wählen Sie einen Anbieter aus der Liste."))
        return None
    if offer is not None and offer.provider_id != provider.pk:
        form.add_error("provider", _("Der Anbieter eines Angebots lässt sich nicht ändern."))
        return None
    try:
        result = services.offer_save(
            provider=provider, data=form.to_data(), offer=offer, actor=user, translations=form.translations()
        )
    except DomainError as error:
        page_error(request, error, form=form)
        return None
    messages.success(request, _("Das Angebot ist gespeichert."))
    _show_warnings(request, result.warnings)
    return redirect("education:staff_offer_edit", slug=result.offer.slug)


@login_required
@require_http_methods(["GET", "POST"])
def staff_offer_create(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    providers = _providers(user)
    initial = {"provider": providers[0][0], "status": Offer.Status.DRAFT, "languages": ["de"]}
    form = OfferForm(request.POST or None, providers=providers, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, None)
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return render(request, "education/staff_offer_form.html", {"form": form, "offer": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_offer_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = cast(User, request.user)
    offer = _managed_offer(user, slug)
    providers = _providers(user)
    form = OfferForm(request.POST or None, providers=providers, initial=offer_initial(offer))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, offer)
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return render(request, "education/staff_offer_form.html", {"form": form, "offer": offer}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_sessions(request: HttpRequest, slug: str) -> HttpResponse:
    user = cast(User, request.user)
    offer = _managed_offer(user, slug)
    if request.method == "POST":
        return _session_change(request, offer)
    page = Paginator(selectors.offer_sessions(offer), SESSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "education/staff_sessions.html",
        {"offer": offer, "page": page, "sessions": list(page.object_list), "query": ""},
    )


def _session_change(request: HttpRequest, offer: Offer) -> HttpResponse:
    user = cast(User, request.user)
    raw = request.POST.get("session", "")
    session = selectors.session_of(offer, int(raw)) if raw.isdigit() and len(raw) < 18 else None
    if session is None:
        raise Http404
    cancel = request.POST.get("action") != "restore"
    try:
        services.session_cancel(session=session, actor=user, cancelled=cancel)
    except DomainError as error:
        page_error(request, error)
    else:
        messages.success(
            request, _("Der Termin fällt aus.") if cancel else _("Der Termin findet wieder statt.")
        )
    page = request.POST.get("page", "")
    target = redirect("education:staff_sessions", slug=offer.slug)
    if page.isdigit() and len(page) < 6:
        target["Location"] += f"?page={page}"
    return target
