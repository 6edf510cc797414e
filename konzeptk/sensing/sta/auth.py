"""Who writes through the SensorThings API: a bearer token of an organisation, or open-write mode."""

from __future__ import annotations

import base64
import os

from django.http import HttpRequest
from django.utils import timezone

from konzeptk.accounts.models import Organisation
from konzeptk.sensing import writecache
from konzeptk.sensing.errors import StaError
from konzeptk.sensing.models import ApiToken
from konzeptk.sensing.services import Writer

OPEN_WRITE_ENV = "KONZEPTK_STA_OPEN_WRITE"


def open_write_enabled() -> bool:
    return os.environ.get(OPEN_WRITE_ENV, "") in ("1", "true", "yes")


def token_from_header(header: str) -> ApiToken | None:
    """``Bearer <token>``, or ``Basic`` with the token as password (what FROST clients send)."""
    scheme, _, raw = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            raw = base64.b64decode(raw.strip(), validate=True).decode().partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            return None
    elif scheme.lower() != "bearer":
        return None
    if not raw.strip() or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("organisation")
        .filter(token_hash=ApiToken.hash(raw.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def organisation_for(header: str) -> tuple[bool, Organisation | None]:
    """(token valid, its organisation), with valid tokens cached per process (``writecache``): a write does not
    read the token table, and ``last_used_at`` is written when the entry is renewed (at most every
    ``writecache.CACHE_SECONDS``). A revoked token is refused at once by this process and within that time by
    the others."""
    scheme, _, raw = header.partition(" ")
    key = ApiToken.hash(f"{scheme.lower()} {raw.strip()}")
    cached = writecache.token(key)
    if cached is not None:
        return True, cached.organisation
    token = token_from_header(header)
    if token is None:
        return False, None
    writecache.remember_token(key, writecache.TokenInfo(token.pk, token.organisation, token.token_hash))
    return True, token.organisation


def writer_for(request: HttpRequest) -> Writer:
    header = request.headers.get("Authorization", "")
    valid, organisation = organisation_for(header) if header else (False, None)
    if valid:
        return Writer(organisation)
    if open_write_enabled():
        return Writer(None, open_write=True)
    if header:
        raise StaError(401, "Der API-Schlüssel ist ungültig oder widerrufen.")
    raise StaError(401, "Schreiben braucht einen API-Schlüssel: Authorization: Bearer <Schlüssel>.")
