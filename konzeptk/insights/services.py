"""Writes of insights: voluntary profiles with consent, statements, statement votes, and the
computation of a phase's opinion landscape (never on the request path of a vote)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from konzeptk.accounts import services as account_services
from konzeptk.accounts.models import Consent
from konzeptk.city.models import District
from konzeptk.core.errors import DomainError
from konzeptk.insights import rules, selectors, signals
from konzeptk.insights.engine import bridging as eb
from konzeptk.insights.engine.errors import EngineError
from konzeptk.insights.engine.votes import matrix_from_arrays
from konzeptk.insights.models import (
    STATEMENT_MAX,
    AgeBand,
    DemographicProfile,
    Gender,
    Language,
    MigrationBackground,
    OpinionLandscape,
    RepresentationSnapshot,
    Statement,
    StatementVote,
)
from konzeptk.insights.notification_kinds import STATEMENTS_WAITING
from konzeptk.notifications.services import notify
from konzeptk.participation.models import Phase, Process, Support

#: most dots drawn in the scatter plot (a fixed random sample above that)
SCATTER_MAX = 1500
MIN_GROUP = 5


def _denied(message: str) -> DomainError:
    """The person may not do this; the message says why, in their language."""
    return DomainError("denied", message, 403)


# --- Profile ----------------------------------------------------------------------------------
def _choice(value: str, choices: Any, field: str) -> str:
    value = (value or "").strip()
    if value and value not in choices.values:
        raise ValidationError({field: _("Bitte wählen Sie einen der angebotenen Werte.")})
    return value


@transaction.atomic
def profile_save(
    *,
    user: Any,
    consent_demographics: bool,
    age_band: str = "",
    gender: str = "",
    district: District | None = None,
    languages: list[str] | None = None,
    consent_migration: bool = False,
    migration_background: str = "",
) -> DemographicProfile | None:
    """Store the voluntary answers under the person's consent.

    Without consent to demographic answers nothing is stored (and existing answers are deleted, the
    consent withdrawn). The migration answer needs its own consent; without it the answer is removed
    and that consent withdrawn."""
    if not consent_demographics:
        profile_withdraw(user=user, purpose=Consent.Purpose.DEMOGRAPHICS)
        return None
    age_band = _choice(age_band, AgeBand, "age_band")
    gender = _choice(gender, Gender, "gender")
    languages = sorted({_choice(code, Language, "languages") for code in (languages or []) if code})
    layer = selectors.reference_layer()
    if district is not None and (layer is None or district.layer_id != layer.pk):
        raise ValidationError({"district": _("Bitte wählen Sie einen der angebotenen Stadtbezirke.")})
    migration_background = _choice(migration_background, MigrationBackground, "migration_background")
    if migration_background and not consent_migration:
        raise ValidationError(
            {
                "consent_migration": _(
                    "Die Angabe zur Migrationsgeschichte speichern wir nur mit Ihrer ausdrücklichen Einwilligung."
                )
            }
        )
    account_services.consent_give(user=user, purpose=Consent.Purpose.DEMOGRAPHICS)
    if consent_migration:
        account_services.consent_give(user=user, purpose=Consent.Purpose.MIGRATION)
    else:
        account_services.consent_withdraw(user=user, purpose=Consent.Purpose.MIGRATION)
        migration_background = ""
    profile, _created = DemographicProfile.objects.update_or_create(
        user=user,
        defaults={
            "age_band": age_band,
            "gender": gender,
            "district": district,
            "languages": languages,
            "migration_background": migration_background,
        },
    )
    return profile


@transaction.atomic
def profile_withdraw(*, user: Any, purpose: str) -> None:
    """Withdraw a consent and delete the answers it covered. (Answers left behind by a withdrawal on
    the account page are ignored by every computation, see selectors.consented_profiles.)"""
    if purpose == Consent.Purpose.DEMOGRAPHICS:
        account_services.consent_withdraw(user=user, purpose=Consent.Purpose.DEMOGRAPHICS)
        account_services.consent_withdraw(user=user, purpose=Consent.Purpose.MIGRATION)
        DemographicProfile.objects.filter(user=user).delete()
    elif purpose == Consent.Purpose.MIGRATION:
        account_services.consent_withdraw(user=user, purpose=Consent.Purpose.MIGRATION)
        DemographicProfile.objects.filter(user=user).update(migration_background="")
    else:
        raise ValidationError(_("Diese Einwilligung gibt es nicht."), code="unknown_purpose")


def suggest_district(
    *, postcode: str = "", lat: float | None = None, lon: float | None = None
) -> District | None:
    """A district to suggest in the profile form: from a point, or from a postcode that lies wholly
    or mostly in one district (by the places of the city profile with that postcode)."""
    layer = selectors.reference_layer()
    if layer is None:
        return None
    from shapely.geometry import Point, shape

    targets = [(d, shape(d.geometry)) for d in layer.districts.all()]
    if lat is not None and lon is not None:
        point = Point(lon, lat)
        return next((d for d, geom in targets if geom.covers(point)), None)
    postcode = (postcode or "").strip()
    if not postcode.isdigit() or len(postcode) != 5:
        return None
    from collections import Counter

    from konzeptk.city.models import PointOfInterest

    votes: Counter[int] = Counter()
    by_id = {d.pk: d for d, _ in targets}
    # Places of the profile whose address names the postcode (the loader keeps "street zip city").
    for plat, plon in PointOfInterest.objects.filter(
        profile_id=layer.profile_id, address__contains=f" {postcode} "
    ).values_list("lat", "lon"):
        point = Point(plon, plat)
        hit = next((d.pk for d, geom in targets if geom.covers(point)), None)
        if hit is not None:
            votes[hit] += 1
    if not votes:
        return None
    return by_id[votes.most_common(1)[0][0]]


# --- Statements and votes --------------------------------------------------------------------
def _clean_statement(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) < 5:
        raise ValidationError({"text": _("Bitte schreiben Sie eine Aussage mit mindestens 5 Zeichen.")})
    if len(text) > STATEMENT_MAX:
        raise ValidationError(
            {"text": _("Eine Aussage darf höchstens %(max)s Zeichen lang sein.") % {"max": STATEMENT_MAX}}
        )
    return text


@transaction.atomic
def statement_submit(*, phase: Phase, user: Any, text: str) -> Statement:
    """A participant proposes a statement; it is shown after moderation."""
    denial = rules.opine_denial(user, phase)
    if denial:
        raise _denied(denial)
    text = _clean_statement(text)
    if Statement.objects.filter(phase=phase, text__iexact=text).exists():
        raise ValidationError({"text": _("Diese Aussage gibt es schon.")})
    if Statement.objects.filter(phase=phase, author=user, status=Statement.Status.PENDING).count() >= 10:
        raise ValidationError(
            {
                "text": _(
                    "Sie haben schon zehn Aussagen eingereicht, die noch geprüft werden. Bitte warten Sie."
                )
            }
        )
    statement = Statement.objects.create(phase=phase, author=user, text=text)
    if selectors.pending_statements(phase) == 1:
        statement_moderators_notify(phase=phase)
    return statement


def statement_moderators_notify(*, phase: Phase) -> int:
    """Tell the moderators (inbox, and e-mail as each of them chose) that statements wait for
    moderation. Called when the first statement of a new batch arrives (none was waiting), so a
    busy phase sends one message per batch, not one per statement; the moderation page and the
    Meinungsbild page show the current count. Returns the number of people told."""
    process = phase.process
    url = reverse("insights:moderation", kwargs={"pk": phase.pk})
    return notify(
        recipients=selectors.statement_moderators(process),
        subject=_("Aussagen warten auf Prüfung: %(title)s") % {"title": process.title[:120]},
        body=_(
            "Im Meinungsbild „%(phase)s“ des Beteiligungsprozesses „%(process)s“ wartet eine neu eingereichte Aussage auf Ihre Prüfung. Erst nach der Freigabe sehen andere sie."
        )
        % {"phase": phase.display_name, "process": process.title},
        url=url,
        kind=STATEMENTS_WAITING,
    )


@transaction.atomic
def statement_seed(*, phase: Phase, by: Any, text: str) -> Statement:
    """Staff add a statement; it is approved at once."""
    if not rules.may_moderate_statements(by, phase):
        raise _denied(_("Nur die Moderation des Beteiligungsprozesses kann Aussagen setzen."))
    text = _clean_statement(text)
    if Statement.objects.filter(phase=phase, text__iexact=text).exists():
        raise ValidationError({"text": _("Diese Aussage gibt es schon.")})
    statement = Statement.objects.create(
        phase=phase, author=by, text=text, is_seed=True, status=Statement.Status.APPROVED, moderated_by=by
    )
    landscape_mark_stale(phase=phase)
    return statement


@transaction.atomic
def statement_moderate(*, statement: Statement, by: Any, approve: bool) -> Statement:
    if not rules.may_moderate_statements(by, statement.phase):
        raise _denied(_("Nur die Moderation des Beteiligungsprozesses kann Aussagen prüfen."))
    statement.status = Statement.Status.APPROVED if approve else Statement.Status.REJECTED
    statement.moderated_by = by
    statement.save(update_fields=["status", "moderated_by"])
    landscape_mark_stale(phase=statement.phase)
    return statement


@transaction.atomic
def statement_vote(*, statement: Statement, user: Any, value: int) -> StatementVote:
    """Record (or change) a vote. The landscape is only marked stale; it is recomputed after the
    transaction commits, in the background – never here."""
    if value not in StatementVote.Value.values:
        raise ValidationError({"value": _("Bitte wählen Sie: zustimmen, nicht zustimmen oder überspringen.")})
    denial = rules.opine_denial(user, statement.phase)
    if denial:
        raise _denied(denial)
    if statement.status != Statement.Status.APPROVED:
        raise _denied(_("Über diese Aussage kann nicht abgestimmt werden."))
    vote, _created = StatementVote.objects.update_or_create(
        statement=statement, user=user, defaults={"value": value, "created_at": timezone.now()}
    )
    landscape_mark_stale(phase=statement.phase)
    return vote


def landscape_mark_stale(*, phase: Phase) -> None:
    """Mark the phase's landscape as out of date and, after commit, ask the background worker."""
    now = timezone.now()
    updated = OpinionLandscape.objects.filter(phase=phase, stale=False).update(stale=True, stale_since=now)
    if not updated:
        OpinionLandscape.objects.get_or_create(phase=phase, defaults={"stale": True, "stale_since": now})
    phase_id = phase.pk
    transaction.on_commit(lambda: signals.landscape_stale.send(sender=OpinionLandscape, phase_id=phase_id))


