"""Writing services of the interim-use programme: typed, keyword-only, each in one transaction.

The workflow of a call: ``draft`` → ``open`` (applications) → ``jury`` (scoring) → ``decided``.
Refusals are :class:`~konzeptk.core.errors.DomainError` (403 for a forbidden act, 409 for a
repeated one, 400 for bad input) with the fields they are about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.city.models import District
from konzeptk.core.errors import DomainError
from konzeptk.innercity.models import Unit
from konzeptk.innercity.services import unit_set_status
from konzeptk.interimuse.models import Application, Call, Conflict, Contract, Criterion, Juror, Report, Score
from konzeptk.interimuse.split import SplitError, rent_split
from konzeptk.notifications.services import notify

STATUS_KIND = "interimuse_status"

# The only steps a call takes, in this order.
TRANSITIONS = {
    Call.Status.DRAFT: Call.Status.OPEN,
    Call.Status.OPEN: Call.Status.JURY,
    Call.Status.JURY: Call.Status.DECIDED,
}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month if needed)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _check_shares(owner: Decimal, funding: Decimal, tenant: Decimal) -> None:
    if min(owner, funding, tenant) < 0 or owner + funding + tenant != 100:
        message = _("Die drei Anteile müssen zusammen genau 100 % ergeben.")
        raise DomainError("shares_not_100", message, fields=[("tenant_share", message)])


@transaction.atomic
def call_create(
    *,
    slug: str,
    title: str,
    text: str,
    opens_on: dt.date,
    closes_on: dt.date,
    owner_share: Decimal,
    funding_share: Decimal,
    tenant_share: Decimal,
    term_months: int = 12,
    report_every_months: int = 3,
    units: Iterable[Unit] = (),
    source: str = "",
) -> Call:
    """A new call in draft; the shares are percent of the monthly rent and must add up to 100."""
    _check_shares(owner_share, funding_share, tenant_share)
    if closes_on < opens_on:
        message = _("Das Ende der Bewerbungsfrist liegt vor ihrem Beginn.")
        raise DomainError("period_reversed", message, fields=[("closes_on", message)])
    if Call.objects.filter(slug=slug).exists():
        message = _("Diese Kennung ist schon vergeben.")
        raise DomainError("slug_taken", message, 409, fields=[("slug", message)])
    call = Call.objects.create(
        slug=slug,
        title_de=title,
        text_de=text,
        opens_on=opens_on,
        closes_on=closes_on,
        owner_share=owner_share,
        funding_share=funding_share,
        tenant_share=tenant_share,
        term_months=term_months,
        report_every_months=report_every_months,
        source=source,
    )
    call.units.set(list(units))
    return call


@transaction.atomic
def criterion_add(
    *, call: Call, title: str, description: str = "", weight: int = 1, max_points: int = 10
) -> Criterion:
    """Add a published criterion; only while the call is a draft (criteria are fixed once open)."""
    if call.status != Call.Status.DRAFT:
        raise DomainError("call_not_draft", _("Kriterien lassen sich nur im Entwurf ändern."), 409)
    if call.criteria.filter(title_de=title).exists():
        message = _("Dieses Kriterium gibt es schon.")
        raise DomainError("criterion_exists", message, 409, fields=[("title", message)])
    position = call.criteria.count()
    return Criterion.objects.create(
        call=call,
        title_de=title,
        description_de=description,
        weight=weight,
        max_points=max_points,
        position=position,
    )


@transaction.atomic
def call_advance(*, call: Call, to: str) -> Call:
    """Move the call one step on; opening needs at least one criterion."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if TRANSITIONS.get(Call.Status(call.status)) != to:
        raise DomainError("invalid_transition", _("Dieser Schritt ist im jetzigen Stand nicht möglich."), 409)
    if to == Call.Status.OPEN and not call.criteria.exists():
        raise DomainError("no_criteria", _("Veröffentlichen Sie zuerst die Kriterien der Bewertung."), 409)
    call.status = to
    call.save(update_fields=["status"])
    return call


@transaction.atomic
def juror_add(*, call: Call, user: User) -> Juror:
    juror, _created = Juror.objects.get_or_create(call=call, user=user)
    return juror


def _check_open(call: Call, today: dt.date) -> None:
    if call.status != Call.Status.OPEN or not call.opens_on <= today <= call.closes_on:
        raise DomainError("call_closed", _("Für diesen Aufruf kann man sich gerade nicht bewerben."), 403)


