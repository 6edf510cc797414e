"""The import pages of the providers' staff area (``/bildung/verwaltung/importe/``): their sources, the
report of every run (counts, errors per record), a new source, a file for a one-off import, and
"import now"."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.education import import_selectors, imports, selectors
from konzeptk.education.import_forms import SourceForm, UploadForm
from konzeptk.education.models import Provider

PAGE_SIZE = 25


def _providers(user: User) -> list[tuple[str, str]]:
    choices = [(str(p.pk), p.name) for p in selectors.managed_providers(user).order_by("name")]
    if not choices:
        raise DomainError(
            "not_allowed",
            _("Diese Seiten sind für Bildungsanbieter. Ihr Konto gehört zu keinem Anbieter."),
            403,
        )
    return choices


def _provider(user: User, pk: int) -> Provider:
    provider = selectors.managed_providers(user).filter(pk=pk).first()
    if provider is None:
        raise DomainError("not_allowed", _("Sie dürfen die Importe dieses Anbieters nicht verwalten."), 403)
    return provider


@login_required
@require_GET
def import_overview(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    _providers(user)
    page = Paginator(import_selectors.managed_runs(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "education/imports.html",
        {
            "sources": list(import_selectors.managed_sources(user)[:200]),
            "page": page,
            "runs": list(page.object_list),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_add(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = SourceForm(request.POST if request.method == "POST" else None, providers=_providers(user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                source = imports.source_create(
                    provider=_provider(user, form.cleaned_data["provider"]),
                    title=form.cleaned_data["title"],
                    fmt=form.cleaned_data["format"],
                    url=form.cleaned_data["url"],
                    actor=user,
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                return redirect("education:import_source", pk=source.pk)
        else:
            status = 400
    return render(request, "education/imports_source_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def file_upload(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        providers=_providers(user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = imports.file_import(
                    provider=_provider(user, form.cleaned_data["provider"]),
                    fmt=form.cleaned_data["format"],
                    content=form.cleaned_data["file"].read(),
                    actor=user,
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                return redirect("education:import_run", pk=run.pk)
        else:
            status = 400
    return render(request, "education/imports_upload.html", {"form": form}, status=status)


@login_required
@require_GET
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    source = import_selectors.managed_source(user, pk)
    if source is None:
        raise Http404
    page = Paginator(import_selectors.runs_of(source), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "education/imports_source.html",
        {
            "source": source,
            "page": page,
            "runs": list(page.object_list),
            "is_upload": source.url.startswith(imports.UPLOAD_PREFIX),
        },
    )


@login_required
@require_POST
def source_run(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    source = import_selectors.managed_source(user, pk)
    if source is None:
        raise Http404
    run = imports.source_run_now(source=source, actor=user)
    return redirect("education:import_run", pk=run.pk)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    run = import_selectors.managed_run(user, pk)
    if run is None:
        raise Http404
    return render(request, "education/imports_run.html", {"run": run, "source": run.source})