def opinion_landscapes_recompute_pending(*, snapshots: bool = True) -> list[int]:
    """Recompute every stale phase now and take the missing snapshots of today; returns the ids of
    the recomputed phases (the background worker, the Celery task and ``recompute_insights``)."""
    done = []
    for phase in stale_phases():
        opinion_landscape_compute(phase=phase)
        done.append(phase.pk)
    if snapshots:
        representation_snapshots_take(only_missing=True)
    return done


# --- Computing the landscape ------------------------------------------------------------------
def _top(scores: np.ndarray, ids: list[int], n: int = 10) -> list[list[float]]:
    order = [
        j for j in np.argsort(-np.nan_to_num(scores, nan=-1.0), kind="stable") if not np.isnan(scores[j])
    ]
    return [[ids[j], round(float(scores[j]), 4)] for j in order[:n]]


def opinion_landscape_compute(*, phase: Phase) -> OpinionLandscape:
    """Run the engine on the phase's votes and store what the results page shows.

    Called by the background worker or ``konzeptk recompute_insights``; reads in a few queries,
    computes outside any transaction, writes one row."""
    landscape, _created = OpinionLandscape.objects.get_or_create(phase=phase)
    started_at = timezone.now()
    start = time.perf_counter()
    statements = list(Statement.objects.approved().filter(phase=phase).values_list("pk", flat=True))
    votes = list(
        StatementVote.objects.filter(statement__phase=phase, statement__status=Statement.Status.APPROVED)
        .order_by("user_id", "statement_id")
        .values_list("user_id", "statement_id", "value")
    )
    voters = sorted({u for u, _, _ in votes})
    row_of = {u: i for i, u in enumerate(voters)}
    col_of = {s: j for j, s in enumerate(statements)}
    fields: dict[str, Any] = {}
    # scikit-learn is imported here, in the background computation, not when a page process starts
    from konzeptk.insights.engine.opinion import opinion_groups

    try:
        matrix = matrix_from_arrays(
            [str(u) for u in voters],
            [str(s) for s in statements],
            np.array([row_of[u] for u, _, _ in votes], dtype=np.int32),
            np.array([col_of[s] for _, s, _ in votes], dtype=np.int32),
            np.array([v for _, _, v in votes], dtype=np.int8),
        )
        # The matrix orders voters/statements by id; map back.
        previous = np.array([landscape.labels.get(v, -1) for v in matrix.voter_ids], dtype=np.int64)
        result = opinion_groups(matrix, previous_labels=previous if (previous >= 0).any() else None)
    except EngineError as exc:
        fields = {
            "status": OpinionLandscape.Status.TOO_FEW,
            "message": str(exc),
            "result": {"participants": len(voters), "statements": len(statements), "votes": len(votes)},
        }
    else:
        fields = {
            "status": OpinionLandscape.Status.OK,
            "message": "",
            "labels": {v: int(g) for v, g in zip(matrix.voter_ids, result.labels, strict=True)},
            "result": _result_payload(phase, matrix, result),
        }
    fields["seconds"] = round(time.perf_counter() - start, 3)
    fields["computed_at"] = timezone.now()
    # Stale stays set when a vote came in while we computed.
    with transaction.atomic():
        row = OpinionLandscape.objects.select_for_update().get(pk=landscape.pk)
        for key, value in fields.items():
            setattr(row, key, value)
        if row.stale_since is None or row.stale_since <= started_at:
            row.stale = False
        row.save()
    return row


