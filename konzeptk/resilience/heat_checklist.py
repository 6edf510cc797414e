"""The heat-protection checklist for facilities, as data: care homes, kindergartens, schools and senior
meeting places.

It follows the eight core elements of the federal recommendations for heat action plans
("Handlungsempfehlungen für die Erstellung von Hitzeaktionsplänen zum Schutz der menschlichen
Gesundheit", Bund/Länder-Ad-hoc-Arbeitsgruppe Gesundheitliche Anpassung an die Folgen des
Klimawandels, Bundesgesundheitsblatt 2017). Each item names the kinds of facility it is for (none:
all). The texts are German msgids; :func:`checklist` returns them in the active language, so the alert
mail (``translation.override(language)``) and the page ``/warnungen/hitze/checkliste/`` show the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from konzeptk.resilience.models import Facility

CARE = Facility.Kind.CARE_HOME.value
KITA = Facility.Kind.KINDERGARTEN.value
SCHOOL = Facility.Kind.SCHOOL.value
SENIOR = Facility.Kind.SENIOR.value

SOURCE = (
    "Bund/Länder-Ad-hoc-Arbeitsgruppe „Gesundheitliche Anpassung an die Folgen des Klimawandels“: "
    "Handlungsempfehlungen für die Erstellung von Hitzeaktionsplänen zum Schutz der menschlichen "
    "Gesundheit. Bundesgesundheitsblatt 60 (2017), S. 662–672"
)


@dataclass(frozen=True)
class _Item:
    text: Promise
    kinds: tuple[str, ...] = ()  # empty: every kind of facility


@dataclass(frozen=True)
class _Section:
    key: str
    title: Promise
    items: tuple[_Item, ...]


SECTIONS: tuple[_Section, ...] = (
    _Section(
        "coordination",
        _("Zentrale Koordinierung"),
        (
            _Item(
                _(
                    "Benennen Sie eine Person, die für den Hitzeschutz verantwortlich ist, und eine Vertretung."
                )
            ),
            _Item(
                _("Legen Sie fest, wer bei einer Hitzewarnung was tut. Hängen Sie den Plan gut sichtbar aus.")
            ),
            _Item(
                _(
                    "Stimmen Sie den Hitzeschutz mit der Pflegedienstleitung, den Hausarztpraxen und der Küche ab."
                ),
                (CARE,),
            ),
            _Item(
                _("Stimmen Sie mit dem Träger ab, wann Ausflüge und Feste bei Hitze verschoben werden."),
                (KITA,),
            ),
            _Item(
                _(
                    "Stimmen Sie in der Schulleitung ab, wann Sport, Wandertage und Schulfeste verschoben werden."
                ),
                (SCHOOL,),
            ),
            _Item(_("Klären Sie, wer bei Hitze Treffen absagt oder in kühlere Räume verlegt."), (SENIOR,)),
        ),
    ),
    _Section(
        "warning",
        _("Hitzewarnungen nutzen"),
        (
            _Item(
                _(
                    "Abonnieren Sie die Hitzewarnungen des Deutschen Wetterdienstes und der Stadt auf dieser Plattform."
                )
            ),
            _Item(
                _("Sorgen Sie dafür, dass eine Warnung auch am Wochenende und im Urlaub jemanden erreicht.")
            ),
            _Item(_("Setzen Sie bei einer Warnung die vereinbarten Maßnahmen sofort in Gang.")),
        ),
    ),
    _Section(
        "communication",
        _("Information und Kommunikation"),
        (
            _Item(
                _(
                    "Informieren Sie alle Beschäftigten vor dem Sommer über die Gefahren von Hitze und die "
                    "Anzeichen von Hitzeerschöpfung und Hitzschlag."
                )
            ),
            _Item(
                _("Informieren Sie Bewohnerinnen, Bewohner und Angehörige über die Maßnahmen bei Hitze."),
                (CARE,),
            ),
            _Item(
                _(
                    "Bitten Sie die Eltern, den Kindern Sonnenhut, leichte Kleidung und eine Trinkflasche mitzugeben."
                ),
                (KITA,),
            ),
            _Item(
                _("Informieren Sie Schülerinnen, Schüler und Eltern über Trinken und Sonnenschutz."),
                (SCHOOL,),
            ),
            _Item(
                _(
                    "Geben Sie Ihren Gästen die Tipps bei Hitze dieser Plattform mit, auch in Leichter Sprache."
                ),
                (SENIOR,),
            ),
        ),
    ),
    _Section(
        "indoor",
        _("Hitze in Innenräumen verringern"),
        (
            _Item(
                _(
                    "Lüften Sie früh am Morgen und in der Nacht. Schließen und beschatten Sie tagsüber die Fenster."
                )
            ),
            _Item(_("Messen Sie mehrmals am Tag die Temperatur in den Räumen und schreiben Sie sie auf.")),
            _Item(_("Richten Sie einen kühlen Raum ein, in den sich Menschen zurückziehen können.")),
            _Item(_("Schalten Sie Geräte aus, die nicht gebraucht werden: Sie erzeugen Wärme.")),
        ),
    ),
    _Section(
        "risk_groups",
        _("Besonders gefährdete Menschen schützen"),
        (
            _Item(
                _(
                    "Halten Sie fest, wer besonders gefährdet ist, zum Beispiel bei Herzkrankheiten, Demenz, "
                    "Bettlägerigkeit oder Medikamenten, die den Wasserhaushalt beeinflussen."
                ),
                (CARE,),
            ),
            _Item(
                _(
                    "Führen Sie Trinkprotokolle und bieten Sie regelmäßig Getränke und wasserreiche Speisen an."
                ),
                (CARE,),
            ),
            _Item(_("Lassen Sie Medikamente und ihre Dosis bei Hitze ärztlich prüfen."), (CARE,)),
            _Item(_("Erinnern Sie die Kinder regelmäßig ans Trinken."), (KITA,)),
            _Item(_("Lassen Sie Kinder in der Mittagszeit nicht in der prallen Sonne spielen."), (KITA,)),
            _Item(
                _(
                    "Erlauben Sie das Trinken im Unterricht. Verlegen Sie Sport in kühlere Stunden oder nach drinnen."
                ),
                (SCHOOL,),
            ),
            _Item(
                _(
                    "Fragen Sie bei Gästen, die allein leben, nach, wie es ihnen geht, und vermitteln Sie Hilfe."
                ),
                (SENIOR,),
            ),
            _Item(
                _(
                    "Achten Sie auf Warnzeichen: Kopfschmerzen, Schwindel, Übelkeit, Verwirrtheit, heiße und "
                    "trockene Haut. Rufen Sie im Notfall die 112."
                )
            ),
        ),
    ),
    _Section(
        "preparedness",
        _("Gesundheits- und Sozialwesen vorbereiten"),
        (
            _Item(_("Halten Sie Getränke, Kühlakkus, Sonnenschutz und eine Liste der Notrufnummern bereit.")),
            _Item(
                _("Planen Sie bei Hitzewellen mehr Personal ein, besonders für Pflege und Getränke."), (CARE,)
            ),
            _Item(_("Schulen Sie die Beschäftigten in Erster Hilfe bei Hitzenotfällen.")),
        ),
    ),
    _Section(
        "planning",
        _("Langfristig planen und bauen"),
        (
            _Item(
                _(
                    "Melden Sie dem Träger, welche Räume im Sommer zu heiß werden. Planen Sie Sonnenschutz, "
                    "Dämmung und Begrünung."
                )
            ),
            _Item(
                _("Schaffen Sie Schatten im Außengelände, zum Beispiel mit Bäumen oder Sonnensegeln."),
                (KITA, SCHOOL),
            ),
            _Item(_("Sorgen Sie für Trinkwasser, zum Beispiel mit einem Wasserspender oder Trinkbrunnen.")),
        ),
    ),
    _Section(
        "monitoring",
        _("Auswerten und verbessern"),
        (
            _Item(_("Schreiben Sie nach einer Hitzewelle auf, was gut lief und was nicht.")),
            _Item(_("Dokumentieren Sie Erkrankungen und Krankenhauseinweisungen wegen Hitze."), (CARE,)),
            _Item(_("Passen Sie den Plan jedes Jahr vor dem Sommer an.")),
        ),
    ),
)


@dataclass(frozen=True)
class ChecklistSection:
    key: str
    number: int
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    kind: str  # a Facility.Kind, or "" for every kind
    kind_label: str
    sections: tuple[ChecklistSection, ...]
    source: str = SOURCE


def checklist(kind: str = "") -> Checklist:
    """The checklist for one kind of facility (all items for ``""``), in the active language.

    An unknown kind gets the items for every facility (``ValueError`` would lose a mail)."""
    if kind not in Facility.Kind.values:
        kind = ""
    sections = tuple(
        ChecklistSection(
            key=section.key,
            number=number,
            title=str(section.title),
            items=tuple(str(i.text) for i in section.items if not kind or not i.kinds or kind in i.kinds),
        )
        for number, section in enumerate(SECTIONS, start=1)
    )
    label = str(Facility.Kind(kind).label) if kind else ""
    return Checklist(kind=kind, kind_label=label, sections=sections)


def checklist_text(kind: str = "") -> str:
    """The checklist as plain text (for the body of a mail), in the active language."""
    found = checklist(kind)
    lines: list[str] = []
    for section in found.sections:
        lines.append(f"{section.number}. {section.title}")
        lines.extend(f"   [ ] {item}" for item in section.items)
        lines.append("")
    lines.append(found.source)
    return "\n".join(lines)
