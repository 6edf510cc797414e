"""Writes of the Mängelmelder: every change of a report goes through one of these functions.

The web form, the staff pages, the Open311 API and the demo loader all call the same services,
so a report is checked, stored and announced the same way wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import override

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.selectors import district_for
from konzeptk.core.errors import DomainError
from konzeptk.core.siteurl import absolute_url
from konzeptk.notifications import services as notifications
from konzeptk.servicedesk.models import (
    REPORT_STATUS_KIND,
    ApiKey,
    Category,
    CategoryAttribute,
    Follower,
    Report,
    ReportPhoto,
    ReportUpdate,
)
from konzeptk.servicedesk.photos import PhotoError, clean_photo

MAX_PHOTOS = 3
DUPLICATE_WINDOW = dt.timedelta(hours=1)
MAX_DESCRIPTION = 2000


def _invalid(errors: Sequence[tuple[str, str]]) -> DomainError:
    """The input cannot become a report; ``fields`` lists (field, message) pairs in the user's language."""
    return DomainError("invalid", status=400, fields=errors)


@dataclass(frozen=True)
class CreateResult:
    report: Report
    duplicate: bool


# --- attributes ----------------------------------------------------------------------------


def _attribute_value(attribute: CategoryAttribute, raw: Any) -> tuple[Any, str | None]:
    """(cleaned value, error message or None) for one attribute answer."""
    label = attribute.description
    kind = CategoryAttribute.Datatype
    values = raw if isinstance(raw, list) else [raw]
    values = [str(v).strip() for v in values if v is not None and str(v).strip() != ""]
    if not values:
        if attribute.required:
            return None, _("Die Angabe „%(label)s“ fehlt.") % {"label": label}
        return None, None
    if attribute.datatype == kind.MULTIVALUELIST:
        keys = attribute.value_keys
        wrong = [v for v in values if v not in keys]
        if wrong:
            return None, _("„%(value)s“ ist für „%(label)s“ nicht zulässig.") % {
                "value": wrong[0],
                "label": label,
            }
        return values, None
    value = values[0]
    if attribute.datatype == kind.NUMBER:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            return None, _("„%(label)s“ muss eine Zahl sein.") % {"label": label}
        return (int(number) if number.is_integer() else number), None
    if attribute.datatype == kind.DATETIME:
        parsed = parse_datetime(value)
        if parsed is None:
            return None, _("„%(label)s“ muss ein Datum mit Uhrzeit sein (z. B. 2025-05-01T14:30).") % {
                "label": label
            }
        return parsed.isoformat(), None
    if attribute.datatype == kind.SINGLEVALUELIST:
        if value not in attribute.value_keys:
            return None, _("„%(value)s“ ist für „%(label)s“ nicht zulässig.") % {
                "value": value,
                "label": label,
            }
        return value, None
    limit = 2000 if attribute.datatype == kind.TEXT else 200
    if len(value) > limit:
        return None, _("„%(label)s“ ist zu lang (höchstens %(limit)d Zeichen).") % {
            "label": label,
            "limit": limit,
        }
    return value, None


