"""Issue 13: the "Mitmachen" box of a process offers the action of every running phase, whatever app
registered the phase type – here the Meinungsbild of insights, a ballot and a questionnaire."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from konzeptk.ballots.models import Ballot
from konzeptk.participation.phases import registry
from konzeptk.participation.tests.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db

PARTICIPATION_TEMPLATES = Path(__file__).resolve().parents[2] / "participation" / "templates"


def _buttons(html: str) -> list[tuple[str, str, str]]:
    """(kind, href, label) of the buttons in the "Mitmachen" box."""
    box = html.split('id="mitmachen"', 1)[1].split("</section>", 1)[0]
    return re.findall(
        r'<a class="kern-btn kern-btn--(\w+)" href="([^"]+)"><span class="kern-label">([^<]+)<', box
    )


def test_running_meinungsbild_is_the_main_action_of_the_process_page(client):
    now = timezone.now()
    process = ProcessFactory(slug="meinungsbild-test")
    PhaseFactory(
        process=process, type="information", start=now - dt.timedelta(days=20), end=now - dt.timedelta(days=5)
    )
    phase = PhaseFactory(
        process=process, type="meinungsbild", start=now - dt.timedelta(days=5), end=now + dt.timedelta(days=5)
    )
    buttons = _buttons(client.get(process.get_absolute_url()).content.decode())
    assert buttons[0] == (
        "primary",
        reverse("insights:opine", kwargs={"pk": phase.pk}),
        "Beim Meinungsbild mitmachen",
    )
    assert ("secondary", reverse("participation:ideas", args=[process.slug]), "Ideen ansehen") in buttons
    assert client.get(buttons[0][1]).status_code == 200


def test_ended_meinungsbild_links_its_result_and_ideas_stay_primary(client):
    now = timezone.now()
    process = ProcessFactory()
    phase = PhaseFactory(
        process=process, type="meinungsbild", start=now - dt.timedelta(days=9), end=now - dt.timedelta(days=1)
    )
    buttons = _buttons(client.get(process.get_absolute_url()).content.decode())
    assert buttons[0][0:2] == ("primary", reverse("participation:ideas", args=[process.slug]))
    assert (
        "secondary",
        reverse("insights:landscape", kwargs={"pk": phase.pk}),
        "Ergebnis des Meinungsbilds",
    ) in buttons


def test_running_ballot_makes_voting_the_main_action(client):
    now = timezone.now()
    process = ProcessFactory()
    phase = PhaseFactory(
        process=process, type="ballot", start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=9)
    )
    Ballot.objects.get_or_create(phase=phase)
    buttons = _buttons(client.get(process.get_absolute_url()).content.decode())
    assert buttons[0] == (
        "primary",
        reverse("ballots:ballot", kwargs={"slug": process.slug}),
        "Jetzt abstimmen",
    )
    assert next(b for b in buttons if b[2] == "Ideen ansehen")[0] == "secondary"


def test_every_registered_phase_type_offers_a_way_in_when_it_opens_an_action_beyond_ideas():
    """A phase type that opens an action of its own (not the idea actions participation shows itself)
    must register pages, else its running phase has no way in from the process page."""
    idea_actions = {"crud", "comment", "support"}
    for phase_type in registry.all():
        if set(phase_type.features) - idea_actions:
            assert phase_type.pages is not None, phase_type.key


def test_participation_templates_name_no_phase_type():
    keys = [t.key for t in registry.all()]
    for template in PARTICIPATION_TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for key in keys:
            assert f'"{key}"' not in text, f"{template.name} names phase type {key}"
            assert f"'{key}'" not in text, f"{template.name} names phase type {key}"
