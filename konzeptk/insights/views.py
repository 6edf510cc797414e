"""Pages of insights. Thin: parse the request, call one service or selector, render."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from konzeptk.accounts.models import Consent
from konzeptk.core import charts
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.insights import analysis, background, privacy, rules, selectors, services
from konzeptk.insights.forms import ModerateForm, ProfileForm, StatementForm, VoteForm
from konzeptk.insights.models import OpinionLandscape
from konzeptk.participation.models import Phase, Process


def _process_or_404(request: HttpRequest, slug: str) -> Process:
    process = selectors.process_for_page(slug)
    if process is None or not rules.may_view_public(request.user, process):
        raise Http404(_("Diesen Beteiligungsprozess gibt es nicht."))
    return process


def _phase_or_404(request: HttpRequest, pk: int) -> Phase:
    phase = selectors.opinion_phase_for_page(pk)
    if phase is None or not rules.may_view_public(request.user, phase.process):
        raise Http404(_("Dieses Meinungsbild gibt es nicht."))
    return phase


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field_name, errors in exc.message_dict.items():
        target = field_name if field_name in form.fields else None
        for error in errors:
            form.add_error(target, error)


# --- Overview ---------------------------------------------------------------------------------
def index(request: HttpRequest) -> HttpResponse:
    processes = selectors.public_processes_with_phases()
    now = timezone.now()
    core_team = rules.may_view_monitor(request.user, None)
    flags = selectors.latest_flags([p.pk for p in processes]) if core_team else {}
    items = [
        {
            "process": p,
            "flags": flags.get(p.pk),
            "landscapes": selectors.meinungsbild_phases(p),
            "running": any(ph.is_active(now) for ph in selectors.meinungsbild_phases(p)),
        }
        for p in processes
    ]
    return render(
        request,
        "insights/index.html",
        {"items": items, "core_team": core_team},
    )


# --- Profile ----------------------------------------------------------------------------------
@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    layer = selectors.reference_layer()
    districts = list(layer.districts.defer("geometry").order_by("code")) if layer else []
    current = selectors.profile_of(user)
    purposes = selectors.active_purposes(user)
    suggestion = None
    if request.method == "POST":
        form = ProfileForm(request.POST, districts=districts)
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("suggest") is not None:
                suggestion = services.suggest_district(postcode=data["postcode"])
                if suggestion is None:
                    form.add_error(
                        "postcode",
                        _(
                            "Zu dieser Postleitzahl kennen wir keinen Stadtbezirk. Bitte wählen Sie ihn selbst aus."
                        ),
                    )
                else:
                    values = request.POST.copy()
                    values["district"] = str(suggestion.pk)
                    form = ProfileForm(values, districts=districts)
                    form.is_valid()
            else:
                try:
                    services.profile_save(
                        user=user,
                        consent_demographics=data["consent_demographics"],
                        age_band=data["age_band"],
                        gender=data["gender"],
                        district=data["district"],
                        languages=data["languages"],
                        consent_migration=data["consent_migration"],
                        migration_background=data["migration_background"],
                    )
                except ValidationError as exc:
                    _apply_errors(form, exc)
                else:
                    if data["consent_demographics"]:
                        messages.success(request, _("Ihre freiwilligen Angaben sind gespeichert."))
                    else:
                        messages.success(
                            request,
                            _("Sie haben keine Einwilligung erteilt. Es sind keine Angaben gespeichert."),
                        )
                    return redirect("insights:profile")
    else:
        initial: dict[str, Any] = {
            "consent_demographics": Consent.Purpose.DEMOGRAPHICS in purposes,
            "consent_migration": Consent.Purpose.MIGRATION in purposes,
        }
        if current is not None:
            initial.update(
                age_band=current.age_band,
                gender=current.gender,
                district=current.district_id,
                languages=current.languages,
                migration_background=current.migration_background,
            )
        form = ProfileForm(initial=initial, districts=districts)
    return render(
        request,
        "insights/profile.html",
        {
            "form": form,
            "profile": current,
            "has_demographics": Consent.Purpose.DEMOGRAPHICS in purposes,
            "has_migration": Consent.Purpose.MIGRATION in purposes,
            "suggestion": suggestion,
        },
    )


@login_required
@require_POST
def profile_withdraw(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in (Consent.Purpose.DEMOGRAPHICS, Consent.Purpose.MIGRATION):
        raise Http404
    services.profile_withdraw(user=request.user, purpose=purpose)
    if purpose == Consent.Purpose.MIGRATION:
        messages.success(
            request,
            _("Sie haben die Einwilligung zur Migrationsgeschichte widerrufen. Die Angabe ist gelöscht."),
        )
    else:
        messages.success(
            request,
            _(
                "Sie haben die Einwilligung widerrufen. Ihre freiwilligen Angaben sind gelöscht und zählen in keiner Auswertung mehr."
            ),
        )
    return redirect("insights:profile")


# --- Representation, weighting, cohesion ----------------------------------------------------
def _week_chart(report_weeks: list[analysis.WeekPoint]) -> charts.LineChart | None:
    return charts.line_chart([(w.day.strftime("%d.%m.%Y"), w.dissimilarity) for w in report_weeks])


def _representation_page(request: HttpRequest, process: Process | None) -> HttpResponse:
    staff = rules.may_view_monitor(request.user, process)
    report = analysis.cached(
        "representation",
        process,
        lambda: analysis.representation_report(process, suggestions=staff),
        staff,
    )
    history = analysis.representation_history(process, report.flagged)
    today = timezone.localdate()
    running = process is None or any(p.is_active() for p in process.phases.all())
    if running and (not history.days or history.days[-1] != today):
        background.enqueue_snapshots()  # taken in the background, never on this request
    return render(
        request,
        "insights/representation.html",
        {
            "process": process,
            "report": report,
            "history": history,
            "staff": staff,
            "chart": _week_chart(report.weeks),
            "participants_text": analysis.small(report.participants),
            "with_profile_text": analysis.small(report.with_profile),
            "max_deviation": privacy.MAX_DEVIATION,
        },
    )


def process_representation(request: HttpRequest, slug: str) -> HttpResponse:
    return _representation_page(request, _process_or_404(request, slug))


def platform_representation(request: HttpRequest) -> HttpResponse:
    return _representation_page(request, None)


#: survey questions per page of the weighted results
SURVEY_QUESTIONS_PER_PAGE = 10


def process_weighted(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    report = analysis.cached("weighting", process, lambda: analysis.weighting_report(process))
    return render(
        request,
        "insights/weighted.html",
        {
            "process": process,
            "report": report,
            "survey_page": Paginator(report.survey_blocks, SURVEY_QUESTIONS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "weighted_people_text": analysis.small(report.weighted_people),
            "max_deviation": privacy.MAX_DEVIATION,
            "min_described": privacy.MIN_DESCRIBED,
        },
    )


def _cohesion_page(request: HttpRequest, process: Process | None) -> HttpResponse:
    report = analysis.cached("cohesion", process, lambda: analysis.cohesion_report(process))
    return render(
        request,
        "insights/cohesion.html",
        {
            "process": process,
            "report": report,
            "chart": _week_chart(report.weeks),
            "max_deviation": privacy.MAX_DEVIATION,
            "min_described": privacy.MIN_DESCRIBED,
        },
    )


def process_cohesion(request: HttpRequest, slug: str) -> HttpResponse:
    return _cohesion_page(request, _process_or_404(request, slug))


def platform_cohesion(request: HttpRequest) -> HttpResponse:
    return _cohesion_page(request, None)


# --- Meinungsbild -----------------------------------------------------------------------------
def _order_key(seed: str, pk: int) -> str:
    return hashlib.sha256(f"{seed}:{pk}".encode()).hexdigest()


@never_cache
@limit("opinion_vote")
def opine(request: HttpRequest, pk: int) -> HttpResponse:
    """One statement at a time in a random order of its own for each person; a form per statement."""
    phase = _phase_or_404(request, pk)
    user = request.user
    denial = rules.opine_denial(user, phase)
    vote_form = VoteForm()
    if request.method == "POST":
        vote_form = VoteForm(request.POST)
        if not vote_form.is_valid():
            messages.error(request, _("Bitte wählen Sie: zustimmen, nicht zustimmen oder überspringen."))
            return redirect("insights:opine", pk=phase.pk)
        statement = selectors.statement_in_phase(
            phase, vote_form.cleaned_data["statement"], with_process=True
        )
        if statement is None:
            messages.error(request, _("Diese Aussage gibt es nicht."))
            return redirect("insights:opine", pk=phase.pk)
        try:
            services.statement_vote(statement=statement, user=user, value=vote_form.cleaned_data["value"])
        except DomainError as exc:
            page_error(request, exc)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("insights:opine", pk=phase.pk)
    statements = selectors.approved_statements(phase)
    voted = selectors.voted_statement_ids(phase, user)
    seed = f"{user.pk if user.is_authenticated else 0}:{phase.pk}"
    remaining = sorted((s for s in statements if s[0] not in voted), key=lambda s: _order_key(seed, s[0]))
    current = remaining[0] if remaining else None
    may_moderate = rules.may_moderate_statements(user, phase)
    return render(
        request,
        "insights/opine.html",
        {
            "phase": phase,
            "process": phase.process,
            "denial": denial,
            "current": current,
            "done": len(statements) - len(remaining),
            "total": len(statements),
            "statement_form": StatementForm(),
            "may_moderate": may_moderate,
            "pending": selectors.pending_statements(phase) if may_moderate else 0,
        },
    )


@require_POST
@limit("statement")
def statement_submit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _phase_or_404(request, pk)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            services.statement_submit(phase=phase, user=request.user, text=form.cleaned_data["text"])
        except DomainError as exc:
            page_error(request, exc)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Danke! Ihre Aussage wird geprüft und dann anderen gezeigt."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("insights:opine", pk=phase.pk)


#: opinion groups are named by letters, in the order of their size
GROUP_NAMES = ("A", "B", "C", "D", "E")


def _label(group: int) -> str:
    return GROUP_NAMES[group] if 0 <= group < len(GROUP_NAMES) else "–"


def landscape(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _phase_or_404(request, pk)
    row = selectors.landscape_of(phase)
    context: dict[str, Any] = {"phase": phase, "process": phase.process, "landscape": row}
    if row is not None and row.status == OpinionLandscape.Status.OK:
        result = row.result
        texts = selectors.statement_texts(result["statement_ids"])
        column = {sid: j for j, sid in enumerate(result["statement_ids"])}
        sizes = result["group_sizes"]
        # Counts of people as published (cell-key method); a result computed before it has none.
        published = result.get("published") or {}
        shown_sizes = published.get("group_sizes") or [None] * len(sizes)
        shown = [
            g
            for g, size in enumerate(sizes)
            if size >= services.MIN_GROUP and privacy.large_enough(shown_sizes[g])
        ]
        groups = []
        for g, _size in enumerate(sizes):
            described = g in shown
            groups.append(
                {
                    "name": _label(g),
                    "mark": charts.MARKS[g % len(charts.MARKS)],
                    "index": g,
                    "size": shown_sizes[g],
                    "described": described,
                    "repness": [
                        {**r, "text": texts.get(r["statement"], ""), "percent": round(r["rate"] * 100)}
                        for r in result["repness"][g]
                    ]
                    if described
                    else [],
                }
            )

        def rows(pairs: list[list[float]]) -> list[dict[str, Any]]:
            out = []
            for sid, score in pairs:
                j = column.get(int(sid))
                out.append(
                    {
                        "text": texts.get(int(sid), ""),
                        "score": round(score * 100),
                        "by_group": [round(result["rates"][g][j] * 100) for g in shown]
                        if j is not None
                        else [],
                    }
                )
            return out

        idea_ids = {int(i) for i, _ in result["idea_bridging_groups"] + result["idea_bridging_districts"]}
        ideas = selectors.idea_titles(idea_ids)
        context.update(
            scatter=charts.scatter(result["points"]),
            groups=groups,
            shown_groups=[_label(g) for g in shown],
            consensus=rows(result["consensus"]),
            bridging=rows(result["bridging"]),
            district_bridging=[
                {"text": texts.get(int(s), ""), "score": round(v * 100)}
                for s, v in result["district_bridging"]
            ],
            ideas_bridging=_ideas_bridging(phase, ideas, result),
            result=result,
            participants=published.get("participants"),
            ungrouped=published.get("ungrouped"),
            max_deviation=privacy.MAX_DEVIATION,
            min_described=privacy.MIN_DESCRIBED,
        )
    return render(request, "insights/landscape.html", context)


def _ideas_bridging(phase: Phase, titles: dict[int, str], result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per idea with its bridging score across opinion groups and across districts (either
    may be missing), best first by the mean of the known scores."""
    by_idea: dict[int, dict[str, Any]] = {}
    for column, pairs in (
        ("groups", result["idea_bridging_groups"]),
        ("districts", result["idea_bridging_districts"]),
    ):
        for idea_id, score in pairs:
            pk = int(idea_id)
            if pk not in titles:
                continue
            row = by_idea.setdefault(
                pk,
                {
                    "title": titles[pk],
                    "url": analysis.idea_url(phase.process.slug, pk),
                    "groups": None,
                    "districts": None,
                },
            )
            row[column] = round(score * 100)
    rows = list(by_idea.values())
    for row in rows:
        known = [v for v in (row["groups"], row["districts"]) if v is not None]
        row["order"] = sum(known) / len(known)
    rows.sort(key=lambda r: (-r["order"], r["title"]))
    return rows


