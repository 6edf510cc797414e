"""Pages of the inner city under /innenstadt/ (the interim-use programme and the businesses have their own rooms)."""

from django.urls import path

from konzeptk.innercity import owner_views, staff_views, views

app_name = "innercity"

urlpatterns = [
    path("", views.home, name="home"),
    path("flaechen/", views.unit_list, name="units"),
    path("flaechen.csv", views.units_csv, name="units_csv"),
    path("flaechen/<int:pk>/", views.unit_detail, name="unit"),
    path("flaechen/<int:pk>/bearbeiten/", owner_views.unit_edit, name="unit_edit"),
    path("flaechen/<int:pk>/fotos/", owner_views.unit_photos, name="unit_photos"),
    path("fotos/<int:pk>/", views.photo, name="photo"),
    path("fotos/<int:pk>/loeschen/", owner_views.photo_delete, name="photo_delete"),
    path("leerstand/", views.statistics, name="statistics"),
    path("leerstand.csv", views.counts_csv, name="counts_csv"),
    path("anbieten/", owner_views.owner_register, name="owner_register"),
    path("anbieten/flaechen/", owner_views.my_units, name="my_units"),
    path("anbieten/neu/", owner_views.unit_new, name="unit_new"),
    path("verwaltung/", staff_views.register, name="staff_register"),
    path("verwaltung/neu/", staff_views.unit_new, name="staff_unit_new"),
    path("verwaltung/anbietende/", staff_views.owners, name="staff_owners"),
    path("verwaltung/anbietende/<int:pk>/pruefen/", staff_views.owner_verify, name="staff_owner_verify"),
    path("verwaltung/zaehlungen/", staff_views.counts, name="staff_counts"),
]
