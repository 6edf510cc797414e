"""Open311 GeoReport v2 (mounted at /georeport/v2/ outside the language prefixes)."""

from django.urls import re_path

from konzeptk.servicedesk import open311, open311_index

app_name = "open311"

FMT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^$", open311_index.index, name="index"),
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.services, name="services"),
    re_path(r"^services/(?P<service_code>[-\w]+)" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[-\w]+)" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[-\w]+)" + FMT, open311.token, name="token"),
]
