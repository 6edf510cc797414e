"""Public participation pages the browser test checks with axe-core (German paths; /ar/ is added there)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.services import city_profile_load
from konzeptk.participation.dumps import participation_dumps_write
from konzeptk.participation.models import Comment, Idea, Phase, Process
from konzeptk.participation.phases import IDEA_COLLECTION
from konzeptk.strategy.models import Project


def a11y_pages() -> list[str]:
    """Create one process with an idea and a comment; return the pages to check (ballot and survey pages: ballots.a11y, surveys.a11y)."""
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
            type=IDEA_COLLECTION.key,
            start=now - dt.timedelta(days=5),
            end=now + dt.timedelta(days=5),
            weight=0,
        )
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
        base + "ideen/?view=map",
        base + f"ideen/{idea.pk}/",
        base + "ergebnisse/",
        "/beteiligung/netiquette/",
    ]
