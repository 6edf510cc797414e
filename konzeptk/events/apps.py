"""The city's event calendar: submitted, imported and moderated events, out as iCalendar and JSON-LD."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "konzeptk.events"
    label = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        from konzeptk.core import catalogue
        from konzeptk.events import catalogue as published
        from konzeptk.events.models import MODERATION_KIND
        from konzeptk.notifications.registry import kinds

        catalogue.register("events", published.entries)  # what the open data catalogue lists
        kinds.register(
            MODERATION_KIND,
            _("Prüfung meiner eingereichten Veranstaltungen"),
            order=40,
            app="events",
        )
