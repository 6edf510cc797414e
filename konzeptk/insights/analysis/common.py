"""Helpers shared by the reports: labels, the report cache, the minimum group size."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from konzeptk.insights import selectors
from konzeptk.insights.engine import representation as rep
from konzeptk.participation.models import Process

MIN = rep.MIN_COUNT
#: most under-represented groups listed with outreach suggestions (the tables show all)
FLAGGED_MAX = 12


def band_label(band: str) -> str:
    return {
        "6-17": _("6 bis 17 Jahre"),
        "18-64": _("18 bis 64 Jahre"),
        "65+": _("65 Jahre und älter"),
    }.get(band, band)


def sex_label(sex: str) -> str:
    return {"f": _("weiblich"), "m": _("männlich")}.get(sex, sex)


def idea_url(slug: str, pk: int) -> str:
    """The idea's page in the active language (one reverse per call site would cost per row)."""
    template = _IDEA_URLS.get(translation.get_language() or "")
    if template is None:
        template = reverse("participation:idea", kwargs={"slug": "slug-0", "pk": 987654321})
        _IDEA_URLS[translation.get_language() or ""] = template
    return template.replace("slug-0", slug).replace("987654321", str(pk))


_IDEA_URLS: dict[str, str] = {}


def small(n: int | None) -> str:
    """A count as shown: every count handed here is already published through the cell-key method
    (never the true number of 1 to 4 people), so it is shown as it is; "–" when there is none."""
    return "–" if n is None else str(n)


def cached(kind: str, process: Process | None, compute: Any, *variant: object) -> Any:
    """``compute()``, or its result from the cache if nothing it reads has changed since.

    The key holds the contributions' fingerprint (one query), the phases' dates, the city profile
    and the language (reports contain translated labels)."""
    layer = selectors.reference_layer()
    phases = (
        sorted((p.pk, p.start.isoformat(), p.end.isoformat()) for p in process.phases.all())
        if process
        else []
    )
    raw = repr(
        (
            kind,
            process.pk if process else None,
            variant,
            translation.get_language(),
            layer.pk if layer else None,
            layer.profile.loaded_at.isoformat() if layer else None,
            phases,
            selectors.contributions_fingerprint(process),
        )
    )
    key = "insights:report:" + hashlib.sha256(raw.encode()).hexdigest()
    report = cache.get(key)
    if report is None:
        report = compute()
        cache.set(key, report, REPORT_CACHE_SECONDS)
    return report


#: how long an unchanged report stays cached (its key changes with every change of its data)
REPORT_CACHE_SECONDS = 24 * 3600
