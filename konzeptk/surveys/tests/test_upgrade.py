"""The upgrade from the schema before the surveys got a room of their own keeps every row.

The database goes back to the migrations of that schema (no surveys app), gets a
process with a questionnaire, answers and an account through the historical models, and goes forward
again: the rows are the same rows of the renamed tables (``surveys_*``), read through the new models,
with their keys, relations and constraints, and new rows get fresh keys.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey

#: the schema before the move, as far as the questionnaire tables go: no surveys app (which takes
#: participation's 0011_move_surveys and everything after it back too). The other rooms' moves may stay
#: applied: they touch none of these tables, and going back over them would only cost time.
BEFORE: list[tuple[str, str | None]] = [("surveys", None)]
MOVED = ("survey", "question", "choice", "response", "answer")


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_survey_rows_survive_the_move() -> None:
    executor = _migrate(BEFORE)
    assert {f"participation_{m}" for m in MOVED} <= _tables()
    assert not {f"surveys_{m}" for m in MOVED} & _tables()
    applied = [key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes]
    old = executor.loader.project_state(applied).apps
    organisation = old.get_model("accounts", "Organisation").objects.create(slug="vhs", name="VHS")
    person = old.get_model("accounts", "User").objects.create(email="person@beispiel.invalid")
    process = old.get_model("participation", "Process").objects.create(
        slug="digitale-bildung", title="Digitale Bildung", organiser=organisation, status="published"
    )
    now = timezone.now()
    phase = old.get_model("participation", "Phase").objects.create(
        process=process, type="survey", start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=9)
    )
    survey = old.get_model("participation", "Survey").objects.create(
        process=process, phase=phase, title="Wie lernen Sie?", allows_anonymous=True
    )
    question_model = old.get_model("participation", "Question")
    single = question_model.objects.create(survey=survey, text="Wie alt?", kind="single", order=0)
    scale = question_model.objects.create(
        survey=survey, text="Wie sicher?", kind="scale", order=1, scale_max=7
    )
    young = old.get_model("participation", "Choice").objects.create(question=single, text="jung", order=0)
    response_model = old.get_model("participation", "Response")
    answer_model = old.get_model("participation", "Answer")
    by_account = response_model.objects.create(survey=survey, user=person)
    by_browser = response_model.objects.create(survey=survey, browser_token="t-1", is_demo=True)
    for response, value in ((by_account, 6), (by_browser, 2)):
        answer_model.objects.create(response=response, question=single, choice=young)
        answer_model.objects.create(response=response, question=scale, value=value)
    keys = {
        "survey": survey.pk,
        "question": sorted([single.pk, scale.pk]),
        "choice": young.pk,
        "response": sorted([by_account.pk, by_browser.pk]),
        "answer": sorted(answer_model.objects.values_list("pk", flat=True)),
    }

    _migrate()

    assert {f"surveys_{m}" for m in MOVED} <= _tables()
    assert not {f"participation_{m}" for m in MOVED} & _tables()
    moved = Survey.objects.select_related("process", "phase").get(pk=keys["survey"])
    assert (moved.title, moved.allows_anonymous, moved.process.slug) == (
        "Wie lernen Sie?",
        True,
        "digitale-bildung",
    )
    assert moved.phase is not None
    assert moved.phase.pk == phase.pk
    assert sorted(moved.questions.values_list("pk", flat=True)) == keys["question"]
    assert Choice.objects.get(pk=keys["choice"]).question.text == "Wie alt?"
    assert sorted(moved.responses.values_list("pk", flat=True)) == keys["response"]
    assert Response.objects.get(pk=by_account.pk).user_id == person.pk
    assert Response.objects.get(pk=by_browser.pk).is_demo
    assert sorted(Answer.objects.values_list("pk", flat=True)) == keys["answer"]
    assert sorted(Answer.objects.filter(question_id=scale.pk).values_list("value", flat=True)) == [2, 6]
    assert Question.objects.get(pk=scale.pk).scale_values == range(1, 8)
    # the reverse relations of participation's models reach the moved rows
    assert list(moved.process.surveys.values_list("pk", flat=True)) == [keys["survey"]]
    # new rows get fresh keys (sequences moved with the tables); constraints still hold
    fresh = Response.objects.create(survey=moved, browser_token="t-2")
    assert fresh.pk > max(keys["response"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=moved, browser_token="t-1")
