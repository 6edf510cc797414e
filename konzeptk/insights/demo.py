"""Demo content of insights (``konzeptk demo``), idempotent. Everything here is SIMULATED and labelled.

* Voluntary profiles (with consent records) for participation's demo residents and for 300
  simulated participants of a "Meinungsbild". The profiles are skewed on purpose (older people from
  Ost and young people are under-represented) so the representation monitor has something to find.
* A process "Meinungsbild: Wie digital soll Krefeld werden?" with an earlier idea collection (12
  ideas, supports) and a running "Meinungsbild" phase with 30 statements, votes of the simulated
  participants with three planted opinion groups ("schnell digital", "Datenschutz zuerst",
  "analog nicht vergessen") and five statements all groups agree with; two statements wait for
  moderation. The landscape is computed once here (not on a request).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SIMULATED = 300

STATEMENTS = [
    # (text, leaning of groups: fast digital, privacy first, analogue not forgotten); 0 = all agree
    ("Alle Anträge bei der Stadt sollen bis 2030 auch online gestellt werden können.", (1, 1, -1)),
    ("Die Stadt soll Sensordaten zu Luft und Lärm offen ins Netz stellen.", (1, 1, -1)),
    (
        "Kameras mit Bilderkennung an Kreuzungen sind in Ordnung, wenn sie den Verkehr verbessern.",
        (1, -1, -1),
    ),
    ("Daten von Bürgerinnen und Bürgern dürfen nie an private Firmen verkauft werden.", (0, 0, 0)),
    ("Bürgerbüros sollen auch in Zukunft ohne Termin und ohne Internet erreichbar sein.", (0, 0, 0)),
    ("Parkplätze sollen per App bezahlt werden können – Automaten können weg.", (1, -1, -1)),
    ("Jede Schule in Krefeld braucht schnelles WLAN in allen Räumen.", (0, 0, 0)),
    ("Smarte Straßenlaternen, die Bewegungen erfassen, gehen zu weit.", (-1, 1, 1)),
    ("Die Verwaltung soll Software bevorzugen, deren Quelltext offen ist.", (1, 1, -1)),
    ("Ich möchte Schäden an Straßen per Smartphone melden können.", (1, 1, 1)),
    ("Ältere Menschen sollen kostenlose Kurse für Smartphone und Internet bekommen.", (0, 0, 0)),
    ("Digitale Bürgerbeteiligung ersetzt keine Versammlung im Stadtteil.", (-1, 1, 1)),
    ("Der ÖPNV soll Echtzeitanzeigen an allen Haltestellen haben.", (1, 1, 1)),
    ("Die Stadt sammelt heute schon zu viele Daten über uns.", (-1, 1, 1)),
    ("Krefeld soll ein städtisches Rechenzentrum statt großer Cloud-Anbieter nutzen.", (-1, 1, 1)),
    ("Künstliche Intelligenz soll Anträge in der Verwaltung vorprüfen dürfen.", (1, -1, -1)),
    ("Freies WLAN auf dem Marktplatz und in der Innenstadt lohnt sich.", (1, -1, 1)),
    ("Bei jeder neuen Technik soll zuerst der Datenschutz geprüft werden.", (-1, 1, 1)),
    ("Briefe der Stadt sollen weiter auf Papier kommen, wenn man das möchte.", (-1, 1, 1)),
    ("Sensoren in Mülleimern sparen Fahrten und Geld.", (1, -1, 1)),
    ("Die Stadt soll mehr Geld für Digitalisierung ausgeben als bisher.", (1, -1, -1)),
    ("Informationen der Stadt sollen in Leichter Sprache und mehreren Sprachen online sein.", (0, 0, 0)),
    ("Ich würde meine Daten teilen, wenn die Stadt damit den Verkehr besser plant.", (1, -1, -1)),
    ("Elektronische Akten machen die Verwaltung schneller.", (1, 1, -1)),
    ("Es gibt wichtigere Aufgaben für die Stadt als Smart City.", (-1, -1, 1)),
    ("Mobilitätsdaten von Leihrädern und Carsharing sollen öffentlich sein.", (1, 1, -1)),
    ("Digitale Angebote sollen vor allem in den Stadtteilen außerhalb der Mitte ankommen.", (-1, 1, 1)),
    ("Videosprechstunden mit dem Bürgerbüro würde ich nutzen.", (1, 1, -1)),
    ("Die Smart-City-Strategie ist mir zu technisch.", (-1, -1, 1)),
    ("Ein Online-Terminsystem für alle Ämter ist überfällig.", (1, 1, -1)),
]

PENDING = [
    "Bibliotheken sollen Laptops verleihen.",
    "Die Stadt soll jedes Jahr offenlegen, welche Daten sie über Sensoren erhebt.",
]

IDEAS = [
    ("Digitaler Bürgerkoffer für jeden Stadtteil", (1, 1, 1)),
    ("Offenes WLAN an allen Bürgerbüros", (1, 0, 1)),
    ("Datenschutz-Sprechstunde in der Mediothek", (0, 1, 1)),
    ("Sensoren für freie Parkplätze in der Innenstadt", (1, -1, 0)),
    ("Smartphone-Kurse im Seniorentreff", (0, 1, 1)),
    ("Online-Terminbuchung für alle Ämter", (1, 1, 0)),
    ("Open-Data-Portal mit Verkehrsdaten", (1, 1, -1)),
    ("Mehrsprachige Info-Stelen am Bahnhof", (1, 0, 1)),
    ("Lärmampeln vor Schulen", (1, 1, 1)),
    ("KI-Chatbot für Fragen an die Verwaltung", (1, -1, -1)),
    ("Papierformulare in jedem Bürgerbüro", (-1, 0, 1)),
    ("Reparatur-Café mit Digitalhilfe", (0, 1, 1)),
]

AGE_BANDS = ["unter 18", "18-29", "30-49", "50-64", "65+"]


def _sample_profile(rng: random.Random, districts: list[Any]) -> tuple[Any, str, str]:
    """Skewed on purpose: younger, more men, fewer people aged 65+ from Ost (or the last district)."""
    names = [d.name for d in districts]
    weights = [1.0] * len(districts)
    if "Mitte" in names:
        weights[names.index("Mitte")] = 2.2
    if "West" in names:
        weights[names.index("West")] = 1.3
    district = rng.choices(districts, weights=weights)[0]
    age = rng.choices(AGE_BANDS, weights=[0.05, 0.24, 0.36, 0.23, 0.12])[0]
    east = district.name == "Ost" or district == districts[-1]
    if east and age == "65+" and rng.random() < 0.8:
        age = "50-64"
    gender = rng.choices(["f", "m", "d", ""], weights=[0.42, 0.52, 0.02, 0.04])[0]
    return district, age, gender


def load_demo(
    *, out: Any, simulated_people: int = SIMULATED, snapshot_days: tuple[int, ...] | None = None
) -> None:
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from konzeptk.accounts.models import Consent, Organisation, User
    from konzeptk.city.demo_data import demo_data
    from konzeptk.core.content import translations_from
    from konzeptk.insights import phases, selectors, services
    from konzeptk.insights.models import DemographicProfile, Statement, StatementVote
    from konzeptk.participation.models import Idea, Phase, Process, Support
    from konzeptk.participation.phases import IDEA_COLLECTION, RESULTS

    layer = selectors.reference_layer()
    if layer is None:
        out.write("insights: keine Stadtbezirke geladen – erst `konzeptk load_city krefeld`.\n")
        return
    districts = list(layer.districts.defer("geometry").order_by("code"))
    rng = random.Random(2035)
    now = timezone.now()

    # Simulated participants of the Meinungsbild (no password, cannot log in).
    emails = [f"demo-meinungsbild-{i}@beispiel.invalid" for i in range(simulated_people)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    fresh = [
        User(email=e, display_name=f"Simulierte Person {i + 1}", is_demo=True, password="!")
        for i, e in enumerate(emails)
        if e not in existing
    ]
    User.objects.bulk_create(fresh)
    simulated = list(User.objects.filter(email__in=emails).order_by("pk"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in simulated
            if u.email not in existing
        ]
    )
    residents = list(User.objects.filter(email__startswith="demo-bewohner-", is_demo=True).order_by("pk"))
    resident = User.objects.filter(email="einwohnerin@demo.konzeptk.invalid").first()

    # Profiles with consent for residents and simulated people (not for Aylin: she can try it herself).
    people = residents + simulated
    have = set(DemographicProfile.objects.filter(user__in=people).values_list("user_id", flat=True))
    profiles = []
    consents = []
    for user in people:
        if user.pk in have or rng.random() < 0.1:  # some give no answers at all
            continue
        district, age, gender = _sample_profile(rng, districts)
        migration = ""
        languages = ["de"]
        if rng.random() < 0.25:
            languages.append(rng.choice(["tr", "pl", "ru", "ar", "uk"]))
        if rng.random() < 0.3:
            migration = rng.choice(["none", "self", "parent"])
            consents.append(Consent(user=user, purpose=Consent.Purpose.MIGRATION, text_version="demo"))
        profiles.append(
            DemographicProfile(
                user=user,
                district=district,
                age_band=age,
                gender=gender,
                languages=languages,
                migration_background=migration,
                is_demo=True,
            )
        )
        consents.append(Consent(user=user, purpose=Consent.Purpose.DEMOGRAPHICS, text_version="demo"))
    DemographicProfile.objects.bulk_create(profiles)
    Consent.objects.bulk_create(consents, ignore_conflicts=True)

    organiser, _created = Organisation.objects.get_or_create(
        slug="krefeld-business", defaults={"name": "KREFELD.BUSINESS", "is_core_team": True}
    )
    process, created = Process.objects.get_or_create(
        slug="meinungsbild-digitales-krefeld",
        defaults={
            "title": "Meinungsbild: Wie digital soll Krefeld werden?",
            "teaser": "Stimmen Sie kurzen Aussagen zu oder nicht – und sehen Sie, welche Aussagen alle verbinden.",
            "description": "Ein Beispiel für das Meinungsbild mit simulierten Stimmen: Die Meinungsgruppen "
            "sind absichtlich angelegt und sagen nichts über die Meinung der Krefelderinnen und Krefelder aus.",
            "organiser": organiser,
            "status": Process.Status.PUBLISHED,
            "topics": ["verwaltung", "bildung"],
            # the title and teaser in the other languages (city profile: demo/translations.json)
            **translations_from(
                (demo_data("translations") or {}).get("texts", {}),
                {
                    "title": "Meinungsbild: Wie digital soll Krefeld werden?",
                    "teaser": "Stimmen Sie kurzen Aussagen zu oder nicht – und sehen Sie, welche Aussagen alle verbinden.",
                },
            ),
            "is_demo": True,
        },
    )
    if not created:
        out.write("  insights: Demo-Meinungsbild ist schon da.\n")
        _past_snapshots(out, snapshot_days)
        return
    ideas_phase = Phase.objects.create(
        process=process,
        type=IDEA_COLLECTION.key,
        start=now - dt.timedelta(days=70),
        end=now - dt.timedelta(days=21),
        weight=0,
    )
    phase = Phase.objects.create(
        process=process,
        type=phases.KEY,
        name="Wie digital soll Krefeld werden?",
        start=now - dt.timedelta(days=21),
        end=now + dt.timedelta(days=30),
        weight=1,
    )
    Phase.objects.create(
        process=process,
        type=RESULTS.key,
        start=now + dt.timedelta(days=30),
        end=now + dt.timedelta(days=400),
        weight=2,
    )

    # Planted groups, tied loosely to age: older people lean "analogue", younger "fast digital".
    profile_of = {p.user_id: p for p in DemographicProfile.objects.filter(user__in=simulated)}

    def group_of(user: Any) -> int:
        profile = profile_of.get(user.pk)
        age = profile.age_band if profile else ""
        weights = {"65+": [0.1, 0.3, 0.6], "50-64": [0.25, 0.4, 0.35], "unter 18": [0.6, 0.2, 0.2]}.get(
            age, [0.45, 0.35, 0.2]
        )
        return rng.choices([0, 1, 2], weights=weights)[0]

    groups = {u.pk: group_of(u) for u in simulated}
    statements = Statement.objects.bulk_create(
        [
            Statement(
                phase=phase,
                text=text,
                is_seed=True,
                status=Statement.Status.APPROVED,
                is_demo=True,
                created_at=phase.start,
            )
            for text, _lean in STATEMENTS
        ]
    )
    for text in PENDING:
        Statement.objects.create(
            phase=phase, text=text, author=rng.choice(residents) if residents else None, is_demo=True
        )
    services.statement_moderators_notify(phase=phase)  # the core team's inbox shows what waits
    votes = []
    for user in simulated:
        g = groups[user.pk]
        for j in rng.sample(range(len(statements)), k=rng.randint(12, len(statements))):
            leaning = STATEMENTS[j][1][g]
            if rng.random() < 0.1:
                value = 0
            elif leaning == 0:
                value = 1 if rng.random() < 0.85 else -1
            else:
                value = leaning if rng.random() < 0.82 else -leaning
            votes.append(
                StatementVote(
                    statement=statements[j],
                    user=user,
                    value=value,
                    is_demo=True,
                    created_at=phase.start + dt.timedelta(minutes=rng.randint(0, 20 * 24 * 60)),
                )
            )
    StatementVote.objects.bulk_create(votes, batch_size=2000)

    # Ideas of the earlier idea collection and supports: by opinion group and by district.
    made = []
    for i, (title, lean) in enumerate(IDEAS):
        district = districts[i % len(districts)]
        made.append(
            (
                Idea.objects.create(
                    process=process,
                    title=title,
                    is_demo=True,
                    text="Beispielidee für die Demo (erfunden). Unterstützungen sind simuliert.",
                    topic="verwaltung",
                    district=district,
                    lat=district.anchor_lat,
                    lon=district.anchor_lon,
                    created_at=ideas_phase.start + dt.timedelta(days=i),
                ),
                lean,
            )
        )
    supports = []
    for user in simulated:
        g = groups[user.pk]
        home = profile_of.get(user.pk)
        for idea, lean in made:
            p = {1: 0.45, 0: 0.2, -1: 0.04}[lean[g]]
            if home is not None and home.district_id == idea.district_id:
                p += 0.25
            if rng.random() < p:
                supports.append(
                    Support(
                        idea=idea,
                        user=user,
                        created_at=ideas_phase.start + dt.timedelta(days=rng.randint(1, 45)),
                    )
                )
    Support.objects.bulk_create(supports, batch_size=2000)
    for idea, _lean in made:
        Idea.objects.filter(pk=idea.pk).update(support_count=idea.supports.count())
    _ballot_and_survey(simulated, groups, rng)
    if resident is not None:
        out.write("  insights: Aylin kann unter „Meine Angaben“ freiwillige Angaben machen.\n")
    landscape = services.opinion_landscape_compute(phase=phase)
    out.write(
        f"  insights: Meinungsbild mit {len(statements)} Aussagen und {len(votes)} simulierten Stimmen "
        f"({landscape.result.get('k', '–')} Meinungsgruppen), {len(profiles)} Profile mit Einwilligung.\n"
    )
    _past_snapshots(out, snapshot_days)


#: days before today for which the demo stores a representation snapshot (weekly)
SNAPSHOT_DAYS_AGO = (35, 28, 21, 14, 7, 0)


def _past_snapshots(out: Any, days_ago: tuple[int, ...] | None = None) -> None:
    """Snapshots of the running processes and the platform for the past weeks, as they would have
    been taken then (only the people who had taken part by that day), so the monitor shows a
    course. Idempotent: each day's snapshot is replaced."""
    from django.utils import timezone

    from konzeptk.insights import selectors, services

    today = timezone.localdate()
    targets = [None, *selectors.running_processes()]
    days_ago = SNAPSHOT_DAYS_AGO if days_ago is None else days_ago
    for ago in days_ago:
        day = today - dt.timedelta(days=ago)
        end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
        for process in targets:
            services.representation_snapshot_take(process=process, day=day, as_of=end_of_day)
    out.write(
        f"  insights: Repräsentation für {len(targets) - 1} laufende Prozesse und die Plattform "
        f"an {len(days_ago)} Tagen festgehalten.\n"
    )


