"""Participation's part of the home page (core/front_door_registry.py): the processes with a running
phase and its deadline, and the latest answers of the administration to ideas. Two queries."""

from __future__ import annotations

from django.urls import reverse

from konzeptk.core.front_door_registry import Contribution, IdeaAnswer, RunningProcess
from konzeptk.participation import selectors


def contribution(limit: int) -> Contribution:
    processes = [
        RunningProcess(
            title=phase.process.title,
            url=phase.process.get_absolute_url(),
            phase=phase.display_name,
            deadline=phase.end,
            teaser=phase.process.teaser,
        )
        for phase in selectors.running_phases(limit)
    ]
    answers = [
        IdeaAnswer(
            idea=idea.title,
            url=reverse("participation:idea", kwargs={"slug": idea.process.slug, "pk": idea.pk}),
            status=idea.get_status_display(),
            answered_at=idea.answered_at,
            process=idea.process.title,
        )
        for idea in selectors.latest_answers(limit)
        if idea.answered_at is not None
    ]
    return Contribution(processes=processes, answers=answers)
