"""Pages of economy under /innenstadt/geschaefte/: the Schatzkarte (directory and map), one business with
its JSON-LD, claims and owners' edits, the staff's review of claims, the offers, the passer-by figures."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.opening_hours import minutes_label, moment
from konzeptk.economy import footfall, jsonld, selectors, services
from konzeptk.economy.forms import ClaimForm, DecisionForm, DirectoryForm, OwnerForm
from konzeptk.economy.passers_view import passers_context

PAGE_SIZE = 25


def weekday_names() -> list[str]:
    return [
        _("Montag"), _("Dienstag"), _("Mittwoch"), _("Donnerstag"), _("Freitag"), _("Samstag"), _("Sonntag"),
    ]  # fmt: skip


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    categories = selectors.categories()
    form = DirectoryForm(request.GET or None, categories=categories)
    flt = form.filter() if request.GET else selectors.DirectoryFilter()
    when = moment()
    page = Paginator(selectors.directory(flt, when=when), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    businesses = selectors.mark_open(list(page.object_list), when=when)
    return render(
        request,
        "economy/directory.html",
        {
            "form": form if request.GET else DirectoryForm(categories=categories),
            "page": page,
            "businesses": businesses,
            "query": urlencode(query),
            "moment": when,
            "geojson_url": "karte.geojson" + ("?" + urlencode(query) if query else ""),
        },
    )


@require_GET
def map_geojson(request: HttpRequest) -> JsonResponse:
    form = DirectoryForm(request.GET or None, categories=selectors.categories())
    flt = form.filter() if request.GET else selectors.DirectoryFilter()
    features = selectors.map_features(flt)
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )


def _spans(day: selectors.DayHours) -> list[str]:
    return [f"{minutes_label(a)}–{minutes_label(b)}" for a, b in day.spans]


def _hours_rows(
    normal: list[selectors.DayHours], holiday: list[selectors.DayHours]
) -> list[dict[str, object]]:
    names = weekday_names()
    return [
        {"name": names[d.weekday], "spans": _spans(d), "holiday_spans": _spans(h)}
        for d, h in zip(normal, holiday, strict=True)
    ]


@require_GET
def business_detail(request: HttpRequest, slug: str) -> HttpResponse:
    when = moment()
    business = selectors.business_by_slug(slug, when=when)
    if business is None:
        raise Http404
    normal, holiday = selectors.week_table(business)
    user = request.user
    may_edit = user.is_authenticated and user.has_perm("economy.change_own_business", business)
    data = jsonld.local_business(business, base_url=request.build_absolute_uri(request.path))
    return render(
        request,
        "economy/business_detail.html",
        {
            "business": business,
            "moment": when,
            "week": _hours_rows(normal, holiday),
            "holidays_like_week": [d.spans for d in normal] == [d.spans for d in holiday],
            "jsonld": jsonld.script_text(data),
            "may_edit": may_edit,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, slug: str) -> HttpResponse:
    business = selectors.business_by_slug(slug)
    if business is None:
        raise Http404
    user = cast(User, request.user)
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_create(
                business=business,
                user=user,
                role=form.cleaned_data["role"],
                evidence=form.cleaned_data["evidence"],
            )
        except DomainError as exc:
            if exc.code != "already_claimed":
                status = page_error(request, exc, form=form)
            else:  # a second click or tab: the first one's claim is on "Meine Einträge"
                messages.info(request, exc.message)
                return redirect("economy:mine")
        else:
            return redirect("economy:mine")
    elif request.method == "POST":
        status = 400
    return render(request, "economy/claim.html", {"business": business, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def business_edit(request: HttpRequest, slug: str) -> HttpResponse:
    business = selectors.business_by_slug(slug)
    if business is None:
        raise Http404
    user = cast(User, request.user)
    if not user.has_perm("economy.change_own_business", business):
        raise DomainError(
            "not_owner", _("Nur bestätigte Inhaberinnen und Inhaber dürfen diesen Eintrag ändern."), 403
        )
    form = OwnerForm(request.POST or None, instance=business)
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        changes["description"] = changes.pop("description_de")
        try:
            services.business_update_by_owner(business=business, user=user, changes=changes)
        except DomainError as exc:
            status = page_error(request, exc, form=form)
        else:
            return redirect("economy:detail", slug=business.slug)
    elif request.method == "POST":
        status = 400
    return render(request, "economy/business_edit.html", {"business": business, "form": form}, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "economy/mine.html",
        {"owned": selectors.owned_businesses(user), "claims": selectors.claims_of(user)},
    )


@login_required
@require_GET
def claims_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("economy.verify_claims"):
        raise DomainError("forbidden", _("Nur die Verwaltung prüft Ansprüche."), 403)
    page = Paginator(selectors.pending_claims(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "economy/claims_queue.html", {"page": page, "query": ""})


@login_required
@require_http_methods(["GET", "POST"])
def claim_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    if not user.has_perm("economy.verify_claims"):
        raise DomainError("forbidden", _("Nur die Verwaltung prüft Ansprüche."), 403)
    found = selectors.claim_by_pk(pk)
    if found is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_decide(
                claim=found,
                by=user,
                verified=form.cleaned_data["decision"] == "verify",
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            status = page_error(request, exc, form=form)
        else:
            return redirect("economy:claims_queue")
    elif request.method == "POST":
        status = 400
    return render(request, "economy/claim_review.html", {"claim": found, "form": form}, status=status)


@require_GET
def offers(request: HttpRequest) -> HttpResponse:
    return render(request, "economy/offers.html", {"offers": selectors.offers()})


@require_GET
def passers(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = passers_context(request, today=today, counters=footfall.counters())
    return render(request, "economy/passers.html", context, status=context.pop("status", 200))
