from django.urls import path

from konzeptk.participation import views

app_name = "participation"

urlpatterns = [
    path("", views.process_list, name="processes"),
    path("netiquette/", views.netiquette, name="netiquette"),
    path("benachrichtigungen/", views.inbox, name="inbox"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("benachrichtigungen/einstellungen/", views.notification_settings, name="notification_settings"),
    path("verifizierung/", views.verification, name="verification"),
    path("buergerbuero/", views.verification_staff, name="verification_staff"),
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
    path("<slug:slug>/abstimmung/", views.ballot, name="ballot"),
    path("<slug:slug>/abstimmung/ergebnis/", views.ballot_result, name="ballot_result"),
    path("<slug:slug>/ergebnisse/", views.results, name="results"),
    path("<slug:slug>/umfragen/<int:pk>/", views.survey, name="survey"),
    path("<slug:slug>/umfragen/<int:pk>/ergebnisse/", views.survey_results, name="survey_results"),
    path("<slug:slug>/umfragen/<int:pk>/export.csv", views.survey_export, name="survey_export"),
    path("<slug:slug>/umfragen/<int:pk>/bearbeiten/", views.survey_edit, name="survey_edit"),
    path("<slug:slug>/phasen/<int:phase>/umfrage-anlegen/", views.survey_new, name="survey_new"),
    path("<slug:slug>/erfassen/", views.offline_create, name="offline_create"),
    path("<slug:slug>/moderation/", views.moderation_queue, name="moderation"),
    path(
        "<slug:slug>/moderation/<str:kind>/<int:pk>/<str:action>/",
        views.moderation_act,
        name="moderation_act",
    ),
]
