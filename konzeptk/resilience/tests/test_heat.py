"""Heat warnings in force, the cool-places banner only while one is, the hotline, the advice pages in
de/tr/ar, and the facilities' checklist."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import translation

from konzeptk.city.selectors import forget_active_profile
from konzeptk.resilience import heat
from konzeptk.resilience.heat_checklist import SECTIONS, checklist, checklist_text
from konzeptk.resilience.models import CoolPlace, Facility, Rule, Source, Warning
from konzeptk.resilience.tests.heat_support import EAST, at, make_city, make_place
from konzeptk.sensing.tests.factories import make_datastream

NOW = at(2026, 7, 1, 14, 0)  # a Wednesday afternoon in a heat wave
BANNER = "Hitzewarnung: Hier können Sie sich abkühlen"
_counter = iter(range(1, 1_000_000))


@pytest.fixture
def city(db: Any) -> Any:
    made = make_city()
    yield made
    forget_active_profile()


def warning(**fields: Any) -> Warning:
    values: dict[str, Any] = {
        "source": Source.DWD,
        "identifier": f"2.49.0.0.276.0.DWD.PVW.{next(_counter)}",
        "sent": NOW - dt.timedelta(hours=3),
        "event": "STARKE HITZE",
        "event_code": "247",
        "severity": "Severe",
        "headline": "Amtliche WARNUNG vor HITZE",
        "onset": NOW - dt.timedelta(hours=2),
        "expires": NOW + dt.timedelta(hours=5),
    }
    values.update(fields)
    return Warning.objects.create(**values)


def own_rule(kind: str) -> Rule:
    return Rule.objects.create(
        name=f"Regel {kind}", kind=kind, datastream=make_datastream(name=f"Station {kind}"), threshold=30,
        unit="°C", headline="Hitze in der Stadt",
    )  # fmt: skip


def test_an_official_heat_warning_in_force(city: Any) -> None:
    assert not heat.heat_warning_active(at=NOW)
    warning()
    assert heat.heat_warning_active(at=NOW)


@pytest.mark.parametrize(
    "fields",
    [
        {"expires": NOW - dt.timedelta(minutes=1)},  # expired
        {"onset": NOW + dt.timedelta(hours=20)},  # not begun
        {"ended_at": NOW - dt.timedelta(hours=1)},  # ended by a cancellation
        {"msg_type": Warning.MsgType.CANCEL},  # the cancellation itself
        {"event": "STURMBÖEN", "event_code": "51"},  # another event
        {"event": "Hitze", "event_code": "", "source": Source.PEGEL},  # not a weather service
    ],
)
def test_warnings_that_are_not_a_heat_warning_in_force(city: Any, fields: dict[str, Any]) -> None:
    warning(**fields)
    assert not heat.heat_warning_active(at=NOW)


def test_event_text_or_code_is_enough_and_case_does_not_matter(city: Any) -> None:
    warning(event="extreme Hitze", event_code="")
    assert heat.heat_warning_active(at=NOW)
    Warning.objects.all().delete()
    warning(event="", event_code="248", source=Source.NINA)
    assert heat.heat_warning_active(at=NOW)


def test_an_update_replaces_the_warning(city: Any) -> None:
    first = warning()
    update = warning(msg_type=Warning.MsgType.UPDATE, expires=NOW - dt.timedelta(minutes=5))
    first.replaced_by = update
    first.save()
    assert not heat.heat_warning_active(at=NOW)  # the replaced one no longer counts, the update expired


def test_own_alerts_of_heat_rules_count_and_rain_does_not(city: Any) -> None:
    rain = own_rule(Rule.Kind.RAIN)
    warning(source=Source.OWN, event="Starkregen", event_code="", rule=rain, expires=None)
    assert not heat.heat_warning_active(at=NOW)
    for kind in (Rule.Kind.HEAT, Rule.Kind.TROPICAL_NIGHT, Rule.Kind.FELT_HEAT):
        Warning.objects.filter(source=Source.OWN).exclude(rule=rain).delete()
        warning(source=Source.OWN, event="Hitze", event_code="", rule=own_rule(kind), expires=None)
        assert heat.heat_warning_active(at=NOW), kind


@time_machine.travel(NOW, tick=False)
def test_the_banner_shows_only_while_a_heat_warning_is_in_force(client: Any, city: Any) -> None:
    make_place("Mediothek Test", step_free=True)
    make_place("Stadtwald Test", kind=CoolPlace.Kind.PARK, opening_hours="24/7", where=EAST)
    make_place("Kirche zu", kind=CoolPlace.Kind.CHURCH, opening_hours="Su 10:00-12:00")
    for url in ("/warnungen/kuehle-orte/", "/warnungen/hitze/", "/warnungen/hitze/leichte-sprache/"):
        assert BANNER not in client.get(url).content.decode(), url
    warning(expires=NOW + dt.timedelta(hours=4))
    page = client.get("/warnungen/kuehle-orte/").content.decode()
    banner = page[page.index(BANNER) : page.index("</section>", page.index(BANNER))]
    assert "Amtliche WARNUNG vor HITZE" in banner
    assert banner.index("Mediothek Test") < banner.index("Stadtwald Test")  # nearest the centre first
    assert "Kirche zu" not in banner  # closed now
    assert "?open_now=on" in banner
    assert "Hitzetelefon" in banner
    assert "Beispielnummer" in banner
    for url in ("/warnungen/hitze/", "/warnungen/hitze/leichte-sprache/"):
        assert BANNER in client.get(url).content.decode(), url


def test_banner_query_count(city: Any, django_assert_max_num_queries: Any) -> None:
    for n in range(20):
        make_place(f"Park {n}", kind=CoolPlace.Kind.PARK, opening_hours="24/7")
    with django_assert_max_num_queries(1):
        assert heat.heat_banner(at=NOW) is None
    warning()
    with django_assert_max_num_queries(5):
        banner = heat.heat_banner(at=NOW)
    assert banner is not None
    assert len(banner.places) == heat.BANNER_PLACES


def test_hotline_of_the_krefeld_profile(city: Any) -> None:
    found = heat.hotline()
    assert found is not None
    assert found.simulated
    assert found.number
    assert found.tel.isdigit()


@pytest.mark.parametrize(
    "url", ["/warnungen/hitze/", "/warnungen/hitze/leichte-sprache/", "/warnungen/hitze/checkliste/"]
)
@pytest.mark.parametrize(
    ("prefix", "lang", "direction"), [("", "de", "ltr"), ("/tr", "tr", "ltr"), ("/ar", "ar", "rtl")]
)
def test_advice_pages_in_three_languages(
    client: Any, city: Any, url: str, prefix: str, lang: str, direction: str
) -> None:
    response = client.get(prefix + url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'lang="{lang}"' in page
    assert f'dir="{direction}"' in page
    assert page.count("<h1") == 1
    assert "112" in page or "checkliste" in url


def test_advice_page_content(client: Any, city: Any) -> None:
    page = client.get("/warnungen/hitze/").content.decode()
    for heading in ("Für ältere Menschen", "Für Eltern", "Für Menschen, die im Freien arbeiten", "Quellen"):
        assert heading in page
    assert "Hitzetelefon" in page
    assert "doi.org/10.1007/s00103-017-2554-5" in page
    easy = client.get("/warnungen/hitze/leichte-sprache/").content.decode()
    assert "Schwindelig bedeutet: Alles dreht sich." in easy
    assert "Netzwerk Leichte Sprache" in easy


def test_leichte_sprache_keeps_its_rules() -> None:
    from konzeptk.resilience.heat_advice import EASY

    for section in EASY:
        for line in section.intro:
            text = str(line)
            assert len(text.split()) <= 12, text  # short sentences
            assert text.count(". ") == 0, text  # one statement per line


def test_checklist_follows_the_eight_core_elements() -> None:
    assert [s.key for s in SECTIONS] == [
        "coordination", "warning", "communication", "indoor", "risk_groups", "preparedness", "planning",
        "monitoring",
    ]  # fmt: skip
    care = checklist(Facility.Kind.CARE_HOME)
    kita = checklist(Facility.Kind.KINDERGARTEN)
    everything = checklist()
    care_items = [i for s in care.sections for i in s.items]
    kita_items = [i for s in kita.sections for i in s.items]
    assert any("Trinkprotokolle" in i for i in care_items)
    assert not any("Trinkprotokolle" in i for i in kita_items)
    assert any("Sonnenhut" in i for i in kita_items)
    assert all(section.items for section in care.sections)  # every core element has something to do
    assert len([i for s in everything.sections for i in s.items]) > len(care_items)
    assert checklist("unknown").kind == ""
    assert care.kind_label == "Pflegeeinrichtung"


def test_checklist_text_for_the_mail_in_the_facilitys_language() -> None:
    text = checklist_text(Facility.Kind.SCHOOL)
    assert text.startswith("1. Zentrale Koordinierung")
    assert "[ ] Erlauben Sie das Trinken im Unterricht" in text
    assert "Bundesgesundheitsblatt" in text
    with translation.override("en"):
        assert checklist_text(Facility.Kind.SCHOOL).count("[ ]") == text.count("[ ]")


def test_checklist_page_by_kind(client: Any, city: Any) -> None:
    page = client.get("/warnungen/hitze/checkliste/?kind=school").content.decode()
    assert "Checkliste für: Schule" in page
    assert "Sport, Wandertage" in page
    assert "Trinkprotokolle" not in page
    assert client.get("/warnungen/hitze/checkliste/?kind=%3Cscript%3E").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_home_page_figure_only_while_a_heat_warning_is_in_force(city: Any) -> None:
    from konzeptk.resilience import front_door

    make_place("Park", kind=CoolPlace.Kind.PARK, opening_hours="24/7")
    make_place("Kirche zu", kind=CoolPlace.Kind.CHURCH, opening_hours="Su 10:00-12:00")
    assert front_door.contribution(4).figures == ()
    warning()
    [figure] = front_door.contribution(4).figures
    assert figure.value == "1"
    assert figure.url.endswith("/warnungen/kuehle-orte/?open_now=on")


@time_machine.travel(NOW, tick=False)
def test_the_banner_marks_the_german_headline_on_an_arabic_page(client: Any, city: Any) -> None:
    warning()
    page = client.get("/ar/warnungen/kuehle-orte/").content.decode()
    banner = page[
        page.index('id="rs-heat-banner-title"') : page.index("</section>", page.index("rs-heat-banner"))
    ]
    assert '<bdi lang="de" dir="ltr" class="kk-fallback">Amtliche WARNUNG vor HITZE</bdi>' in banner


@time_machine.travel(NOW, tick=False)
def test_banner_and_cool_places_write_dates_in_the_readers_language(client: Any, city: Any) -> None:
    warning()
    german = client.get("/warnungen/kuehle-orte/").content.decode()
    assert "gültig bis Mittwoch, 1. Juli 2026, 19:00 Uhr" in german
    assert "Stand der Angabe „jetzt geöffnet“: Mittwoch, 1. Juli 2026, 14:00 Uhr." in german
    turkish = client.get("/tr/warnungen/kuehle-orte/").content.decode()
    assert "Çarşamba, 01 Temmuz 2026, saat 19:00" in turkish  # Turkish DATE_FORMAT "d F Y"
    assert "Çarşamba, 01 Temmuz 2026, saat 14:00" in turkish
    assert "1. Temmuz" not in turkish  # no German pattern with a Turkish month