def _ballot_and_survey(simulated: list[Any], groups: dict[int, int], rng: random.Random) -> None:
    """Some simulated participants also vote in participation's demo ballot and answer its demo
    survey, so the weighted results show ballots and surveys too (skipped if those are missing)."""
    from konzeptk.ballots.models import Ballot, Vote
    from konzeptk.participation.models import Idea
    from konzeptk.surveys.models import Answer, Question, Response, Survey

    ballot = Ballot.objects.filter(phase__process__is_demo=True).select_related("phase").first()
    if ballot is not None and not Vote.objects.filter(ballot=ballot, user__in=simulated).exists():
        ideas = list(Idea.objects.visible().filter(process=ballot.phase.process).order_by("pk")[:12])
        if ideas:
            votes = []
            for user in simulated[::2]:
                # each opinion group prefers another third of the proposals
                third = [i for n, i in enumerate(ideas) if n % 3 == groups[user.pk]] or ideas
                chosen = {rng.choice(third) for _ in range(2)} | {rng.choice(ideas)}
                votes += [Vote(ballot=ballot, user=user, idea=idea) for idea in chosen]
            Vote.objects.bulk_create(votes, ignore_conflicts=True)
    survey = Survey.objects.filter(process__is_demo=True).first()
    if survey is None or Response.objects.filter(survey=survey, user__in=simulated).exists():
        return
    questions = list(
        Question.objects.filter(survey=survey)
        .exclude(kind=Question.Kind.TEXT)
        .prefetch_related("choices")
        .order_by("order", "pk")
    )
    if not questions:
        return
    for user in simulated[1::2]:
        response = Response.objects.create(survey=survey, user=user, is_demo=True)
        answers = []
        group = groups[user.pk]
        for question in questions:
            choices = list(question.choices.all())
            if question.kind == Question.Kind.SCALE:
                # the groups lean to different ends of the scale
                centre = (4.2, 3.0, 1.8)[group]
                value = min(5, max(1, round(rng.gauss(centre, 0.9))))
                answers.append(Answer(response=response, question=question, value=value))
                continue
            if not choices:
                continue
            if question.kind == Question.Kind.RANKING:
                # each group puts another choice first, the rest loosely shuffled
                order = choices[group % len(choices) :] + choices[: group % len(choices)]
                order = (
                    [order[0], *rng.sample(order[1:], k=len(order) - 1)]
                    if rng.random() < 0.7
                    else rng.sample(choices, k=len(choices))
                )
                answers += [
                    Answer(response=response, question=question, choice=c, value=place)
                    for place, c in enumerate(order, start=1)
                ]
                continue
            lean = choices[group % len(choices)]
            pick = lean if rng.random() < 0.6 else rng.choice(choices)
            answers.append(Answer(response=response, question=question, choice=pick))
        Answer.objects.bulk_create(answers)
