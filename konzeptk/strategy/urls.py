from django.urls import path

from konzeptk.core.redirects import moved_segment
from konzeptk.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("handlungsfelder/<uuid:key>/", views.field_detail, name="field"),
    path("ziele/<uuid:key>/", views.goal_detail, name="goal"),
    path("projekte/", views.project_list, name="projects"),
    path("projekte/karte/", views.project_map, name="project_map"),
    path("projekte.csv", views.project_csv, name="projects_csv"),
    path("projekte/<slug:slug>/", views.project_detail, name="project"),
    path("indikatoren/", views.indicator_list, name="indicators"),
    path("indikatoren/werte.csv", views.indicator_values_csv, name="indicator_values_csv"),
    path("indikatoren/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("indikatoren/<slug:slug>/werte.csv", views.indicator_values_csv, name="indicator_csv"),
    path("fassungen/", views.revision_list, name="revisions"),
    path("fassungen/vergleich/", views.revision_diff, name="diff"),
    path("handlungsprogramm/", views.document, name="document"),
    path("handlungsprogramm.pdf", views.document_pdf, name="document_pdf"),
    # Staff workspace
    path("verwaltung/", views.workspace, name="workspace"),
    path("verwaltung/fassungen/<int:version>/kopieren/", views.revision_clone, name="clone"),
    path("verwaltung/fassungen/<int:version>/", views.draft_edit, name="draft"),
    path("verwaltung/fassungen/<int:version>/angaben/", views.draft_meta, name="draft_meta"),
    path("verwaltung/fassungen/<int:version>/beschliessen/", views.draft_adopt, name="adopt"),
    path("verwaltung/fassungen/<int:version>/<str:kind>/neu/", views.element_add, name="element_add"),
    path(
        "verwaltung/fassungen/<int:version>/<str:kind>/<int:pk>/", views.element_update, name="element_update"
    ),
    path(
        "verwaltung/fassungen/<int:version>/<str:kind>/<int:pk>/loeschen/",
        views.element_delete,
        name="element_delete",
    ),
    path("verwaltung/projekte/neu/", views.project_edit, name="project_create"),
    path("verwaltung/projekte/<slug:slug>/", views.project_edit, name="project_edit"),
    path("verwaltung/projekte/<slug:slug>/phase/", views.project_stage, name="project_stage"),
    path("verwaltung/indikatoren/<slug:slug>/", views.indicator_edit, name="indicator_edit"),
    # staff areas are called "verwaltung" everywhere; the old paths redirect (308)
    moved_segment("redaktion/", "verwaltung/"),
]
