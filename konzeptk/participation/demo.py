"""Demo content of participation (``konzeptk demo``), idempotent.

The processes, their phases and the texts the invented contributions are made of are data of the
city profile pack (Krefeld: ``city/profiles/krefeld/demo/participation.json``, with its sources).
Everything is created through participation's services, the way the organisers' staff and the
residents would: processes and phases, ideas (each at a moment of its idea collection, so the
rules of that phase hold), offline contributions entered by staff, comments and supports by demo
residents (the support counts are the supports), answers of the organiser, follows.

All ideas, comments, supports and residents are INVENTED and marked ``is_demo``; the pages say so.
The ballot of the Bürgerhaushalt is set up by ``ballots``' demo, the example survey by ``surveys``'.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any, TextIO

from allauth.account.models import EmailAddress
from django.utils import timezone

from konzeptk.accounts.models import Level, Membership, Organisation, User, Verification
from konzeptk.accounts.services import membership_add
from konzeptk.accounts.verification.services import resident_confirm, resident_declare
from konzeptk.city.demo_data import demo_data
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, district_for
from konzeptk.core.content import translations_from
from konzeptk.notifications.models import Frequency
from konzeptk.notifications.services import settings_save
from konzeptk.participation import rules, services
from konzeptk.participation.dumps import participation_dumps_write
from konzeptk.participation.models import Channel, Idea, Process
from konzeptk.participation.phases import IDEA, registry
from konzeptk.participation.selectors import adopted_measures, current_districts
from konzeptk.strategy.models import Project

#: share of the ideas to create (tests use a small share to stay fast)
SCALE = 1.0

#: the person who enters offline contributions and answers ideas when the demo accounts of
#: ``accounts`` are not there (no password: nobody signs in with it)
TEAM_EMAIL = "beteiligungsteam@demo.konzeptk.invalid"
STAFF_EMAIL = "kernteam@demo.konzeptk.invalid"

Spec = dict[str, Any]


def load_demo(*, out: TextIO) -> None:
    data = demo_data("participation")
    if data is None:
        out.write("participation: Das Stadtprofil bringt keine Demo-Inhalte der Beteiligung mit.\n")
        return
    districts = current_districts()
    if not districts:
        out.write("participation: keine Stadtbezirke geladen – erst `konzeptk load_city krefeld`.\n")
        return
    rng = random.Random(data.get("seed", 2022))
    now = timezone.now()
    people = _residents(data["residents"])
    organisations = {slug: _organisation(slug, name) for slug, name in data["organisations"].items()}
    staff = _staff(list(organisations.values()))
    made = 0
    processes = []
    for spec in data["processes"]:
        process = Process.objects.filter(slug=spec["slug"]).first()
        if process is None:
            process = _process(spec, organisations=organisations, districts=districts, now=now)
            made += _fill(process, spec, data, rng=rng, people=people, staff=staff, now=now)
        processes.append(process)
    verified = _verify_and_follow(people, processes, now=now)
    participation_dumps_write()
    out.write(
        f"participation: {len(processes)} Demo-Prozesse, {made} neue Ideen, "
        f"{verified} bestätigte Demo-Einwohner:innen, offene Daten geschrieben\n"
    )


# --- people ------------------------------------------------------------------------------------


def _residents(spec: Spec) -> list[User]:
    """The invented residents with confirmed e-mail addresses; they chose to get no e-mails."""
    names: list[str] = spec["first_names"]
    people = []
    for i in range(int(spec["count"])):
        email = f"demo-bewohner-{i}@beispiel.invalid"
        user = User.objects.filter(email=email).first()
        if user is None:
            # accounts has no sign-up service outside allauth's forms: the demo signs up like its tests
            user = User.objects.create_user(
                email=email, password=None, display_name=f"{names[i % len(names)]} (Demo)", is_demo=True
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            settings_save(user=user, default=Frequency.NEVER, per_kind={})
        people.append(user)
    return people


def _organisation(slug: str, name: str) -> Organisation:
    """The organiser (accounts' demo creates the Krefeld organisations; alone, the demo adds it)."""
    organisation, _created = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
    return organisation


def _staff(organisations: list[Organisation]) -> User:
    """Staff who may edit the processes of every organiser: the core team's demo account, or a demo
    team account that becomes editor in each organisation (through accounts' service)."""
    person = User.objects.filter(email=STAFF_EMAIL).first()
    if person is None:
        person = User.objects.filter(email=TEAM_EMAIL).first() or User.objects.create_user(
            email=TEAM_EMAIL, password=None, display_name="Beteiligungsteam (Demo)", is_demo=True
        )
    for organisation in organisations:
        if not (person.is_platform_staff or rules._role_in(person, organisation.pk) in rules.EDITOR_ROLES):
            membership_add(organisation=organisation, email=person.email, role=Membership.Role.EDITOR)
            person.__dict__.pop("_participation_roles", None)
    return person


# --- processes and phases ------------------------------------------------------------------------


def _moment(value: str | None, days: int | None, now: dt.datetime) -> dt.datetime:
    if value is not None:
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return now + dt.timedelta(days=days or 0)


def _process_districts(spec: Spec | None, districts: list[District]) -> list[District]:
    if not spec:
        return []
    chosen = [d for d in districts if d.name in spec["names"]]
    if chosen:
        return chosen
    return districts[-1:] if spec.get("otherwise") == "last" else districts[:1]


def _process(
    spec: Spec, *, organisations: dict[str, Organisation], districts: list[District], now: dt.datetime
) -> Process:
    levels: dict[str, int] = spec.get("levels", {})
    process = services.process_create(
        organiser=organisations[spec["organiser"]],
        slug=spec["slug"],
        title=spec["title"],
        teaser=spec.get("teaser", ""),
        description=spec.get("description", ""),
        topics=list(spec.get("topics", [])),
        districts=_process_districts(spec.get("districts"), districts),
        status=Process.Status.PUBLISHED,
        is_demo=True,
        idea_level=int(levels.get("idea_level", Level.EMAIL)),
        comment_level=int(levels.get("comment_level", Level.EMAIL)),
        support_level=int(levels.get("support_level", Level.EMAIL)),
        vote_level=int(levels.get("vote_level", Level.RESIDENT)),
        translations=translations_from(
            _translations(), {"title": spec["title"], "teaser": spec.get("teaser", "")}
        ),
    )
    for phase in spec["phases"]:
        # "opens": the phase type that opens this action (e.g. voting), whichever app registers it
        keys = registry.keys_opening(phase["opens"]) if "opens" in phase else [phase["type"]]
        for key in keys[:1]:
            services.phase_add(
                process=process,
                type=key,
                start=_moment(phase.get("start"), phase.get("start_days"), now),
                end=_moment(phase.get("end"), phase.get("end_days"), now),
            )
    services.phases_mark_announced(process=process, now=now)
    return Process.objects.prefetch_related("phases").get(pk=process.pk)


def _when(
    process: Process, action: str, *, after: dt.datetime, now: dt.datetime, rng: random.Random
) -> dt.datetime | None:
    """A moment after ``after`` and before ``now`` in a phase of ``process`` that opens ``action``
    on ideas (None when there is none)."""
    spans = []
    for phase in process.phases.all():
        begin, end = max(phase.start, after), min(phase.end, now) - dt.timedelta(seconds=1)
        if phase.phase_type.has_feature(action, IDEA) and begin < end:
            spans.append((begin, end))
    if not spans:
        return None
    begin, end = rng.choice(spans)
    return begin + (end - begin) * rng.random()


# --- ideas, comments, supports, answers ----------------------------------------------------------


def _point_in(district: District, rng: random.Random) -> tuple[float | None, float | None]:
    if district.anchor_lat is None or district.anchor_lon is None:
        return None, None
    for _attempt in range(8):
        lat = district.anchor_lat + rng.uniform(-0.008, 0.008)
        lon = district.anchor_lon + rng.uniform(-0.012, 0.012)
        answer = district_for(lat, lon)
        if answer.inside_city and answer.district is not None and answer.district.pk == district.pk:
            return round(lat, 6), round(lon, 6)
    return district.anchor_lat, district.anchor_lon


def _fill(
    process: Process,
    spec: Spec,
    data: Spec,
    *,
    rng: random.Random,
    people: list[User],
    staff: User,
    now: dt.datetime,
) -> int:
    """Invented ideas (some offline) of one process, each with supports and comments by demo residents."""
    ideas: Spec = spec["ideas"]
    seeds: dict[str, list[list[str]]] = data["idea_seeds"]
    categories = {topic: label for label, topic in data["categories_2022"].items()}
    districts = list(process.districts.all()) or current_districts()
    topics = list(seeds)
    start = process.phases.all()[0].start if process.phases.all() else now
    created = 0
    used: set[str] = set()  # titles are unique within a process (a ballot lists them side by side)
    places: list[District | None] = [*districts] or [None]
    for i in range(max(1, round(int(ideas["count"]) * SCALE))):
        at = _when(process, "crud", after=start, now=now, rng=rng)
        if at is None:
            break
        topic = topics[i % len(topics)]
        free = [
            (seed_title, seed_text, place)
            for seed_title, seed_text in seeds[topic]
            for place in places
            if _titled(seed_title, place) not in used
        ]
        if not free:  # every seed of the topic is used in every district
            continue
        title, text, district = rng.choice(free)
        used.add(_titled(title, district))
        lat, lon = _point_in(district, rng) if district is not None and rng.random() < 0.7 else (None, None)
        fields: Spec = {
            "process": process,
            "title": _titled(title, district),
            "text": f"{text}\n\n{data['idea_note']}",
            "topic": topic,
            "district": district,
            "lat": lat,
            "lon": lon,
            "at": at,
            "is_demo": True,
        }
        idea = _idea(fields, ideas, rng=rng, people=people, staff=staff, category=categories.get(topic, ""))
        if ideas.get("answers"):
            _answer(idea, title, data, rng=rng, staff=staff)
        _discuss(idea, data, rng=rng, people=people, now=now)
        created += 1
    return created


def _titled(title: str, district: District | None) -> str:
    """The title of a demo idea: its seed and, when it has one, its district."""
    return f"{title} ({district.name})" if district is not None else title


def _idea(
    fields: Spec, spec: Spec, *, rng: random.Random, people: list[User], staff: User, category: str
) -> Idea:
    at: dt.datetime = fields["at"]
    if rng.random() < 0.15:
        channel = rng.choice([Channel.WORKSHOP, Channel.PAPER, Channel.PHONE, Channel.KOFFER])
        return services.offline_contribution_create(
            **fields,
            category=category if spec.get("categories") else "",
            entered_by=staff,
            channel=channel,
            channel_date=at.date(),
            channel_place="Bürgerkoffer im Seniorencafé" if channel == Channel.KOFFER else "",
            contributor_profile={"age_band": rng.choice(["18-29", "30-49", "50-64", "65+"])},
        )
    costs: list[int] = spec.get("costs", [])
    return services.idea_create(
        **fields,
        author=rng.choice(people),
        category=category if spec.get("categories") else "",
        cost=rng.choice(costs) if costs else None,
    )


#: statuses the organiser gives in the demo (accepted twice as often)
STATUSES = ("submitted", "review", "accepted", "accepted", "implemented", "rejected")
TAKEN_UP = ("accepted", "implemented")


def _answer(idea: Idea, title: str, data: Spec, *, rng: random.Random, staff: User) -> None:
    """The organiser's answer; an idea taken up names the strategy project and measure that take it
    up (when the strategy demo has them)."""
    status = rng.choice(STATUSES)
    if status == "submitted":
        return
    project = measure = None
    if status in TAKEN_UP:
        slug = data["project_for_title"].get(title)
        project = Project.objects.filter(slug=slug, published=True).first() if slug else None
        measure_title = data["measure_for_title"].get(title)
        measure = adopted_measures().filter(title=measure_title).first() if measure_title else None
    services.idea_answer(
        idea=idea,
        by=staff,
        status=status,
        answer=data["answers"][status],
        strategy_project=project,
        strategy_measure=measure,
        translations=translations_from(_translations(), {"answer": data["answers"][status]}),
    )


@functools.cache
def _translations() -> dict[str, dict[str, str]]:
    """The demo's translations of content (German text → language → text), ``translations.json``."""
    texts: dict[str, dict[str, str]] = (demo_data("translations") or {}).get("texts", {})
    return texts


def _discuss(idea: Idea, data: Spec, *, rng: random.Random, people: list[User], now: dt.datetime) -> None:
    """Supports and comments of demo residents, each at a moment of a phase that opens them."""
    process = idea.process
    for person in rng.sample(people, rng.randint(0, min(25, len(people)))):
        at = _when(process, "support", after=idea.created_at, now=now, rng=rng)
        if at is not None:
            services.support_add(idea=idea, user=person, at=at)
    for _n in range(rng.choice([0, 0, 1, 2, 3, 5])):
        at = _when(process, "comment", after=idea.created_at, now=now, rng=rng)
        if at is not None:
            services.comment_create(
                idea=idea, author=rng.choice(people), text=rng.choice(data["comments"]), at=at, is_demo=True
            )


# --- residency and follows -----------------------------------------------------------------------


def _verify_and_follow(people: list[User], processes: list[Process], *, now: dt.datetime) -> int:
    """Demo residents: every second one has declared a Krefeld postcode, every fifth was confirmed
    at a Bürgerbüro by a demo staff account; the demo resident account "Aylin aus Uerdingen" has
    declared her postcode (so she can vote in the Bürgerhaushalt) and follows the processes.
    Idempotent."""
    profile = active_profile()
    postcodes = list(profile.postcodes) if profile and profile.postcodes else []
    staff = User.objects.filter(email="moderation@demo.konzeptk.invalid").first()
    confirmed = 0
    for index, person in enumerate(people):
        if index % 2 or not postcodes:
            continue
        record = resident_declare(user=person, postcode=postcodes[index % len(postcodes)])
        if index % 5 == 0 and staff is not None and record.verified_at is None:
            record = resident_confirm(staff=staff, user=person, method=Verification.Method.IN_PERSON)
        confirmed += record.verified_at is not None
    aylin = User.objects.filter(email="einwohnerin@demo.konzeptk.invalid").first()
    followers = [*people[:10], *([aylin] if aylin else [])]
    if aylin is not None and "47829" in postcodes:  # Uerdingen
        resident_declare(user=aylin, postcode="47829")
    for person in followers:
        for process in processes:
            services.follow_set(user=person, process=process, on=True)
    return confirmed
