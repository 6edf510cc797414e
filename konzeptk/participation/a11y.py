"""Public participation pages the browser test checks with axe-core (German paths; /ar/ is added there)."""

from __future__ import annotations

import datetime as dt


def a11y_pages() -> list[str]:
    """Create one process with an idea, a comment and a finished ballot; return the pages to check."""
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation, User
    from konzeptk.city.services import city_profile_load
    from konzeptk.participation.models import Ballot, Comment, Idea, Phase, Process

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
    base = f"/beteiligung/{process.slug}/"
    return [
        "/beteiligung/",
        base,
        base + "ideen/",
        base + "ideen/?ansicht=karte",
        base + f"ideen/{idea.pk}/",
        base + "ergebnisse/",
        base + "abstimmung/",
        base + "abstimmung/ergebnis/",
        "/beteiligung/netiquette/",
    ]