def attributes_clean(
    *, category: Category, raw: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Check the answers to a category's attributes; unknown codes are ignored."""
    cleaned: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for attribute in category.attributes.filter(variable=True):
        value, error = _attribute_value(attribute, raw.get(attribute.code))
        if error:
            errors.append((f"attribute_{attribute.code}", error))
        elif value is not None:
            cleaned[attribute.code] = value
    return cleaned, errors


# --- creating reports ----------------------------------------------------------------------


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def report_fingerprint(*, category_id: int, description: str, lat: float, lon: float, email: str) -> str:
    """Same category, text, place (about 10 m) and e-mail: the same report sent twice."""
    raw = f"{category_id}|{_normalise(description)}|{lat:.4f}|{lon:.4f}|{email.strip().casefold()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def report_create(
    *,
    category: Category | None,
    description: str,
    lat: float | None,
    lon: float | None,
    address: str = "",
    email: str = "",
    attributes: dict[str, Any] | None = None,
    photos: Iterable[Any] = (),
    source: str = Report.Source.WEB,
    api_key: ApiKey | None = None,
    location_precise: bool = True,
    email_verified: bool = False,
    now: dt.datetime | None = None,
) -> CreateResult:
    """Check everything first, then store the report and its photos in one transaction.

    The same report sent twice within an hour (same category, text, place and e-mail) is
    recognised: the first one is returned with ``duplicate=True`` and nothing new is stored.

    Anyone can type any address, so ``email`` gets status mails only once confirmed: the report is
    stored and the address gets one confirmation mail (the follow link of following.py). Only with
    ``email_verified`` (a verified address of the signed-in reporter) is it confirmed at once.
    """
    errors: list[tuple[str, str]] = []
    now = now or timezone.now()
    if category is None or not category.active:
        errors.append(("category", _("Bitte wählen Sie eine Kategorie.")))
    description = (description or "").strip()
    if not description:
        errors.append(("description", _("Bitte beschreiben Sie das Problem.")))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(
            (
                "description",
                _("Die Beschreibung ist zu lang (höchstens %(n)d Zeichen).") % {"n": MAX_DESCRIPTION},
            )
        )
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(("email", _("Die E-Mail-Adresse ist ungültig.")))
    address = (address or "").strip()[:200]
    answer = None
    if lat is None or lon is None:
        errors.append(("location", _("Bitte geben Sie den Ort an.")))
    elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors.append(("location", _("Die Koordinaten sind ungültig.")))
    else:
        answer = district_for(lat, lon, on=now.date())
        if not answer.inside_city:
            errors.append(
                (
                    "location",
                    _(
                        "Der Ort liegt außerhalb des Stadtgebiets. Wir können nur Meldungen aus der Stadt bearbeiten."
                    ),
                )
            )
    cleaned_attributes: dict[str, Any] = {}
    if category is not None:
        cleaned_attributes, attribute_errors = attributes_clean(category=category, raw=attributes or {})
        errors.extend(attribute_errors)
    photo_list = [p for p in photos if p]
    if len(photo_list) > MAX_PHOTOS:
        errors.append(("photos", _("Bitte höchstens %(n)d Fotos anhängen.") % {"n": MAX_PHOTOS}))
    cleaned_photos = []
    if len(photo_list) <= MAX_PHOTOS:
        for upload in photo_list:
            try:
                cleaned_photos.append(clean_photo(upload))
            except PhotoError as exc:
                errors.append(("photos", str(exc)))
    if errors:
        raise _invalid(errors)
    assert category is not None
    assert lat is not None
    assert lon is not None
    assert answer is not None

    fingerprint = report_fingerprint(
        category_id=category.pk, description=description, lat=lat, lon=lon, email=email
    )
    with transaction.atomic():
        existing = (
            Report.objects.filter(fingerprint=fingerprint, requested_at__gte=now - DUPLICATE_WINDOW)
            .order_by("requested_at")
            .first()
        )
        if existing is not None:
            return CreateResult(report=existing, duplicate=True)
        report = Report.objects.create(
            category=category,
            description=description,
            lat=lat,
            lon=lon,
            location_precise=location_precise,
            address=address,
            district=answer.district,
            email=email,
            email_confirmed_at=now if email and email_verified else None,
            attributes=cleaned_attributes,
            organisation=category.responsible_organisation(),
            requested_at=now,
            updated_at=now,
            fingerprint=fingerprint,
            source=source,
            api_key=api_key,
        )
        for content in cleaned_photos:
            ReportPhoto.objects.create(report=report, image=content)
        if email and not email_verified:
            from konzeptk.servicedesk.following import follower_add

            follower_add(report=report, email=email)  # one confirmation mail, after the commit
    return CreateResult(report=report, duplicate=False)


# --- support and follow: konzeptk/servicedesk/following.py (confirmation, once per person) ----------


# --- staff workflow ------------------------------------------------------------------------


def _touch(report: Report, now: dt.datetime, *fields: str) -> None:
    report.updated_at = now
    report.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def report_publish(
    *, report: Report, by: User | None, description: str | None = None, photo_ids: Iterable[int] = ()
) -> Report:
    """Staff checked text and photos: the (possibly redacted) text and chosen photos become public."""
    now = timezone.now()
    keep = set(photo_ids)
    fields = ["published", "published_at", "hidden"]
    if description is not None and description.strip() and description.strip() != report.description:
        report.description = description.strip()[:MAX_DESCRIPTION]
        fields.append("description")
        ReportUpdate.objects.create(
            report=report,
            kind=ReportUpdate.Kind.INTERNAL,
            author=by,
            text=_("Beschreibung vor der Veröffentlichung angepasst."),
            created_at=now,
        )
    for photo in report.photos.all():
        wanted = photo.pk in keep
        if photo.published != wanted:
            photo.published = wanted
            photo.save(update_fields=["published"])
    report.published = True
    report.hidden = False
    report.published_at = report.published_at or now
    _touch(report, now, *fields)
    return report


