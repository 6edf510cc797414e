from django.urls import path

from konzeptk.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("gebaerdensprache/", views.sign_language, name="sign_language"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("impressum/", views.site_page, {"slug": "impressum"}, name="impressum"),
    path("datenschutz/", views.site_page, {"slug": "datenschutz"}, name="privacy"),
]
