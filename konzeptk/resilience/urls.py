"""Pages of resilience (German paths; other languages under their prefix)."""

from django.urls import URLPattern, URLResolver, path

from konzeptk.resilience import facility_views, heat_views, rule_views, subscription_views, views

app_name = "resilience"

urlpatterns: list[URLPattern | URLResolver] = [
    # warnings: current and past, one warning, the own alerts as CAP 1.2, Atom
    path("", views.warning_list, name="warnings"),
    path("<int:pk>/", views.warning_detail, name="warning_detail"),
    path("<int:pk>.cap.xml", views.warning_cap, name="warning_cap"),
    path("cap.xml", views.cap_index, name="cap_index"),
    path("atom.xml", views.atom, name="atom"),
    # the city's own alerts: subscriptions, rules and facilities
    path("abonnieren/", subscription_views.subscribe, name="subscribe"),
    path("abonnieren/<int:pk>/beenden/", subscription_views.subscription_delete, name="subscription_delete"),
    path(
        "abonnieren/bestaetigen/<str:token>/",
        subscription_views.subscription_confirm,
        name="subscription_confirm",
    ),
    path("abbestellen/<str:token>/", subscription_views.unsubscribe, name="unsubscribe"),
    path("einrichtung/bestaetigen/<str:token>/", facility_views.facility_confirm, name="facility_confirm"),
    path("einrichtung/abbestellen/<str:token>/", facility_views.facility_decline, name="facility_decline"),
    path("verwaltung/regeln/", rule_views.rule_list, name="rule_list"),
    path("verwaltung/regeln/neu/", rule_views.rule_create, name="rule_create"),
    path("verwaltung/regeln/<int:pk>/", rule_views.rule_edit, name="rule_edit"),
    path("verwaltung/einrichtungen/", facility_views.facility_list, name="facility_list"),
    path(
        "verwaltung/einrichtungen/<int:pk>/einladen/", facility_views.facility_resend, name="facility_resend"
    ),
    # heat protection: cool places, advice, Leichte Sprache, the facilities' checklist
    path("kuehle-orte/", heat_views.cool_places, name="cool_places"),
    path("kuehle-orte/<int:pk>/", heat_views.cool_place, name="cool_place"),
    path("hitze/", heat_views.heat_advice, name="heat"),
    path("hitze/leichte-sprache/", heat_views.heat_easy, name="heat_easy"),
    path("hitze/checkliste/", heat_views.heat_checklist, name="heat_checklist"),
]