def _published_sizes(voter_ids: list[int], labels: Any, k: int) -> dict[str, Any]:
    """Participants, opinion group sizes and the ungrouped as published (cell-key method)."""
    from konzeptk.insights import privacy

    ring = privacy.keyring()
    people = [privacy.person_of_user(v) for v in voter_ids]
    return {
        "participants": ring.cell(people),
        "group_sizes": [
            ring.cell([p for p, g in zip(people, labels, strict=True) if g == group]) for group in range(k)
        ],
        "ungrouped": ring.cell([p for p, g in zip(people, labels, strict=True) if g < 0]),
    }


def _result_payload(phase: Phase, matrix: Any, result: Any) -> dict[str, Any]:
    statement_ids = [int(s) for s in matrix.statement_ids]
    voter_ids = [int(v) for v in matrix.voter_ids]
    k = result.k
    sizes = result.group_sizes
    labels = result.labels
    # Scatter: a fixed sample of dots, coordinates rounded (no ids).
    n = len(voter_ids)
    pick = np.arange(n)
    if n > SCATTER_MAX:
        pick = np.sort(np.random.default_rng(0).choice(n, size=SCATTER_MAX, replace=False))
    points = [
        [round(float(result.coords[i, 0]), 3), round(float(result.coords[i, 1]), 3), int(labels[i])]
        for i in pick
    ]
    # Group × statement rates (smoothed agree share), for the tables; small groups are not described.
    rates = ((result.agree + 1.0) / (result.seen + 2.0)).round(3).tolist()
    repness = [
        [
            {
                "statement": int(r.statement),
                "direction": r.direction,
                "rate": round(r.rate_in_group, 3),
                "rest": round(r.rate_in_rest, 3),
                "significant": r.significant,
            }
            for r in group
        ]
        for group in result.representative
    ]
    # Bridging across districts (statements): agreement per district among voters with a consented district.
    layer = selectors.reference_layer()
    district_bridging: list[list[float]] = []
    idea_groups: list[list[float]] = []
    idea_districts: list[list[float]] = []
    district_names: dict[int, str] = {}
    if layer is not None:
        profiles = selectors.consented_profiles(voter_ids, layer=layer)
        district_ids = list(layer.districts.order_by("code").values_list("id", flat=True))
        district_names = dict(layer.districts.values_list("id", "name"))
        index = {d: i for i, d in enumerate(district_ids)}
        voter_district = np.array(
            [index.get(profiles[v].district_id or -1, -1) if v in profiles else -1 for v in voter_ids],
            dtype=np.int64,
        )
        dist_of_vote = voter_district[matrix.rows]
        keep = dist_of_vote >= 0
        if keep.any() and district_ids:
            g = len(district_ids)
            m = len(statement_ids)
            keys = dist_of_vote[keep] * m + matrix.cols[keep]
            seen = np.bincount(keys, minlength=g * m).reshape(g, m)
            agree = np.bincount(keys, weights=(matrix.values[keep] == 1), minlength=g * m).reshape(g, m)
            scores = eb.bridging_scores(agree.T, seen.T, min_trials=MIN_GROUP)
            district_bridging = _top(scores, statement_ids)
        # Ideas of the process: supports by opinion group and by district.
        supports = list(
            Support.objects.filter(
                idea__process_id=phase.process_id, idea__is_hidden=False, idea__deleted_at__isnull=True
            ).values_list("idea_id", "user_id")
        )
        idea_ids = sorted({i for i, _ in supports})
        if idea_ids:
            pos = {i: j for j, i in enumerate(idea_ids)}
            group_of = {v: int(labels[i]) for i, v in enumerate(voter_ids) if labels[i] >= 0}
            pairs = [(pos[i], group_of[u]) for i, u in supports if u in group_of]
            if pairs:
                items, groups = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
                counts = eb.group_support(items, groups, n_items=len(idea_ids), n_groups=k)
                trials = np.tile(np.array(sizes, dtype=float), (len(idea_ids), 1))
                scores = eb.bridging_scores(counts, np.maximum(trials, counts), min_trials=MIN_GROUP)
                idea_groups = _top(scores, idea_ids)
            dist_of = {
                v: index[profiles[v].district_id or -1]
                for v in voter_ids
                if v in profiles and profiles[v].district_id in index
            }
            pairs = [(pos[i], dist_of[u]) for i, u in supports if u in dist_of]
            if pairs and district_ids:
                items, dists = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
                counts = eb.group_support(items, dists, n_items=len(idea_ids), n_groups=len(district_ids))
                people = np.bincount(
                    np.array(list(dist_of.values()), dtype=np.int64), minlength=len(district_ids)
                )
                trials = np.tile(people.astype(float), (len(idea_ids), 1))
                scores = eb.bridging_scores(counts, np.maximum(trials, counts), min_trials=MIN_GROUP)
                idea_districts = _top(scores, idea_ids)
    return {
        "participants": n,
        # what the page and the API show of the group sizes: published through the cell-key method
        "published": _published_sizes(voter_ids, labels, k),
        "statements": len(statement_ids),
        "votes": int(matrix.n_votes),
        "k": k,
        "group_sizes": sizes,
        "ungrouped": result.ungrouped,
        "silhouettes": {str(key): round(v, 3) for key, v in result.silhouettes.items()},
        "explained": [round(float(x), 3) for x in result.explained_variance[:2]],
        "points": points,
        "statement_ids": statement_ids,
        "rates": rates,
        "repness": repness,
        "consensus": _top(result.consensus, statement_ids),
        "bridging": _top(result.bridging, statement_ids),
        "district_bridging": district_bridging,
        "idea_bridging_groups": idea_groups,
        "idea_bridging_districts": idea_districts,
        "district_names": {str(d): name for d, name in district_names.items()},
    }


