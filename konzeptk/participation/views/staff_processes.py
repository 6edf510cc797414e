"""Staff pages of processes: the processes a person runs, a new process, changing one, its phases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Level
from konzeptk.core.content import content_translations, german
from konzeptk.core.errors import DomainError
from konzeptk.core.slugs import german_slug
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.forms import PhaseForm, ProcessForm
from konzeptk.participation.models import Phase, Process
from konzeptk.participation.views.common import refused, signed_in


@login_required
def staff_processes(request: HttpRequest) -> HttpResponse:
    """The processes a person may run, drafts included."""
    user = signed_in(request)
    if not selectors.editor_organisations(user).exists():
        raise PermissionDenied(
            _(
                "Diese Seite ist für Redaktion, Moderation und Administration der veranstaltenden Organisationen."
            )
        )
    page = selectors.page_of(selectors.staff_process_list(user), request.GET.get("page"))
    return render(request, "participation/staff_processes.html", {"page": page})


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
    user = signed_in(request)
    organisations = selectors.editor_organisations(user)
    owned = list(organisations[:2])
    if not owned:
        raise PermissionDenied(_("Nur Redaktionen der veranstaltenden Organisationen legen Prozesse an."))
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
                # left empty: made from the title (a free one: "-2", "-3", … when taken)
                slug=data["slug"] or selectors.free_process_slug(german_slug(data["title"]) or "prozess"),
                blueprint=data.get("blueprint") or None,
                start=timezone.make_aware(dt.datetime.combine(start, dt.time(0, 0))),
                by=user,
                translations=form.translations(),
                **_process_form_values(data),
            )
        except (DomainError, ValidationError) as exc:
            refused(request, exc, form=form)
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
    process = selectors.process_with_organiser(slug)
    if process is None:
        raise Http404(_("Diesen Beteiligungsprozess gibt es nicht."))
    if not rules.is_editor(request.user, process):
        raise PermissionDenied(_("Nur die veranstaltende Organisation kann diesen Prozess ändern."))
    return process


@login_required
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    process = _editable_process(request, slug)
    initial = {
        # the German original in the German fields, whatever language the staff page is in
        "title": german(process, "title"),
        "teaser": german(process, "teaser"),
        "description": german(process, "description"),
        **content_translations(process, ProcessForm.translated_fields),
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
                process=process,
                by=signed_in(request),
                translations=form.translations(),
                **_process_form_values(form.cleaned_data),
            )
        except (DomainError, ValidationError) as exc:
            refused(request, exc, form=form)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(process)
    return render(
        request,
        "participation/process_form.html",
        {"form": form, "process": process},
        status=400 if form.errors else 200,
    )


# --- the phase editor --------------------------------------------------------------------------
# Each POST names an action; its handler calls one service and returns the success message, or
# raises DomainError/ValidationError (shown as messages, status 400/403/409).


def _valid(form: PhaseForm) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError(form.errors)
    keys = set(form.translations())
    values = {k: v for k, v in form.cleaned_data.items() if k not in keys}
    return {**values, "translations": form.translations()}


def _phase_add(request: HttpRequest, process: Process, phase: Phase | None, new_form: PhaseForm) -> str:
    services.phase_save(process=process, by=signed_in(request), phase=None, **_valid(new_form))
    return _("Die Phase ist gespeichert.")


def _phase_change(request: HttpRequest, process: Process, phase: Phase | None, new_form: PhaseForm) -> str:
    phase = _require_phase(phase)
    form = PhaseForm(request.POST, prefix=f"p{phase.pk}")
    services.phase_save(process=process, by=signed_in(request), phase=phase, **_valid(form))
    return _("Die Phase ist gespeichert.")


def _phase_delete(request: HttpRequest, process: Process, phase: Phase | None, new_form: PhaseForm) -> str:
    services.phase_delete(phase=_require_phase(phase), by=signed_in(request))
    return _("Die Phase ist gelöscht.")


def _phase_settings(request: HttpRequest, process: Process, phase: Phase | None, new_form: PhaseForm) -> str:
    """The settings the phase type offers for its phases (a ballot phase: its ballot)."""
    phase = _require_phase(phase)
    setup = phase.phase_type.setup
    form = setup.settings_form(phase=phase, data=request.POST, prefix=f"s{phase.pk}") if setup else None
    if setup is None or form is None:
        raise Http404(_("Diese Phase hat keine Einstellungen."))
    if not form.is_valid():
        raise ValidationError(form.errors)
    return setup.settings_save(phase=phase, by=signed_in(request), form=form)


PhaseAction = Callable[[HttpRequest, Process, "Phase | None", PhaseForm], str]
PHASE_ACTIONS: dict[str, PhaseAction] = {
    "add": _phase_add,
    "change": _phase_change,
    "delete": _phase_delete,
    "settings": _phase_settings,
}


def _require_phase(phase: Phase | None) -> Phase:
    if phase is None:
        raise DomainError("phase_missing", _("Bitte wählen Sie eine Phase."), 400)
    return phase


def _posted_phase(request: HttpRequest, phases: list[Phase]) -> Phase | None:
    wanted = request.POST.get("phase")
    if not wanted:
        return None
    phase = next((p for p in phases if str(p.pk) == wanted), None)
    if phase is None:
        raise Http404(_("Diese Phase gibt es nicht."))
    return phase


def _phase_item(request: HttpRequest, phase: Phase) -> dict[str, Any]:
    """A phase in the editor: its form, the settings its type offers, what its type shows below."""
    local = {"start": timezone.localtime(phase.start), "end": timezone.localtime(phase.end)}
    item: dict[str, Any] = {
        "phase": phase,
        "form": PhaseForm(
            prefix=f"p{phase.pk}",
            initial={
                "type": phase.type,
                "name": german(phase, "name"),
                "description": german(phase, "description"),
                **content_translations(phase, PhaseForm.translated_fields),
                **local,
            },
        ),
    }
    phase_type = phase.phase_type
    if phase_type.setup is not None:
        item["setup"] = phase_type.setup
        item["settings_form"] = phase_type.setup.settings_form(phase=phase, data=None, prefix=f"s{phase.pk}")
    if phase_type.pages is not None:
        item["staff_html"] = phase_type.pages.staff_html(phase=phase, request=request)
    return item


@login_required
def process_phases(request: HttpRequest, slug: str) -> HttpResponse:
    """Phases of a process: add, change, delete, and the settings each phase type offers."""
    process = _editable_process(request, slug)
    phases = selectors.phases_for_editor(process)
    action = request.POST.get("action", "")
    new_form = PhaseForm(request.POST if action == "add" else None, prefix="neu")
    status = 200
    if request.method == "POST":
        handler = PHASE_ACTIONS.get(action)
        try:
            if handler is None:
                raise DomainError("unknown_action", _("Diese Aktion gibt es nicht."), 400)
            done = handler(request, process, _posted_phase(request, phases), new_form)
        except (DomainError, ValidationError) as exc:
            status = refused(request, exc)
        else:
            messages.success(request, done)
            return redirect("participation:process_phases", slug=slug)
    return render(
        request,
        "participation/process_phases.html",
        {
            "process": process,
            "items": [_phase_item(request, p) for p in phases],
            "new_form": new_form,
            "now": timezone.now(),
        },
        status=status,
    )
