"""Helpers shared by the modules of this package."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, district_for
from konzeptk.core.errors import DomainError
from konzeptk.participation import rules
from konzeptk.participation.models import Comment, Follow, Idea, Process, Topic

#: who asks a service: a person, or nobody signed in (refused where an account is needed)
Actor = AbstractBaseUser | AnonymousUser


def _denied(message: str, code: str = "denied") -> DomainError:
    """The person may not do this now; ``message`` says why in their language (403; 409 for ``already_*``)."""
    return DomainError(code, message, 409 if code.startswith("already_") else 403)


def _person(user: Actor | None, message: str) -> User:
    """The signed-in person behind ``user``, or a refusal with ``message``."""
    if not isinstance(user, User):
        raise _denied(message)
    return user


def _require(
    user: Actor, action: str, target: Process | Idea | Comment, *, now: dt.datetime | None = None
) -> None:
    """Refuse unless ``user`` may do ``action`` on ``target`` at ``now`` (default: this moment)."""
    reason = rules.denial(user, action, target, now=now)
    if reason:
        raise _denied(reason)


def _clean_text(value: object, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: _("Bitte füllen Sie das Feld „%(label)s“ aus.") % {"label": label}})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("„%(label)s“ darf höchstens %(max)d Zeichen lang sein (jetzt: %(len)d).")
                % {"label": label, "max": max_length, "len": len(text)}
            }
        )
    return text


def _resolve_location(lat: float | None, lon: float | None, district: District | None) -> District | None:
    """The district of the point; a point outside the city is refused with a clear message."""
    if lat is None and lon is None:
        return district
    if lat is None or lon is None:
        raise ValidationError({"lat": _("Bitte geben Sie Breiten- und Längengrad zusammen an.")})
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"lat": _("Diese Koordinaten gibt es nicht.")})
    answer = district_for(lat, lon)
    if not answer.inside_city:
        profile = active_profile()
        city = profile.name if profile else _("der Stadt")
        raise ValidationError(
            {
                "lat": _(
                    "Der gewählte Ort liegt außerhalb von %(city)s. Bitte wählen Sie einen Ort im Stadtgebiet "
                    "oder lassen Sie die Ortsangabe weg."
                )
                % {"city": city}
            }
        )
    return answer.district or district


def _clean_topic(topic: str) -> str:
    if topic and topic not in Topic.values:
        raise ValidationError({"topic": _("Bitte wählen Sie ein Handlungsfeld aus der Liste.")})
    return topic


def _autofollow(user: Actor | None, idea: Idea) -> None:
    if isinstance(user, User):
        Follow.objects.get_or_create(user=user, idea=idea)
