from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """The language switcher: this page in every UI language (no database access)."""
    current = get_language() or settings.LANGUAGE_CODE
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
            }
        )
    return languages


def platform(request: HttpRequest) -> dict[str, Any]:
    """Language switcher links, the city's name and flags every page needs."""
    return {
        "ui_languages": language_links(request),
        "demo_mode": settings.DEMO_MODE,
        "city_name": _city_name(),
    }


def _city_name() -> str:
    from konzeptk.city.selectors import active_profile_name

    try:
        return active_profile_name() or "Konzept K"
    except DatabaseError:  # an error page while the database is down still renders
        return ""
