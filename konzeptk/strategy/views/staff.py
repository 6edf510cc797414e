"""The staff workspace of the strategy: drafting and adopting revisions, editing projects and indicators.
Thin: selectors read, services write; who may do what is asked from the rules."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.accounts.models import User
from konzeptk.core.content import content_translations, german
from konzeptk.core.errors import DomainError, page_error
from konzeptk.strategy import rules as strategy_rules
from konzeptk.strategy import selectors, services
from konzeptk.strategy.forms import (
    AdoptForm,
    ElementForm,
    ProjectForm,
    RevisionMetaForm,
    StageForm,
    TargetForm,
    ValueForm,
)
from konzeptk.strategy.models import Indicator, Project, Revision
from konzeptk.strategy.views.public import strategy_or_404


def _user(request: HttpRequest) -> User:
    """Staff views are behind login_required: the user is a real account."""
    return cast(User, request.user)


def _require(request: HttpRequest, perm: str, obj: Project | Indicator | Revision | None = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    _require(request, "strategy.use_workspace")
    strategy = selectors.main_strategy()
    core = strategy_rules.is_core_team(request.user)
    projects = selectors.workspace_projects(request.user)
    return render(
        request,
        "strategy/staff/workspace.html",
        {
            "strategy": strategy,
            "is_core": core,
            "revisions": selectors.strategy_revisions(strategy) if core else [],
            "projects": Paginator(projects, 50).get_page(request.GET.get("page")),
            "indicators": selectors.workspace_indicators(request.user),
        },
    )


@login_required
@require_POST
def revision_clone(request: HttpRequest, version: int) -> HttpResponse:
    source = _revision(request, version)
    draft = services.revision_clone(source=source, by=_user(request))
    messages.success(request, _("Entwurf %(version)s wurde angelegt.") % {"version": draft.version})
    return redirect("strategy:draft", version=draft.version)


@login_required
def draft_edit(request: HttpRequest, version: int) -> HttpResponse:
    revision = _revision(request, version)
    return render(
        request,
        "strategy/staff/draft.html",
        {
            "revision": revision,
            "sections": selectors.draft_sections(revision),
            "meta_form": RevisionMetaForm(
                initial={
                    "title": german(revision, "title"),
                    "motto": german(revision, "motto"),
                    "vision": german(revision, "vision"),
                    **content_translations(revision, RevisionMetaForm.translated_fields),
                }
            ),
            "adopt_form": AdoptForm(),
            "current": selectors.adopted_revision(revision.strategy),
        },
    )


def _revision(request: HttpRequest, version: int) -> Revision:
    """A revision of the main strategy for the core team (drafts are edited, any revision is cloned)."""
    _require(request, "strategy.edit_revision")
    revision = selectors.revision_by_version(strategy_or_404(), version)
    if revision is None:
        raise Http404(_("Diese Fassung gibt es nicht."))
    return revision


@login_required
@require_POST
def draft_meta(request: HttpRequest, version: int) -> HttpResponse:
    revision = _revision(request, version)
    form = RevisionMetaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Titel an."))
    else:
        try:
            german = {k: form.cleaned_data[k] for k in ("title", "motto", "vision")}
            services.revision_update(
                revision=revision, by=_user(request), translations=form.translations(), **german
            )
            messages.success(request, _("Die Angaben zur Fassung wurden gespeichert."))
        except DomainError as exc:
            page_error(request, exc)
    return redirect("strategy:draft", version=version)


@login_required
@require_POST
def element_add(request: HttpRequest, version: int, kind: str) -> HttpResponse:
    revision = _revision(request, version)
    form = ElementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Titel an."))
        return redirect("strategy:draft", version=version)
    data = form.cleaned_data
    try:
        services.element_add(
            revision=revision,
            kind=kind,
            title=data["title"],
            description=data["description"],
            parent_id=data["parent"],
            city_concept=data["city_concept"],
            by=_user(request),
            translations=form.translations(),
        )
        messages.success(request, _("„%(title)s“ wurde hinzugefügt.") % {"title": data["title"]})
    except DomainError as exc:
        page_error(request, exc)
    return redirect("strategy:draft", version=version)


@login_required
@require_POST
def element_update(request: HttpRequest, version: int, kind: str, pk: int) -> HttpResponse:
    revision = _revision(request, version)
    form = ElementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte prüfen Sie Titel und Reihenfolge."))
        return redirect("strategy:draft", version=version)
    data = form.cleaned_data
    try:
        services.element_update(
            revision=revision,
            kind=kind,
            element_id=pk,
            title=data["title"],
            description=data["description"] if "description" in request.POST else None,
            parent_id=data["parent"],
            position=data["position"],
            city_concept=data["city_concept"] if "city_concept" in request.POST else None,
            by=_user(request),
            # only when the form sent the translation inputs (else they stay as they are)
            translations=form.translations() if "title_en" in request.POST else None,
        )
        messages.success(request, _("„%(title)s“ wurde gespeichert.") % {"title": data["title"]})
    except DomainError as exc:
        page_error(request, exc)
    return redirect("strategy:draft", version=version)


@login_required
@require_POST
def element_delete(request: HttpRequest, version: int, kind: str, pk: int) -> HttpResponse:
    revision = _revision(request, version)
    try:
        services.element_delete(revision=revision, kind=kind, element_id=pk, by=_user(request))
        messages.success(request, _("Das Element wurde gelöscht."))
    except DomainError as exc:
        page_error(request, exc)
    return redirect("strategy:draft", version=version)


@login_required
@require_POST
def draft_adopt(request: HttpRequest, version: int) -> HttpResponse:
    _require(request, "strategy.adopt_revision")
    revision = _revision(request, version)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie den Ratsbeschluss und das Datum an."))
        return redirect("strategy:draft", version=version)
    try:
        services.revision_adopt(
            revision=revision,
            by=_user(request),
            council_decision=form.cleaned_data["council_decision"],
            decided_on=form.cleaned_data["decided_on"],
        )
    except DomainError as exc:
        page_error(request, exc)
        return redirect("strategy:draft", version=version)
    messages.success(request, _("Fassung %(version)s ist jetzt beschlossen.") % {"version": version})
    return redirect("strategy:revisions")


def _project(slug: str) -> Project:
    project = selectors.project_by_slug(slug)
    if project is None:
        raise Http404(_("Dieses Projekt gibt es nicht."))
    return project


@login_required
def project_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    project = _project(slug) if slug else None
    if project is None:
        _require(request, "strategy.create_project")
    else:
        _require(request, "strategy.edit_project", project)
    revision = selectors.adopted_revision()
    form = ProjectForm(
        request.POST or None,
        instance=project,
        revision=revision,
        lead_choices=selectors.lead_choices(request.user),
        districts=selectors.district_choices(),
    )
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("partners", "districts", "field_keys", "goal_keys", "measure_keys")
        }
        try:
            saved = services.project_save(
                project=project,
                by=_user(request),
                data=data,
                partners=form.cleaned_data["partners"],
                districts=form.cleaned_data["districts"],
                field_keys=form.keys("field_keys"),
                goal_keys=form.keys("goal_keys"),
                measure_keys=form.keys("measure_keys"),
            )
        except DomainError as exc:
            page_error(request, exc, form=form)
        else:
            messages.success(request, _("Das Projekt wurde gespeichert."))
            return redirect("strategy:project_edit", slug=saved.slug)
    return render(
        request,
        "strategy/staff/project_edit.html",
        {
            "project": project,
            "form": form,
            "stage_form": StageForm(initial={"date": None}) if project else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def project_stage(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(slug)
    _require(request, "strategy.edit_project", project)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Phase, ein Datum und geben Sie eine Begründung an."))
    else:
        data = form.cleaned_data
        try:
            services.project_change_stage(
                project=project,
                to_stage=data["to_stage"],
                reason=data["reason"],
                on=data["date"],
                decision_record=data["decision_record"],
                by=_user(request),
            )
            messages.success(request, _("Die Phase wurde geändert."))
        except DomainError as exc:
            page_error(request, exc)
    return redirect("strategy:project_edit", slug=slug)


@login_required
def indicator_edit(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = selectors.indicator_with_data(slug)
    if indicator is None:
        raise Http404(_("Diesen Indikator gibt es nicht."))
    _require(request, "strategy.add_indicator_value", indicator)
    value_form, target_form = ValueForm(prefix="wert"), TargetForm(prefix="ziel")
    status = 200
    if request.method == "POST":
        is_target = request.POST.get("action") == "target"
        if is_target:
            _require(request, "strategy.edit_indicator", indicator)
            target_form = TargetForm(request.POST, prefix="ziel")
            form: ValueForm | TargetForm = target_form
        else:
            value_form = ValueForm(request.POST, prefix="wert")
            form = value_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if is_target:
                    services.indicator_target_set(
                        indicator=indicator,
                        value=data["value"],
                        year=data["year"],
                        note=data["note"],
                        by=_user(request),
                    )
                else:
                    services.indicator_value_add(
                        indicator=indicator,
                        value=data["value"],
                        on=data["date"],
                        source_ref=data["source_ref"],
                        by=_user(request),
                    )
            except DomainError as exc:
                page_error(request, exc, form=form)
            else:
                messages.success(request, _("Gespeichert."))
                return redirect("strategy:indicator_edit", slug=slug)
        status = 400
    return render(
        request,
        "strategy/staff/indicator_edit.html",
        {
            "indicator": indicator,
            "value_form": value_form,
            "target_form": target_form,
            "can_edit_targets": request.user.has_perm("strategy.edit_indicator", indicator),
            "values": list(indicator.values.all()),
            "targets": list(indicator.targets.all()),
        },
        status=status,
    )
