"""Reading the import sources and their reports, for the members of the providers who own them."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from konzeptk.accounts.models import User
from konzeptk.education.models import ImportRun, ImportSource
from konzeptk.education.selectors import managed_providers


def managed_sources(user: User) -> QuerySet[ImportSource]:
    """The sources of the providers ``user`` manages, with the status and time of their last run."""
    last = ImportRun.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-pk")
    return (
        ImportSource.objects.filter(provider__in=managed_providers(user))
        .select_related("provider")
        .annotate(
            last_status=Subquery(last.values("status")[:1]),
            last_started=Subquery(last.values("started_at")[:1]),
        )
        .order_by("provider__name", "title", "pk")
    )


def managed_source(user: User, pk: int) -> ImportSource | None:
    return managed_sources(user).filter(pk=pk).first()


def managed_runs(user: User) -> QuerySet[ImportRun]:
    """The runs of those sources, newest first."""
    return (
        ImportRun.objects.filter(source__provider__in=managed_providers(user))
        .select_related("source", "source__provider")
        .defer("errors")
        .order_by("-started_at", "-pk")
    )


def managed_run(user: User, pk: int) -> ImportRun | None:
    return (
        ImportRun.objects.filter(source__provider__in=managed_providers(user), pk=pk)
        .select_related("source", "source__provider")
        .first()
    )


def runs_of(source: ImportSource) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(source=source).defer("errors").order_by("-started_at", "-pk")
