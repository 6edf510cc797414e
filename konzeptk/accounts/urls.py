from django.urls import path

from konzeptk.accounts import invitation_views, views
from konzeptk.accounts.verification import views as verification_views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("einwilligungen/<slug:purpose>/widerrufen/", views.consent_withdraw, name="consent_withdraw"),
    path("einwilligungen/<slug:purpose>/erteilen/", views.consent_give, name="consent_give"),
    path("daten/", views.export, name="export"),
    path("loeschen/", views.delete, name="delete"),
    path("organisationen/", views.organisations, name="organisations"),
    path("organisationen/<slug:slug>/", views.organisation, name="organisation"),
    path("organisationen/<slug:slug>/mitglieder/neu/", views.membership_add, name="membership_add"),
    path(
        "organisationen/<slug:slug>/mitglieder/<int:pk>/rolle/", views.membership_role, name="membership_role"
    ),
    path(
        "organisationen/<slug:slug>/mitglieder/<int:pk>/entfernen/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "organisationen/<slug:slug>/einladungen/<int:pk>/zurueckziehen/",
        invitation_views.withdraw,
        name="invitation_withdraw",
    ),
    path("einladungen/<str:token>/", invitation_views.invitation, name="invitation"),
    path("verifizierung/", verification_views.verification, name="verification"),
    path("verwaltung/verifizierung/", verification_views.verification_staff, name="verification_staff"),
]
