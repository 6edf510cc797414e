"""Pages of education (German paths; other languages under their prefix)."""

from django.urls import URLPattern, URLResolver, path

from konzeptk.education import api_views, booking_views, import_views, staff_views, views, white_spot_views

app_name = "education"

urlpatterns: list[URLPattern | URLResolver] = [
    # list, Digital-Check, staff area, provider pages (fixed words before "<slug>/")
    path("", views.offer_list, name="list"),
    path("digital-check/", views.digital_check, name="digital_check"),
    path("verwaltung/", staff_views.staff_offers, name="staff_offers"),
    path("verwaltung/neu/", staff_views.staff_offer_create, name="staff_offer_create"),
    # imports (before "verwaltung/<slug>/"), data out (MOOChub, iCalendar, CSV)
    path("verwaltung/importe/", import_views.import_overview, name="imports"),
    path("verwaltung/importe/neu/", import_views.source_add, name="import_source_add"),
    path("verwaltung/importe/datei/", import_views.file_upload, name="import_upload"),
    path("verwaltung/importe/quelle/<int:pk>/", import_views.source_detail, name="import_source"),
    path("verwaltung/importe/quelle/<int:pk>/jetzt/", import_views.source_run, name="import_run_now"),
    path("verwaltung/importe/lauf/<int:pk>/", import_views.run_detail, name="import_run"),
    path("api/moochub/courses", api_views.moochub_courses, name="moochub_courses"),
    path("kalender.ics", api_views.calendar, name="calendar"),
    path("angebote.csv", api_views.offers_csv, name="offers_csv"),
    path("anbieter/<slug:slug>/kalender.ics", api_views.provider_calendar, name="provider_calendar"),
    path("verwaltung/<slug:slug>/", staff_views.staff_offer_edit, name="staff_offer_edit"),
    path("verwaltung/<slug:slug>/termine/", staff_views.staff_sessions, name="staff_sessions"),
    path("anbieter/<slug:slug>/", views.provider_detail, name="provider"),
    # white spots for the coordination circle (before any "<slug>/" pattern)
    path("weisse-flecken/", white_spot_views.white_spot_page, name="white_spots"),
    # booking, waiting list, cancellation, lending (fixed words before "<slug>/")
    path("anmelden/<slug:slug>/", booking_views.booking_create, name="book"),
    path("anmeldung/<str:token>/", booking_views.booking_page, name="booking"),
    path("anmeldung/<str:token>/bestaetigen/", booking_views.booking_confirm, name="booking_confirm"),
    path("anmeldung/<str:token>/absagen/", booking_views.booking_cancel, name="booking_cancel"),
    path("anmeldung/<str:token>/kalender.ics", booking_views.booking_ics, name="booking_ics"),
    path("meine-anmeldungen/", booking_views.my_bookings, name="my_bookings"),
    path("abbestellen/<str:token>/", booking_views.unsubscribe, name="unsubscribe"),
    path("reservieren/<slug:slug>/", booking_views.reservation_create, name="reserve"),
    path("reservierung/<str:token>/", booking_views.reservation_page, name="reservation"),
    path(
        "reservierung/<str:token>/bestaetigen/", booking_views.reservation_confirm, name="reservation_confirm"
    ),
    path("reservierung/<str:token>/stornieren/", booking_views.reservation_cancel, name="reservation_cancel"),
    path("verwaltung/<slug:slug>/anmeldungen/", booking_views.staff_bookings, name="staff_bookings"),
    # the offer page comes last (catches every other slug)
    path("<slug:slug>/", views.offer_detail, name="detail"),
]
