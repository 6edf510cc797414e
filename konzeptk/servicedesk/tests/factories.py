"""factory_boy factories for categories, their extra questions and reports of the Mängelmelder (other apps
import them). A report made here skips the checks of ``report_create`` (use the service to test those)."""

from __future__ import annotations

import factory
from django.utils import timezone

from konzeptk.servicedesk.models import Category, CategoryAttribute, Report


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("service_code",)

    service_code = factory.Sequence(lambda n: f"kategorie-{n}")
    name = factory.Sequence(lambda n: f"Kategorie {n}")


class CategoryAttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryAttribute

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"angabe-{n}")
    description = factory.Sequence(lambda n: f"Frage {n}")


class ReportFactory(factory.django.DjangoModelFactory):
    """A published report in the middle of the test city of ``split_city``."""

    class Meta:
        model = Report

    category = factory.SubFactory(CategoryFactory)
    description = factory.Sequence(lambda n: f"Problem Nummer {n}")
    lat = 51.33
    lon = 6.53
    published = True
    published_at = factory.LazyFunction(timezone.now)
