"""The demo: Krefeld's real providers, about 300 labelled offers with about 3,000 sessions, translated
titles; loading twice adds nothing (edu-offers)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from konzeptk.city.selectors import forget_active_profile
from konzeptk.core.content import content_in_language
from konzeptk.education.models import Offer, Provider, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def krefeld(db: Any) -> Iterator[None]:
    from konzeptk.city.services import city_profile_load

    city_profile_load(source="krefeld")
    forget_active_profile()
    yield
    forget_active_profile()


def test_the_demo_loads_krefeld_offers_once(krefeld: None, client: Client) -> None:
    from konzeptk.education.demo import load_demo

    out = io.StringIO()
    load_demo(out=out)
    offers, sessions = Offer.objects.count(), Session.objects.count()
    assert 250 <= offers <= 350, offers
    assert 2500 <= sessions <= 3500, sessions
    load_demo(out=io.StringIO())
    assert (Offer.objects.count(), Session.objects.count()) == (offers, sessions)

    vhs = Provider.objects.get(slug="vhs-krefeld")
    assert vhs.address == "Von-der-Leyen-Platz 2, 47798 Krefeld"
    assert not vhs.simulated
    mediothek = Provider.objects.get(slug="mediothek-krefeld")
    assert mediothek.address == "Theaterplatz 2, 47798 Krefeld"
    assert Offer.objects.filter(provider=mediothek, kind=Offer.Kind.LENDING).count() >= 8
    assert Provider.objects.get(slug="digital-paten").simulated

    real = Offer.objects.filter(simulated=False)
    assert list(real.values_list("licence", flat=True)) == ["CC BY 4.0"]
    assert Offer.objects.filter(simulated=True).count() == offers - 1
    assert Offer.objects.filter(kind=Offer.Kind.PLACE).exclude(opening_hours="").count() >= 10
    assert Offer.objects.filter(kind=Offer.Kind.RESOURCE).exclude(licence="").count() >= 5
    assert Offer.objects.filter(languages__contains="|tr|").count() >= 10
    assert Offer.objects.filter(district__isnull=False).count() >= 200
    assert Offer.objects.exclude(title_tr="").count() == offers  # every title in Turkish
    senior = Offer.objects.filter(title_de__startswith="Smartphone-Grundkurs für Seniorinnen").first()
    assert senior is not None
    assert content_in_language(senior, "title", "tr")[0].startswith(
        "Yaşlılar için akıllı telefon temel kursu – "
    )

    page = client.get(f"/tr/bildung/{senior.slug}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Yaşlılar için akıllı telefon temel kursu" in body
    assert "Beispielinhalt" in body
    assert client.get("/bildung/?language=tr&age=70").context["page"].paginator.count >= 5
