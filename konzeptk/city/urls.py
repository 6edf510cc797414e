from django.urls import path

from konzeptk.city import views

app_name = "city"

urlpatterns = [
    path("gebiete/", views.district_list, name="districts"),
]