@transaction.atomic
def report_hide(*, report: Report, by: User, reason: str) -> Report:
    now = timezone.now()
    report.hidden = True
    _touch(report, now, "hidden")
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.INTERNAL,
        author=by,
        text=_("Meldung verborgen: %(reason)s") % {"reason": reason or "–"},
        created_at=now,
    )
    return report


@transaction.atomic
def report_assign(*, report: Report, by: User, assignee: User | None) -> Report:
    now = timezone.now()
    report.assignee = assignee
    _touch(report, now, "assignee")
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.INTERNAL,
        author=by,
        text=(_("Zugewiesen an %(name)s.") % {"name": assignee.public_name})
        if assignee
        else _("Zuweisung aufgehoben."),
        created_at=now,
    )
    return report


def report_set_status(
    *,
    report: Report,
    by: User | None,
    status: str,
    close_reason: str = "",
    note: str = "",
    now: dt.datetime | None = None,
    notify: bool = True,
) -> ReportUpdate:
    """Change the status (with a close reason when closing) and tell reporter and followers."""
    if status not in Report.Status.values:
        raise _invalid([("status", _("Unbekannter Status."))])
    if status == Report.Status.CLOSED and close_reason not in Report.CloseReason.values:
        raise _invalid([("close_reason", _("Bitte geben Sie an, warum die Meldung abgeschlossen wird."))])
    if status != Report.Status.CLOSED:
        close_reason = ""
    now = now or timezone.now()
    with transaction.atomic():
        previous = report.status
        report.status = status
        report.close_reason = close_reason
        report.closed_at = now if status == Report.Status.CLOSED else None
        if note.strip():
            report.status_notes = note.strip()[:500]
        elif close_reason:
            report.status_notes = str(Report.CloseReason(close_reason).label)
        _touch(report, now, "status", "close_reason", "closed_at", "status_notes")
        update = ReportUpdate.objects.create(
            report=report,
            kind=ReportUpdate.Kind.PUBLIC,
            author=by,
            organisation=report.organisation,
            text=note.strip(),
            status_from=previous,
            status_to=status,
            close_reason=close_reason,
            created_at=now,
        )
        if notify and previous != status:
            notify_status_change(report=report, update=update)  # queued with the change, sent by the job
    return update


@transaction.atomic
def report_add_note(*, report: Report, by: User, text: str, kind: str) -> ReportUpdate:
    text = text.strip()
    if not text:
        raise _invalid([("text", _("Bitte schreiben Sie einen Text."))])
    if kind not in ReportUpdate.Kind.values:
        raise _invalid([("kind", _("Unbekannte Art der Notiz."))])
    now = timezone.now()
    if kind == ReportUpdate.Kind.PUBLIC:
        report.status_notes = text[:500]
        _touch(report, now, "status_notes")
    else:
        _touch(report, now)
    return ReportUpdate.objects.create(
        report=report,
        kind=kind,
        author=by,
        organisation=report.organisation,
        text=text[:4000],
        created_at=now,
    )


@transaction.atomic
def report_forward(*, report: Report, by: User, organisation: Organisation, note: str = "") -> Report:
    """Hand the report to another organisation; the public sees who works on it now."""
    if organisation.pk == report.organisation_id:
        raise _invalid([("organisation", _("Die Meldung liegt bereits bei dieser Organisation."))])
    now = timezone.now()
    previous = report.organisation
    report.organisation = organisation
    report.assignee = None
    _touch(report, now, "organisation", "assignee")
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.PUBLIC,
        author=by,
        organisation=organisation,
        text=_("Weitergeleitet an %(org)s.") % {"org": organisation},
        created_at=now,
    )
    if note.strip():
        ReportUpdate.objects.create(
            report=report,
            kind=ReportUpdate.Kind.INTERNAL,
            author=by,
            organisation=previous,
            text=note.strip()[:4000],
            created_at=now,
        )
    return report


