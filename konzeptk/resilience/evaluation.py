"""Evaluating the city's rules on sensor data: episodes in the database, one alert per episode.

Sensing calls :func:`on_observations_written` after every stored request or batch (its ingest hook
registry, registered in ``apps.py``); beat runs :func:`rules_evaluate_all` every few minutes as a safety net
(``resilience.evaluate_rules``). Both end in :func:`rule_evaluate`, which is idempotent:

- it locks the rule's row, so evaluations of one rule run one after another (two requests at the same
  moment, the hook and the safety net);
- it replays the series from the start of the open episode (or from the new data) to the latest value
  (``rules.runs_of`` / ``rules.episodes_of``; for plain series the database groups the observations into runs,
  so a flood of 10,000 readings returns a handful of rows);
- the open episode in the database – at most one per rule (a unique constraint) – is carried forward: the
  alert is raised once, when the minimum duration has held, and ended once the value is past the threshold
  and the hysteresis;
- an episode that began and ended within data arriving late is recorded with an alert that is already
  over (shown under past warnings, sent to nobody), unless an episode of the rule already covers that time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from konzeptk.resilience import alerts
from konzeptk.resilience import rules as maths
from konzeptk.resilience.models import Episode, Rule
from konzeptk.sensing.ingest_hook_registry import Written
from konzeptk.sensing.models import Observation

#: data older than this before the newest evaluation point is not replayed (a backfill raises nothing)
MAX_REPLAY = dt.timedelta(days=31)
#: what the scheduled safety net looks back over (plus the rule's minimum duration)
SAFETY_LOOKBACK = dt.timedelta(hours=6)
RAW_KINDS = frozenset({maths.HEAT, maths.LEVEL_ABOVE, maths.LEVEL_BELOW})


@dataclass(frozen=True)
class Batch:
    """One stored batch of a rule's Datastream as the writer reported it: span of times, extremes of values."""

    first: dt.datetime
    last: dt.datetime
    lowest: float
    highest: float


@dataclass
class Outcome:
    raised: list[int] = field(default_factory=list)  # warning ids raised now (and sent)
    ended: list[int] = field(default_factory=list)
    recorded: list[int] = field(default_factory=list)  # past episodes found in late data (not sent)


def watched_datastream_ids() -> set[int]:
    """The Datastreams active rules look at (the ingest hook is only called for these)."""
    ids: set[int] = set()
    for main, humidity in Rule.objects.filter(active=True).values_list(
        "datastream_id", "humidity_datastream_id"
    ):
        ids.add(main)
        if humidity is not None:
            ids.add(humidity)
    return ids


def on_observations_written(written: Written) -> None:
    """The ingest hook: evaluate the active rules on the Datastreams of a stored batch."""
    ids = written.datastream_ids
    wanted = Rule.objects.filter(active=True).filter(
        Q(datastream_id__in=ids) | Q(humidity_datastream_id__in=ids)
    )
    for rule_id, main, humidity in wanted.values_list("pk", "datastream_id", "humidity_datastream_id"):
        spans = [written.spans[pk] for pk in (main, humidity) if pk in written.spans]
        batch = None
        if humidity is None and main in written.results:  # the writer told the batch's extremes
            batch = Batch(*written.spans[main], *written.results[main])
        rule_evaluate(rule_id=rule_id, since=min(start for start, _end in spans), batch=batch)


def rules_evaluate_all(*, now: dt.datetime | None = None) -> Outcome:
    """The safety net: every active rule over the last hours (what a lost hook call left behind)."""
    now = now or timezone.now()
    total = Outcome()
    for rule_id, minutes in Rule.objects.filter(active=True).values_list("pk", "min_duration_minutes"):
        outcome = rule_evaluate(
            rule_id=rule_id, since=now - SAFETY_LOOKBACK - dt.timedelta(minutes=minutes), now=now
        )
        total.raised += outcome.raised
        total.ended += outcome.ended
        total.recorded += outcome.recorded
    return total


def _lookback(kind: str, since: dt.datetime) -> dt.datetime:
    if kind == maths.RAIN:
        return since - maths.RAIN_WINDOW
    if kind == maths.TROPICAL_NIGHT:
        return maths.night_of(since)
    if kind == maths.FELT_HEAT:
        return since - dt.timedelta(minutes=maths.PAIR_MINUTES)
    return since


