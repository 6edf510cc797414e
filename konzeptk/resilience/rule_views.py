"""The staff pages of the city's rules (``/warnungen/verwaltung/regeln/``): list, create, change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.core.content import content_translations, german
from konzeptk.resilience import evaluation, rule_selectors
from konzeptk.resilience.models import Rule
from konzeptk.resilience.rule_forms import RuleForm

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> None:
    if not request.user.has_perm("resilience.manage_alerts"):
        raise PermissionDenied


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    page = Paginator(rule_selectors.rules_with_state(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "resilience/rule_list.html", {"page": page, "rules": list(page.object_list)})


def _initial(rule: Rule) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(rule, name) for name in evaluation.RULE_FIELDS}
    initial.update({name: german(rule, name) for name in RuleForm.translated_fields})
    initial.update(content_translations(rule, RuleForm.translated_fields))
    initial["districts"] = list(rule.districts.all())
    return initial


def _edit(request: HttpRequest, rule: Rule | None) -> HttpResponse:
    _staff(request)
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            saved = evaluation.rule_save(
                values={name: data[name] for name in evaluation.RULE_FIELDS},
                texts={name: data[name] or "" for name in RuleForm.translated_fields},
                translations=form.translations(),
                districts=list(data["districts"]),
                rule=rule,
            )
            messages.success(request, _("Die Regel „%(name)s“ ist gespeichert.") % {"name": saved.name})
            return redirect("resilience:rule_list")
        status = 400
    else:
        form = RuleForm(initial=_initial(rule) if rule else None)
        status = 200
    return render(request, "resilience/rule_form.html", {"form": form, "rule": rule}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    rule = rule_selectors.rule_by_pk(pk)
    if rule is None:
        raise Http404
    return _edit(request, rule)
