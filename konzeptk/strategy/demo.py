"""Demo content of the strategy from the real Krefeld (idempotent).

SOURCES (copied from the shared research notes krefeld-facts.md §0, §2, §2.7 and the city's page
"Der Weg zur Smart City Krefeld"; none re-checked against the live sites):
- Revision 1: Bewerbung "Konzept K: Mut zu Innovation und Zusammenhalt", 3. Förderaufruf Modellprojekte
  Smart Cities, März 2021; Schwerpunkte from krefeld.de; not funded (Pressemitteilung 19.07.2021).
- Revision 2: Smart City Strategie "Für alle – lebenswert – verbunden", Stadtrat ~September 2023
  (krefeld.de 06.09.2024); Steuerrad with 6 Handlungsfelder, 3 Querschnittsthemen; Teilthemen of
  "Bildung & Teilhabe" (Arbeitsstand 26.01.2023). The other 15 Teilthemen are not known and not invented.
- Projects: RP 2023-01 (Preen: ~40 projects), WZ/RP 2022–2025, ZfK 2025, krefeld.de, kommdigitale.de.
- Indicators: CO₂ 9 t/person 2017 → 2 t 2035 (WZ 2022, KrKN35); modal split 2017 (Helmert survey);
  Hochstraße 5.9 m (2019), 5.62 m (2022), −1.5 % (2023) (hystreet via WZ/RP); Mediothek 2023 (krefeld.de
  02.02.2024); 30 weather stations 2023, "mehr als 60" 2025; 550 smart street lights 2022.

Everything invented (stages, dates, budgets, milestones, goals' assignment where inferred, targets without
an official source, values after the baseline) is flagged ``is_demo_content`` and shown as "Beispielinhalt".
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

NAMESPACE = uuid.UUID("5d1f0a52-7c0e-4b7e-9a43-6a4b3b0c2f11")


def key(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


VISION = (
    "Gemeinsam will die Stadt Krefeld mit allen Bürgerinnen und Bürgern zu einer fortschrittlichen, "
    "nachhaltigen und inklusiven Stadt werden: Krefeld wird smart."
)

# --- Revision 1 (2021): the application --------------------------------------------------------------
REV1_FIELDS = [
    ("bildung", "Bildung & Teilhabe", "Schwerpunktthema der Bewerbung 2021."),
    ("wirtschaft", "Wirtschaft – Innovation – Umwelt", "Schwerpunktthema der Bewerbung 2021."),
]
# key, field, title, city concept, demo (assignment to a field inferred)
REV1_GOALS = [
    (
        "innenstadt",
        "wirtschaft",
        "Stärkung der Innenstadt in ihrer Funktion als öffentlicher Raum für alle Bürger:innen",
        "Integriertes Handlungskonzept Innenstadt",
    ),
    (
        "digitale-bildung",
        "bildung",
        "Entwicklung eines vernetzten Systems zur digitalen Bildung für alle Altersgruppen und Ausbildungshintergründe",
        "",
    ),
    (
        "beteiligung",
        "bildung",
        "Förderung von Beteiligung gerade auch unterrepräsentierter Gruppen an Stadtentwicklung und Zukunftsgestaltung",
        "",
    ),
    (
        "kohaesion",
        "bildung",
        "Förderung der sozialen Kohäsion in der Stadtgesellschaft und Gegenwirken von Segregationstendenzen",
        "",
    ),
    ("handel", "wirtschaft", "Neue (digitale) Impulse für Handel und Industrie", ""),
    (
        "klima",
        "wirtschaft",
        "Beiträge zu einer nachhaltigen Stadt: Energiewende, Klimaschutz, Verkehrswende",
        "KrefeldKlima 2030",
    ),
    (
        "smart-government",
        "wirtschaft",
        "Impulse für „Smart Government“ als Innovations-Anreicherung der Verwaltungsdigitalisierung",
        "Verwaltung@Krefeld.Digital",
    ),
]

# --- Revision 2 (2023): "Für alle – lebenswert – verbunden" ----------------------------------------
REV2_FIELDS = [
    ("bildung", "Bildung & Teilhabe", ""),
    ("wirtschaft", "Wirtschaft & Handel", ""),
    ("verwaltung", "Verwaltung", ""),
    ("mobilitaet", "Mobilität", ""),
    ("umwelt", "Umwelt & Klima", ""),
    ("leben", "Städtisches Leben", ""),
]
REV2_SUBTOPICS = [
    (
        "digitale-faehigkeiten",
        "bildung",
        "Digitale Fähigkeiten",
        "Lebenslanges digitales Lernen, besonders für Kinder, Jugendliche und Senior:innen; Gleichstellung; Koordinierungskreis.",
    ),
    ("niedrige-huerden", "bildung", "Niedrige Hürden", "Barrierefreiheit und sozialer Ausgleich."),
    (
        "hybride-orte",
        "bildung",
        "Hybride Beteiligungsorte",
        "Beteiligung im Quartier, in der Stadt und online.",
    ),
]
REV2_THEMES = [
    (
        "infrastruktur",
        "Digitale & intelligente Infrastruktur",
        "Netze, Sensorik und IoT-Plattform als Grundlage.",
    ),
    ("daten", "Urbanes Datenmanagement", "Daten der Stadt nutzbar, offen und geschützt."),
    ("wissenschaft", "Wissenschaft & Innovation", "Zusammenarbeit mit Hochschule und Wirtschaft."),
]
# key, field, title, city concept, demo
REV2_GOALS = [
    (
        "digitale-bildung",
        "bildung",
        "Digitale Fähigkeiten für alle Altersgruppen stärken",
        "Smart City Strategie 2023",
        False,
    ),
    (
        "beteiligung",
        "bildung",
        "Förderung von Beteiligung gerade auch unterrepräsentierter Gruppen an Stadtentwicklung und Zukunftsgestaltung",
        "",
        False,
    ),
    ("kohaesion", "leben", "Soziale Kohäsion stärken und Segregation entgegenwirken", "", True),
    (
        "innenstadt",
        "leben",
        "Die Innenstadt als öffentlichen Raum für alle beleben",
        "Integriertes Handlungskonzept Innenstadt",
        True,
    ),
    ("handel", "wirtschaft", "Neue (digitale) Impulse für Handel und Industrie", "", False),
    ("gruendung", "wirtschaft", "Gründungen und Innovation in Krefeld fördern", "", True),
    ("klima", "umwelt", "Klimaneutralität bis 2035 unterstützen", "KrefeldKlimaNeutral 2035", False),
    (
        "hitze",
        "umwelt",
        "Hitzevorsorge und Klimaanpassung in den Quartieren",
        "KrefeldKlima 2030 (Klimaanpassung)",
        True,
    ),
    ("umweltverbund", "mobilitaet", "Rad, Fuß und ÖPNV stärken", "Mobilitätskonzept Krefeld 2030+", False),
    (
        "hafen",
        "mobilitaet",
        "Wirtschaftsverkehr im Rheinhafen steuern",
        "Mobilitätskonzept Krefeld 2030+ (Vertiefungsbereich Hafen)",
        True,
    ),
    (
        "smart-government",
        "verwaltung",
        "Verwaltungsleistungen durchgängig digital anbieten",
        "Verwaltung@Krefeld.Digital",
        False,
    ),
    (
        "service-vor-ort",
        "verwaltung",
        "Service vor Ort und rund um die Uhr",
        "Verwaltung@Krefeld.Digital",
        True,
    ),
]
# key, goal, title, demo
REV2_MEASURES = [
    ("waermeplanung", "klima", "Kommunale Wärmeplanung erstellen", False),
    ("fernwaerme-zaehler", "klima", "Fernwärmezähler digital auslesen", True),
    ("messnetz", "hitze", "Messnetz der Wetterstationen ausbauen", True),
    ("waelle", "umweltverbund", "Die vier Wälle neu ordnen", False),
    ("zaehlstellen", "umweltverbund", "Rad- und Fußverkehr automatisch zählen", True),
    ("ozg", "smart-government", "Alle Verwaltungsleistungen online (OZG)", False),
    ("e-akte", "smart-government", "Elektronische Akte einführen", False),
    ("leerstand", "innenstadt", "Leerstände mit neuen Nutzungen beleben", False),
    ("frequenz", "innenstadt", "Passantenfrequenz in der Innenstadt messen", False),
    ("kurse", "digitale-bildung", "Digitale Kurse für alle Altersgruppen", True),
]

C = "stadt-krefeld-wdi"
KB = "krefeld-business"

# slug, title, summary, lead, partners, stage, fields, goals, measures, themes, districts ("*" = city-wide),
# budget planned, spent, funding, demo, source
PROJECTS: list[tuple[Any, ...]] = [
    (
        "umweltsensoren-hitzeinseln",
        "Umweltsensoren gegen Hitzeinseln",
        "30 Wetterstationen an Laternen messen seit Mai 2023 Temperatur, Luftfeuchte und Niederschlag über das LoRaWAN der SWK; Meteoblue wertet aus. Inzwischen mehr als 60 Stationen.",
        C,
        ["swk"],
        "rollout",
        ["umwelt"],
        ["hitze"],
        ["messnetz"],
        ["infrastruktur", "daten"],
        "*",
        180000,
        120000,
        "Haushalt Stadt Krefeld, SWK",
        True,
        "WZ/RP 2023; ZfK 2025",
    ),
    (
        "smarte-strassenbeleuchtung",
        "Smarte Straßenbeleuchtung",
        "Dimmbare LED-Laternen; 550 bis 2022 umgerüstet als erster Baustein. Ein Knopf für „mehr Licht“ unterstützt die Polizei.",
        "swk",
        [C],
        "rollout",
        ["umwelt", "leben"],
        ["klima"],
        [],
        ["infrastruktur"],
        "*",
        900000,
        610000,
        "NGN/SWK",
        True,
        "RP 2022",
    ),
    (
        "lorawan-grundwasser",
        "LoRaWAN-Grundwassermonitoring",
        "Rund 450 Grundwassermessstellen senden alle 15 Minuten Werte über das LoRaWAN von SWK Connect.",
        "swk",
        [],
        "rollout",
        ["umwelt"],
        ["hitze"],
        [],
        ["infrastruktur", "daten"],
        "*",
        400000,
        330000,
        "SWK",
        True,
        "ZfK „Krefeld funkt“ 2025",
    ),
    (
        "fernwaerme-zaehler",
        "Digitale Fernwärmezähler",
        "Rund 1.000 Fernwärmezähler werden per Funk ausgelesen.",
        "swk",
        [],
        "rollout",
        ["umwelt"],
        ["klima"],
        ["fernwaerme-zaehler"],
        ["infrastruktur"],
        "*",
        250000,
        200000,
        "SWK",
        True,
        "ZfK 2025",
    ),
    (
        "trinkwasser-temperatur",
        "Temperatur im Trinkwassernetz überwachen",
        "Sensoren messen die Temperatur in Trinkwasserleitungen, um Hitzeperioden früh zu erkennen.",
        "swk",
        [],
        "pilot",
        ["umwelt"],
        ["hitze"],
        [],
        ["infrastruktur"],
        "*",
        60000,
        25000,
        "SWK",
        True,
        "ZfK 2025",
    ),
    (
        "fuellstand-abfall",
        "Füllstandsensoren für Abfallbehälter",
        "Sensoren melden, wann Container voll sind; Touren werden danach geplant.",
        "swk",
        ["kommunalbetrieb"],
        "evaluation",
        ["umwelt", "leben"],
        [],
        [],
        ["infrastruktur"],
        ["Mitte"],
        40000,
        38000,
        "SWK/GSAK",
        True,
        "ZfK 2025 (frühere Tests)",
    ),
    (
        "parksensoren",
        "Parksensoren",
        "Test von Sensoren, die freie Parkplätze erkennen.",
        "swk",
        [C],
        "stopped",
        ["mobilitaet"],
        ["umweltverbund"],
        [],
        ["infrastruktur"],
        ["Mitte"],
        30000,
        30000,
        "SWK",
        True,
        "ZfK 2025 (frühere Tests)",
    ),
    (
        "digitaler-zwilling",
        "Digitaler Zwilling für die Stadtplanung",
        "Ein 3D-Stadtmodell mit Daten, um Planungen sichtbar und vergleichbar zu machen.",
        C,
        ["hochschule-niederrhein"],
        "preparation",
        ["leben"],
        ["innenstadt"],
        [],
        ["daten", "wissenschaft"],
        "*",
        350000,
        20000,
        "Haushalt Stadt Krefeld",
        True,
        "RP 2023-01",
    ),
    (
        "verkehrssteuerung-rheinhafen",
        "Verkehrssteuerung im Rheinhafen",
        "Lkw-Verkehr im Rheinhafen digital lenken, um Staus und Wartezeiten zu verringern.",
        KB,
        [C, "ihk-niederrhein"],
        "idea",
        ["mobilitaet", "wirtschaft"],
        ["hafen"],
        [],
        ["daten"],
        ["Ost"],
        None,
        None,
        "",
        True,
        "RP 2023-01",
    ),
    (
        "platz-fuer-deine-visionen",
        "Platz für Deine Visionen",
        "Die Stadt mietet leere Läden in Innenstadt und Uerdingen an und vermietet sie günstig weiter (Eigentümer −30 %, Stadt 50 %, Mieter:in 20 %).",
        C,
        [KB],
        "rollout",
        ["wirtschaft", "leben"],
        ["innenstadt", "handel"],
        ["leerstand"],
        [],
        ["Mitte", "Ost"],
        822727,
        700000,
        "Land NRW, Sofortprogramm Innenstadt",
        True,
        "krefeld.de 06.04.2021, 07.10.2024",
    ),
    (
        "passantenfrequenz",
        "Passantenzählung in der Innenstadt",
        "Laserscanner zählen seit Mai 2019 Passant:innen auf Hochstraße, Rheinstraße und Königstraße.",
        C,
        [],
        "rollout",
        ["wirtschaft", "leben"],
        ["innenstadt"],
        ["frequenz"],
        ["daten"],
        ["Mitte"],
        30000,
        24000,
        "Haushalt Stadt Krefeld",
        True,
        "WZ 2019–2021; RP 2023",
    ),
    (
        "bibliothek-der-dinge",
        "Bibliothek der Dinge",
        "Ausleihen statt kaufen: rund 40 Dinge von der Toniebox bis zur Wärmebildkamera.",
        "mediothek",
        [],
        "rollout",
        ["bildung"],
        ["digitale-bildung"],
        [],
        [],
        ["Mitte", "Ost"],
        15000,
        12000,
        "Mediothek",
        True,
        "krefeld.de 02.02.2024",
    ),
    (
        "digithek",
        "Onleihe „Digithek“",
        "E-Books und digitale Medien rund um die Uhr: 106.709 digitale Ausleihen im Jahr 2023.",
        "mediothek",
        [],
        "rollout",
        ["bildung"],
        ["digitale-bildung"],
        [],
        [],
        "*",
        50000,
        48000,
        "Mediothek",
        True,
        "krefeld.de 02.02.2024",
    ),
    (
        "saatgutbibliothek",
        "Saatgutbibliothek",
        "Saatgut ausleihen, aussäen, zurückbringen.",
        "mediothek",
        [],
        "rollout",
        ["bildung", "umwelt"],
        [],
        [],
        [],
        ["Mitte"],
        2000,
        1500,
        "Mediothek",
        True,
        "krefeld.de 02.02.2024",
    ),
    (
        "buergerkoffer",
        "Bürgerkoffer",
        "Mobile Bürgerdienste in Senior:innencafés und äußeren Stadtteilen.",
        C,
        [],
        "pilot",
        ["verwaltung", "bildung"],
        ["service-vor-ort"],
        [],
        [],
        ["Nord", "Ost", "Süd"],
        45000,
        18000,
        "Haushalt Stadt Krefeld",
        True,
        "kommdigitale.de; WZ 2025",
    ),
    (
        "chatbot",
        "Chatbot der Stadtverwaltung",
        "Ein Chatbot beantwortet Fragen rund um die Uhr; Pilot 2018 „Kumpel Krefeld“.",
        C,
        [],
        "rollout",
        ["verwaltung"],
        ["service-vor-ort"],
        [],
        [],
        "*",
        80000,
        70000,
        "Haushalt Stadt Krefeld",
        True,
        "kommune21; WZ 2025",
    ),
    (
        "maak-et",
        "Mängelmelder „Maak et!“",
        "Schäden und Müll melden mit Foto und Ort; der Kommunalbetrieb meldet den Stand zurück. Seit 08.04.2019.",
        "kommunalbetrieb",
        [],
        "rollout",
        ["verwaltung", "leben"],
        ["service-vor-ort"],
        [],
        ["daten"],
        "*",
        60000,
        60000,
        "Kommunalbetrieb Krefeld",
        True,
        "mein-krefeld 2019",
    ),
    (
        "warteschlangensensoren",
        "Sensoren für Wartezeiten im Bürgerservice",
        "Sensoren zeigen online, wie voll es im Bürgerservice ist.",
        C,
        ["swk"],
        "idea",
        ["verwaltung"],
        ["service-vor-ort"],
        [],
        ["infrastruktur"],
        ["Mitte"],
        None,
        None,
        "",
        True,
        "RP 2023-01",
    ),
    (
        "serviceportal",
        "Serviceportal mit Formularassistenten",
        "Rund 400 Leistungen und 170 Formularassistenten online.",
        C,
        [],
        "rollout",
        ["verwaltung"],
        ["smart-government"],
        ["ozg"],
        [],
        "*",
        500000,
        450000,
        "Haushalt Stadt Krefeld",
        True,
        "RP 2021",
    ),
    (
        "e-akte",
        "Elektronische Akte",
        "Die Verwaltung arbeitet mit der elektronischen Akte.",
        C,
        [],
        "rollout",
        ["verwaltung"],
        ["smart-government"],
        ["e-akte"],
        [],
        "*",
        1200000,
        800000,
        "Haushalt Stadt Krefeld",
        True,
        "WZ 2025",
    ),
    (
        "online-bauantrag",
        "Online-Bauantrag",
        "Bauanträge digital stellen und verfolgen.",
        C,
        [],
        "rollout",
        ["verwaltung"],
        ["smart-government"],
        ["ozg"],
        [],
        "*",
        150000,
        140000,
        "Land NRW, Haushalt Stadt Krefeld",
        True,
        "kommdigitale.de",
    ),
    (
        "ki-im-handel",
        "KI im Handel",
        "Händler:innen erproben KI-Anwendungen, z. B. für Lager und Kundenservice.",
        KB,
        ["ihk-niederrhein"],
        "idea",
        ["wirtschaft"],
        ["handel"],
        [],
        ["wissenschaft"],
        ["Mitte"],
        None,
        None,
        "",
        True,
        "RP 2023-01",
    ),
    (
        "inkubator",
        "Gründungsinkubator KREFELD.BUSINESS",
        "Räume und Begleitung für Start-ups.",
        KB,
        ["hochschule-niederrhein"],
        "preparation",
        ["wirtschaft"],
        ["gruendung"],
        [],
        ["wissenschaft"],
        ["Mitte"],
        250000,
        30000,
        "KREFELD.BUSINESS",
        True,
        "RP 2023-01",
    ),
    (
        "ladeinfrastruktur",
        "Ladeinfrastruktur und smarte Mobilität",
        "Öffentliche Ladepunkte für E-Autos ausbauen.",
        "swk",
        [C],
        "rollout",
        ["mobilitaet", "umwelt"],
        ["klima"],
        [],
        ["infrastruktur"],
        "*",
        1500000,
        900000,
        "SWK, Förderprogramme",
        True,
        "RP 2023-01",
    ),
    (
        "swcar",
        "SWCar: E-Auto auf Abruf",
        "On-Demand-Fahrdienst mit E-Autos der SWK.",
        "swk",
        [],
        "rollout",
        ["mobilitaet"],
        ["umweltverbund"],
        [],
        [],
        "*",
        None,
        None,
        "SWK",
        True,
        "krefeld.de Smart City Themen",
    ),
    (
        "kruiser",
        "KRuiser-Sharing",
        "E-Scooter und E-Mopeds zum Teilen.",
        "swk",
        [],
        "rollout",
        ["mobilitaet"],
        ["umweltverbund"],
        [],
        [],
        ["Mitte", "West", "Süd"],
        None,
        None,
        "SWK",
        True,
        "krefeld.de Smart City Themen",
    ),
    (
        "waelle-umbau",
        "Neuordnung der vier Wälle",
        "Tempo 30, Einbahnstraßen, Flaniermeilen: die Wälle werden neu geordnet.",
        C,
        [],
        "preparation",
        ["mobilitaet", "leben"],
        ["umweltverbund", "innenstadt"],
        ["waelle"],
        [],
        ["Mitte"],
        5000000,
        150000,
        "Haushalt Stadt Krefeld, Städtebauförderung",
        True,
        "WZ 05.11.2021",
    ),
    (
        "zaehlstellen-promenade",
        "Zählstellen an der Krefelder Promenade",
        "Automatische Zählung von Rad- und Fußverkehr auf der 14,5 km langen Promenade.",
        C,
        [],
        "pilot",
        ["mobilitaet"],
        ["umweltverbund"],
        ["zaehlstellen"],
        ["daten"],
        ["West", "Mitte", "Ost"],
        40000,
        15000,
        "Haushalt Stadt Krefeld",
        True,
        "WZ; TRC-Zählungen 2022",
    ),
    (
        "waermeplanung",
        "Kommunale Wärmeplanung",
        "Wo in Krefeld künftig womit geheizt wird: Plan nach dem Ratsbeschluss zu KrKN35.",
        C,
        ["swk"],
        "preparation",
        ["umwelt"],
        ["klima"],
        ["waermeplanung"],
        ["daten"],
        "*",
        400000,
        60000,
        "Bund (Kommunalrichtlinie), Stadt",
        True,
        "Ratsbeschluss 12.12.2023 (5681/23 A)",
    ),
    (
        "urbane-datenplattform",
        "Urbane Datenplattform",
        "Sensordaten und Stadtdaten an einem Ort, offen über Schnittstellen.",
        C,
        ["swk"],
        "pilot",
        ["verwaltung"],
        ["smart-government"],
        [],
        ["daten", "infrastruktur"],
        "*",
        300000,
        90000,
        "Haushalt Stadt Krefeld",
        True,
        "Strategie 2023 (Querschnittsthema)",
    ),
    (
        "tag-der-smart-city",
        "Tag der Smart City",
        "Smart City zum Anfassen: 17.08.2022 an der VHS, 31.08.2024 im Behnisch-Haus.",
        KB,
        ["vhs-krefeld", C],
        "completed",
        ["bildung"],
        ["beteiligung"],
        [],
        [],
        ["Mitte"],
        20000,
        20000,
        "KREFELD.BUSINESS",
        True,
        "krefeld-business.de",
    ),
    (
        "beteiligung-smart-city-umfrage",
        "Online-Umfrage zur Smart City",
        "Beteiligung zur Strategie auf beteiligung.nrw.de im Januar/Februar 2023.",
        C,
        [KB],
        "completed",
        ["bildung"],
        ["beteiligung"],
        [],
        [],
        "*",
        5000,
        5000,
        "Haushalt Stadt Krefeld",
        True,
        "beteiligung.nrw.de",
    ),
    (
        "vhs-digitalkurse",
        "Digitale Kurse der VHS",
        "Kurse für Smartphone, Tablet und Office für alle Altersgruppen.",
        "vhs-krefeld",
        [],
        "rollout",
        ["bildung"],
        ["digitale-bildung"],
        ["kurse"],
        [],
        ["Mitte"],
        30000,
        28000,
        "VHS, Land NRW",
        True,
        "VHS-Programm 2020",
    ),
    (
        "zfdl",
        "Zentrum für digitale Lernwelten",
        "Digitale Lernwelten für Schulen im Behnisch-Haus.",
        C,
        ["hochschule-niederrhein"],
        "rollout",
        ["bildung"],
        ["digitale-bildung"],
        [],
        ["wissenschaft"],
        ["Mitte"],
        200000,
        180000,
        "Haushalt Stadt Krefeld",
        True,
        "zfdl-krefeld.de",
    ),
    (
        "kremintec",
        "zdi-Zentrum KReMINTec",
        "MINT-Angebote für Kinder und Jugendliche.",
        "hochschule-niederrhein",
        [C],
        "rollout",
        ["bildung"],
        ["digitale-bildung"],
        [],
        ["wissenschaft"],
        "*",
        120000,
        100000,
        "Land NRW (zdi)",
        True,
        "zfdl-krefeld.de",
    ),
    (
        "future-work-lab",
        "Future Work Lab",
        "Die Hochschule erprobt mit Unternehmen die Arbeit von morgen.",
        "hochschule-niederrhein",
        [KB],
        "pilot",
        ["wirtschaft"],
        ["gruendung"],
        [],
        ["wissenschaft"],
        ["West"],
        150000,
        70000,
        "Hochschule Niederrhein",
        True,
        "Hochschule Niederrhein",
    ),
    (
        "medienentwicklungsplan",
        "Medienentwicklungsplan Schulen 2024–2028",
        "Glasfaser, WLAN und Geräte für 62 bis 67 Schulstandorte.",
        C,
        [],
        "rollout",
        ["bildung"],
        ["digitale-bildung"],
        [],
        ["infrastruktur"],
        "*",
        8000000,
        2000000,
        "Digitalpakt, Haushalt Stadt Krefeld",
        True,
        "WZ 2024",
    ),
    (
        "digitalberatung-handel",
        "Digitalberatung für den Handel",
        "Beratung für Händler:innen zu Online-Sichtbarkeit und Kassensystemen.",
        "ihk-niederrhein",
        [KB],
        "pilot",
        ["wirtschaft"],
        ["handel"],
        [],
        [],
        ["Mitte", "Ost"],
        25000,
        10000,
        "IHK",
        True,
        "Beispielinhalt",
    ),
    (
        "quartierstreffpunkte-digital",
        "Digitale Treffpunkte in den Quartieren",
        "Offene Orte mit WLAN und Hilfe für alle, die online etwas erledigen wollen.",
        "vhs-krefeld",
        ["mediothek", C],
        "idea",
        ["bildung", "leben"],
        ["kohaesion", "beteiligung"],
        [],
        [],
        ["Mitte", "Süd"],
        None,
        None,
        "",
        True,
        "Beispielinhalt (Teilthema Hybride Beteiligungsorte)",
    ),
    (
        "solarpark-voosenhof",
        "Solarpark Voosenhof",
        "Erste Freiflächen-Photovoltaik in Benrad: 6 MWp, rund 6.000 MWh im Jahr (in Diskussion).",
        "swk",
        [],
        "idea",
        ["umwelt"],
        ["klima"],
        [],
        [],
        ["West"],
        None,
        None,
        "",
        True,
        "NABU-Klimablog",
    ),
]

# Milestones and pilot criteria for some projects (all invented for the demo)
PILOTS = {
    "trinkwasser-temperatur": (
        "Messwerte lückenlos über einen Sommer; Warnung vor 25 °C im Netz; Betriebskosten je Messpunkt.",
        "",
    ),
    "fuellstand-abfall": ("Weniger Leerfahrten; Zuverlässigkeit der Sensoren; Kosten je Behälter.", ""),
    "parksensoren": (
        "Erkennungsrate freier Plätze; Akzeptanz; Kosten je Stellplatz.",
        "Eingestellt: Die Sensoren erkannten freie Plätze zu unzuverlässig; die Kosten je Stellplatz waren zu hoch. Die Erfahrungen fließen in die Urbane Datenplattform ein.",
    ),
    "buergerkoffer": (
        "Zahl der erledigten Anliegen vor Ort; Zufriedenheit der Nutzer:innen; Aufwand für das Personal.",
        "",
    ),
    "zaehlstellen-promenade": ("Zählgenauigkeit im Vergleich mit Handzählungen; Datenverfügbarkeit.", ""),
    "urbane-datenplattform": (
        "Anzahl angebundener Datenquellen; Verfügbarkeit; Nutzung der offenen Schnittstellen.",
        "",
    ),
    "future-work-lab": ("Zahl beteiligter Unternehmen; übertragbare Ergebnisse.", ""),
    "digitalberatung-handel": ("Zahl beratener Betriebe; Umsetzungen nach sechs Monaten.", ""),
}
STAGE_PATH = {
    "idea": ["idea"],
    "preparation": ["idea", "preparation"],
    "pilot": ["idea", "preparation", "pilot"],
    "evaluation": ["idea", "preparation", "pilot", "evaluation"],
    "rollout": ["idea", "preparation", "rollout"],
    "completed": ["idea", "preparation", "rollout", "completed"],
    "stopped": ["idea", "preparation", "pilot", "evaluation", "stopped"],
}
STAGE_REASON = {
    "idea": "Aufgenommen in die Projektliste der Smart-City-Strategie.",
    "preparation": "Finanzierung geklärt, Planung begonnen.",
    "pilot": "Erprobung im kleinen Maßstab gestartet.",
    "evaluation": "Erprobungszeitraum beendet, Auswertung läuft.",
    "rollout": "Entscheidung für den Einsatz in der ganzen Stadt.",
    "completed": "Projekt planmäßig abgeschlossen.",
    "stopped": "Pilot nach Auswertung eingestellt.",
}

# slug, name, unit, direction, source, method, baseline value, year, goal, projects, targets, values, demo, series
INDICATORS: list[tuple[Any, ...]] = [
    (
        "co2-pro-kopf",
        "CO₂-Emissionen je Einwohner:in",
        "t CO₂/Jahr",
        "down",
        "KrefeldKlimaNeutral 2035 (Gutachten; WZ 2022)",
        "Territoriale Bilanz nach BISKO, geteilt durch die Einwohnerzahl.",
        9.0,
        2017,
        "klima",
        ["waermeplanung", "ladeinfrastruktur", "fernwaerme-zaehler"],
        [(2.0, 2035, "Ziel aus KrKN35", False)],
        [(8.6, 2019), (8.1, 2021), (7.6, 2023)],
        True,
        "",
    ),
    (
        "umweltverbund-anteil",
        "Anteil von Rad, Fuß und ÖPNV an allen Wegen",
        "%",
        "up",
        "Haushaltsbefragung 2017 (Helmert, 2.254 Befragte): Rad 21 %, Fuß 15 %, ÖPNV 13 %, Kfz 51 %",
        "Befragung zum Mobilitätsverhalten; Anteil der Wege.",
        49.0,
        2017,
        "umweltverbund",
        ["zaehlstellen-promenade", "waelle-umbau", "kruiser"],
        [(60.0, 2030, "Kein amtliches Ziel gefunden – Beispielwert", True)],
        [(51.0, 2023)],
        True,
        "",
    ),
    (
        "passanten-hochstrasse",
        "Passant:innen auf der Hochstraße",
        "Mio. je Jahr",
        "up",
        "hystreet.com-Laserscanner, berichtet von WZ und RP",
        "Automatische Zählung mit Laserscannern seit Mai 2019.",
        5.9,
        2019,
        "innenstadt",
        ["passantenfrequenz", "platz-fuer-deine-visionen"],
        [(6.0, 2027, "Beispielziel", True)],
        [(5.62, 2022, False), (5.54, 2023, False)],
        True,
        "sensing:hystreet-hochstrasse",
    ),
    (
        "mediothek-besuche",
        "Besuche der Mediothek",
        "Besuche je Jahr",
        "up",
        "Mediothek Krefeld (krefeld.de 02.02.2024)",
        "Zählung der Besuche an Theaterplatz und Zweigstelle Uerdingen.",
        223000.0,
        2023,
        "digitale-bildung",
        ["bibliothek-der-dinge", "saatgutbibliothek"],
        [(250000.0, 2027, "Beispielziel", True)],
        [(231000.0, 2024)],
        True,
        "",
    ),
    (
        "digitale-ausleihen",
        "Digitale Ausleihen der Mediothek",
        "Ausleihen je Jahr",
        "up",
        "Mediothek Krefeld (krefeld.de 02.02.2024)",
        "Ausleihen über die Onleihe „Digithek“.",
        106709.0,
        2023,
        "digitale-bildung",
        ["digithek"],
        [(130000.0, 2027, "Beispielziel", True)],
        [(118000.0, 2024)],
        True,
        "",
    ),
    (
        "wetterstationen",
        "Wetterstationen im städtischen Messnetz",
        "Stationen",
        "up",
        "WZ/RP 2023; ZfK 2025",
        "Zahl der Stationen, die Werte liefern.",
        30.0,
        2023,
        "hitze",
        ["umweltsensoren-hitzeinseln"],
        [(80.0, 2027, "Beispielziel", True)],
        [(60.0, 2025, False)],
        True,
        "sensing:wetterstationen-anzahl",
    ),
    (
        "smarte-laternen",
        "Umgerüstete smarte Straßenlaternen",
        "Laternen",
        "up",
        "RP 2022",
        "Zahl der dimmbaren, vernetzten LED-Laternen.",
        550.0,
        2022,
        "klima",
        ["smarte-strassenbeleuchtung"],
        [(2000.0, 2030, "Beispielziel", True)],
        [],
        True,
        "",
    ),
]


def _district_map() -> dict[str, Any]:
    from konzeptk.city import selectors as city_selectors

    profile = city_selectors.active_profile()
    layer = city_selectors.current_layer(profile) if profile else None
    return {d.name: d for d in city_selectors.districts_of(layer)} if layer else {}


def _elements(model: Any, revision: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    result = {}
    for position, row in enumerate(rows, start=1):
        name = row.pop("name")
        obj, _ = model.objects.update_or_create(
            revision=revision, key=key(name), defaults={**row, "position": position}
        )
        result[name] = obj
    return result


def load_demo(*, out: Any) -> None:
    from konzeptk.accounts.models import Organisation
    from konzeptk.strategy.models import (
        CrossCuttingTheme,
        FieldOfAction,
        Goal,
        Indicator,
        IndicatorBinding,
        IndicatorTarget,
        IndicatorValue,
        Measure,
        Milestone,
        Project,
        ProjectLink,
        Revision,
        StageTransition,
        Strategy,
        SubTopic,
        WebLink,
    )

    strategy, _ = Strategy.objects.update_or_create(
        slug="smart-city-krefeld",
        defaults={
            "name": "Smart-City-Strategie Krefeld",
            "description": "Das gesamtstädtische Handlungsprogramm.",
        },
    )
    rev1, _ = Revision.objects.update_or_create(
        strategy=strategy,
        version=1,
        defaults={
            "title": "Konzept K: Mut zu Innovation und Zusammenhalt",
            "motto": "Mut zu Innovation und Zusammenhalt",
            "vision": "Bewerbung im Förderprogramm „Modellprojekte Smart Cities“ (3. Förderaufruf): Ausarbeitung eines "
            "gesamtstädtischen Handlungsprogramms als integrierte, partizipativ zu erarbeitende Smart-City-Strategie.",
            "date": dt.date(2021, 3, 14),
            "council_decision": "Bewerbung vom März 2021 (Ratsvorlage); nicht gefördert (Pressemitteilung 19.07.2021). "
            "Krefeld setzte den Weg ohne Bundesmittel fort.",
        },
        create_defaults={
            "status": Revision.Status.SUPERSEDED,
            "title": "Konzept K: Mut zu Innovation und Zusammenhalt",
            "date": dt.date(2021, 3, 14),
        },
    )
    f1 = _elements(
        FieldOfAction, rev1, [{"name": k, "title": t, "description": d} for k, t, d in REV1_FIELDS]
    )
    _elements(
        Goal,
        rev1,
        [
            {
                "name": k,
                "field": f1[f],
                "title": t,
                "city_concept": c,
                "is_demo_content": True,
                "description": "Schwerpunkt der Bewerbung 2021; Zuordnung zum Handlungsfeld für die Demo angenommen.",
            }
            for k, f, t, c in REV1_GOALS
        ],
    )
    rev2_defaults = {
        "title": "Für alle – lebenswert – verbunden",
        "motto": "Für alle – lebenswert – verbunden",
        "vision": VISION,
        "date": dt.date(2023, 9, 1),
        "council_decision": "Vom Stadtrat im September 2023 beschlossen (Pressemitteilung 06.09.2024: „vor einem Jahr "
        "vom Stadtrat beschlossen“); Tagesdatum angenähert. Dachstrategie für die digitale Transformation.",
        "parent": rev1,
    }
    has_adopted = (
        Revision.objects.filter(strategy=strategy, status=Revision.Status.ADOPTED).exclude(version=2).exists()
    )
    rev2, _ = Revision.objects.update_or_create(
        strategy=strategy,
        version=2,
        defaults=rev2_defaults,
        create_defaults={
            **rev2_defaults,
            "status": Revision.Status.SUPERSEDED if has_adopted else Revision.Status.ADOPTED,
        },
    )
    f2 = _elements(
        FieldOfAction, rev2, [{"name": k, "title": t, "description": d} for k, t, d in REV2_FIELDS]
    )
    _elements(
        SubTopic,
        rev2,
        [{"name": k, "field": f2[f], "title": t, "description": d} for k, f, t, d in REV2_SUBTOPICS],
    )
    _elements(CrossCuttingTheme, rev2, [{"name": k, "title": t, "description": d} for k, t, d in REV2_THEMES])
    g2 = _elements(
        Goal,
        rev2,
        [
            {"name": k, "field": f2[f], "title": t, "city_concept": c, "is_demo_content": demo}
            for k, f, t, c, demo in REV2_GOALS
        ],
    )
    _elements(
        Measure,
        rev2,
        [{"name": k, "goal": g2[g], "title": t, "is_demo_content": demo} for k, g, t, demo in REV2_MEASURES],
    )

    orgs = {o.slug: o for o in Organisation.objects.all()}
    districts = _district_map()
    today = dt.date(2025, 10, 1)
    projects = {}
    for index, row in enumerate(PROJECTS):
        (
            slug,
            title,
            summary,
            lead,
            partners,
            stage,
            fields,
            goals,
            measures,
            themes,
            where,
            planned,
            spent,
            funding,
            demo,
            source,
        ) = row
        if lead not in orgs:
            continue
        path = STAGE_PATH[stage]
        start = dt.date(2021 + index % 3, 1 + index % 12, 1)
        dates = [start + dt.timedelta(days=200 * i) for i in range(len(path))]
        dates = [min(d, today) for d in dates]
        criteria, decision = PILOTS.get(slug, ("", ""))
        project, created = Project.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "lead": orgs[lead],
                "city_wide": where == "*",
                "budget_planned": Decimal(planned) if planned is not None else None,
                "budget_spent": Decimal(spent) if spent is not None else None,
                "funding_source": funding,
                "published": True,
                "is_demo_content": demo,
                "sources": source,
                "evaluation_criteria": criteria,
                "decision_record": decision,
                "contact_name": "Smart-City-Team (Beispielkontakt)",
            },
            create_defaults={
                "title": title,
                "summary": summary,
                "lead": orgs[lead],
                "stage": stage,
                "stage_since": dates[-1],
                "city_wide": where == "*",
                "published": True,
                "is_demo_content": demo,
                "sources": source,
                "evaluation_criteria": criteria,
                "decision_record": decision,
                "budget_planned": Decimal(planned) if planned is not None else None,
                "budget_spent": Decimal(spent) if spent is not None else None,
                "funding_source": funding,
                "contact_name": "Smart-City-Team (Beispielkontakt)",
            },
        )
        projects[slug] = project
        project.partners.set([orgs[p] for p in partners if p in orgs])
        project.districts.set([] if where == "*" else [districts[n] for n in where if n in districts])
        wanted = (
            [("field", key(f)) for f in fields]
            + [("goal", key(g)) for g in goals]
            + [("measure", key(m)) for m in measures]
            + [("theme", key(t)) for t in themes]
        )
        for kind, k in wanted:
            ProjectLink.objects.get_or_create(project=project, kind=kind, key=k)
        if created:
            previous = ""
            for stage_value, day in zip(path, dates, strict=True):
                StageTransition.objects.create(
                    project=project,
                    from_stage=previous,
                    to_stage=stage_value,
                    date=day,
                    reason=STAGE_REASON[stage_value] + " (Beispielinhalt)",
                )
                previous = stage_value
            Milestone.objects.create(project=project, title="Projektstart", due=dates[0], done_on=dates[0])
            if stage not in ("completed", "stopped"):
                Milestone.objects.create(
                    project=project,
                    title="Nächster Zwischenbericht an den Ausschuss",
                    due=today + dt.timedelta(days=120),
                )
        if slug == "maak-et":
            WebLink.objects.get_or_create(
                project=project, url="https://www.maak-et.de", defaults={"label": "maak-et.de"}
            )
        if slug == "platz-fuer-deine-visionen":
            WebLink.objects.get_or_create(
                project=project,
                url="https://www.krefeld.de/de/inhalt/platz-fuer-deine-visionen/",
                defaults={"label": "Platz für Deine Visionen auf krefeld.de"},
            )

    for row in INDICATORS:
        (
            slug,
            name,
            unit,
            direction,
            source,
            method,
            base_value,
            base_year,
            goal,
            project_slugs,
            targets,
            values,
            demo,
            series,
        ) = row
        indicator, _ = Indicator.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "unit": unit,
                "direction": direction,
                "source": source,
                "method": method,
                "baseline_value": base_value,
                "baseline_year": base_year,
                "goal_key": key(goal),
                "is_demo_content": demo,
                "series_source": series,
                "published": True,
            },
        )
        indicator.projects.set([projects[p] for p in project_slugs if p in projects])
        for value, year, note, target_demo in targets:
            IndicatorTarget.objects.update_or_create(
                indicator=indicator,
                year=year,
                defaults={"value": value, "note": note, "is_demo_content": target_demo},
            )
        for entry in values:
            value, year = entry[0], entry[1]
            value_demo = entry[2] if len(entry) > 2 else True
            IndicatorValue.objects.update_or_create(
                indicator=indicator,
                date=dt.date(year, 1, 1),
                source=IndicatorValue.Source.MANUAL,
                defaults={
                    "value": value,
                    "is_demo_content": value_demo,
                    "source_ref": source if not value_demo else "Beispielwert",
                },
            )
    # Bound by name: the sensing demo runs after this one; after_demo() computes the values once the
    # simulated counter exists (later: the hourly `strategy.refresh_indicators` or a page view's job).
    IndicatorBinding.objects.update_or_create(
        indicator=Indicator.objects.get(slug="passanten-hochstrasse"),
        defaults={
            "datastream_name": "Passant:innen Hochstraße",
            "statistic": IndicatorBinding.Statistic.SUM,
            "scale": 1e-6,
            "is_simulated": True,
        },
    )
    out.write(
        f"    Strategie: {Revision.objects.filter(strategy=strategy).count()} Fassungen, "
        f"{Project.objects.count()} Projekte, {Indicator.objects.count()} Indikatoren\n"
    )


def after_demo(*, out: Any) -> None:
    """After every app's demo content: compute the indicator values bound to demo data series."""
    from konzeptk.strategy.models import IndicatorBinding
    from konzeptk.strategy.services import indicators_refresh_all

    refreshed = [b for b in indicators_refresh_all() if b.state == IndicatorBinding.State.OK]
    out.write(f"    Strategie: {len(refreshed)} Indikatoren aus Datenreihen berechnet\n")
