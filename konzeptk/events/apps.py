"""The city's event calendar: submitted, imported and moderated events, out as iCalendar and JSON-LD."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "konzeptk.events"
    label = "events"
    verbose_name = _("Veranstaltungen")
