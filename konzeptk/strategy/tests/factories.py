"""factory_boy factories for strategies, revisions and their elements, projects and indicators (other apps
import them). Elements of a revision get their parent's revision by default."""

from __future__ import annotations

import datetime as dt

import factory

from konzeptk.accounts.tests.factories import OrganisationFactory
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Project,
    ProjectLink,
    Revision,
    Strategy,
    SubTopic,
)


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"strategie-{n}")
    name = factory.Sequence(lambda n: f"Smart-City-Strategie {n}")


class RevisionFactory(factory.django.DjangoModelFactory):
    """An adopted revision (pass ``status=Revision.Status.DRAFT`` for a draft)."""

    class Meta:
        model = Revision

    strategy = factory.SubFactory(StrategyFactory)
    version = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Fassung {n + 1}")
    date = dt.date(2023, 9, 1)
    status = Revision.Status.ADOPTED


class FieldOfActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfAction

    revision = factory.SubFactory(RevisionFactory)
    title = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    position = factory.Sequence(lambda n: n + 1)


class SubTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubTopic

    field = factory.SubFactory(FieldOfActionFactory)
    revision = factory.SelfAttribute("field.revision")
    title = factory.Sequence(lambda n: f"Teilthema {n}")


class CrossCuttingThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossCuttingTheme

    revision = factory.SubFactory(RevisionFactory)
    title = factory.Sequence(lambda n: f"Querschnittsthema {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    field = factory.SubFactory(FieldOfActionFactory)
    revision = factory.SelfAttribute("field.revision")
    title = factory.Sequence(lambda n: f"Ziel {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    goal = factory.SubFactory(GoalFactory)
    revision = factory.SelfAttribute("goal.revision")
    title = factory.Sequence(lambda n: f"Maßnahme {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A published project in the idea stage, led by a new organisation."""

    class Meta:
        model = Project

    slug = factory.Sequence(lambda n: f"projekt-{n}")
    title = factory.Sequence(lambda n: f"Projekt {n}")
    summary = "Ein Projekt der Smart-City-Strategie."
    lead = factory.SubFactory(OrganisationFactory)
    published = True


class ProjectLinkFactory(factory.django.DjangoModelFactory):
    """Links a project to an element by key: pass ``element=<field, goal, measure or theme>``."""

    class Meta:
        model = ProjectLink
        exclude = ("element",)

    project = factory.SubFactory(ProjectFactory)
    element = factory.SubFactory(FieldOfActionFactory)
    kind = ProjectLink.Kind.FIELD
    key = factory.SelfAttribute("element.key")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    slug = factory.Sequence(lambda n: f"indikator-{n}")
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "t"
    direction = Indicator.Direction.DOWN
    source = "Testquelle"
    baseline_value = 9.0
    baseline_year = 2017


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    value = 2.0
    year = 2035


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    value = 8.0
    date = dt.date(2021, 1, 1)
