"""The education network: every learning offer in the city for every age, bookable, and who it reaches."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "konzeptk.education"
    label = "education"
    verbose_name = _("Digitale Bildung")

    def ready(self) -> None:
        pass
