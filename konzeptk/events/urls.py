from django.urls import path

from konzeptk.events import staff_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalender.ics", views.calendar_ics, name="calendar"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/kalender.ics", views.event_ics, name="event_ics"),
    path("einreichen/", views.event_submit, name="submit"),
    path("meine/", views.my_events, name="mine"),
    path("meine/<int:pk>/bearbeiten/", views.event_edit, name="edit"),
    path("verwaltung/", staff_views.queue, name="staff_queue"),
    path("verwaltung/<int:pk>/", staff_views.moderate, name="staff_moderate"),
    path("verwaltung/kalender/", staff_views.feeds, name="staff_feeds"),
    path("verwaltung/kalender/<int:pk>/", staff_views.feed_detail, name="staff_feed"),
    path("verwaltung/kalender/<int:pk>/import/", staff_views.feed_run, name="staff_feed_run"),
    path("verwaltung/importe/<int:pk>/", staff_views.run_detail, name="staff_run"),
]
