"""The demo: simulated units on real streets, the real 2018 figures and a count history that fits them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.services import city_profile_load
from konzeptk.innercity.demo import PROGRAMME_NOTE, load_demo
from konzeptk.innercity.models import Unit, VacancyCount

pytestmark = pytest.mark.django_db


def test_demo_is_labelled_consistent_and_idempotent(db: Any) -> None:
    city_profile_load(source="krefeld")
    forget_active_profile()
    load_demo(out=io.StringIO())
    load_demo(out=io.StringIO())  # twice: nothing doubles
    assert Unit.objects.count() == 640
    assert not Unit.objects.filter(simulated=False).exists()
    assert Unit.objects.vacant().count() == 80
    programme = Unit.objects.filter(notes=PROGRAMME_NOTE)
    assert programme.count() == 16
    assert programme.filter(street="Niederstraße").count() == 2
    assert programme.filter(status=Unit.Status.INTERIM_USE).count() == 10
    assert Unit.objects.public().count() >= 10
    assert not Unit.objects.filter(district__isnull=True).exists()
    real = VacancyCount.objects.filter(simulated=False).order_by("count_date")
    assert [(c.count_date.year, c.vacant) for c in real] == [(2018, 69), (2018, 77)]
    latest = VacancyCount.objects.order_by("-count_date").first()
    assert latest is not None
    assert latest.count_date == dt.date(2026, 6, 30)
    assert latest.simulated
    assert latest.vacant == 80
    assert latest.units == 640
    assert latest.rows.filter(scope="street", label="Hochstraße").exists()
    assert VacancyCount.objects.count() == 18


def test_count_sources_on_an_arabic_page_are_marked_german_and_simulated_is_translated(db: Any) -> None:
    city_profile_load(source="krefeld")
    forget_active_profile()
    load_demo(out=io.StringIO(), sample=True)
    page = Client().get("/ar/innenstadt/leerstand/").content.decode()
    assert (
        '<bdi lang="de" dir="ltr" class="kk-fallback">Zahl der leeren Ladenlokale: Stadt Krefeld, Anfang 2018'
        in page
    )
    assert '<bdi lang="de" dir="ltr" class="kk-fallback">Zählung des Demo-Registers</bdi>' in page
    assert '<span class="kk-badge">محاكاة</span>' in page
    assert "simuliert" not in page
    german = Client().get("/innenstadt/leerstand/").content.decode()
    assert "<td>Zahl der leeren Ladenlokale: Stadt Krefeld, Anfang 2018" in german
    assert 'lang="de" dir="ltr" class="kk-fallback"' not in german
