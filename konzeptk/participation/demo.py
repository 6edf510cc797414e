"""Demo content of participation (``konzeptk demo``), idempotent.

The processes follow Krefeld's history (SOURCES: shared research notes on Krefeld, copied facts only):
- SMARTKREFELD 2022–2023, the participatory strategy process; ideas in the 2022 priority categories
  (ball-voting at the Tag der Smart City, 17.08.2022, VHS/Rathausplatz).
- "Platz für Deine Visionen" (NRW Sofortprogramm Innenstadt, Verfügungsfonds Anmietung, 822,727 €) for the inner city.
- A participatory budget for the district of Uerdingen (invented for the demo).
All ideas, comments, supports and residents are INVENTED and marked ``is_demo``; the pages say so.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

#: share of the ideas to create (tests use a small share to stay fast)
SCALE = 1.0

CATEGORIES_2022 = {
    "Umwelt und ökologische Nachhaltigkeit": "umwelt",
    "Mobilität": "mobilitaet",
    "Bildung und Teilhabe": "bildung",
    "Leben, Arbeiten, Wohnen": "leben",
    "Wirtschaft und Logistik": "wirtschaft",
    "Digitale Infrastruktur und Verwaltung": "verwaltung",
}

IDEA_SEEDS = {
    "umwelt": [
        (
            "Sensoren gegen Hitzeinseln",
            "Temperatur- und Feuchtesensoren an Schulhöfen und Plätzen zeigen, wo es im Sommer zu heiß wird.",
        ),
        (
            "Füllstandssensoren für Altglascontainer",
            "Container melden, wann sie voll sind – weniger Leerfahrten, weniger Scherben daneben.",
        ),
        (
            "Bodenfeuchte für Stadtbäume",
            "Sensoren zeigen, welche Straßenbäume Wasser brauchen; Anwohnende können Gießpatenschaften übernehmen.",
        ),
        (
            "Mehr Grün auf Dächern",
            "Eine Karte zeigt, welche Dächer sich für Begrünung eignen, mit Hinweisen zur Förderung.",
        ),
    ],
    "mobilitaet": [
        (
            "Freie Parkplätze in Echtzeit",
            "Parkhäuser und Straßen zeigen freie Plätze in einer App und auf Anzeigetafeln.",
        ),
        (
            "Sichere Fahrradbügel am Bahnhof",
            "Überdachte Abstellanlagen mit Belegungsanzeige am Hauptbahnhof und an Haltestellen.",
        ),
        ("Mobilstation mit Lastenrad", "Carsharing, Leihräder und ein Lastenrad an einem Ort im Quartier."),
        ("Ampeln mit Restzeitanzeige", "Zu Fuß Gehende sehen, wie lange die Grünphase noch dauert."),
        (
            "Ladesäulen in Wohnstraßen",
            "Öffentliche Ladepunkte auch dort, wo es keine eigenen Stellplätze gibt.",
        ),
    ],
    "bildung": [
        (
            "Digital-Sprechstunde für Seniorinnen und Senioren",
            "Jugendliche helfen Älteren bei Smartphone und Online-Terminen, einmal pro Woche.",
        ),
        ("WLAN in allen Schulen", "Jede Schule braucht schnelles Internet – nicht nur einzelne Räume."),
        (
            "Lernwerkstatt im Stadtteil",
            "Ein offener Raum mit 3D-Drucker und Laptops, betreut von Ehrenamtlichen.",
        ),
        (
            "Mehrsprachige Hilfe bei Anträgen",
            "Erklärvideos auf Türkisch, Polnisch, Arabisch und Ukrainisch für häufige Anträge.",
        ),
    ],
    "leben": [
        (
            "Treffpunkt mit Sitzbänken und Schatten",
            "Ein Platz zum Verweilen mit Bäumen, Bänken und Trinkbrunnen.",
        ),
        ("Leerstand für junge Ideen", "Leere Läden für Kunst, Start-ups und Reparaturcafés öffnen."),
        ("Beleuchtete Wege im Park", "Sparsame Leuchten, die nur bei Bewegung heller werden."),
        ("Öffentliche Toiletten mit Anzeige", "Eine Karte zeigt offene und barrierefreie Toiletten."),
    ],
    "wirtschaft": [
        (
            "Digitales Schaufenster für den Einzelhandel",
            "Läden der Innenstadt zeigen ihr Angebot gemeinsam online mit Abholung vor Ort.",
        ),
        ("Lieferverkehr im Rheinhafen steuern", "Zeitfenster und Anzeigen gegen Staus bei der Anlieferung."),
        ("Coworking für Gründerinnen und Gründer", "Günstige Arbeitsplätze in leerstehenden Büros."),
    ],
    "verwaltung": [
        ("Wartezeit im Bürgerbüro online sehen", "Eine Anzeige zeigt, wie voll es gerade ist."),
        ("Alle Anträge digital", "Kein Gang zum Amt mehr für einfache Anliegen."),
        ("Offene Daten der Stadt", "Messwerte, Haushalt und Pläne als offene Daten zum Herunterladen."),
        (
            "Bürgerkoffer in allen Stadtteilen",
            "Der mobile Bürgerservice kommt regelmäßig in Seniorencafés und Stadtteilzentren.",
        ),
    ],
}

COMMENTS = [
    "Gute Idee, das würde ich sofort nutzen.",
    "Wichtig wäre, dass es auch ohne Smartphone funktioniert.",
    "Bei uns im Viertel fehlt so etwas seit Jahren.",
    "Wer soll das bezahlen? Bitte die Kosten offen darstellen.",
    "Das gibt es in anderen Städten schon, wir sollten davon lernen.",
    "Bitte an Menschen mit Rollator und Kinderwagen denken.",
    "Ich wäre bereit, ehrenamtlich mitzuhelfen.",
]

ANSWERS = {
    "accepted": "Die Idee wird im Handlungsprogramm der Smart-City-Strategie aufgegriffen.",
    "implemented": "Umgesetzt: Die Maßnahme ist in Betrieb. Vielen Dank für den Vorschlag!",
    "rejected": "Die Idee wird nicht weiterverfolgt, weil die Zuständigkeit beim Land liegt. Wir haben sie dorthin weitergegeben.",
    "review": "Die Fachverwaltung prüft die Idee und meldet sich bis Jahresende.",
}


def _org(slug: str, name: str) -> Any:
    from konzeptk.accounts.models import Organisation

    org, _created = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
    return org


def _residents(rng: random.Random, count: int = 80) -> list[Any]:
    from allauth.account.models import EmailAddress

    from konzeptk.accounts.models import User

    first = [
        "Ayşe",
        "Jan",
        "Marta",
        "Lukas",
        "Fatma",
        "Olena",
        "Peter",
        "Lea",
        "Mehmet",
        "Anna",
        "Karim",
        "Ingrid",
        "Piotr",
        "Sofia",
        "Hans",
        "Emma",
        "Yusuf",
        "Maria",
        "Tim",
        "Gisela",
    ]
    people = []
    for i in range(count):
        email = f"demo-bewohner-{i}@beispiel.invalid"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, display_name=f"{first[i % len(first)]} (Demo)", is_demo=True
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        people.append(user)
    return people


def _point_in(district: Any, rng: random.Random) -> tuple[float | None, float | None]:
    from konzeptk.city.selectors import district_for

    if district.anchor_lat is None:
        return None, None
    for _attempt in range(8):
        lat = district.anchor_lat + rng.uniform(-0.008, 0.008)
        lon = district.anchor_lon + rng.uniform(-0.012, 0.012)
        answer = district_for(lat, lon)
        if answer.inside_city and answer.district is not None and answer.district.pk == district.pk:
            return round(lat, 6), round(lon, 6)
    return district.anchor_lat, district.anchor_lon


def _fill(
    process: Any,
    *,
    n: int,
    rng: random.Random,
    people: list[Any],
    districts: list[Any],
    staff: Any,
    categories: dict[str, str] | None = None,
    statuses: bool = False,
    costs: bool = False,
) -> int:
    """Ideas (some offline), comments and supports for one process, counters set from the rows."""
    from django.utils import timezone

    from konzeptk.participation.models import Channel, Comment, Idea, Support

    topics = list(IDEA_SEEDS)
    created = 0
    for i in range(max(1, round(n * SCALE))):
        topic = topics[i % len(topics)]
        category = ""
        if categories:
            category = next(c for c, t in categories.items() if t == topic)
        title, text = rng.choice(IDEA_SEEDS[topic])
        district = rng.choice(districts) if districts else None
        lat, lon = _point_in(district, rng) if district is not None and rng.random() < 0.7 else (None, None)
        offline = rng.random() < 0.15
        channel = (
            rng.choice([Channel.WORKSHOP, Channel.PAPER, Channel.PHONE, Channel.KOFFER])
            if offline
            else Channel.ONLINE
        )
        status, answer = "submitted", ""
        if statuses:
            status = rng.choice(["submitted", "review", "accepted", "accepted", "implemented", "rejected"])
            answer = ANSWERS.get(status, "")
        idea = Idea.objects.create(
            process=process,
            author=None if offline else rng.choice(people),
            entered_by=staff if offline else None,
            title=f"{title} ({district.name})" if district is not None else title,
            text=f"{text}\n\n(Beispielinhalt: erfundener Beitrag für die Demo.)",
            topic=topic,
            category=category,
            lat=lat,
            lon=lon,
            district=district,
            channel=channel,
            channel_place="Bürgerkoffer im Seniorencafé" if channel == Channel.KOFFER else "",
            contributor_profile={"age_band": rng.choice(["18-29", "30-49", "50-64", "65+"])}
            if offline
            else {},
            status=status,
            answer=answer,
            answered_at=timezone.now() if answer else None,
            cost=rng.choice([5_000, 12_000, 20_000, 35_000, 50_000, 80_000]) if costs else None,
            is_demo=True,
            created_at=timezone.now() - dt.timedelta(days=rng.randint(1, 60), minutes=i),
        )
        supporters = rng.sample(people, rng.randint(0, min(25, len(people))))
        Support.objects.bulk_create([Support(idea=idea, user=u) for u in supporters])
        comments = []
        for _c in range(rng.choice([0, 0, 1, 2, 3, 5])):
            comments.append(
                Comment(idea=idea, author=rng.choice(people), text=rng.choice(COMMENTS), is_demo=True)
            )
        Comment.objects.bulk_create(comments)
        Idea.objects.filter(pk=idea.pk).update(support_count=len(supporters), comment_count=len(comments))
        created += 1
    return created


#: Demo ideas whose title starts like this are taken up by this project of the strategy demo.
PROJECT_FOR_TITLE = {
    "Sensoren gegen Hitzeinseln": "umweltsensoren-hitzeinseln",
    "Füllstandssensoren für Altglascontainer": "fuellstand-abfall",
    "Freie Parkplätze in Echtzeit": "parksensoren",
}


#: … and by this measure of the adopted strategy (matched by its title)
MEASURE_FOR_TITLE = {
    "Bodenfeuchte für Stadtbäume": "Messnetz der Wetterstationen ausbauen",
    "Sensoren gegen Hitzeinseln": "Messnetz der Wetterstationen ausbauen",
    "Leerstand für junge Ideen": "Leerstände mit neuen Nutzungen beleben",
    "Digital-Sprechstunde für Seniorinnen und Senioren": "Digitale Kurse für alle Altersgruppen",
    "Alle Anträge digital": "Alle Verwaltungsleistungen online (OZG)",
}


def _link_to_projects() -> int:
    """Accepted and implemented demo ideas point to the strategy project that takes them up
    (idempotent: only ideas without a link are touched)."""
    from konzeptk.participation.models import Idea
    from konzeptk.strategy.models import Project

    projects = dict(
        Project.objects.filter(slug__in=PROJECT_FOR_TITLE.values(), published=True).values_list("slug", "pk")
    )
    linked = 0
    for prefix, slug in PROJECT_FOR_TITLE.items():
        if slug in projects:
            linked += Idea.objects.filter(
                is_demo=True,
                strategy_project__isnull=True,
                status__in=["accepted", "implemented"],
                title__startswith=prefix,
            ).update(strategy_project_id=projects[slug])
    from konzeptk.participation.selectors import adopted_measures

    for prefix, measure_title in MEASURE_FOR_TITLE.items():
        measure = adopted_measures().filter(title=measure_title).first()
        if measure is not None:
            linked += Idea.objects.filter(
                is_demo=True,
                strategy_measure_key__isnull=True,
                status__in=["accepted", "implemented"],
                title__startswith=prefix,
            ).update(strategy_measure_key=measure.key)
    return linked


def _verify_and_follow(people: list[Any], processes: list[Any], *, now: Any) -> int:
    """Demo residents: every second one has declared a Krefeld postcode, every fifth was confirmed
    at a Bürgerbüro by a demo staff account; the demo resident account "Aylin aus Uerdingen" has
    declared her postcode (so she can vote in the Bürgerhaushalt) and follows the processes; phases
    that started before the demo was loaded count as announced. Idempotent."""
    from konzeptk.accounts.models import User
    from konzeptk.city.selectors import active_profile
    from konzeptk.participation.models import Follow, Phase, Verification

    profile = active_profile()
    postcodes = list(profile.postcodes) if profile and profile.postcodes else ["47798"]
    staff = User.objects.filter(email="moderation@demo.konzeptk.invalid").first()
    confirmed = 0
    for index, person in enumerate(people):
        if index % 2:
            continue
        record, _created = Verification.objects.get_or_create(
            user=person,
            defaults={"postcode": postcodes[index % len(postcodes)], "resident_declared_at": now},
        )
        if index % 5 == 0 and staff is not None and record.verified_at is None:
            record.verified_at = now
            record.method = Verification.Method.IN_PERSON
            record.confirmed_by = staff
            record.save()
        confirmed += record.verified_at is not None
    aylin = User.objects.filter(email="einwohnerin@demo.konzeptk.invalid").first()
    followers = [*people[:10], *([aylin] if aylin else [])]
    if aylin is not None:
        Verification.objects.get_or_create(
            user=aylin, defaults={"postcode": "47829", "resident_declared_at": now}
        )
    for person in followers:
        for process in processes:
            Follow.objects.get_or_create(user=person, process=process)
    Phase.objects.filter(process__is_demo=True, announced_at=None, start__lte=now).update(announced_at=now)
    return confirmed


def load_demo(*, out: Any) -> None:
    from django.utils import timezone

    from konzeptk.accounts.models import User
    from konzeptk.participation.models import Ballot, Level, Phase, Process
    from konzeptk.participation.selectors import current_districts

    districts = current_districts()
    if not districts:
        out.write("participation: keine Stadtbezirke geladen – erst `konzeptk load_city krefeld`.\n")
        return
    rng = random.Random(2022)
    people = _residents(rng)
    staff = (
        User.objects.filter(is_demo=True).exclude(platform_role=User.PlatformRole.RESIDENT).first()
        or people[0]
    )
    wdi = _org("stadt-krefeld-wdi", "Stadt Krefeld – Dezernat WDI")
    business = _org("krefeld-business", "KREFELD.BUSINESS")
    now = timezone.now()
    made = 0

    def process(slug: str, **fields: Any) -> tuple[Any, bool]:
        obj, created = Process.objects.get_or_create(
            slug=slug, defaults={**fields, "is_demo": True, "status": Process.Status.PUBLISHED}
        )
        return obj, created

    smart, created = process(
        "smartkrefeld",
        title="SMARTKREFELD: Ideen für die Smart-City-Strategie",
        teaser="Von 2022 bis 2023 haben Krefelderinnen und Krefelder Ideen für die Smart-City-Strategie "
        "„Für alle – lebenswert – verbunden“ gesammelt.",
        description="Beim ersten Tag der Smart City am 17.08.2022 an der VHS und am Rathausplatz wurden Prioritäten "
        "gesetzt. Hier sehen Sie, was aus den Ideen geworden ist.\n\nDie Ideen, Kommentare und "
        "Unterstützungen auf dieser Demo-Seite sind erfunden.",
        organiser=business,
        topics=list(CATEGORIES_2022.values()),
    )
    if created:
        start = dt.datetime(2022, 6, 1, tzinfo=dt.UTC)
        for w, (key, days) in enumerate(
            [("information", 30), ("idea_collection", 90), ("prioritisation", 60)]
        ):
            Phase.objects.create(
                process=smart, type=key, start=start, end=start + dt.timedelta(days=days), weight=w
            )
            start += dt.timedelta(days=days)
        Phase.objects.create(
            process=smart, type="results", start=start, end=now + dt.timedelta(days=730), weight=3
        )
        made += _fill(
            smart,
            n=180,
            rng=rng,
            people=people,
            districts=districts,
            staff=staff,
            categories=CATEGORIES_2022,
            statuses=True,
        )

    mitte = [d for d in districts if d.name == "Mitte"] or districts[:1]
    visions, created = process(
        "platz-fuer-deine-visionen",
        title="Platz für Deine Visionen: Ideen für leere Läden in der Innenstadt",
        teaser="Welche Ideen sollen in leerstehende Ladenlokale der Innenstadt einziehen?",
        description="Mit dem Sofortprogramm Innenstadt des Landes NRW mietet die Stadt leerstehende Läden an "
        "(Verfügungsfonds Anmietung, 822.727 Euro). Schlagen Sie vor, was dort entstehen soll.\n\n"
        "Die Beiträge auf dieser Demo-Seite sind erfunden.",
        organiser=wdi,
        topics=["wirtschaft", "leben"],
    )
    if created:
        visions.districts.set(mitte)
        Phase.objects.create(
            process=visions,
            type="information",
            start=now - dt.timedelta(days=40),
            end=now - dt.timedelta(days=20),
            weight=0,
        )
        Phase.objects.create(
            process=visions,
            type="idea_collection",
            start=now - dt.timedelta(days=20),
            end=now + dt.timedelta(days=40),
            weight=1,
        )
        Phase.objects.create(
            process=visions,
            type="prioritisation",
            start=now + dt.timedelta(days=40),
            end=now + dt.timedelta(days=70),
            weight=2,
        )
        Phase.objects.create(
            process=visions,
            type="results",
            start=now + dt.timedelta(days=70),
            end=now + dt.timedelta(days=400),
            weight=3,
        )
        made += _fill(visions, n=90, rng=rng, people=people, districts=mitte, staff=staff)

    east = [d for d in districts if d.name in ("Ost", "Uerdingen")] or districts[-1:]
    budget, created = process(
        "buergerhaushalt-uerdingen",
        title="Bürgerhaushalt Uerdingen: 100.000 Euro für Ihren Stadtteil",
        teaser="Stimmen Sie ab, welche Vorschläge mit 100.000 Euro umgesetzt werden (erfundenes Beispiel).",
        description="Dieser Bürgerhaushalt ist ein erfundenes Beispiel für die Demo. Verteilen Sie das Budget "
        "auf die Vorschläge, die Ihnen am wichtigsten sind.",
        organiser=wdi,
        topics=["leben", "mobilitaet", "umwelt"],
        vote_level=Level.RESIDENT,
    )
    if created:
        budget.districts.set(east)
        Phase.objects.create(
            process=budget,
            type="idea_collection",
            start=now - dt.timedelta(days=60),
            end=now - dt.timedelta(days=10),
            weight=0,
        )
        ballot_phase = Phase.objects.create(
            process=budget,
            type="ballot",
            start=now - dt.timedelta(days=10),
            end=now + dt.timedelta(days=20),
            weight=1,
        )
        Phase.objects.create(
            process=budget,
            type="results",
            start=now + dt.timedelta(days=20),
            end=now + dt.timedelta(days=400),
            weight=2,
        )
        Ballot.objects.create(phase=ballot_phase, kind=Ballot.Kind.BUDGET, budget=100_000)
        made += _fill(budget, n=30, rng=rng, people=people, districts=east, staff=staff, costs=True)

    simulated = _survey_demo(rng=rng, now=now)
    _link_to_projects()
    verified = _verify_and_follow(people, [smart, visions, budget], now=now)
    from konzeptk.participation.dumps import participation_dumps_write

    participation_dumps_write()
    out.write(
        f"participation: {Process.objects.filter(is_demo=True).count()} Demo-Prozesse, {made} neue Ideen, "
        f"{simulated} simulierte Umfrage-Antworten, {verified} bestätigte Demo-Einwohner:innen, "
        "offene Daten geschrieben\n"
    )


SURVEY_QUESTIONS: list[dict[str, Any]] = [
    {
        "text": "Wie alt sind Sie?",
        "kind": "single",
        "choices": ["unter 18", "18 bis 29", "30 bis 49", "50 bis 64", "65 bis 79", "80 und älter"],
        "weights": [8, 14, 24, 22, 22, 10],
    },
    {
        "text": "Welche Angebote zur digitalen Bildung nutzen Sie schon?",
        "kind": "multiple",
        "required": False,
        "choices": [
            "Kurse der VHS (Smartphone, Tablet, Office)",
            "Mediothek (E-Medien, Sprechstunden)",
            "Angebote der Schule oder Hochschule",
            "Digitalcafés und Treffs im Stadtteil",
            "keine",
        ],
        "weights": [30, 35, 20, 15, 20],
    },
    {
        "text": "Wie sicher fühlen Sie sich im Umgang mit digitalen Diensten der Stadt?",
        "kind": "scale",
        "low": "gar nicht sicher",
        "high": "sehr sicher",
        "weights": [10, 18, 30, 27, 15],
    },
    {
        "text": "Was ist Ihnen am wichtigsten? Bringen Sie die Punkte in eine Reihenfolge.",
        "kind": "ranking",
        "choices": [
            "kostenlose Kurse für Senior:innen",
            "freies WLAN in öffentlichen Gebäuden",
            "Geräte zum Ausleihen",
            "Hilfe bei Online-Anträgen im Bürgerbüro",
        ],
    },
    {
        "text": "Was fehlt Ihnen in Krefeld, um digital gut mitzukommen?",
        "kind": "text",
        "required": False,
        "answers": [
            "Kurse am Abend, nicht nur vormittags.",
            "Hilfe in türkischer und arabischer Sprache.",
            "Ein Ort im Stadtteil, an dem man einfach Fragen stellen kann.",
            "Mehr Geduld mit Älteren.",
            "WLAN in der Mediothek ist gut – mehr davon in den Bezirken.",
        ],
    },
]


def _survey_demo(*, rng: random.Random, now: Any) -> int:
    """The survey on digital education for all ages, with 100 simulated answers (once)."""
    from django.contrib.auth.models import AnonymousUser

    from konzeptk.participation.models import Choice, Phase, Process, Question, Survey
    from konzeptk.participation.services import survey_answer

    vhs = _org("vhs-krefeld", "VHS Krefeld/Neukirchen-Vluyn")
    process, created = Process.objects.get_or_create(
        slug="digitale-bildung",
        defaults={
            "title": "Digitale Bildung für alle Altersgruppen",
            "teaser": "Welche Angebote brauchen Sie, um digital gut mitzukommen? (Beispielumfrage)",
            "description": "Eine Beispielumfrage für die Demo. Die bisherigen Antworten sind simuliert.",
            "organiser": vhs,
            "topics": ["bildung"],
            "is_demo": True,
            "status": Process.Status.PUBLISHED,
        },
    )
    if created or not process.phases.exists():
        Phase.objects.create(
            process=process,
            type="survey",
            start=now - dt.timedelta(days=14),
            end=now + dt.timedelta(days=60),
            weight=0,
        )
        Phase.objects.create(
            process=process,
            type="results",
            start=now + dt.timedelta(days=60),
            end=now + dt.timedelta(days=400),
            weight=1,
        )
    survey, created = Survey.objects.get_or_create(
        process=process,
        title="Digitale Bildung für alle Altersgruppen",
        defaults={
            "phase": process.phases.filter(type="survey").first(),
            "intro": "Die Stadt möchte wissen, welche Angebote zur digitalen Bildung fehlen – für Kinder, "
            "Berufstätige und Senior:innen.\n\nBeispielumfrage: Die angezeigten Ergebnisse beruhen auf 100 "
            "simulierten Antworten.",
            "allows_anonymous": True,
            "is_demo": True,
        },
    )
    if created:
        for order, spec in enumerate(SURVEY_QUESTIONS):
            question = Question.objects.create(
                survey=survey,
                text=spec["text"],
                kind=spec["kind"],
                required=spec.get("required", True),
                order=order,
                scale_low_label=spec.get("low", ""),
                scale_high_label=spec.get("high", ""),
            )
            for index, text in enumerate(spec.get("choices", [])):
                Choice.objects.create(question=question, text=text, order=index)
    if survey.responses.exists():
        return 0
    questions = list(survey.questions.prefetch_related("choices"))
    nobody = AnonymousUser()
    for n in range(100):
        answers: dict[int, Any] = {}
        for question, spec in zip(questions, SURVEY_QUESTIONS, strict=True):
            ids = [c.pk for c in question.choices.all()]
            if question.kind == "single":
                answers[question.pk] = rng.choices(ids, weights=spec["weights"])[0]
            elif question.kind == "multiple":
                picked = {c for c, w in zip(ids, spec["weights"], strict=True) if rng.random() < w / 60}
                if picked:
                    answers[question.pk] = sorted(picked)
            elif question.kind == "scale":
                answers[question.pk] = rng.choices(range(1, 6), weights=spec["weights"])[0]
            elif question.kind == "ranking":
                answers[question.pk] = sorted(ids, key=lambda c: rng.random() + ids.index(c) * 0.3)
            elif rng.random() < 0.3:
                answers[question.pk] = rng.choice(spec["answers"])
        survey_answer(
            survey=survey, user=nobody, browser_token=f"simuliert-{n}", answers=answers, is_demo=True
        )
    return 100
