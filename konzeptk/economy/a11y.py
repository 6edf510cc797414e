"""Pages of economy for the accessibility browser test (creates the data they need): the public ones
and, in :func:`a11y_staff_pages`, the administration's (opened signed in as staff)."""

from __future__ import annotations


def a11y_pages() -> list[str]:
    import datetime as dt

    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.economy.hystreet import hystreet_import
    from konzeptk.economy.models import Business, Category, Offer
    from konzeptk.economy.services import business_save

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    category, _ = Category.objects.get_or_create(
        slug="a11y-einzelhandel", defaults={"name": "Einzelhandel", "name_de": "Einzelhandel"}
    )
    business = Business.objects.filter(slug="a11y-buchladen").first() or business_save(
        business=Business(
            slug="a11y-buchladen",
            name="Buchladen am Neumarkt (Testeintrag)",
            category=category,
            description_de="Ein Testeintrag für die Prüfung der Barrierefreiheit.",
            street="Neumarkt 1",
            postcode="47798",
            lat=51.3322,
            lon=6.5641,
            step_free="yes",
            opening_hours="Mo-Fr 09:30-18:30; Sa 10:00-16:00; Su,PH off",
            click_collect=True,
            simulated=True,
        )
    )
    Offer.objects.get_or_create(
        title_de="URBANWORK (Testeintrag)",
        defaults={
            "kind": "coworking",
            "title": "URBANWORK (Testeintrag)",
            "summary": "Coworking",
            "summary_de": "Coworking",
        },
    )
    end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    hystreet_import(
        payload={
            "location_id": 99999,
            "name": "Königstraße",
            "city": "Krefeld",
            "measurements": [
                {"measured_at": (end - dt.timedelta(hours=h)).isoformat(), "total_count": 100 + h % 24 * 10}
                for h in range(24 * 21)
            ],
        },
        simulated=True,
    )
    return [
        "/innenstadt/geschaefte/",
        "/innenstadt/geschaefte/?open_now=on",
        f"/innenstadt/geschaefte/{business.slug}/",
        "/innenstadt/geschaefte/angebote/",
        "/innenstadt/geschaefte/passanten/",
    ]


def a11y_staff_pages() -> list[str]:
    """The administration's queue of claimed businesses, opened signed in."""
    a11y_pages()
    return ["/innenstadt/geschaefte/verwaltung/"]
