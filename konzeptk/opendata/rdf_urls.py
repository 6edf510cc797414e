"""Outside the language prefix: the DCAT-AP.de documents, the dataset IRIs and the CKAN Action API."""

from django.urls import path, re_path

from konzeptk.opendata import ckan, views

app_name = "dcat"

urlpatterns = [
    re_path(r"^catalog\.(?P<fmt>ttl|rdf|jsonld)$", views.catalogue_rdf, name="catalog"),
    re_path(r"^dataset/(?P<name>[-\w]+)\.(?P<fmt>ttl|rdf|jsonld)$", views.dataset_rdf, name="dataset_rdf"),
    re_path(r"^dataset/(?P<name>[-\w]+)$", views.dataset_iri, name="dataset"),
    path("api/3/action/<str:name>", ckan.action, name="ckan_action"),
    # CKAN answers without the version too, and ckanapi calls that form
    path("api/action/<str:name>", ckan.action, name="ckan_action_unversioned"),
]
