"""The survey results in participation's daily dumps: published counts (disclosure control), no free
text, no single answer; the dataset is registered by this room and listed in the manifest."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from konzeptk.insights.engine import disclosure
from konzeptk.participation import dumps
from konzeptk.participation.models import Process
from konzeptk.participation.tests.factories import ProcessFactory
from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A fresh private storage on disk, as in the embedded default (no dumps of other tests)."""
    private = {"BACKEND": "konzeptk.core.storage.PrivateFileSystemStorage", "OPTIONS": {"location": tmp_path}}
    with override_settings(DATA_DIR=tmp_path, STORAGES={**settings.STORAGES, "private": private}):
        yield tmp_path


def _text(name: str) -> str:
    handle = dumps.dump_open(name)
    assert handle is not None, name
    with handle:
        return handle.read().decode("utf-8-sig")  # every served CSV starts with a BOM


def _published(responses: Any) -> int:
    """The value the platform publishes for a count of these filled-in questionnaires."""
    ring = disclosure.Keyring(disclosure.secret_from(settings.DISCLOSURE_KEY, str(settings.SECRET_KEY)))
    return ring.cell([f"r{r.pk}" for r in responses])


def _survey(process: Process, answers: dict[str, int]) -> Survey:
    survey = Survey.objects.create(process=process, title="Umfrage Rad")
    single = Question.objects.create(survey=survey, text="Wie oft fahren Sie Rad?", kind="single")
    text = Question.objects.create(survey=survey, text="Was fehlt?", kind="text", required=False, order=1)
    choices = {label: Choice.objects.create(question=single, text=label) for label in answers}
    for label, n in answers.items():
        for i in range(n):
            response = Response.objects.create(survey=survey, browser_token=f"{label}{i}")
            Answer.objects.create(response=response, question=single, choice=choices[label])
            Answer.objects.create(response=response, question=text, text="Meine Adresse ist Ostwall 5")
    return survey


def test_survey_results_are_dumped_as_published(data_dir: Path, django_assert_max_num_queries: Any) -> None:
    process = ProcessFactory(slug="radverkehr", title="Radverkehr")
    bike = _survey(process, {"täglich": 12, "nie": 2})
    _survey(ProcessFactory(status=Process.Status.DRAFT, slug="entwurf"), {"heimlich": 9})

    with django_assert_max_num_queries(40):
        call_command("dump_participation", stdout=io.StringIO())
    assert "survey_results" in dumps.DATASETS
    everything = "".join(_text(name) for name in sorted(dumps.allowed_names()))
    assert "Ostwall 5" not in everything  # free texts are never dumped
    assert "heimlich" not in everything  # nor surveys of draft processes
    rows = list(csv.DictReader(io.StringIO(_text("survey_results.csv"))))
    counts = {row["answer"]: (row["count"], row["suppressed"]) for row in rows}
    # counts as the results page publishes them (cell-key method): 2 people never appear as 2
    expected = {
        label: str(_published(Response.objects.filter(survey=bike, browser_token__startswith=label)))
        for label in ("täglich", "nie")
    }
    assert counts == {"täglich": (expected["täglich"], "False"), "nie": (expected["nie"], "False")}
    assert expected["nie"] != "2"
    assert abs(int(expected["täglich"]) - 12) <= 2
    assert {row["process"] for row in rows} == {"radverkehr"}
    manifest = dumps.manifest_read()
    assert manifest is not None
    assert manifest["min_group"] == 5
    assert manifest["max_deviation"] == disclosure.MAX_DEVIATION
    assert {"survey_results.csv", "survey_results.json"} <= {f["name"] for f in manifest["files"]}


def test_a_small_survey_gives_no_rows(data_dir: Path) -> None:
    _survey(ProcessFactory(slug="klein"), {"ja": 2, "nein": 1})
    call_command("dump_participation", stdout=io.StringIO())
    assert list(csv.DictReader(io.StringIO(_text("survey_results.csv")))) == []
