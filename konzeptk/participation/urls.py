from django.urls import path

from konzeptk.core.redirects import moved_segment, moved_to
from konzeptk.notifications.views import moved
from konzeptk.participation import views

app_name = "participation"

urlpatterns = [
    path("", views.process_list, name="processes"),
    path("netiquette/", views.netiquette, name="netiquette"),
    # moved to /benachrichtigungen/ (konzeptk.notifications): 308, so links in mails sent before keep working
    path("benachrichtigungen/", moved("notifications:inbox", login=True), name="inbox_moved"),
    path("abmelden/<str:token>/", moved("notifications:unsubscribe"), name="unsubscribe"),
    path(
        "benachrichtigungen/einstellungen/",
        moved("notifications:settings", login=True),
        name="settings_moved",
    ),
    # residency verification moved to accounts (/konto/verifizierung/)
    path("verifizierung/", moved_to("accounts:verification")),
    path("buergerbuero/", moved_to("accounts:verification_staff")),
    path("offene-daten/", views.dumps, name="dumps"),
    path("verwaltung/", views.staff_processes, name="staff_processes"),
    path("verwaltung/neu/", views.process_new, name="process_new"),
    path("offene-daten/<str:name>", views.dump_file, name="dump_file"),
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/folgen/", views.process_follow, name="process_follow"),
    path("<slug:slug>/bearbeiten/", views.process_edit, name="process_edit"),
    path("<slug:slug>/phasen/", views.process_phases, name="process_phases"),
    path("<slug:slug>/ideen/", views.idea_list, name="ideas"),
    path("<slug:slug>/ideen/neu/", views.idea_create, name="idea_create"),
    path("<slug:slug>/ideen/<int:pk>/", views.idea_detail, name="idea"),
    path("<slug:slug>/ideen/<int:pk>/bearbeiten/", views.idea_update, name="idea_update"),
    path("<slug:slug>/ideen/<int:pk>/unterstuetzen/", views.idea_support, name="idea_support"),
    path("<slug:slug>/ideen/<int:pk>/folgen/", views.idea_follow, name="idea_follow"),
    path("<slug:slug>/ideen/<int:pk>/kommentieren/", views.comment_create, name="comment_create"),
    path("<slug:slug>/ideen/<int:pk>/antworten/", views.idea_answer, name="idea_answer"),
    path("<slug:slug>/kommentare/<int:pk>/bearbeiten/", views.comment_update, name="comment_update"),
    path("<slug:slug>/kommentare/<int:pk>/loeschen/", views.comment_delete, name="comment_delete"),
    path("<slug:slug>/melden/<str:kind>/<int:pk>/", views.report, name="report"),
    path("<slug:slug>/ergebnisse/", views.results, name="results"),
    path("<slug:slug>/erfassen/", views.offline_create, name="offline_create"),
    path("<slug:slug>/verwaltung/moderation/", views.moderation_queue, name="moderation"),
    path(
        "<slug:slug>/verwaltung/moderation/<str:kind>/<int:pk>/<str:action>/",
        views.moderation_act,
        name="moderation_act",
    ),
    # staff areas are called "verwaltung" everywhere; the old paths redirect (308)
    moved_segment("moderation/", "verwaltung/moderation/", before=r"[-a-zA-Z0-9_]+/"),
]
