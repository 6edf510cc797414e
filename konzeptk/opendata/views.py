"""Pages of the open data catalogue and its DCAT-AP.de documents. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit, register
from konzeptk.opendata import dcat, preview, quality, selectors, services, vocab
from konzeptk.opendata.forms import CatalogueFilterForm, DatasetRequestForm

register("opendata_request", "10/h", purpose="Datenwünsche im Open-Data-Katalog")
register("opendata_download", "600/h", key="ip", purpose="gezählte Downloads im Open-Data-Katalog")

PER_PAGE = 20
RDF_PER_PAGE = 100
_ACCEPT = (("text/turtle", "ttl"), ("application/rdf+xml", "rdf"), ("application/ld+json", "jsonld"))
_FILTER_PARAMS = {
    "organisation": "organization",
    "theme": "groups",
    "keyword": "tags",
    "format": "res_format",
    "licence": "license_id",
    "district": "district",
}


def _filters(form: CatalogueFilterForm) -> tuple[tuple[str, str], ...]:
    chosen: list[tuple[str, str]] = []
    for param, facet in _FILTER_PARAMS.items():
        for value in form.cleaned_data.get(param) or []:
            chosen.append((selectors.FACETS[facet], value))
    return tuple(chosen)


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "opendata/catalogue.html", {"form": form, "result": None}, status=400)
    data = form.cleaned_data
    number = data.get("page") or 1
    query = selectors.Query(
        q=data.get("q") or "",
        filters=_filters(form),
        sort="metadata_modified desc" if data.get("sort") == "newest" else "",
        start=(number - 1) * PER_PAGE,
        rows=PER_PAGE,
        facet_fields=tuple(_FILTER_PARAMS.values()),
        facet_limit=12,
    )
    result = selectors.search_datasets(query)
    paginator = Paginator(range(result.count), PER_PAGE)
    page = paginator.get_page(number)
    base = {k: v for k, v in request.GET.lists() if k != "page"}
    facets = _facet_links(base, result.facets)
    context = {
        "form": form,
        "result": result,
        "page": page,
        "query": urlencode(base, doseq=True),
        "facets": facets,
        "rating": quality.rating,
    }
    return render(request, "opendata/catalogue.html", context)


def _facet_links(
    base: dict[str, list[str]], facets: dict[str, list[tuple[str, int]]]
) -> list[dict[str, object]]:
    labels = {
        "organisation": _("Herausgeber"),
        "theme": _("Thema"),
        "keyword": _("Schlagwort"),
        "format": _("Format"),
        "licence": _("Lizenz"),
        "district": _("Stadtbezirk"),
    }
    titles = selectors.facet_titles(facets)
    groups: list[dict[str, object]] = []
    for param, facet in _FILTER_PARAMS.items():
        chosen = set(base.get(param, []))
        items: list[dict[str, object]] = []
        for value, count in facets.get(facet, []):
            params = {k: list(v) for k, v in base.items()}
            values = set(params.get(param, []))
            values.symmetric_difference_update({value})
            params[param] = sorted(values)
            items.append(
                {
                    "label": titles.get((facet, value), value),
                    "count": count,
                    "active": value in chosen,
                    "url": "?" + urlencode({k: v for k, v in params.items() if v}, doseq=True),
                }
            )
        if items:
            groups.append({"label": labels[param], "items": items})
    return groups


def _negotiated(request: HttpRequest) -> str | None:
    accept = request.headers.get("Accept", "")
    for media_type, fmt in _ACCEPT:
        if media_type in accept and "text/html" not in accept:
            return fmt
    return None


def _rdf_response(body: str, fmt: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{dcat.MEDIA_TYPES[fmt]}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept"
    return response


def dataset(request: HttpRequest, name: str) -> HttpResponseBase:
    item = selectors.dataset_by_name(name)
    if item is None:
        raise Http404(_("Diesen Datensatz gibt es nicht."))
    fmt = _negotiated(request)
    if fmt is not None:
        return _rdf_response(dcat.serialise(dcat.dataset_graph(item), fmt), fmt)
    distributions = list(item.distributions.all())
    context = {
        "dataset": item,
        "distributions": distributions,
        "previews": preview.previews(request, item, distributions),
        "licence": vocab.licence(item.licence),
        "themes": [vocab.THEMES.get(code, code) for code in item.themes],
        "frequency": vocab.FREQUENCIES.get(item.frequency, item.frequency),
        "checks": item.quality.get("checks", []),
        "rating": quality.rating(item.quality_score),
        "maximum": quality.MAXIMUM,
        "dimensions": quality.DIMENSIONS,
        "examples": preview.examples(request, item, distributions),
        "dcat_rows": preview.dcat_rows(item, distributions),
    }
    response = render(request, "opendata/dataset.html", context)
    response["Vary"] = "Accept"
    return response


@require_GET
def dataset_iri(request: HttpRequest, name: str) -> HttpResponseBase:
    """The dataset's IRI: DCAT for a client that asks for RDF, otherwise 303 to the page people read."""
    fmt = _negotiated(request)
    if fmt is not None:
        return dataset_rdf(request, name, fmt)
    if not selectors.dataset_exists(name):
        raise Http404(_("Diesen Datensatz gibt es nicht."))
    response = redirect("opendata:dataset", name=name)
    response.status_code = 303
    return response


@require_GET
def dataset_rdf(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    item = selectors.dataset_by_name(name)
    if item is None:
        raise Http404(_("Diesen Datensatz gibt es nicht."))
    return _rdf_response(dcat.serialise(dcat.dataset_graph(item), fmt), fmt)


@require_GET
def catalogue_rdf(request: HttpRequest, fmt: str) -> HttpResponse:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise DomainError("invalid_page", _("Die Seite muss eine positive ganze Zahl sein."), 400)
    number = int(raw)
    datasets, total, modified = selectors.govdata_page(number, RDF_PER_PAGE)
    if number > 1 and not datasets:
        raise Http404(_("Diese Seite des Katalogs gibt es nicht."))
    graph = dcat.catalogue_graph(
        datasets, page=number, per_page=RDF_PER_PAGE, total=total, fmt=fmt, modified=modified
    )
    return _rdf_response(dcat.serialise(graph, fmt, compact=False), fmt)


@require_POST
@limit("opendata_download")
def download(request: HttpRequest, name: str, pk: int) -> HttpResponseRedirect:
    target = services.distribution_download(name=name, pk=pk)
    if target is None:
        raise Http404(_("Diese Datei gibt es nicht."))
    return HttpResponseRedirect(target, status=303)


@limit("opendata_request")
def requests(request: HttpRequest) -> HttpResponse:
    form = DatasetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.dataset_request_create(
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    requester=request.user if request.user.is_authenticated else None,
                )
            except DomainError as exc:
                status = page_error(request, exc, form=form)
            else:
                messages.success(
                    request, _("Danke! Ihr Wunsch ist eingegangen und erscheint in der Liste unten.")
                )
                return redirect("opendata:requests")
        else:
            status = 400
    page = Paginator(selectors.public_requests(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "opendata/requests.html", {"form": form, "page": page}, status=status)


def quality_overview(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.datasets_by_quality(), 50)
    share = selectors.share_above(300)
    context = {
        "organisations": selectors.quality_by_organisation(),
        "share_percent": None if share is None else round(share * 100),
        "page": page.get_page(request.GET.get("page")),
        "maximum": quality.MAXIMUM,
    }
    return render(request, "opendata/quality.html", context)
