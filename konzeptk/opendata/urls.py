from django.urls import path, re_path

from konzeptk.opendata import views, views_staff

app_name = "opendata"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("wunsch/", views.requests, name="requests"),
    path("qualitaet/", views.quality_overview, name="quality"),
    path("verwaltung/", views_staff.staff_list, name="staff"),
    path("verwaltung/neu/", views_staff.staff_edit, name="staff_new"),
    re_path(r"^verwaltung/(?P<name>[-\w]+)/$", views_staff.staff_edit, name="staff_edit"),
    re_path(r"^(?P<name>[-\w]+)/$", views.dataset, name="dataset"),
    re_path(r"^(?P<name>[-\w]+)/download/(?P<pk>\d+)/$", views.download, name="download"),
]
