"""Demo content is idempotent and labelled; the a11y pages exist and render."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from konzeptk.accounts.models import Verification
from konzeptk.city.demo_data import demo_data
from konzeptk.participation import demo
from konzeptk.participation.demo import load_demo
from konzeptk.participation.dumps import manifest_read
from konzeptk.participation.models import Comment, Follow, Idea, Process, Support
from konzeptk.participation.phases import IDEA


def test_demo_is_idempotent_and_labelled(city: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "SCALE", 0.1)

    load_demo(out=io.StringIO())
    counts = (Process.objects.count(), Idea.objects.count(), Support.objects.count())
    load_demo(out=io.StringIO())
    assert (Process.objects.count(), Idea.objects.count(), Support.objects.count()) == counts
    assert counts[0] == 3  # the example survey's process: surveys.demo
    assert counts[1] == 18 + 9 + 3
    assert not Idea.objects.filter(is_demo=False).exists()
    assert Idea.objects.exclude(channel="online").exists()
    for idea in Idea.objects.all()[:50]:
        assert idea.support_count == idea.supports.count()
    assert Verification.objects.filter(resident_declared_at__isnull=False).count() == 40
    assert Verification.objects.filter(verified_at__isnull=False).count() == 0  # no demo staff account here
    assert Follow.objects.filter(process__isnull=False).count() == 30
    assert manifest_read() is not None


def test_demo_content_is_data_created_through_the_services(
    city: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The processes are those of the profile pack's data file; every idea, support and comment was
    made at a moment its phase allowed it (the services asked the rules for that moment), and the
    counters on the ideas are the rows the services wrote."""
    monkeypatch.setattr(demo, "SCALE", 0.1)
    data = demo_data("participation")
    assert data is not None
    assert data["sources"]
    load_demo(out=io.StringIO())
    assert set(Process.objects.values_list("slug", flat=True)) == {p["slug"] for p in data["processes"]}
    smart = Process.objects.get(slug="smartkrefeld")
    assert smart.title == data["processes"][0]["title"]
    assert Support.objects.exists()
    assert Comment.objects.filter(is_demo=True).exists()
    for idea in Idea.objects.prefetch_related("supports", "comments", "process__phases"):
        assert idea.support_count == len(idea.supports.all())
        assert idea.comment_count == len(idea.comments.all())
        moments = [
            ("crud" if idea.channel == "online" else None, idea.created_at),
            *[("support", s.created_at) for s in idea.supports.all()],
            *[("comment", c.created_at) for c in idea.comments.all()],
        ]
        for action, moment in moments:
            phase = idea.process.active_phase(moment)
            assert phase is not None, (idea.title, moment)
            if action is not None:
                assert phase.phase_type.has_feature(action, IDEA), (idea.title, action, phase.type)
    # the answers of the organiser went through the service: answered ideas say by whom and when
    answered = Idea.objects.exclude(answer="")
    assert answered.exists()
    assert not answered.filter(answered_by=None).exists()
    # phases long begun are not announced again to followers
    assert not smart.phases.filter(announced_at=None, start__lte=timezone.now()).exists()


def test_a11y_pages_render(client: Client, city: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from konzeptk.city import services as city_services
    from konzeptk.participation.a11y import a11y_pages

    monkeypatch.setattr(city_services, "city_profile_load", lambda **kw: None)  # the small test city suffices

    for path in a11y_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1, path
