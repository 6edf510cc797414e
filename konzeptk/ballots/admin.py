"""Django admin for platform staff: the ballots (their settings) at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from konzeptk.ballots.models import Ballot

# ModelAdmin is generic only in django-stubs (not at run time)
if TYPE_CHECKING:
    _Admin = admin.ModelAdmin[Ballot]
else:
    _Admin = admin.ModelAdmin


@admin.register(Ballot)
class BallotAdmin(_Admin):
    list_display = ("phase", "kind", "votes_per_person", "budget")
    list_select_related = ("phase__process",)
