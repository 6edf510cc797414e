"""Pages of resilience for the accessibility browser test (creates the data they need): the public ones
and, in :func:`a11y_staff_pages`, the administration's (opened signed in as staff)."""

from __future__ import annotations


def warnings_a11y_pages() -> list[str]:
    """/warnungen/ with current and past warnings (the demo's DWD-format ones), a current, an ended and
    a replaced warning, and one of the city's own alerts."""
    import io

    from django.utils import timezone

    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.resilience.demo import load_warnings
    from konzeptk.resilience.models import Source, Warning

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    load_warnings(out=io.StringIO())
    demo = Warning.objects.filter(identifier__contains=".demo-konzeptk-")
    update = demo.get(identifier__contains="-hitze-update.")
    original = demo.get(identifier__contains="-hitze.")
    ended = demo.get(identifier__contains="-gewitter.")
    own = Warning.objects.filter(
        source=Source.OWN, identifier="a11y.warnung.1"
    ).first() or Warning.objects.create(
        source=Source.OWN,
        identifier="a11y.warnung.1",
        sent=timezone.now(),
        event="HITZE",
        severity="Moderate",
        headline="Hitzewarnung der Stadt (Testeintrag)",
        headline_de="Hitzewarnung der Stadt (Testeintrag)",
        headline_en="City heat alert (test entry)",
        instruction_de="Trinken Sie ausreichend Wasser.",
        simulated=True,
    )
    return [
        "/warnungen/",
        f"/warnungen/{update.pk}/",
        f"/warnungen/{original.pk}/",
        f"/warnungen/{ended.pk}/",
        f"/warnungen/{own.pk}/",
    ]


def a11y_pages() -> list[str]:
    from konzeptk.resilience.alerts_a11y import alerts_a11y_pages
    from konzeptk.resilience.heat_a11y import heat_a11y_pages

    return [*warnings_a11y_pages(), *heat_a11y_pages(), *alerts_a11y_pages()]


def a11y_staff_pages() -> list[str]:
    """The administration's pages (the warning rules, a new rule, the facilities), opened signed in."""
    warnings_a11y_pages()
    return [
        "/warnungen/verwaltung/regeln/",
        "/warnungen/verwaltung/regeln/neu/",
        "/warnungen/verwaltung/einrichtungen/",
    ]
