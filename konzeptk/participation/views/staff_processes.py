"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (staff_processes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError, page_error
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.forms import (
    ProcessForm,
)
from konzeptk.participation.models import (
    Process,
)
from konzeptk.participation.views.common import _apply_errors

# --- staff: processes and phases -------------------------------------------------------------


def _editor_organisations(user: Any) -> Any:
    from konzeptk.accounts.models import Membership, Organisation

    if user.is_platform_staff:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=rules.EDITOR_ROLES).values("organisation_id")
    ).order_by("name")


@login_required
def staff_processes(request: HttpRequest) -> HttpResponse:
    """The processes a person may run, drafts included."""
    user: Any = request.user
    organisations = _editor_organisations(user)
    if not organisations.exists():
        raise PermissionDenied(
            _(
                "Diese Seite ist für Redaktion, Moderation und Administration der veranstaltenden Organisationen."
            )
        )
    qs = (
        services.editable_processes(user).select_related("organiser").order_by("status", "-created_at", "-pk")
    )
    return render(
        request,
        "participation/staff_processes.html",
        {"page": selectors.page_of(qs, request.GET.get("seite"))},
    )


def _process_form_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "teaser": data.get("teaser", ""),
        "description": data.get("description", ""),
        "topics": list(data.get("topics") or []),
        "districts": list(data.get("districts") or []),
        "status": data["status"],
        "idea_level": data["idea_level"],
        "comment_level": data["comment_level"],
        "support_level": data["support_level"],
        "vote_level": data["vote_level"],
    }


