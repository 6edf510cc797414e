"""Reading offers: what the public sees, who may manage which provider, and the pages' lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from konzeptk.accounts.models import Membership, User
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer, districts_of
from konzeptk.education.models import Competence, Offer, Provider, Session


def published_offers() -> QuerySet[Offer]:
    """Offers anyone may see (published), with their provider."""
    return Offer.objects.filter(status=Offer.Status.PUBLISHED).select_related("provider", "district")


def public_offer(slug: str) -> Offer | None:
    """A published offer by its slug, with provider, district and competences."""
    return (
        published_offers()
        .prefetch_related(Prefetch("competences", queryset=Competence.objects.order_by("code")))
        .filter(slug=slug)
        .first()
    )


def provider_by_slug(slug: str) -> Provider | None:
    return Provider.objects.select_related("organisation").filter(slug=slug).first()


def provider_offers(provider: Provider) -> QuerySet[Offer]:
    return published_offers().filter(provider=provider).order_by("next_start", "title", "pk")


def upcoming_sessions(offer: Offer, *, now: dt.datetime | None = None) -> QuerySet[Session]:
    """The offer's sessions that have not ended, cancelled ones included (marked on the page)."""
    return Session.objects.filter(offer=offer, end__gte=now or timezone.now()).order_by("start", "pk")


# --- who may manage ------------------------------------------------------------------------------
def is_core_team(user: User) -> bool:
    return bool(
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation__is_core_team=True).exists()
    )


def can_manage_all(user: User) -> bool:
    """Platform staff and members of the Smart City core team manage every provider's offers."""
    return bool(user.is_authenticated and user.is_active and (user.is_platform_staff or is_core_team(user)))


def can_manage_provider(user: User, provider: Provider) -> bool:
    """Members of the provider's organisation, the core team and platform staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_manage_all(user):
        return True
    return Membership.objects.filter(user=user, organisation_id=provider.organisation_id).exists()


def managed_providers(user: User) -> QuerySet[Provider]:
    """The providers ``user`` manages (all for the core team and platform staff)."""
    if not user.is_authenticated or not user.is_active:
        return Provider.objects.none()
    if can_manage_all(user):
        return Provider.objects.all()
    return Provider.objects.filter(
        Exists(Membership.objects.filter(user=user, organisation_id=OuterRef("organisation_id")))
    )


def managed_offers(user: User, *, query: str = "") -> QuerySet[Offer]:
    offers = Offer.objects.filter(provider__in=managed_providers(user)).select_related("provider")
    if query.strip():
        offers = offers.filter(Q(title_de__icontains=query.strip()) | Q(slug__icontains=query.strip()))
    return offers.order_by("provider__name", "title_de", "pk")


# --- districts -----------------------------------------------------------------------------------
def district_choices() -> list[District]:
    """The districts of today's administrative layer of the city profile."""
    profile = active_profile()
    layer = current_layer(profile) if profile is not None else None
    return list(districts_of(layer).order_by("code")) if layer is not None else []


def district_by_code(code: str) -> District | None:
    return next((d for d in district_choices() if d.code == code), None) if code else None


def run_bounds(offer: Offer) -> list[Session]:
    """The first and the last coming session of the offer (the run for JSON-LD), at most two rows."""
    coming = Session.objects.filter(offer=offer, cancelled=False, end__gte=timezone.now())
    first = coming.order_by("start", "pk").first()
    last = coming.order_by("-start", "-pk").first()
    return [s for s in (first, last) if s is not None] if first != last else [first] if first else []


def offer_sessions(offer: Offer) -> QuerySet[Session]:
    """All sessions of an offer (staff), in time order."""
    return Session.objects.filter(offer=offer).order_by("start", "pk")


def session_of(offer: Offer, pk: int) -> Session | None:
    return Session.objects.select_related("offer__provider").filter(offer=offer, pk=pk).first()
