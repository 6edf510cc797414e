from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def platform(request: HttpRequest) -> dict[str, Any]:
    """Language switcher links, the city's name and flags every page needs."""
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
    return {
        "ui_languages": languages,
        "demo_mode": settings.DEMO_MODE,
        "city_name": _city_name(),
    }


def _city_name() -> str:
    from konzeptk.city.selectors import active_profile

    profile = active_profile()
    return profile.name if profile else "Konzept K"
