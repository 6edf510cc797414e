"""Reads of residency verification, bounded and with their relations loaded."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils import timezone

from konzeptk.accounts.models import CodeLetter, Level, User, Verification
from konzeptk.accounts.verification.levels import level_label, user_level

RECENT_PAGE_SIZE = 20


@dataclass(frozen=True)
class LevelStep:
    value: int
    label: str
    reached: bool


@dataclass(frozen=True)
class PersonState:
    """What the Bürgerbüro sees of a person it looked up."""

    person: User
    record: Verification | None
    level: str
    open_letters: int


def verification_of(user: User) -> Verification | None:
    return Verification.objects.filter(user=user).select_related("confirmed_by").first()


def is_verified(user: User) -> bool:
    return Verification.objects.filter(user=user, verified_at__isnull=False).exists()


def level_steps(level: int) -> list[LevelStep]:
    """The levels above a bare account, each marked as reached or not."""
    return [
        LevelStep(value=value, label=str(label), reached=level >= value)
        for value, label in Level.choices
        if value > Level.ACCOUNT
    ]


def person_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def person_by_pk(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def person_state(person: User) -> PersonState:
    """The person's record, level and the code letters still valid (three queries)."""
    return PersonState(
        person=person,
        record=Verification.objects.filter(user=person).first(),
        level=level_label(user_level(person)),
        open_letters=CodeLetter.objects.filter(
            user=person, used_at=None, expires_at__gt=timezone.now()
        ).count(),
    )


def recent_confirmations(number: str | int | None) -> Page[Verification]:
    """Confirmed residents, newest first, one page (the index ``verification_recent`` serves it)."""
    qs = (
        Verification.objects.filter(verified_at__isnull=False)
        .select_related("user", "confirmed_by")
        .order_by("-verified_at", "-pk")
    )
    return Paginator(qs, RECENT_PAGE_SIZE).get_page(number)
