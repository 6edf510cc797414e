"""Public participation pages the browser test checks with axe-core (German paths; /ar/ is added there)."""

from __future__ import annotations

import datetime as dt


def a11y_pages() -> list[str]:
    """Create one process with an idea, a comment and a finished ballot; return the pages to check."""
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation, User
    from konzeptk.city.services import city_profile_load
    from konzeptk.participation.models import (
        Answer,
        Ballot,
        Choice,
        Comment,
        Idea,
        Phase,
        Process,
        Question,
        Response,
        Survey,
    )

    city_profile_load(source="krefeld")
    now = timezone.now()
    org, _created = Organisation.objects.get_or_create(slug="a11y-org", defaults={"name": "Stadt Krefeld"})
    author, _created = User.objects.get_or_create(
        email="a11y-person@beispiel.invalid", defaults={"display_name": "Ayşe"}
    )
    process, _created = Process.objects.get_or_create(
        slug="a11y-prozess",
        defaults={
            "title": "Ideen für den Stadtpark",
            "organiser": org,
            "status": Process.Status.PUBLISHED,
            "teaser": "Was wünschen Sie sich im Stadtpark?",
            "description": "Ein Beispielprozess.",
        },
    )
    if not process.phases.exists():
        Phase.objects.create(
            process=process,
            type="idea_collection",
            start=now - dt.timedelta(days=5),
            end=now + dt.timedelta(days=5),
            weight=0,
        )
        ballot = Phase.objects.create(
            process=process,
            type="ballot",
            start=now - dt.timedelta(days=30),
            end=now - dt.timedelta(days=20),
            weight=1,
        )
        Ballot.objects.create(phase=ballot, kind=Ballot.Kind.VOTES, votes_per_person=3)
    idea = Idea.objects.filter(process=process).first() or Idea.objects.create(
        process=process,
        author=author,
        title="Trinkbrunnen am Spielplatz",
        text="Im Sommer fehlt Wasser.",
        topic="leben",
        status="accepted",
        answer="Wird 2026 umgesetzt.",
        comment_count=1,
    )
    if not idea.comments.exists():
        Comment.objects.create(idea=idea, author=author, text="Gute Idee!")
    survey_process, _created = Process.objects.get_or_create(
        slug="a11y-umfrage",
        defaults={"title": "Umfrage Stadtpark", "organiser": org, "status": Process.Status.PUBLISHED},
    )
    survey_phase, _created = Phase.objects.get_or_create(
        process=survey_process,
        type="survey",
        defaults={"start": now - dt.timedelta(days=5), "end": now + dt.timedelta(days=5)},
    )
    survey, created = Survey.objects.get_or_create(
        process=survey_process,
        title="Umfrage zum Stadtpark",
        defaults={"phase": survey_phase, "intro": "Sagen Sie uns Ihre Meinung.", "allows_anonymous": True},
    )
    if created:
        single = Question.objects.create(survey=survey, text="Wie oft sind Sie im Park?", kind="single")
        first = Choice.objects.create(question=single, text="jede Woche", order=0)
        Choice.objects.create(question=single, text="selten", order=1)
        scale = Question.objects.create(
            survey=survey,
            text="Wie zufrieden sind Sie?",
            kind="scale",
            order=1,
            scale_low_label="gar nicht",
            scale_high_label="sehr",
        )
        ranking = Question.objects.create(survey=survey, text="Was ist wichtiger?", kind="ranking", order=2)
        ranked = [
            Choice.objects.create(question=ranking, text=t, order=i) for i, t in enumerate(["Bänke", "Licht"])
        ]
        text = Question.objects.create(survey=survey, text="Was fehlt?", kind="text", order=3, required=False)
        for n in range(6):  # results (charts and tables) appear from 5 questionnaires on
            response = Response.objects.create(survey=survey, browser_token=f"a11y-{n}")
            Answer.objects.bulk_create(
                [
                    Answer(response=response, question=single, choice=first),
                    Answer(response=response, question=scale, value=3 + n % 3),
                    Answer(response=response, question=text, text="Mehr Schatten"),
                    *[
                        Answer(response=response, question=ranking, choice=c, value=i + 1)
                        for i, c in enumerate(ranked)
                    ],
                ]
            )
    from konzeptk.participation.dumps import participation_dumps_write
    from konzeptk.strategy.models import Project

    # accountability: the idea is taken up by a strategy project, whose page lists it
    project, _created = Project.objects.get_or_create(
        slug="a11y-trinkbrunnen",
        defaults={
            "title": "Trinkbrunnen in Parks",
            "summary": "Wasser im Sommer.",
            "lead": org,
            "published": True,
        },
    )
    Idea.objects.filter(pk=idea.pk).update(strategy_project=project)

    participation_dumps_write()
    base = f"/beteiligung/{process.slug}/"
    return [
        "/beteiligung/offene-daten/",
        f"/strategie/projekte/{project.slug}/",
        "/beteiligung/",
        base,
        base + "ideen/",
        base + "ideen/?ansicht=karte",
        base + f"ideen/{idea.pk}/",
        base + "ergebnisse/",
        base + "abstimmung/",
        base + "abstimmung/ergebnis/",
        "/beteiligung/netiquette/",
        f"/beteiligung/{survey_process.slug}/",
        f"/beteiligung/{survey_process.slug}/umfragen/{survey.pk}/",
        f"/beteiligung/{survey_process.slug}/umfragen/{survey.pk}/ergebnisse/",
    ]
