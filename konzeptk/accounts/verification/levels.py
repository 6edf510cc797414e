"""How far a person is confirmed (``Level``): the one question other apps ask about residency."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from konzeptk.accounts.models import Level, User, Verification

#: where the level is cached on the user object for the rest of the request
_CACHE_KEY = "_verification_level"


def user_level(user: User | AnonymousUser) -> int:
    """The level a person has reached, -1 for anonymous visitors (cached on the user object).

    Residency counts only with a confirmed e-mail address: an account nobody can reach stays at
    ``ACCOUNT`` whatever it declared."""
    if not isinstance(user, User) or not user.is_authenticated:
        return -1
    if _CACHE_KEY not in user.__dict__:
        level = Level.ACCOUNT
        if EmailAddress.objects.filter(user=user, verified=True).exists():
            level = Level.EMAIL
        verification = Verification.objects.filter(user=user).first()
        if verification is not None and level >= Level.EMAIL:
            if verification.verified_at:
                level = Level.VERIFIED
            elif verification.resident_declared_at:
                level = Level.RESIDENT
        user.__dict__[_CACHE_KEY] = int(level)
    result: int = user.__dict__[_CACHE_KEY]
    return result


def level_label(level: int) -> str:
    """The name of a level (anonymous visitors count as ``ACCOUNT``)."""
    return str(Level(max(level, Level.ACCOUNT)).label)


def forget_level(user: User) -> None:
    """Drop the cached level after a change (the next question reads the database again)."""
    user.__dict__.pop(_CACHE_KEY, None)


def may_verify_residents(user: User | AnonymousUser) -> bool:
    """Staff of the city (Bürgerbüro) confirm residents and issue code letters."""
    return bool(isinstance(user, User) and user.is_authenticated and user.is_platform_staff)
