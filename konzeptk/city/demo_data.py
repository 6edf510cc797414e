"""Demo content that comes with a city profile pack as data (``<pack>/demo/<name>.json``).

The Krefeld pack holds Krefeld's strategy text, projects, indicators and the categories of the defect
reporter; each file names its ``sources``. The rooms read their file here and create everything through
their own services, so the demo goes the same way a person does. A pack without demo content is fine:
:func:`demo_data` answers None and the room loads nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

from konzeptk.city.services import ProfileError, resolve_profile_dir


def demo_data_path(name: str, *, profile: str | None = None) -> Path | None:
    """The file ``demo/<name>.json`` of the profile pack (``KONZEPTK_CITY`` by default), if it has one."""
    try:
        pack = resolve_profile_dir(profile or settings.CITY_PROFILE)
    except ProfileError:
        return None
    path = pack / "demo" / f"{name}.json"
    return path if path.is_file() else None


def demo_data(name: str, *, profile: str | None = None) -> dict[str, Any] | None:
    """The parsed demo file, or None when the pack has none. A file without ``sources`` is refused:
    demo content states where it comes from."""
    path = demo_data_path(name, profile=profile)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ProfileError(f"{path} ist kein gültiges JSON: {exc}") from exc
    if not isinstance(data, dict) or not data.get("sources"):
        raise ProfileError(f"{path}: Demo-Inhalte brauchen eine Liste „sources“ (Quellen).")
    return data