@login_required
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _phase_or_404(request, pk)
    if not rules.may_moderate_statements(request.user, phase):
        raise PermissionDenied(_("Nur die Moderation des Beteiligungsprozesses kann Aussagen prüfen."))
    seed_form = StatementForm()
    if request.method == "POST":
        if "decision" in request.POST:
            form = ModerateForm(request.POST)
            statement = None
            if form.is_valid():
                statement = selectors.statement_in_phase(phase, form.cleaned_data["statement"])
            if statement is None:
                messages.error(request, _("Diese Aussage gibt es nicht."))
            else:
                services.statement_moderate(
                    statement=statement, by=request.user, approve=form.cleaned_data["decision"] == "approve"
                )
                messages.success(request, _("Die Entscheidung ist gespeichert."))
            return redirect("insights:moderation", pk=phase.pk)
        seed_form = StatementForm(request.POST)
        if seed_form.is_valid():
            try:
                services.statement_seed(phase=phase, by=request.user, text=seed_form.cleaned_data["text"])
            except ValidationError as exc:
                _apply_errors(seed_form, exc)
            else:
                messages.success(request, _("Die Aussage ist freigegeben."))
                return redirect("insights:moderation", pk=phase.pk)
    page = Paginator(selectors.pending_statement_list(phase), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/moderation.html",
        {
            "phase": phase,
            "process": phase.process,
            "page": page,
            "seed_form": seed_form,
            "approved": selectors.approved_statement_count(phase),
            "landscape": selectors.landscape_of(phase),
            "opine_url": reverse("insights:opine", kwargs={"pk": phase.pk}),
        },
    )
