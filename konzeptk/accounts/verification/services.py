"""Writes of residency verification: typed, keyword-only, each in one transaction."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from konzeptk.accounts.models import CodeLetter, User, Verification
from konzeptk.accounts.verification.levels import forget_level, may_verify_residents
from konzeptk.city.selectors import active_profile
from konzeptk.core.errors import DomainError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read from paper
CODE_LENGTH = 12
CODE_VALID = dt.timedelta(days=90)
CODE_ATTEMPTS_MAX = 10
#: the HMAC salt of code hashes; kept from the time verification lived in participation, so the
#: codes of letters already sent keep working
_CODE_SALT = "participation.code_letter"


def _denied(message: str, code: str = "denied") -> DomainError:
    """403, or 409 for ``already_*``: the person may not do this now; ``message`` says why."""
    return DomainError(code, message, 409 if code.startswith("already_") else 403)


def code_hash(code: str) -> str:
    return salted_hmac(_CODE_SALT, code, algorithm="sha256").hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:64]


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def resident_declare(*, user: User, postcode: str) -> Verification:
    """Self-declared residence by a postcode of the city (shown as "selbst angegeben")."""
    if not user.is_authenticated:
        raise _denied(_("Bitte melden Sie sich an, um Ihren Wohnort anzugeben."))
    postcode = str(postcode or "").strip()
    profile = active_profile()
    city = profile.name if profile else _("der Stadt")
    if not (len(postcode) == 5 and postcode.isascii() and postcode.isdigit()):
        raise ValidationError({"postcode": _("Bitte geben Sie eine Postleitzahl aus fünf Ziffern an.")})
    allowed = set(profile.postcodes) if profile else set()
    if postcode not in allowed:
        raise ValidationError(
            {
                "postcode": _(
                    "Die Postleitzahl %(postcode)s gehört nicht zu %(city)s. Mitmachen können hier "
                    "Menschen, die in %(city)s wohnen."
                )
                % {"postcode": postcode, "city": city}
            }
        )
    verification, _created = Verification.objects.get_or_create(user=user)
    verification.postcode = postcode
    verification.resident_declared_at = verification.resident_declared_at or timezone.now()
    verification.save()
    forget_level(user)
    return verification


@transaction.atomic
def resident_confirm(*, staff: User, user: User, method: str) -> Verification:
    """Staff confirm a person after a code letter or a visit to a Bürgerbüro."""
    if not may_verify_residents(staff):
        raise _denied(_("Nur Mitarbeiter:innen der Stadt können Einwohner:innen bestätigen."))
    if method not in Verification.Method.values:
        raise ValidationError({"method": _("Bitte wählen Sie, wie die Person bestätigt wurde.")})
    verification, _created = Verification.objects.get_or_create(user=user)
    verification.verified_at = timezone.now()
    verification.method = method
    verification.confirmed_by = staff
    verification.failed_code_attempts = 0
    verification.resident_declared_at = verification.resident_declared_at or verification.verified_at
    verification.save()
    forget_level(user)
    return verification


@transaction.atomic
def code_letter_issue(*, staff: User, user: User) -> tuple[CodeLetter, str]:
    """A new one-time code for ``user`` (earlier unused letters stop working). Returns the letter and
    the code in clear text: it is shown once to print the letter and never stored."""
    if not may_verify_residents(staff):
        raise _denied(_("Nur Mitarbeiter:innen der Stadt können Code-Briefe ausstellen."))
    now = timezone.now()
    CodeLetter.objects.filter(user=user, used_at=None, expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    letter = CodeLetter.objects.create(
        user=user, code_hash=code_hash(code), created_by=staff, created_at=now, expires_at=now + CODE_VALID
    )
    return letter, code


def code_letter_redeem(*, user: User, code: str) -> Verification:
    """Confirm the person with the code from their letter. Wrong codes are counted; after
    CODE_ATTEMPTS_MAX the form locks until staff confirm the person or issue a new letter."""
    if not user.is_authenticated:
        raise _denied(_("Bitte melden Sie sich an, um Ihren Code einzugeben."))
    verification, _created = Verification.objects.get_or_create(user=user)
    if verification.verified_at is not None:
        raise _denied(_("Sie sind bereits als Einwohner:in bestätigt."), code="already_verified")
    if verification.failed_code_attempts >= CODE_ATTEMPTS_MAX:
        raise _denied(
            _(
                "Der Code wurde zu oft falsch eingegeben. Bitte wenden Sie sich an ein Bürgerbüro: "
                "Dort erhalten Sie einen neuen Code-Brief oder werden direkt bestätigt."
            ),
            code="locked",
        )
    wanted = code_hash(normalise_code(code))
    now = timezone.now()
    with transaction.atomic():
        letters = list(
            CodeLetter.objects.select_for_update().filter(user=user, used_at=None, expires_at__gt=now)
        )
        match = next((x for x in letters if hmac.compare_digest(x.code_hash, wanted)), None)
        if match is not None:
            match.used_at = now
            match.save(update_fields=["used_at"])
            verification.verified_at = now
            verification.method = Verification.Method.LETTER
            verification.confirmed_by_id = match.created_by_id
            verification.failed_code_attempts = 0
            verification.resident_declared_at = verification.resident_declared_at or now
            verification.save()
            forget_level(user)
            return verification
    # counted outside the (rolled back) block: the attempt stays counted
    Verification.objects.filter(pk=verification.pk).update(failed_code_attempts=F("failed_code_attempts") + 1)
    if not letters:
        raise ValidationError(
            {
                "code": _(
                    "Für Ihr Konto gibt es keinen gültigen Code-Brief. Codes gelten 90 Tage und nur einmal."
                )
            }
        )
    raise ValidationError(
        {"code": _("Dieser Code stimmt nicht. Bitte prüfen Sie die Zeichen auf Ihrem Brief.")}
    )