def _aware(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        parsed = parse_datetime(str(value))
        if parsed is None:  # pragma: no cover – the database gave a time it stored itself
            raise ValueError(f"no time: {value!r}")
        moment = parsed
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _raw_runs(rule: Rule, start: dt.datetime) -> list[maths.Run]:
    """The runs of a plain series, grouped by the database (gaps and islands): one row per run."""
    holds, cleared, bound = _conditions(rule)
    table = Observation._meta.db_table
    sql = (
        "SELECT cls, MIN(t), MAX(t), MAX(v), MIN(v) FROM ("  # noqa: S608 – constant names
        " SELECT t, v, cls, ROW_NUMBER() OVER (ORDER BY t, id)"
        "  - ROW_NUMBER() OVER (PARTITION BY cls ORDER BY t, id) AS grp FROM ("
        f"  SELECT phenomenon_time_start AS t, id, result_number AS v,"
        f"   CASE WHEN {holds} THEN 1 WHEN {cleared} THEN -1 ELSE 0 END AS cls"
        f"  FROM {table} WHERE datastream_id = %s AND phenomenon_time_start >= %s"
        "   AND result_number IS NOT NULL) a) b GROUP BY cls, grp ORDER BY MIN(t)"
    )
    params = [rule.threshold, bound, rule.datastream_id, connection.ops.adapt_datetimefield_value(start)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    below = maths.KINDS[rule.kind].direction == "below"
    return [
        maths.Run(int(cls), _aware(first), _aware(last), float(low if below else high))
        for cls, first, last, high, low in rows
    ]


def _points(datastream_id: int, start: dt.datetime) -> list[maths.Point]:
    rows = (
        Observation.objects.filter(
            datastream_id=datastream_id, phenomenon_time_start__gte=start, result_number__isnull=False
        )
        .order_by("phenomenon_time_start", "pk")
        .values_list("phenomenon_time_start", "result_number")
    )
    return [(at, float(value)) for at, value in rows if value is not None]


def _runs(rule: Rule, start: dt.datetime, now: dt.datetime) -> list[maths.Run]:
    kind = rule.kind
    if _plain(rule):
        return _raw_runs(rule, start)
    points = _points(rule.datastream_id, start)
    if kind == maths.RAIN:
        points = maths.rain_hourly(points)
    elif kind == maths.TROPICAL_NIGHT:
        points = maths.night_minima(points, now=now)
    elif kind == maths.FELT_HEAT:
        humidity = _points(rule.humidity_datastream_id, start) if rule.humidity_datastream_id else []
        points = maths.felt_points(points, humidity)
    return maths.runs_of(points, kind=kind, threshold=rule.threshold, hysteresis=rule.hysteresis)


def _overlaps(episode_start: dt.datetime, episode_end: dt.datetime | None, sim: maths.SimEpisode) -> bool:
    sim_end = sim.ended_at or sim.last
    return sim.start <= (episode_end or sim_end) and sim_end >= episode_start


def rule_evaluate(
    *, rule_id: int, since: dt.datetime, now: dt.datetime | None = None, batch: Batch | None = None
) -> Outcome:
    """Evaluate one rule on the data from ``since`` on; idempotent.

    An open episode is carried: its state (start, peak, latest time) stands for the data it has seen, so only
    the data from ``since`` (or from the episode's latest time) is read – unless data from before the episode
    arrived, then the replay starts there. For plain series one aggregate first decides the common cases
    without reading runs: nothing over the threshold and no episode open, or an alert in force and nothing
    past the hysteresis (a flood of data). With the ingest hook's ``batch`` those cases are decided from the
    batch's extremes, without reading the series (:func:`_settled_by_batch`)."""
    now = now or timezone.now()
    outcome = Outcome()
    with transaction.atomic():
        rule = Rule.objects.select_for_update().filter(pk=rule_id, active=True).first()
        if rule is None:
            return outcome
        current = Episode.objects.filter(rule=rule, ended_at__isnull=True).first()
        ongoing: maths.SimEpisode | None = None
        if current is not None and since >= current.condition_since:
            last = current.last_phenomenon_time or current.condition_since
            start = min(since, last)
            ongoing = maths.SimEpisode(
                start=current.condition_since, peak=current.peak if current.peak is not None else rule.threshold,
                last=last, raised_at=current.raised_at,
            )  # fmt: skip
        else:
            start = since if current is None else min(since, current.condition_since)
        start = max(start, now - MAX_REPLAY)
        if _plain(rule):
            if (
                batch is not None
                and batch.first >= start
                and _settled_by_batch(rule, current, ongoing, batch)
            ):
                return outcome
            if _settled_by_summary(rule, current, start):
                return outcome
        runs = _runs(rule, _lookback(rule.kind, start), now)
        raised = current is not None and current.raised_at is not None
        sims = maths.episodes_of(
            runs,
            kind=rule.kind,
            min_duration=dt.timedelta(minutes=rule.min_duration_minutes),
            raised_since=current.condition_since if raised and current else None,
            raised_through=current.last_phenomenon_time if raised and current else None,
            ongoing=ongoing,
        )
        sims = [s for s in sims if s.carried or (s.ended_at or s.last) >= start]
        if current is not None:
            if ongoing is not None:
                mine = next((s for s in sims if s.carried), None)
            else:
                mine = next(
                    (s for s in sims if _overlaps(current.condition_since, current.last_phenomenon_time, s)),
                    None,
                )
            if mine is not None:
                sims.remove(mine)
                _carry(rule, current, mine, now, outcome)
            elif current.raised_at is None:
                current.delete()  # the condition broke before the minimum duration
        for sim in sims:
            if sim.ended_at is not None:
                _record_past(rule, sim, now, outcome)
            else:
                _open(rule, sim, now, outcome)
    return outcome


def _plain(rule: Rule) -> bool:
    return rule.kind in RAW_KINDS or (rule.kind == maths.RAIN and maths.unit_key(rule.unit) == "mm/h")


def _conditions(rule: Rule) -> tuple[str, str, float]:
    """SQL of "holds" and "cleared" (each with one parameter: threshold, bound) and the bound."""
    spec = maths.KINDS[rule.kind]
    if spec.direction == "above":
        holds = "result_number >= %s" if spec.inclusive else "result_number > %s"
        return holds, "result_number < %s", rule.threshold - rule.hysteresis
    return "result_number < %s", "result_number > %s", rule.threshold + rule.hysteresis


def _settled_by_batch(
    rule: Rule, current: Episode | None, ongoing: maths.SimEpisode | None, batch: Batch
) -> bool:
    """:func:`_settled_by_summary` from the batch alone. Exact where it answers True: with no episode, a batch
    with no value over the threshold cannot begin one (what was stored before began none, and new values that
    do not hold cannot lengthen a run that holds); with an alert in force whose data the episode has seen, a
    batch with no value past the hysteresis only moves its peak and latest time."""
    spec = maths.KINDS[rule.kind]
    below = spec.direction == "below"
    _holds, _cleared, bound = _conditions(rule)
    if below:
        holding = batch.lowest < rule.threshold
        clearing = batch.highest > bound
    else:
        holding = batch.highest >= rule.threshold if spec.inclusive else batch.highest > rule.threshold
        clearing = batch.lowest < bound
    if current is None:
        return not holding
    if ongoing is None or current.raised_at is None or clearing or current.last_phenomenon_time is None:
        return False
    extreme = batch.lowest if below else batch.highest
    fields = []
    if current.peak is None or (extreme < current.peak if below else extreme > current.peak):
        current.peak = extreme
        fields.append("peak")
    if batch.last > current.last_phenomenon_time:
        current.last_phenomenon_time = batch.last
        fields.append("last_phenomenon_time")
    if fields:
        current.save(update_fields=fields)
    return True


def _settled_by_summary(rule: Rule, current: Episode | None, start: dt.datetime) -> bool:
    """Decide from one aggregate what needs no runs: True when done (the open episode updated if need be)."""
    holds, cleared, bound = _conditions(rule)
    table = Observation._meta.db_table
    sql = (
        f"SELECT SUM(CASE WHEN {holds} THEN 1 ELSE 0 END), SUM(CASE WHEN {cleared} THEN 1 ELSE 0 END), "  # noqa: S608
        f"COUNT(*), MAX(result_number), MIN(result_number), MAX(phenomenon_time_start) FROM {table} "
        "WHERE datastream_id = %s AND phenomenon_time_start >= %s AND result_number IS NOT NULL"
    )
    params = [rule.threshold, bound, rule.datastream_id, connection.ops.adapt_datetimefield_value(start)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        holding, clearing, count, high, low, latest = cursor.fetchone()
    if not count:
        return current is None
    if current is None:
        return not holding  # nothing over the threshold: no episode can begin
    if current.raised_at is None or clearing or current.last_phenomenon_time is None:
        return False  # a pending episode, or a value past the hysteresis: the runs decide
    below = maths.KINDS[rule.kind].direction == "below"
    extreme = float(low if below else high)
    if current.peak is None or (extreme < current.peak if below else extreme > current.peak):
        current.peak = extreme
    current.last_phenomenon_time = max(current.last_phenomenon_time, _aware(latest))
    current.save(update_fields=["peak", "last_phenomenon_time"])
    return True


def _carry(rule: Rule, episode: Episode, sim: maths.SimEpisode, now: dt.datetime, outcome: Outcome) -> None:
    episode.condition_since = min(episode.condition_since, sim.start)
    episode.peak = sim.peak
    episode.last_phenomenon_time = max(sim.last, episode.last_phenomenon_time or sim.last)
    if sim.raised_at is not None and episode.raised_at is None:
        episode.raised_at = now
        if sim.ended_at is None:
            episode.warning = alerts.alert_raise(rule=rule, episode=episode, now=now)
            outcome.raised.append(episode.warning.pk)
        else:
            episode.warning = alerts.alert_record(rule=rule, episode=episode, ended_at=sim.ended_at, now=now)
            outcome.recorded.append(episode.warning.pk)
    if sim.ended_at is not None:
        episode.ended_at = sim.ended_at
        if episode.raised_at is None:
            episode.delete()
            return
        if episode.warning is not None and episode.warning.ended_at is None:
            alerts.alert_end(warning=episode.warning, ended_at=sim.ended_at)
            outcome.ended.append(episode.warning.pk)
    episode.save()


def _record_past(rule: Rule, sim: maths.SimEpisode, now: dt.datetime, outcome: Outcome) -> None:
    if sim.raised_at is None or sim.ended_at is None:
        return
    known = Episode.objects.filter(rule=rule, condition_since__lte=sim.ended_at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=sim.start)
    )
    if known.exists():
        return
    episode = Episode.objects.create(
        rule=rule, condition_since=sim.start, raised_at=now, ended_at=sim.ended_at, peak=sim.peak,
        last_phenomenon_time=sim.last,
    )  # fmt: skip
    episode.warning = alerts.alert_record(rule=rule, episode=episode, ended_at=sim.ended_at, now=now)
    episode.save(update_fields=["warning"])
    outcome.recorded.append(episode.warning.pk)


def _open(rule: Rule, sim: maths.SimEpisode, now: dt.datetime, outcome: Outcome) -> None:
    if Episode.objects.filter(rule=rule, ended_at__isnull=True).exists():
        return  # cannot happen under the row lock; the constraint would refuse it anyway
    episode = Episode.objects.create(
        rule=rule, condition_since=sim.start, peak=sim.peak, last_phenomenon_time=sim.last
    )
    if sim.raised_at is not None:
        episode.raised_at = now
        episode.warning = alerts.alert_raise(rule=rule, episode=episode, now=now)
        episode.save(update_fields=["raised_at", "warning"])
        outcome.raised.append(episode.warning.pk)


# --- rules by staff ----------------------------------------------------------------------------

RULE_FIELDS = (
    "name", "kind", "datastream", "humidity_datastream", "threshold", "unit", "min_duration_minutes", "hysteresis",
    "severity", "heat_checklist", "active",
)  # fmt: skip


@transaction.atomic
def rule_save(
    *,
    values: dict[str, object],
    texts: dict[str, str],
    translations: dict[str, str],
    districts: list[object],
    rule: Rule | None = None,
) -> Rule:
    """Create or change a rule (fields of :data:`RULE_FIELDS`, German texts, their translations), then let
    sensing's hook see its Datastreams and evaluate it on the recent data once the change is committed."""
    from konzeptk.core.content import content_assign

    rule = rule or Rule()
    changed_condition = rule.pk is not None and any(
        getattr(rule, name) != values.get(name)
        for name in ("kind", "datastream", "humidity_datastream", "threshold", "unit", "hysteresis")
    )
    for name in RULE_FIELDS:
        if name in values:
            setattr(rule, name, values[name])
    content_assign(rule, german=texts, translations=translations)
    rule.save()
    rule.districts.set(districts)  # type: ignore[arg-type]
    if changed_condition or not rule.active:
        # an open episode of the old condition ends here; its alert, if any, is over
        for episode in Episode.objects.filter(rule=rule, ended_at__isnull=True).select_related("warning"):
            now = timezone.now()
            if episode.warning is not None:
                alerts.alert_end(warning=episode.warning, ended_at=now)
            if episode.raised_at is None:
                episode.delete()
            else:
                episode.ended_at = now
                episode.save(update_fields=["ended_at"])
    from konzeptk.sensing.ingest_hook_registry import forget_watched

    forget_watched()
    rule_id, since = (
        rule.pk,
        timezone.now() - SAFETY_LOOKBACK - dt.timedelta(minutes=rule.min_duration_minutes),
    )
    transaction.on_commit(lambda: rule_evaluate(rule_id=rule_id, since=since))
    return rule
