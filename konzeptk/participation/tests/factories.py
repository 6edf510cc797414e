"""Factories for participation tests (and other apps' tests that need a process or an idea)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.db.models import F
from django.utils import timezone

from konzeptk.accounts.tests.factories import OrganisationFactory, UserFactory
from konzeptk.participation.models import Comment, Idea, Phase, Process


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"prozess-{n}")
    title = factory.Sequence(lambda n: f"Beteiligungsprozess {n}")
    description = "Worum es geht."
    organiser = factory.SubFactory(OrganisationFactory)
    topics = factory.LazyFunction(lambda: ["mobilitaet"])
    status = Process.Status.PUBLISHED


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory)
    type = "idea_collection"
    start = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    end = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    process = factory.SubFactory(ProcessFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idee {n}")
    text = "Eine Beschreibung der Idee."
    topic = "mobilitaet"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    text = "Ein Kommentar."

    @classmethod
    def _create(cls, model_class: type[Comment], *args: Any, **kwargs: Any) -> Comment:
        """Keep the denormalised counter right, as services.comment_create does."""
        comment: Comment = super()._create(model_class, *args, **kwargs)
        if not comment.is_removed:
            Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") + 1)
        return comment


def make_project(slug: str = "mobilstationen", *, published: bool = True, title: str = "") -> Any:
    """A project of the strategy that ideas can link to."""
    from konzeptk.strategy.models import Project

    return Project.objects.create(
        slug=slug,
        title=title or f"Projekt {slug.capitalize()}",
        summary="Ein Projekt der Smart-City-Strategie.",
        lead=OrganisationFactory(),
        published=published,
    )