@transaction.atomic
def report_merge(*, report: Report, into: Report, by: User) -> Report:
    """``report`` is a duplicate of ``into``: close it, move followers and supports over."""
    if report.pk == into.pk:
        raise DomainError(
            "not_allowed", _("Eine Meldung kann nicht mit sich selbst zusammengeführt werden."), 409
        )
    if into.merged_into_id == report.pk or into.merged_into_id:
        raise DomainError("not_allowed", _("Die Ziel-Meldung ist selbst schon zusammengeführt."), 409)
    report.merged_into = into
    report.save(update_fields=["merged_into"])
    Report.objects.filter(pk=into.pk).update(supporters=F("supporters") + report.supporters + 1)
    emails = {f.email.casefold() for f in into.followers.all()}
    for follower in report.followers.all():
        if follower.email.casefold() not in emails:
            emails.add(follower.email.casefold())
            # a follow moves over as it is: confirmed or still waiting for its confirmation
            Follower.objects.create(
                report=into,
                email=follower.email,
                confirmed_at=follower.confirmed_at,
                confirmation_sent_at=follower.confirmation_sent_at,
            )
    if (
        report.email
        and report.email_confirmed_at is not None
        and report.email.casefold() not in emails
        and report.email.casefold() != into.email.casefold()
    ):
        # the reporter already gets status mails of their own report: the follow continues them
        Follower.objects.create(report=into, email=report.email, confirmed_at=timezone.now())
    report_set_status(
        report=report,
        by=by,
        status=Report.Status.CLOSED,
        close_reason=Report.CloseReason.DUPLICATE,
        note=_("Diese Meldung wird unter %(id)s weiter bearbeitet.") % {"id": into.service_request_id},
    )
    return report


# --- e-mail --------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return absolute_url(path)


def _own_follow(report: Report, email: str) -> Follower:
    """The reporter's confirmed address as a follow, for the unsubscribe link of their mails (a
    reporter with a verified address has none yet)."""
    follower = report.followers.filter(email__iexact=email).first()
    return follower or Follower.objects.create(report=report, email=email, confirmed_at=timezone.now())


def notify_status_change(*, report: Report, update: ReportUpdate) -> int:
    """One e-mail per recipient (no one sees another's address), through the notifications room:
    queued in the caller's transaction, sent by the job after the commit. Returns how many."""
    with override(settings.LANGUAGE_CODE):
        status = Report.Status(update.status_to).label
        subject = _("Ihre Meldung %(id)s: %(status)s") % {"id": report.service_request_id, "status": status}
        lines = [
            _("Der Status der Meldung %(id)s (%(category)s) ist jetzt: %(status)s.")
            % {"id": report.service_request_id, "category": report.category, "status": status},
        ]
        if update.close_reason:
            lines.append(_("Grund: %(reason)s.") % {"reason": Report.CloseReason(update.close_reason).label})
        if update.text:
            lines.append("")
            lines.append(update.text)
        addresses: list[notifications.Address] = []
        reporter = report.email if report.email_confirmed_at is not None else ""  # only once confirmed
        if reporter:
            link = _absolute(reverse("servicedesk:follow", kwargs={"token": report.token}))
            stop = _absolute(
                reverse("servicedesk:unfollow", kwargs={"token": _own_follow(report, reporter).token})
            )
            body = [*lines, "", _("Zur Meldung: %(link)s") % {"link": link}]
            addresses.append(
                notifications.Address(email=reporter, body="\n".join(body), unsubscribe_url=stop)
            )
        for follower in report.followers.confirmed():  # only who confirmed the follow link
            if reporter and follower.email.casefold() == reporter.casefold():
                continue
            link = _absolute(reverse("servicedesk:detail", kwargs={"public_id": report.service_request_id}))
            stop = _absolute(reverse("servicedesk:unfollow", kwargs={"token": follower.token}))
            body = [
                *lines,
                "",
                _("Zur Meldung: %(link)s") % {"link": link},
                _("Keine E-Mails mehr zu dieser Meldung: %(link)s") % {"link": stop},
            ]
            addresses.append(
                notifications.Address(email=follower.email, body="\n".join(body), unsubscribe_url=stop)
            )
        return notifications.notify(
            kind=REPORT_STATUS_KIND, subject=subject, body="\n".join(lines), addresses=addresses
        )


# --- API keys ------------------------------------------------------------------------------


def api_key_create(*, name: str) -> tuple[ApiKey, str]:
    """A new key for a client application. The raw key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise _invalid([("name", _("Bitte geben Sie den Namen der Anwendung an."))])
    key = ApiKey(name=name[:120])
    raw = api_key_fill(key=key)
    key.save()
    return key, raw


def api_key_fill(*, key: ApiKey) -> str:
    """Give an unsaved key a fresh secret; returns the raw key (only its hash is kept)."""
    raw = "k311_" + secrets.token_urlsafe(32)
    key.prefix = raw[5:13]
    key.key_hash = ApiKey.hash_key(raw)
    return raw


def api_key_check(*, raw: str) -> ApiKey | None:
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=ApiKey.hash_key(raw.strip()), active=True).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
