"""URL map. German pages at /, other UI languages under /en/ /tr/ /ar/ /pl/ /uk/."""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from konzeptk.api import api
from konzeptk.api import index as api_index
from konzeptk.core import media_registry as media_views
from konzeptk.core import views as core_views

admin.site.site_header = "Konzept K – Verwaltung"
admin.site.site_title = "Konzept K"
admin.site.index_title = "Verwaltung der Plattform"
# The admin signs in through allauth (counted failed attempts, MFA), not through its own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api_index, name="api_index"),  # the index page (HTML or JSON) of the JSON API
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("georeport/v2/", include("konzeptk.servicedesk.open311_urls")),
    path("sta/v1.1/", include("konzeptk.sensing.sta_urls")),
    path("", include("konzeptk.opendata.rdf_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("konzeptk.core.urls")),
    path("stadt/", include("konzeptk.city.urls")),
    path("daten/", include("konzeptk.sensing.urls")),
    path("strategie/", include("konzeptk.strategy.urls")),
    path("konto/", include("konzeptk.accounts.urls")),
    path("benachrichtigungen/", include("konzeptk.notifications.urls")),
    path("beteiligung/<slug:slug>/abstimmung/", include("konzeptk.ballots.urls", namespace="ballots")),
    path("beteiligung/<slug:slug>/", include("konzeptk.surveys.urls", namespace="surveys")),
    path("beteiligung/", include("konzeptk.participation.urls")),
    path("auswertung/", include("konzeptk.insights.urls")),
    path("konto/", include("allauth.urls")),
    path("maengel/", include("konzeptk.servicedesk.urls")),
    path("offene-daten/", include("konzeptk.opendata.urls")),
    path("innenstadt/zwischennutzung/", include("konzeptk.interimuse.urls")),
    path("innenstadt/geschaefte/", include("konzeptk.economy.urls")),
    path("innenstadt/", include("konzeptk.innercity.urls")),
    path("veranstaltungen/", include("konzeptk.events.urls")),
    path("bildung/", include("konzeptk.education.urls")),
    path("warnungen/", include("konzeptk.resilience.urls")),
    path("klima/", include("konzeptk.climate.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# Uploads are served by the application, and only while the app owning them says they are public
# (core/media_registry.py); the reverse proxy must not serve /media/ itself (docs/operations.md).
urlpatterns += [re_path(r"^media/(?P<path>.*)$", media_views.serve_media, name="media")]

handler400 = "konzeptk.core.views.bad_request"
handler403 = "konzeptk.core.views.permission_denied"
handler404 = "konzeptk.core.views.page_not_found"
handler500 = "konzeptk.core.views.server_error"
handler429 = "konzeptk.core.ratelimits.handler429"  # allauth's limits answer with this page
