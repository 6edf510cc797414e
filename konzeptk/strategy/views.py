"""Pages of the strategy: public reading pages and the staff workspace. Thin: selectors read, services write."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.accounts.models import Organisation, User
from konzeptk.city import selectors as city_selectors
from konzeptk.city.models import District
from konzeptk.core.csv import csv_response
from konzeptk.core.errors import DomainError, page_error
from konzeptk.strategy import background, charts, selectors, services
from konzeptk.strategy import rules as strategy_rules
from konzeptk.strategy.forms import (
    AdoptForm,
    ElementForm,
    ProjectFilterForm,
    ProjectForm,
    RevisionMetaForm,
    StageForm,
    TargetForm,
    ValueForm,
)
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Indicator,
    IndicatorBinding,
    IndicatorValue,
    Measure,
    Project,
    ProjectLink,
    Revision,
    Stage,
    Strategy,
    SubTopic,
    element_kinds,
)
from konzeptk.strategy.trajectory import STATUS_LABELS
from konzeptk.strategy.trajectory import __doc__ as METHOD_DOC

PAGE_SIZE = 20


def _strategy_or_404() -> Strategy:
    strategy = selectors.main_strategy()
    if strategy is None:
        raise Http404(_("Es ist noch keine Strategie angelegt."))
    return strategy


def _revision_from_request(request: HttpRequest, strategy: Strategy) -> Revision:
    """The adopted revision, or the one named by ?fassung=N if this person may see it."""
    version = request.GET.get("fassung", "")
    if version.isdigit():
        revision = Revision.objects.filter(strategy=strategy, version=int(version)).first()
        if revision is None or not request.user.has_perm("strategy.view_revision", revision):
            raise Http404(_("Diese Fassung gibt es nicht."))
        return revision
    revision = selectors.adopted_revision(strategy)
    if revision is None:
        raise Http404(_("Es ist noch keine Fassung beschlossen."))
    return revision


def _district_layer_districts() -> list[District]:
    profile = city_selectors.active_profile()
    layer = city_selectors.current_layer(profile) if profile else None
    return list(city_selectors.districts_of(layer)) if layer else []


# --- Public pages ---------------------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    strategy = selectors.main_strategy()
    revision = selectors.adopted_revision(strategy) if strategy else None
    context: dict[str, Any] = {"strategy": strategy, "revision": revision}
    if revision is not None:
        context.update(selectors.steering_wheel(revision))
    return render(request, "strategy/overview.html", context)


def field_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    strategy = _strategy_or_404()
    revision = _revision_from_request(request, strategy)
    field = get_object_or_404(
        FieldOfAction.objects.prefetch_related(
            Prefetch("sub_topics", queryset=SubTopic.objects.order_by("position", "pk")),
            Prefetch("goals", queryset=Goal.objects.order_by("position", "pk").prefetch_related("measures")),
        ),
        revision=revision,
        key=key,
    )
    projects = selectors.project_list(selectors.ProjectFilters(field=field.key))[:50]
    return render(
        request, "strategy/field.html", {"revision": revision, "field": field, "projects": projects}
    )


def goal_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    strategy = _strategy_or_404()
    revision = _revision_from_request(request, strategy)
    goal = get_object_or_404(Goal.objects.select_related("field"), revision=revision, key=key)
    measures = list(goal.measures.order_by("position", "pk"))
    measure_keys = [m.key for m in measures]
    projects = (
        Project.objects.filter(published=True)
        .filter(
            Q(links__kind=ProjectLink.Kind.GOAL, links__key=goal.key)
            | Q(links__kind=ProjectLink.Kind.MEASURE, links__key__in=measure_keys)
        )
        .distinct()
        .select_related("lead")
        .order_by("title")
    )
    indicators = list(
        selectors.indicators_with_data(Indicator.objects.filter(published=True, goal_key=goal.key))
    )
    rows = [(i, selectors.indicator_assessment(i)) for i in indicators]
    return render(
        request,
        "strategy/goal.html",
        {
            "revision": revision,
            "goal": goal,
            "measures": measures,
            "projects": projects,
            "indicators": rows,
            "status_labels": STATUS_LABELS,
        },
    )


def _filters(
    request: HttpRequest, revision: Revision | None
) -> tuple[ProjectFilterForm, selectors.ProjectFilters]:
    fields = list(FieldOfAction.objects.filter(revision=revision).order_by("position")) if revision else []
    form = ProjectFilterForm(
        request.GET or None,
        fields=fields,
        organisations=list(selectors.organisations_with_projects()),
        districts=_district_layer_districts(),
    )
    filters = selectors.ProjectFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ProjectFilters(
            q=data["q"].strip(),
            field=data["field"],
            stage=data["stage"],
            organisation=data["organisation"],
            district=data["district"],
        )
    return form, filters


def project_list(request: HttpRequest) -> HttpResponse:
    strategy = selectors.main_strategy()
    revision = selectors.adopted_revision(strategy) if strategy else None
    form, filters = _filters(request, revision)
    page = Paginator(selectors.project_list(filters), PAGE_SIZE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "strategy/project_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "revision": revision},
    )


def project_map(request: HttpRequest) -> HttpResponse:
    from konzeptk.city.views import city_map_context

    profile = city_selectors.active_profile()
    layer = city_selectors.current_layer(profile) if profile else None
    districts = list(city_selectors.districts_of(layer)) if layer else []
    counts, city_wide = selectors.district_project_counts(districts)
    context: dict[str, Any] = {
        "rows": [(d, counts.get(d.pk, 0)) for d in districts],
        "city_wide": city_wide,
        "layer": layer,
    }
    if profile and layer and districts:
        context.update(city_map_context(profile, layer, districts))
    return render(request, "strategy/project_map.html", context)


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.select_related("lead").prefetch_related(
            "partners", "districts", "links", "milestones", "web_links", "transitions"
        ),
        slug=slug,
    )
    if not request.user.has_perm("strategy.view_project", project):
        raise Http404(_("Dieses Projekt ist nicht veröffentlicht."))
    revision = selectors.adopted_revision()
    indicators = list(selectors.indicators_with_data(project.indicators.filter(published=True)))
    source_ideas, source_total = selectors.source_ideas(project)
    return render(
        request,
        "strategy/project.html",
        {
            "project": project,
            "source_ideas": source_ideas,
            "source_total": source_total,
            "links": selectors.resolve_links(project, revision),
            "indicators": [(i, selectors.indicator_assessment(i)) for i in indicators],
            "status_labels": STATUS_LABELS,
            "can_edit": request.user.has_perm("strategy.edit_project", project),
            "budget_share": (
                round(100 * project.budget_spent / project.budget_planned)
                if project.budget_planned and project.budget_spent is not None
                else None
            ),
        },
    )


def project_csv(request: HttpRequest) -> StreamingHttpResponse:
    revision = selectors.adopted_revision()
    _form, filters = _filters(request, revision)
    qs = selectors.project_list(filters).prefetch_related("partners")

    def rows() -> Any:
        for p in qs.iterator(chunk_size=500):
            yield [
                p.slug,
                p.title,
                p.summary,
                str(p.lead),
                "; ".join(str(o) for o in p.partners.all()),
                p.get_stage_display(),
                p.stage_since.isoformat(),
                _("ganze Stadt") if p.city_wide else "; ".join(d.name for d in p.districts.all()),
                p.budget_planned if p.budget_planned is not None else "",
                p.budget_spent if p.budget_spent is not None else "",
                p.funding_source,
                "ja" if p.is_demo_content else "nein",
                request.build_absolute_uri(p.get_absolute_url()),
            ]

    header = [
        "kennung",
        "titel",
        "kurzbeschreibung",
        "federfuehrend",
        "partner",
        "phase",
        "phase_seit",
        "gebiete",
        "budget_geplant_eur",
        "budget_ausgegeben_eur",
        "finanzierung",
        "beispielinhalt",
        "adresse",
    ]
    return csv_response(filename="projekte.csv", header=header, rows=rows())


def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = list(Indicator.objects.filter(published=True).order_by("name"))
    assessments = selectors.latest_assessments([i.pk for i in indicators])
    page = Paginator([(i, assessments[i.pk]) for i in indicators], 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "strategy/indicator_list.html",
        {"page": page, "status_labels": STATUS_LABELS, "summary": selectors.status_summary(assessments)},
    )


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = get_object_or_404(selectors.indicators_with_data(), slug=slug)
    if not request.user.has_perm("strategy.view_indicator", indicator):
        raise Http404(_("Dieser Indikator ist nicht veröffentlicht."))
    # A GET only reads: it shows the values of the last refresh. When the bound datastream has new
    # observations (two indexed look-ups, at most once an hour), a job recomputes them off the request
    # (strategy/background.py); beat runs `strategy.refresh_indicators` every hour anyway.
    binding = IndicatorBinding.objects.filter(indicator=indicator).select_related("datastream").first()
    refresh_pending = binding is not None and services.indicator_binding_is_stale(
        binding=binding, min_interval=dt.timedelta(hours=1)
    )
    if refresh_pending:
        background.enqueue(indicator.pk)
    assessment = selectors.indicator_assessment(indicator)
    targets = list(indicator.targets.all())
    values = list(indicator.values.all())
    chart = charts.build_chart(
        baseline=(indicator.baseline_value, indicator.baseline_year),
        targets=[(t.value, t.year) for t in targets],
        values=[(v.value, v.date) for v in values],
    )
    revision = selectors.adopted_revision()
    goal = (
        Goal.objects.filter(revision=revision, key=indicator.goal_key).first()
        if revision and indicator.goal_key
        else None
    )
    return render(
        request,
        "strategy/indicator.html",
        {
            "indicator": indicator,
            "binding": binding,
            "refresh_pending": refresh_pending,
            "assessment": assessment,
            "status_label": STATUS_LABELS[assessment.status],
            "targets": targets,
            "values": values,
            "chart": chart,
            "goal": goal,
            "projects": indicator.projects.filter(published=True).order_by("title"),
            "method": METHOD_DOC,
            "expected_year": int(assessment.latest_year) if assessment.latest_year else None,
            "can_add_value": request.user.has_perm("strategy.add_indicator_value", indicator),
        },
    )


def indicator_values_csv(request: HttpRequest, slug: str | None = None) -> StreamingHttpResponse:
    qs = IndicatorValue.objects.filter(indicator__published=True).select_related("indicator")
    if slug:
        qs = qs.filter(indicator__slug=slug)

    def rows() -> Any:
        for v in qs.order_by("indicator__slug", "date").iterator(chunk_size=2000):
            yield [
                v.indicator.slug,
                v.indicator.name,
                v.date.isoformat(),
                v.value,
                v.indicator.unit,
                v.get_source_display(),
                v.source_ref,
                "ja" if v.is_demo_content else "nein",
            ]

    header = ["indikator", "name", "stichtag", "wert", "einheit", "herkunft", "beleg", "beispielinhalt"]
    return csv_response(
        filename=f"indikatorwerte{'-' + slug if slug else ''}.csv", header=header, rows=rows()
    )


def revision_list(request: HttpRequest) -> HttpResponse:
    strategy = _strategy_or_404()
    revisions = list(
        Revision.objects.filter(strategy=strategy).order_by("-version")
        if request.user.has_perm("strategy.edit_revision")
        else selectors.public_revisions(strategy)
    )
    return render(request, "strategy/revision_list.html", {"strategy": strategy, "revisions": revisions})


def _revision_or_404(request: HttpRequest, strategy: Strategy, version: Any) -> Revision:
    revision = (
        Revision.objects.filter(strategy=strategy, version=version).first()
        if str(version).isdigit()
        else None
    )
    if revision is None or not request.user.has_perm("strategy.view_revision", revision):
        raise Http404(_("Diese Fassung gibt es nicht."))
    return revision


def revision_diff(request: HttpRequest) -> HttpResponse:
    strategy = _strategy_or_404()
    revisions = list(
        Revision.objects.filter(strategy=strategy).order_by("-version")
        if request.user.has_perm("strategy.edit_revision")
        else selectors.public_revisions(strategy)
    )
    context: dict[str, Any] = {
        "revisions": revisions,
        "selected_a": request.GET.get("a", ""),
        "selected_b": request.GET.get("b", ""),
    }
    status = 200
    if "a" in request.GET and "b" in request.GET:
        a = _revision_or_404(request, strategy, request.GET["a"])
        b = _revision_or_404(request, strategy, request.GET["b"])
        try:
            context["diff"] = services.revision_diff(a=a, b=b)
        except DomainError as exc:
            context["error"] = exc.message
            status = exc.status
    elif len(revisions) >= 2:
        context["selected_a"], context["selected_b"] = str(revisions[1].version), str(revisions[0].version)
    return render(request, "strategy/revision_diff.html", context, status=status)


def document(request: HttpRequest) -> HttpResponse:
    """The whole Handlungsprogramm of one revision as one printable document."""
    strategy = _strategy_or_404()
    revision = _revision_from_request(request, strategy)
    fields = list(
        FieldOfAction.objects.filter(revision=revision)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("sub_topics", queryset=SubTopic.objects.order_by("position", "pk")),
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("measures", queryset=Measure.objects.order_by("position", "pk"))
                ),
            ),
        )
    )
    themes = list(CrossCuttingTheme.objects.filter(revision=revision).order_by("position", "pk"))
    link_rows = ProjectLink.objects.filter(
        project__published=True, kind=ProjectLink.Kind.FIELD, key__in=[f.key for f in fields]
    ).values_list("key", "project__title", "project__stage")
    by_field: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for key, title, stage in link_rows:
        by_field.setdefault(key, []).append((title, str(Stage(stage).label)))
    for f in fields:
        f.project_rows = sorted(by_field.get(f.key, []))  # type: ignore[attr-defined]
    return render(
        request, "strategy/document.html", {"revision": revision, "fields": fields, "themes": themes}
    )


# --- Staff workspace ------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    """Staff views are behind login_required: the user is a real account."""
    return cast(User, request.user)


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    _require(request, "strategy.use_workspace")
    strategy = selectors.main_strategy()
    core = strategy_rules.is_core_team(request.user)
    projects = Project.objects.select_related("lead").order_by("title")
    indicators = Indicator.objects.order_by("name")
    if not core:
        orgs = strategy_rules.editor_organisation_ids(request.user)
        projects = projects.filter(lead_id__in=orgs)
        indicators = indicators.filter(projects__lead_id__in=orgs).distinct()
    return render(
        request,
        "strategy/staff/workspace.html",
        {
            "strategy": strategy,
            "is_core": core,
            "revisions": Revision.objects.filter(strategy=strategy).order_by("-version")
            if strategy and core
            else [],
            "projects": Paginator(projects, 50).get_page(request.GET.get("seite")),
            "indicators": indicators,
        },
    )


@login_required
@require_POST
def revision_clone(request: HttpRequest, version: int) -> HttpResponse:
    _require(request, "strategy.edit_revision")
    strategy = _strategy_or_404()
    source = get_object_or_404(Revision, strategy=strategy, version=version)
    draft = services.revision_clone(source=source, by=_user(request))
    messages.success(request, _("Entwurf %(version)s wurde angelegt.") % {"version": draft.version})
    return redirect("strategy:draft", version=draft.version)


@login_required
def draft_edit(request: HttpRequest, version: int) -> HttpResponse:
    _require(request, "strategy.edit_revision")
    strategy = _strategy_or_404()
    revision = get_object_or_404(Revision, strategy=strategy, version=version)
    sections = []
    parents = {
        "field": list(FieldOfAction.objects.filter(revision=revision).order_by("position", "pk")),
        "goal": list(Goal.objects.filter(revision=revision).order_by("position", "pk")),
    }
    parent_kind = {"sub_topic": "field", "goal": "field", "measure": "goal"}
    for kind in element_kinds():
        qs = kind.model.objects.filter(revision=revision).order_by("position", "pk")
        if kind.parent_attr:
            qs = qs.select_related(kind.parent_attr)
        sections.append(
            {"kind": kind, "items": list(qs), "parents": parents.get(parent_kind.get(kind.name, ""))}
        )
    return render(
        request,
        "strategy/staff/draft.html",
        {
            "revision": revision,
            "sections": sections,
            "meta_form": RevisionMetaForm(
                initial={"title": revision.title, "motto": revision.motto, "vision": revision.vision}
            ),
            "adopt_form": AdoptForm(),
            "current": selectors.adopted_revision(strategy),
        },
    )


def _draft(request: HttpRequest, version: int) -> Revision:
    _require(request, "strategy.edit_revision")
    return get_object_or_404(Revision, strategy=_strategy_or_404(), version=version)


@login_required
@require_POST
def draft_meta(request: HttpRequest, version: int) -> HttpResponse:
    revision = _draft(request, version)
    form = RevisionMetaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Titel an."))
    else:
        try:
            services.revision_update(revision=revision, by=_user(request), **form.cleaned_data)
            messages.success(request, _("Die Angaben zur Fassung wurden gespeichert."))
        except DomainError as exc:
            page_error(request, exc)
    return redirect("strategy:draft", version=version)


@login_required
@require_POST
def element_add(request: HttpRequest, version: int, kind: str) -> HttpResponse:
    revision = _draft(request, version)
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
        )
        messages.success(request, _("„%(title)s“ wurde hinzugefügt.") % {"title": data["title"]})
    except DomainError as exc:
        page_error(request, exc)
    return redirect("strategy:draft", version=version)


@login_required
@require_POST
def element_update(request: HttpRequest, version: int, kind: str, pk: int) -> HttpResponse:
    revision = _draft(request, version)
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
        )
        messages.success(request, _("„%(title)s“ wurde gespeichert.") % {"title": data["title"]})
    except DomainError as exc:
        page_error(request, exc)
    return redirect("strategy:draft", version=version)


@login_required
@require_POST
def element_delete(request: HttpRequest, version: int, kind: str, pk: int) -> HttpResponse:
    revision = _draft(request, version)
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
    revision = _draft(request, version)
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


def _lead_choices(request: HttpRequest) -> Any:
    if strategy_rules.is_core_team(request.user):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=strategy_rules.editor_organisation_ids(request.user)).order_by(
        "name"
    )


def _district_choices() -> Any:
    ids = [d.pk for d in _district_layer_districts()]
    return District.objects.filter(pk__in=ids).order_by("code")


@login_required
def project_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    project = get_object_or_404(Project, slug=slug) if slug else None
    if project is None:
        _require(request, "strategy.create_project")
    else:
        _require(request, "strategy.edit_project", project)
    revision = selectors.adopted_revision()
    form = ProjectForm(
        request.POST or None,
        instance=project,
        revision=revision,
        lead_choices=_lead_choices(request),
        districts=_district_choices(),
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
    project = get_object_or_404(Project, slug=slug)
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
    indicator = get_object_or_404(selectors.indicators_with_data(), slug=slug)
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
