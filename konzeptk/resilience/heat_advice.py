"""The heat advice as data: the page in plain German (``/warnungen/hitze/``) and in Leichte Sprache
(``/warnungen/hitze/leichte-sprache/``). The texts are German msgids, translated in the catalogues.

Written for this platform from the public recommendations (see ``SOURCES``). The Leichte Sprache
version keeps its rules: short sentences, one statement per sentence, every sentence on its own line,
hard words explained, compound words split with the middle dot (Hitze·welle).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    intro: tuple[Promise, ...] = ()
    items: tuple[Promise, ...] = ()


ADVICE: tuple[Section, ...] = (
    Section(
        "everyone",
        _("Was Sie bei Hitze tun können"),
        items=(
            _(
                "Trinken Sie regelmäßig, auch ohne Durst: am besten Wasser, ungesüßten Tee oder Saftschorle. Meiden Sie Alkohol."
            ),
            _(
                "Bleiben Sie in der heißesten Zeit des Tages im Schatten oder drinnen. Erledigen Sie Wege am Morgen oder am Abend."
            ),
            _(
                "Halten Sie Ihre Wohnung kühl: Lüften Sie nachts und früh am Morgen. Schließen Sie tagsüber Fenster, Rollläden und Vorhänge."
            ),
            _("Tragen Sie leichte, helle Kleidung, eine Kopfbedeckung und Sonnenschutz."),
            _("Essen Sie leichte Speisen, zum Beispiel Obst, Gemüse und Salat."),
            _(
                "Kühlen Sie sich ab, zum Beispiel mit einer lauwarmen Dusche, feuchten Tüchern oder einem Fußbad."
            ),
            _("Vermeiden Sie große körperliche Anstrengung."),
            _("Lassen Sie Kinder und Tiere nie im geparkten Auto."),
        ),
    ),
    Section(
        "older",
        _("Für ältere Menschen und ihre Angehörigen"),
        items=(
            _(
                "Im Alter meldet sich der Durst später. Stellen Sie Getränke sichtbar hin und trinken Sie nach einem festen Plan."
            ),
            _(
                "Fragen Sie Ihre Ärztin oder Ihren Arzt, ob Sie Ihre Medikamente bei Hitze anders nehmen sollen. Lagern Sie Medikamente kühl."
            ),
            _(
                "Vereinbaren Sie mit Angehörigen oder Nachbarn, dass jemand bei Hitze jeden Tag nach Ihnen fragt."
            ),
            _(
                "Angehörige und Nachbarn: Rufen Sie ältere Menschen, die allein leben, bei Hitze regelmäßig an oder besuchen Sie sie."
            ),
        ),
    ),
    Section(
        "parents",
        _("Für Eltern"),
        items=(
            _("Babys und kleine Kinder gehören nicht in die direkte Sonne."),
            _("Geben Sie Ihrem Kind oft etwas zu trinken. Legen Sie Ihr Baby öfter an."),
            _(
                "Ziehen Sie Ihrem Kind leichte Kleidung und einen Sonnenhut an. Cremen Sie es mit Sonnenschutz ein."
            ),
            _("Decken Sie den Kinderwagen nicht mit einem Tuch ab: Darunter staut sich die Hitze."),
        ),
    ),
    Section(
        "outdoor_work",
        _("Für Menschen, die im Freien arbeiten"),
        items=(
            _(
                "Sprechen Sie mit Ihrem Arbeitgeber über Hitzeschutz: Arbeit in den kühleren Stunden, Pausen im Schatten, Trinkwasser."
            ),
            _("Trinken Sie über den Tag verteilt kleine Mengen, auch ohne Durst."),
            _(
                "Tragen Sie eine Kopfbedeckung, luftige Kleidung und Sonnenschutz. Schützen Sie Ihre Haut vor der Sonne."
            ),
            _("Achten Sie auf Ihre Kolleginnen und Kollegen."),
        ),
    ),
    Section(
        "emergency",
        _("Warnzeichen und Notfall"),
        items=(
            _(
                "Warnzeichen sind zum Beispiel Kopfschmerzen, Schwindel, Übelkeit, Verwirrtheit und heiße, trockene Haut."
            ),
            _(
                "Bringen Sie die Person in den Schatten, kühlen Sie sie mit feuchten Tüchern und geben Sie ihr zu trinken, wenn sie wach ist."
            ),
            _("Bei Verwirrtheit, Bewusstlosigkeit oder Krampfanfällen rufen Sie sofort den Notruf 112."),
        ),
    ),
)

ADVICE_INTRO: tuple[Promise, ...] = (
    _(
        "Hitze belastet den Körper. Besonders gefährdet sind ältere Menschen, Babys und kleine Kinder, "
        "Schwangere, Menschen mit chronischen Krankheiten und Menschen, die im Freien arbeiten."
    ),
    _("Mit einfachen Mitteln können Sie sich und andere schützen."),
)

EASY: tuple[Section, ...] = (
    Section(
        "intro",
        _("Was ist Hitze?"),
        intro=(
            _("Im Sommer ist es manchmal sehr heiß."),
            _("Das heißt: Hitze."),
            _("Hitze ist gefährlich für die Gesundheit."),
            _("Besonders für alte Menschen."),
            _("Und für Babys und kleine Kinder."),
            _("Und für kranke Menschen."),
        ),
    ),
    Section(
        "drink",
        _("Viel trinken"),
        intro=(
            _("Trinken Sie viel Wasser."),
            _("Trinken Sie auch, wenn Sie keinen Durst haben."),
            _("Gut sind: Wasser, Tee und Saft mit Wasser."),
            _("Trinken Sie keinen Alkohol."),
        ),
    ),
    Section(
        "shade",
        _("Im Schatten bleiben"),
        intro=(
            _("Schatten ist ein Ort ohne Sonne."),
            _("Zum Beispiel unter einem Baum."),
            _("Gehen Sie mittags nicht in die Sonne."),
            _("Gehen Sie morgens oder abends einkaufen."),
            _("Dann ist es kühler."),
        ),
    ),
    Section(
        "home",
        _("Die Wohnung kühl halten"),
        intro=(
            _("Machen Sie früh am Morgen die Fenster auf."),
            _("Und in der Nacht."),
            _("Dann kommt kühle Luft in die Wohnung."),
            _("Machen Sie am Tag die Fenster zu."),
            _("Machen Sie am Tag die Vorhänge zu."),
        ),
    ),
    Section(
        "clothes",
        _("Leichte Kleidung tragen"),
        intro=(
            _("Tragen Sie leichte Kleidung."),
            _("Tragen Sie draußen einen Hut."),
        ),
    ),
    Section(
        "others",
        _("Nach anderen Menschen fragen"),
        intro=(
            _("Kennen Sie alte Menschen, die allein wohnen?"),
            _("Rufen Sie diese Menschen an."),
            _("Fragen Sie: Geht es Ihnen gut?"),
        ),
    ),
    Section(
        "places",
        _("Kühle Orte"),
        intro=(
            _("An einem kühlen Ort ist es nicht so heiß."),
            _("Zum Beispiel in einer Bücherei."),
            _("Oder in einer Kirche."),
            _("Oder in einem Park mit vielen Bäumen."),
        ),
    ),
    Section(
        "danger",
        _("Wann ist Hitze gefährlich?"),
        intro=(
            _("Manche Menschen werden bei Hitze krank."),
            _("Sie haben dann zum Beispiel Kopf·schmerzen."),
            _("Oder ihnen ist schwindelig."),
            _("Schwindelig bedeutet: Alles dreht sich."),
            _("Ist ein Mensch verwirrt?"),
            _("Oder wird ein Mensch ohnmächtig?"),
            _("Ohnmächtig bedeutet: Der Mensch ist plötzlich nicht mehr wach."),
            _("Dann rufen Sie sofort den Not·ruf 112."),
        ),
    ),
    Section(
        "warning",
        _("Die Hitze·warnung"),
        intro=(
            _("Eine Hitze·warnung ist eine Nachricht."),
            _("Die Nachricht sagt: Es wird sehr heiß."),
            _("Der Deutsche Wetter·dienst schickt die Hitze·warnungen."),
            _("Sie finden die Hitze·warnungen auf dieser Internet·seite."),
        ),
    ),
)


@dataclass(frozen=True)
class SourceRef:
    title: str  # the publication's own (German) title
    publisher: str
    url: str


SOURCES: tuple[SourceRef, ...] = (
    SourceRef(
        "Hitze – Tipps für heiße Tage (Portal „Klima – Mensch – Gesundheit“)",
        "Bundesinstitut für Öffentliche Gesundheit (bis 2025: Bundeszentrale für gesundheitliche Aufklärung)",
        "https://www.klima-mensch-gesundheit.de/",
    ),
    SourceRef(
        "Hitzeschutzplan für Deutschland (2023) und Informationen zum Hitzeschutz",
        "Bundesministerium für Gesundheit",
        "https://www.bundesgesundheitsministerium.de/",
    ),
    SourceRef(
        "Handlungsempfehlungen für die Erstellung von Hitzeaktionsplänen zum Schutz der menschlichen "
        "Gesundheit, Bundesgesundheitsblatt 60 (2017), S. 662–672",
        "Bund/Länder-Ad-hoc-Arbeitsgruppe „Gesundheitliche Anpassung an die Folgen des Klimawandels“",
        "https://doi.org/10.1007/s00103-017-2554-5",
    ),
    SourceRef(
        "Hitzewarnungen",
        "Deutscher Wetterdienst",
        "https://www.dwd.de/",
    ),
)

EASY_SOURCE = SourceRef(
    "Die Regeln für Leichte Sprache",
    "Netzwerk Leichte Sprache e. V.",
    "https://www.leichte-sprache.org/",
)