@transaction.atomic
def application_submit(
    *,
    call: Call,
    applicant: User,
    kind: str,
    title: str,
    concept: str,
    use: str,
    unit: Unit | None = None,
    area_min: int | None = None,
    area_max: int | None = None,
    districts: Iterable[District] = (),
    budget: Decimal | None = None,
    needs_step_free: bool = False,
    simulated: bool = False,
    today: dt.date | None = None,
) -> Application:
    """Apply to an open call, for one of its units or in general; a concept is required."""
    call = Call.objects.get(pk=call.pk)  # the current state, not the caller's copy
    _check_open(call, today or timezone.localdate())
    if not concept.strip():
        message = _("Bitte beschreiben Sie Ihr Konzept.")
        raise DomainError("concept_missing", message, fields=[("concept", message)])
    if area_min is not None and area_max is not None and area_max < area_min:
        message = _("Die größte Fläche ist kleiner als die kleinste.")
        raise DomainError("area_reversed", message, fields=[("area_max", message)])
    if unit is not None and call.units.exists() and not call.units.filter(pk=unit.pk).exists():
        message = _("Dieses Ladenlokal gehört nicht zu diesem Aufruf.")
        raise DomainError("unit_not_in_call", message, fields=[("unit", message)])
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                applicant=applicant,
                unit=unit,
                kind=kind,
                title=title.strip(),
                concept=concept.strip(),
                use=use,
                area_min=area_min,
                area_max=area_max,
                budget=budget,
                needs_step_free=needs_step_free,
                simulated=simulated,
            )
    except IntegrityError as exc:
        raise DomainError(
            "already_applied", _("Sie haben sich für diesen Aufruf schon beworben."), 409
        ) from exc
    application.districts.set(list(districts))
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    if application.applicant_id != by.pk:
        raise DomainError("not_yours", _("Das ist nicht Ihre Bewerbung."), 403)
    if application.status != Application.Status.SUBMITTED:
        raise DomainError("already_decided", _("Über diese Bewerbung ist schon entschieden."), 409)
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return application


def _juror_of(call: Call, user: User) -> Juror:
    juror = Juror.objects.filter(call=call, user=user).first()
    if juror is None:
        raise DomainError("not_juror", _("Sie gehören nicht zur Jury dieses Aufrufs."), 403)
    return juror


@transaction.atomic
def conflict_declare(*, application: Application, user: User, reason: str) -> Conflict:
    """Declare a conflict of interest: the juror's scores of this application are removed and the
    juror cannot score it any more."""
    juror = _juror_of(application.call, user)
    if not reason.strip():
        message = _("Bitte nennen Sie den Grund der Befangenheit.")
        raise DomainError("reason_missing", message, fields=[("reason", message)])
    conflict, _created = Conflict.objects.get_or_create(
        juror=juror, application=application, defaults={"reason": reason.strip()}
    )
    Score.objects.filter(juror=juror, application=application).delete()
    return conflict


@transaction.atomic
def scores_set(
    *, application: Application, user: User, points: Mapping[int, int], comment: str = ""
) -> list[Score]:
    """Set (or change) a juror's points per criterion id while the jury works."""
    call = Call.objects.get(pk=application.call_id)
    juror = _juror_of(call, user)
    if Conflict.objects.filter(juror=juror, application=application).exists():
        raise DomainError(
            "conflict_declared",
            _("Sie haben eine Befangenheit erklärt und dürfen diese Bewerbung nicht bewerten."),
            403,
        )
    if call.status != Call.Status.JURY:
        raise DomainError("not_jury_phase", _("Die Jury bewertet diesen Aufruf gerade nicht."), 409)
    if application.status == Application.Status.WITHDRAWN:
        raise DomainError("withdrawn", _("Diese Bewerbung wurde zurückgezogen."), 409)
    criteria = {c.pk: c for c in call.criteria.all()}
    errors = [
        (f"c{cid}", _("Bitte eine ganze Zahl von 0 bis %(max)s.") % {"max": criteria[cid].max_points})
        for cid, value in points.items()
        if cid in criteria and not 0 <= value <= criteria[cid].max_points
    ]
    if set(points) != set(criteria):
        errors.append(("__all__", _("Bitte bewerten Sie jedes Kriterium.")))
    if errors:
        raise DomainError("invalid_points", "", fields=errors)
    saved = []
    for cid, value in points.items():
        score, _created = Score.objects.update_or_create(
            juror=juror,
            application=application,
            criterion=criteria[cid],
            defaults={"points": value, "comment": comment.strip()},
        )
        saved.append(score)
    return saved


