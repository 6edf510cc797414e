"""Public pages of the strategy: the Steuerrad, fields of action, goals, projects, indicators, revisions and
the printable Handlungsprogramm. Thin: selectors read, services write."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from konzeptk.city import selectors as city_selectors
from konzeptk.city.views import city_map_context
from konzeptk.core import charts
from konzeptk.core.csv import csv_response
from konzeptk.core.errors import DomainError
from konzeptk.core.pdf import pdf_response
from konzeptk.strategy import background, selectors, services
from konzeptk.strategy.forms import ProjectFilterForm
from konzeptk.strategy.models import Revision, Strategy
from konzeptk.strategy.trajectory import STATUS_LABELS, year_fraction
from konzeptk.strategy.trajectory import __doc__ as METHOD_DOC

PAGE_SIZE = 20


def strategy_or_404() -> Strategy:
    strategy = selectors.main_strategy()
    if strategy is None:
        raise Http404(_("Es ist noch keine Strategie angelegt."))
    return strategy


def _revision_from_request(request: HttpRequest, strategy: Strategy) -> Revision:
    """The adopted revision, or the one named by ?version=N if this person may see it."""
    version = request.GET.get("version", "")
    if version.isdigit():
        revision = selectors.revision_by_version(strategy, version)
        if revision is None or not request.user.has_perm("strategy.view_revision", revision):
            raise Http404(_("Diese Fassung gibt es nicht."))
        return revision
    revision = selectors.adopted_revision(strategy)
    if revision is None:
        raise Http404(_("Es ist noch keine Fassung beschlossen."))
    return revision


# --- Public pages ---------------------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    strategy = selectors.main_strategy()
    revision = selectors.adopted_revision(strategy) if strategy else None
    context: dict[str, Any] = {"strategy": strategy, "revision": revision}
    if revision is not None:
        context.update(selectors.steering_wheel(revision))
    return render(request, "strategy/overview.html", context)


def field_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    strategy = strategy_or_404()
    revision = _revision_from_request(request, strategy)
    field = selectors.field_detail(revision, key)
    if field is None:
        raise Http404(_("Dieses Handlungsfeld gibt es in der Fassung nicht."))
    projects = selectors.project_list(selectors.ProjectFilters(field=field.key))[:50]
    return render(
        request, "strategy/field.html", {"revision": revision, "field": field, "projects": projects}
    )


def goal_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    strategy = strategy_or_404()
    revision = _revision_from_request(request, strategy)
    goal = selectors.goal_in(revision, key)
    if goal is None:
        raise Http404(_("Dieses Ziel gibt es in der Fassung nicht."))
    measures = list(goal.measures.order_by("position", "pk"))
    return render(
        request,
        "strategy/goal.html",
        {
            "revision": revision,
            "goal": goal,
            "measures": measures,
            "projects": selectors.goal_projects(goal, measures),
            "indicators": selectors.goal_indicators(goal.key),
            "status_labels": STATUS_LABELS,
        },
    )


def _filters(
    request: HttpRequest, revision: Revision | None
) -> tuple[ProjectFilterForm, selectors.ProjectFilters]:
    form = ProjectFilterForm(
        request.GET or None,
        fields=selectors.fields_of(revision),
        organisations=list(selectors.organisations_with_projects()),
        districts=selectors.current_districts(),
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
    page = Paginator(selectors.project_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "strategy/project_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "revision": revision},
    )


def project_map(request: HttpRequest) -> HttpResponse:
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
    project = selectors.project_for_page(slug)
    if project is None or not request.user.has_perm("strategy.view_project", project):
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

    def rows() -> Iterator[list[Any]]:
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
    indicators = selectors.published_indicators()
    assessments = selectors.latest_assessments([i.pk for i in indicators])
    page = Paginator([(i, assessments[i.pk]) for i in indicators], 50).get_page(request.GET.get("page"))
    return render(
        request,
        "strategy/indicator_list.html",
        {"page": page, "status_labels": STATUS_LABELS, "summary": selectors.status_summary(assessments)},
    )


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = selectors.indicator_with_data(slug)
    if indicator is None or not request.user.has_perm("strategy.view_indicator", indicator):
        raise Http404(_("Dieser Indikator ist nicht veröffentlicht."))
    # A GET only reads: it shows the values of the last refresh. When the bound datastream has new
    # observations (two indexed look-ups, at most once an hour), a job recomputes them off the request
    # (strategy/background.py); beat runs `strategy.refresh_indicators` every hour anyway.
    binding = selectors.binding_of(indicator)
    refresh_pending = binding is not None and services.indicator_binding_is_stale(
        binding=binding, min_interval=dt.timedelta(hours=1)
    )
    if refresh_pending:
        background.enqueue(indicator.pk)
    assessment = selectors.indicator_assessment(indicator)
    targets = list(indicator.targets.all())
    values = list(indicator.values.all())
    chart = charts.indicator_chart(
        baseline=(indicator.baseline_value, indicator.baseline_year),
        targets=[(t.value, t.year) for t in targets],
        values=[(v.value, v.date) for v in values],
        year_of=year_fraction,
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
            "goal": selectors.goal_in(selectors.adopted_revision(), indicator.goal_key),
            "projects": indicator.projects.filter(published=True).order_by("title"),
            "method": METHOD_DOC,
            "expected_year": int(assessment.latest_year) if assessment.latest_year else None,
            "can_add_value": request.user.has_perm("strategy.add_indicator_value", indicator),
        },
    )


def indicator_values_csv(request: HttpRequest, slug: str | None = None) -> StreamingHttpResponse:
    qs = selectors.indicator_values_for_csv(slug)

    def rows() -> Iterator[list[Any]]:
        for v in qs.iterator(chunk_size=2000):
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
    strategy = strategy_or_404()
    revisions = selectors.revisions_for(strategy, with_drafts=request.user.has_perm("strategy.edit_revision"))
    return render(request, "strategy/revision_list.html", {"strategy": strategy, "revisions": revisions})


def _revision_or_404(request: HttpRequest, strategy: Strategy, version: str) -> Revision:
    revision = selectors.revision_by_version(strategy, version)
    if revision is None or not request.user.has_perm("strategy.view_revision", revision):
        raise Http404(_("Diese Fassung gibt es nicht."))
    return revision


def revision_diff(request: HttpRequest) -> HttpResponse:
    strategy = strategy_or_404()
    revisions = selectors.revisions_for(strategy, with_drafts=request.user.has_perm("strategy.edit_revision"))
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


def _document_context(request: HttpRequest) -> dict[str, Any]:
    """Fields, goals and measures of the revision, its projects (organisations, stage, budget) and the
    indicators of its goals (latest value, date, status): a fixed number of queries."""
    strategy = strategy_or_404()
    revision = _revision_from_request(request, strategy)
    fields, themes = selectors.document_elements(revision)
    return {
        "revision": revision,
        "fields": fields,
        "themes": themes,
        "projects": selectors.document_projects([f.key for f in fields]),
        "indicators": selectors.document_indicators([g.key for f in fields for g in f.goals.all()]),
        "status_labels": STATUS_LABELS,
        "today": dt.date.today(),
    }


def document(request: HttpRequest) -> HttpResponse:
    """The whole Handlungsprogramm of one revision as one printable document."""
    return render(request, "strategy/document.html", _document_context(request))


def document_pdf(request: HttpRequest) -> HttpResponse:
    """The same document as PDF (WeasyPrint, vendored fonts, nothing fetched from the network)."""
    context = _document_context(request)
    return pdf_response(
        request,
        template="strategy/document_pdf.html",
        context=context,
        filename=f"handlungsprogramm-fassung-{context['revision'].version}.pdf",
    )
