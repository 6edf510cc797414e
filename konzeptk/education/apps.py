"""The education network: every learning offer in the city for every age, bookable, and who it reaches."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "konzeptk.education"
    label = "education"
    verbose_name = _("Digitale Bildung")

    def ready(self) -> None:
        # the offers with sessions this week on the home page
        from konzeptk.core.front_door_registry import register_front_door
        from konzeptk.education import front_door

        register_front_door("education", front_door.contribution)
        # the notification kind of bookings (booked, moved up, reminder)
        from konzeptk.education.models import BOOKING_KIND
        from konzeptk.notifications.registry import kinds

        kinds.register(
            BOOKING_KIND,
            _("Anmeldungen zu Bildungsangeboten: Bestätigung, Nachrücken, Erinnerung"),
            order=45,
            app="education",
        )
        # the readers of providers' feeds, the open data catalogue, the event calendar and the
        # JSON:API error format of /bildung/api/
        from konzeptk.core import catalogue
        from konzeptk.core.errors import register_api_errors
        from konzeptk.education import catalogue as published
        from konzeptk.education import event_source, importers  # noqa: F401 – importers register their formats
        from konzeptk.education.api_views import API_PREFIX, jsonapi_error
        from konzeptk.events.source_registry import register_event_source

        catalogue.register("education", published.entries)
        register_event_source(event_source.SOURCE, event_source.external_events)
        register_api_errors(API_PREFIX, jsonapi_error)
