"""/benachrichtigungen/: the inbox, the settings and the unsubscribe link of every mail."""

from django.urls import path

from konzeptk.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("einstellungen/", views.settings_page, name="settings"),
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