def stale_phases() -> list[Phase]:
    return list(Phase.objects.filter(opinion_landscape__stale=True).select_related("process").order_by("pk"))


# --- Representation over time -----------------------------------------------------------------
def representation_snapshot_take(
    *, process: Process | None, day: dt.date | None = None, as_of: dt.datetime | None = None
) -> int:
    """Store today's (or ``day``'s) representation of a process (``None``: the platform), cell by
    cell as published: every count is the published one (cell-key method), so a stored day never
    shows more than its page did. Besides the groups, rows of ``table="total"`` keep the number of
    participants (``group=""``), of people with a profile (``"profile"``) and each table's total
    (``group=<table key>``). Taking it again on the same day replaces that day's rows (idempotent
    per day). ``as_of`` counts only the people who had taken part by then (the demo fills past weeks
    with it). Returns the number of rows stored."""
    from konzeptk.insights import analysis

    day = day or timezone.localdate()
    with translation.override("de"):  # labels are kept for reference only; pages label by key
        report = analysis.representation_report(process, as_of=as_of)

    def total(group: str, value: int) -> RepresentationSnapshot:
        return RepresentationSnapshot(
            process=process,
            day=day,
            table="total",
            group=group,
            label="",
            participants=value,
            population_share=1.0,
        )

    rows = [total("", report.participants), total("profile", report.with_profile)]
    for table in report.tables:
        if table.error:
            continue
        rows.append(total(table.key, table.known))
        for row in table.rows:
            rows.append(
                RepresentationSnapshot(
                    process=process,
                    day=day,
                    table=row.table,
                    group=row.group,
                    label=row.label[:200],
                    participants=row.participants,
                    population_share=row.population_share,
                    ratio=row.ratio,
                    ci_low=row.ci_low,
                    ci_high=row.ci_high,
                    suppressed=False,
                    under=row.under,
                    clearly_under=row.clearly_under,
                )
            )
    with transaction.atomic():
        RepresentationSnapshot.objects.filter(process=process, day=day).delete()
        RepresentationSnapshot.objects.bulk_create(rows)
    return len(rows)


def representation_snapshots_take(*, only_missing: bool = False, day: dt.date | None = None) -> int:
    """Today's snapshot of every running process and of the platform. ``only_missing``: skip those
    that already have one today (the background worker and ``--watch`` call it often). Returns the
    number of snapshots taken."""
    day = day or timezone.localdate()
    targets: list[Process | None] = [None, *selectors.running_processes()]
    if only_missing:
        have = set(
            RepresentationSnapshot.objects.filter(day=day, table="total").values_list("process_id", flat=True)
        )
        targets = [p for p in targets if (p.pk if p else None) not in have]
    for process in targets:
        representation_snapshot_take(process=process, day=day)
    return len(targets)
