"""Demo content is idempotent and labelled; the a11y pages exist and render."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from konzeptk.participation.models import Idea, Process, Support


def test_demo_is_idempotent_and_labelled(city: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from konzeptk.participation import demo
    from konzeptk.participation.demo import load_demo

    monkeypatch.setattr(demo, "SCALE", 0.1)

    load_demo(out=io.StringIO())
    counts = (Process.objects.count(), Idea.objects.count(), Support.objects.count())
    load_demo(out=io.StringIO())
    assert (Process.objects.count(), Idea.objects.count(), Support.objects.count()) == counts
    assert counts[0] == 4
    assert counts[1] == 18 + 9 + 3
    from konzeptk.participation.models import Response, Survey

    survey = Survey.objects.get(title="Digitale Bildung für alle Altersgruppen")
    assert survey.is_demo
    assert survey.process.is_demo
    assert Response.objects.filter(survey=survey, is_demo=True).count() == 100
    assert Response.objects.count() == 100
    assert not Idea.objects.filter(is_demo=False).exists()
    assert Idea.objects.exclude(channel="online").exists()
    for idea in Idea.objects.all()[:50]:
        assert idea.support_count == idea.supports.count()
    from konzeptk.participation.dumps import manifest_read
    from konzeptk.participation.models import Follow, Verification

    assert Verification.objects.filter(resident_declared_at__isnull=False).count() == 40
    assert Verification.objects.filter(verified_at__isnull=False).count() == 0  # no demo staff account here
    assert Follow.objects.filter(process__isnull=False).count() == 30
    assert manifest_read() is not None


def test_a11y_pages_render(client: Client, city: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from konzeptk.city import services as city_services
    from konzeptk.participation.a11y import a11y_pages

    monkeypatch.setattr(city_services, "city_profile_load", lambda **kw: None)  # the small test city suffices

    for path in a11y_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1, path
