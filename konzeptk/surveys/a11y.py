"""Survey pages the browser test checks with axe-core (German paths; /ar/ is added there)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from konzeptk.accounts.models import Organisation
from konzeptk.city.services import city_profile_load
from konzeptk.participation.dumps import participation_dumps_write
from konzeptk.participation.models import Phase, Process
from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey
from konzeptk.surveys.phase_type import KEY


def _fill(survey: Survey) -> None:
    """Questions of every kind with answers from six browsers (results appear from five on)."""
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
    for n in range(6):
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


def a11y_pages() -> list[str]:
    """A published process in its survey phase with an answered questionnaire; the process page, the
    questionnaire and its results."""
    city_profile_load(source="krefeld")
    now = timezone.now()
    org, _created = Organisation.objects.get_or_create(slug="a11y-org", defaults={"name": "Stadt Krefeld"})
    process, _created = Process.objects.get_or_create(
        slug="a11y-umfrage",
        defaults={"title": "Umfrage Stadtpark", "organiser": org, "status": Process.Status.PUBLISHED},
    )
    phase, _created = Phase.objects.get_or_create(
        process=process,
        type=KEY,
        defaults={"start": now - dt.timedelta(days=5), "end": now + dt.timedelta(days=5)},
    )
    survey, created = Survey.objects.get_or_create(
        process=process,
        title="Umfrage zum Stadtpark",
        defaults={"phase": phase, "intro": "Sagen Sie uns Ihre Meinung.", "allows_anonymous": True},
    )
    if created:
        _fill(survey)
    participation_dumps_write()
    return [
        f"/beteiligung/{process.slug}/",
        f"/beteiligung/{process.slug}/umfragen/{survey.pk}/",
        f"/beteiligung/{process.slug}/umfragen/{survey.pk}/ergebnisse/",
    ]
