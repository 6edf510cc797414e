"""The reasons of a match as sentences people read (translated), one per criterion."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from konzeptk.interimuse.matching import Match, Reason


@dataclass(frozen=True)
class ReasonLine:
    text: str
    fit: str  # "full", "partial", "none", "unknown"
    points: int


def _sentence(reason: Reason) -> str:
    code, fit, detail = reason.code, reason.fit, reason.detail
    if code == "use":
        return {
            "full": _("Die gewünschte Nutzung ist erlaubt."),
            "none": _("Die gewünschte Nutzung ist hier nicht erlaubt."),
        }.get(fit, _("Für dieses Ladenlokal sind keine Nutzungen eingetragen; bitte fragen Sie nach."))
    if code == "area":
        if fit == "unknown":
            return _("Die Fläche ist nicht bekannt.")
        if fit == "full":
            return _("Die Fläche (%(area)s) passt.") % {"area": detail}
        return _("Die Fläche (%(area)s) liegt außerhalb des gewünschten Bereichs.") % {"area": detail}
    if code == "district":
        if detail == "any":
            return _("Kein Stadtbezirk gewünscht: Jeder passt.")
        if fit == "full":
            return _("Das Ladenlokal liegt in einem gewünschten Stadtbezirk.")
        return _("Das Ladenlokal liegt in keinem gewünschten Stadtbezirk.")
    if code == "budget":
        if fit == "unknown":
            return _("Miete oder Budget ist nicht angegeben.")
        if fit == "full":
            return _("Der Anteil der Mieter an der Miete liegt im Budget (%(figures)s).") % {
                "figures": detail
            }
        return _("Der Anteil der Mieter an der Miete liegt über dem Budget (%(figures)s).") % {
            "figures": detail
        }
    if code == "step_free":
        if fit == "full":
            return _("Der Zugang ist stufenlos, wie gebraucht.")
        return _("Der Zugang ist nicht stufenlos, gebraucht wird aber ein stufenloser Zugang.")
    return code  # pragma: no cover - every code is named above


def describe(match: Match) -> list[ReasonLine]:
    """The sentences of a match in the active language."""
    return [ReasonLine(text=_sentence(r), fit=r.fit, points=r.points) for r in match.reasons]
