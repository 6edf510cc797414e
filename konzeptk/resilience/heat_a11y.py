"""Heat protection's public pages for the accessibility browser test (``resilience/a11y.py`` lists them):
the cool places with a heat warning in force (so the banner is checked too), one place, the advice in
plain German and Leichte Sprache, the checklist."""

from __future__ import annotations


def heat_a11y_pages() -> list[str]:
    import datetime as dt

    from django.utils import timezone

    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.resilience.coolplaces import coolplace_save
    from konzeptk.resilience.models import CoolPlace, Source, Warning

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    place = CoolPlace.objects.filter(name="Stadtgarten (Testeintrag)").first() or coolplace_save(
        place=CoolPlace(
            kind=CoolPlace.Kind.PARK,
            name="Stadtgarten (Testeintrag)",
            address="Steinstraße, 47798 Krefeld",
            lat=51.333971,
            lon=6.55254,
            opening_hours="24/7",
            step_free=True,
            simulated=True,
        )
    )
    now = timezone.now()
    Warning.objects.update_or_create(
        source=Source.DWD,
        identifier="a11y.heat.test",
        defaults={
            "sent": now,
            "event": "STARKE HITZE",
            "event_code": "247",
            "severity": "Severe",
            "headline": "Amtliche WARNUNG vor HITZE (Testeintrag)",
            "onset": now - dt.timedelta(hours=1),
            "expires": now + dt.timedelta(days=1),
            "simulated": True,
        },
    )
    return [
        "/warnungen/kuehle-orte/",
        "/warnungen/kuehle-orte/?open_now=on&kind=park",
        f"/warnungen/kuehle-orte/{place.pk}/",
        "/warnungen/hitze/",
        "/warnungen/hitze/leichte-sprache/",
        "/warnungen/hitze/checkliste/?kind=care_home",
    ]