@transaction.atomic
def application_decide(*, application: Application, by: User, accept: bool, reason: str) -> Application:
    """Staff decide with reasons; the applicant is told (inbox and e-mail as they chose)."""
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if application.call.status not in (Call.Status.JURY, Call.Status.DECIDED):
        raise DomainError("not_jury_phase", _("Entschieden wird nach der Bewertung durch die Jury."), 409)
    if application.status == Application.Status.WITHDRAWN:
        raise DomainError("withdrawn", _("Diese Bewerbung wurde zurückgezogen."), 409)
    if hasattr(application, "contract"):
        raise DomainError("contracted", _("Zu dieser Bewerbung gibt es schon einen Vertrag."), 409)
    if not reason.strip():
        message = _("Bitte begründen Sie die Entscheidung.")
        raise DomainError("reason_missing", message, fields=[("reason", message)])
    application.status = Application.Status.ACCEPTED if accept else Application.Status.REJECTED
    application.decision_reason = reason.strip()
    application.decided_at = timezone.now()
    application.decided_by = by
    application.save()
    subject = _("Entscheidung über Ihre Bewerbung „%(title)s“") % {"title": application.title}
    body = (
        _("Ihre Bewerbung wurde angenommen.")
        if accept
        else _("Ihre Bewerbung wurde leider nicht angenommen.")
    )
    body += "\n\n" + application.decision_reason
    url = reverse("interimuse:mine_detail", args=[application.pk])
    notify(kind=STATUS_KIND, subject=subject, body=body, url=url, recipients=[application.applicant])
    return application


@transaction.atomic
def contract_create(
    *, application: Application, unit: Unit, rent: Decimal, starts_on: dt.date, by: User
) -> Contract:
    """The contract of an accepted application: the rent split by the call's shares, the term,
    the reports due every ``report_every_months`` (the last at the end), the unit in interim use."""
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if application.status != Application.Status.ACCEPTED:
        raise DomainError("not_accepted", _("Ein Vertrag setzt eine angenommene Bewerbung voraus."), 409)
    if Contract.objects.filter(application=application).exists():
        raise DomainError("contracted", _("Zu dieser Bewerbung gibt es schon einen Vertrag."), 409)
    call = application.call
    try:
        split = rent_split(
            rent=rent,
            owner_share=call.owner_share,
            funding_share=call.funding_share,
            tenant_share=call.tenant_share,
        )
    except SplitError as exc:
        message = _("Bitte eine Miete in Euro mit höchstens zwei Nachkommastellen.")
        raise DomainError("invalid_rent", message, fields=[("rent", message)]) from exc
    ends_on = add_months(starts_on, call.term_months)
    contract = Contract.objects.create(
        application=application,
        unit=unit,
        rent=rent,
        owner_amount=split.owner,
        funding_amount=split.funding,
        tenant_amount=split.tenant,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    due = [
        add_months(starts_on, k)
        for k in range(call.report_every_months, call.term_months, call.report_every_months)
    ]
    Report.objects.bulk_create([Report(contract=contract, due_on=d) for d in [*due, ends_on]])
    unit_set_status(unit=unit, status=Unit.Status.INTERIM_USE, by=by)
    notify(
        kind=STATUS_KIND,
        subject=_("Ihr Vertrag für die Zwischennutzung"),
        body=_("Ihr Vertrag beginnt am %(start)s. Ihr Anteil an der Miete: %(amount)s Euro im Monat.")
        % {"start": starts_on.strftime("%d.%m.%Y"), "amount": split.tenant},
        url=reverse("interimuse:mine_detail", args=[application.pk]),
        recipients=[application.applicant],
    )
    return contract


@transaction.atomic
def report_submit(*, report: Report, by: User, text: str, visitors: int | None = None) -> Report:
    """The tenant sends a due report; it can be corrected until staff read it (no lock here)."""
    report = Report.objects.select_for_update().select_related("contract__application").get(pk=report.pk)
    if report.contract.application.applicant_id != by.pk:
        raise DomainError("not_yours", _("Das ist nicht Ihr Bericht."), 403)
    if not text.strip():
        message = _("Bitte schreiben Sie Ihren Bericht.")
        raise DomainError("text_missing", message, fields=[("text", message)])
    report.text = text.strip()
    report.visitors = visitors
    report.submitted_at = timezone.now()
    report.save(update_fields=["text", "visitors", "submitted_at"])
    return report
