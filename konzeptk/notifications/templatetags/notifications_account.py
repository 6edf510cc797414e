"""The notifications part of the account page: inbox (with the unread count) and settings."""

from __future__ import annotations

from django import template
from django.template.context import Context

from konzeptk.accounts.models import User
from konzeptk.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/_account_links.html", takes_context=True)
def notifications_account_links(context: Context) -> dict[str, object]:
    user = context["request"].user
    return {"unread": selectors.unread_count(user=user) if isinstance(user, User) else 0}