@login_required
def process_new(request: HttpRequest) -> HttpResponse:
    import datetime as dt

    user: Any = request.user
    organisations = _editor_organisations(user)
    owned = list(organisations[:2])
    if not owned:
        raise PermissionDenied(_("Nur Redaktionen der veranstaltenden Organisationen legen Prozesse an."))
    from konzeptk.participation.models import Level

    form = ProcessForm(
        request.POST or None,
        organisations=organisations,
        districts=selectors.current_districts(),
        creating=True,
        initial={
            "status": Process.Status.DRAFT,
            "idea_level": Level.EMAIL,
            "comment_level": Level.EMAIL,
            "support_level": Level.EMAIL,
            "vote_level": Level.RESIDENT,
            "blueprint": "ideas",
            "start": timezone.localdate(),
            # most editors work for one organisation: it is chosen already
            "organiser": owned[0].pk if len(owned) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = data.get("start") or timezone.localdate()
        try:
            process = services.process_create(
                organiser=data["organiser"],
                slug=data["slug"],
                blueprint=data.get("blueprint") or None,
                start=timezone.make_aware(dt.datetime.combine(start, dt.time(0, 0))),
                by=user,
                **_process_form_values(data),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            page_error(request, exc, form=form)
        else:
            messages.success(request, _("Der Prozess ist angelegt. Prüfen Sie jetzt die Phasen."))
            return redirect("participation:process_phases", slug=process.slug)
    return render(
        request,
        "participation/process_form.html",
        {"form": form, "process": None},
        status=400 if form.errors else 200,
    )


def _editable_process(request: HttpRequest, slug: str) -> Process:
    process = get_object_or_404(Process.objects.select_related("organiser"), slug=slug)
    if not rules.is_editor(request.user, process):
        raise PermissionDenied(_("Nur die veranstaltende Organisation kann diesen Prozess ändern."))
    return process


@login_required
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    process = _editable_process(request, slug)
    initial = {
        "title": process.title,
        "teaser": process.teaser,
        "description": process.description,
        "topics": process.topics,
        "districts": list(process.districts.values_list("pk", flat=True)),
        "status": process.status,
        "idea_level": process.idea_level,
        "comment_level": process.comment_level,
        "support_level": process.support_level,
        "vote_level": process.vote_level,
    }
    form = ProcessForm(
        request.POST or None,
        organisations=None,
        districts=selectors.current_districts(),
        creating=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(
                process=process, by=request.user, **_process_form_values(form.cleaned_data)
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(process)
    return render(
        request,
        "participation/process_form.html",
        {"form": form, "process": process},
        status=400 if form.errors else 200,
    )


def _flash_messages(request: HttpRequest, texts: list[str]) -> None:
    for text in texts:
        messages.error(request, text)


def _flash_form_errors(request: HttpRequest, form: Any) -> None:
    _flash_messages(request, [str(e) for field_errors in form.errors.values() for e in field_errors])


@login_required
def process_phases(request: HttpRequest, slug: str) -> HttpResponse:
    """Phases of a process: add, change, delete; set up the ballot of a ballot phase."""
    from django.db.models import Prefetch

    from konzeptk.participation.forms import BallotForm, PhaseForm
    from konzeptk.participation.models import Survey

    process = _editable_process(request, slug)
    surveys = Survey.objects.annotate(
        n_questions=Count("questions", distinct=True), n_responses=Count("responses", distinct=True)
    ).order_by("pk")
    phases = list(
        process.phases.select_related("ballot")
        .prefetch_related(Prefetch("surveys", queryset=surveys))
        .order_by("weight", "start")
    )
    action = request.POST.get("action", "")
    phase = None
    if request.POST.get("phase"):
        phase = next((p for p in phases if str(p.pk) == request.POST["phase"]), None)
        if phase is None:
            raise Http404(_("Diese Phase gibt es nicht."))
    new_form = PhaseForm(request.POST if action == "add" else None, prefix="neu")
    status = 200
    form: Any
    try:
        if action in ("add", "change"):
            form = new_form if action == "add" else PhaseForm(request.POST, prefix=f"p{phase.pk}")  # type: ignore[union-attr]
            if form.is_valid():
                try:
                    services.phase_save(process=process, by=request.user, phase=phase, **form.cleaned_data)
                except ValidationError as exc:
                    _flash_messages(request, exc.messages)
                    status = 400
                else:
                    messages.success(request, _("Die Phase ist gespeichert."))
                    return redirect("participation:process_phases", slug=slug)
            else:
                _flash_form_errors(request, form)
                status = 400
        elif action == "delete" and phase is not None:
            services.phase_delete(phase=phase, by=request.user)
            messages.success(request, _("Die Phase ist gelöscht."))
            return redirect("participation:process_phases", slug=slug)
        elif action == "ballot" and phase is not None and hasattr(phase, "ballot"):
            form = BallotForm(request.POST, prefix=f"b{phase.pk}")
            if form.is_valid():
                try:
                    services.ballot_configure(ballot=phase.ballot, by=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    _flash_messages(request, exc.messages)
                    status = 400
                else:
                    messages.success(request, _("Die Abstimmung ist eingerichtet."))
                    return redirect("participation:process_phases", slug=slug)
            else:
                _flash_form_errors(request, form)
                status = 400
        elif request.method == "POST":
            status = 400
            messages.error(request, _("Diese Aktion gibt es nicht."))
    except DomainError as exc:
        status = page_error(request, exc)
    items = []
    for p in phases:
        local = {"start": timezone.localtime(p.start), "end": timezone.localtime(p.end)}
        item: dict[str, Any] = {
            "phase": p,
            "form": PhaseForm(
                prefix=f"p{p.pk}",
                initial={"type": p.type, "name": p.name, "description": p.description, **local},
            ),
        }
        if p.phase_type.has_feature("answer", Survey):
            item["surveys"] = list(p.surveys.all())
        ballot = getattr(p, "ballot", None) if p.type == "ballot" else None
        if ballot is not None:
            item["ballot_form"] = BallotForm(
                prefix=f"b{p.pk}",
                initial={
                    "kind": ballot.kind,
                    "votes_per_person": ballot.votes_per_person,
                    "budget": ballot.budget,
                },
            )
        items.append(item)
    return render(
        request,
        "participation/process_phases.html",
        {"process": process, "items": items, "new_form": new_form, "now": timezone.now()},
        status=status,
    )
