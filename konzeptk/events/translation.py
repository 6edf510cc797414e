"""Texts of events in six languages (django-modeltranslation; rendered with ``{% kk_text %}``)."""

from modeltranslation.translator import TranslationOptions, register

from konzeptk.events.models import Event, Venue


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    fields = ("accessibility_note",)
