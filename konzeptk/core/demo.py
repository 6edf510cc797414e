"""Demo content of the core app: the Impressum and Datenschutz pages as labelled demo texts.

Found by the demo registry (``konzeptk/core/demo_registry.py``) like every room's ``demo.py``. The
texts are clearly marked as demo texts: the operator replaces them in the admin.
"""

from __future__ import annotations

from typing import TextIO

from konzeptk.core.models import SitePage

_DEMO_PAGES = {
    "impressum": (
        "Impressum (Demo-Text)",
        "Dies ist ein Demo-Text. Im Betrieb trägt der Betreiber hier sein Impressum ein "
        "(Verwaltung → Grundlagen → Seiten).\n\n"
        "Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG) und § 18 Medienstaatsvertrag (MStV):\n"
        "Name der betreibenden Stelle\n"
        "Anschrift (Straße, Hausnummer, Postleitzahl, Ort)\n"
        "Vertreten durch: vertretungsberechtigte Person\n\n"
        "Kontakt:\n"
        "Telefon und E-Mail-Adresse der betreibenden Stelle\n\n"
        "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV:\n"
        "Name und Anschrift der verantwortlichen Person\n\n"
        "Konzept K ist freie Software unter der Lizenz EUPL-1.2. Die Kartengrundlage (Stadtgrenze) "
        "und die Orte stammen aus offenen Daten der Stadt; die Quellen stehen auf der Seite "
        "„Gebietsebenen“.",
    ),
    "datenschutz": (
        "Datenschutzerklärung (Demo-Text)",
        "Dies ist ein Demo-Text. Im Betrieb trägt der Betreiber hier seine Datenschutzerklärung "
        "nach Art. 13 und 14 DSGVO ein (Verwaltung → Grundlagen → Seiten).\n\n"
        "Was die Software speichert:\n"
        "Ohne Konto speichert die Plattform keine personenbezogenen Daten außer den technisch "
        "nötigen Server-Protokollen. Es gibt keine Analyse- oder Werbe-Cookies; ein Sitzungs-Cookie "
        "und ein Cookie zum Schutz der Formulare (CSRF) sind technisch notwendig.\n\n"
        "Mit Konto speichert die Plattform Ihre E-Mail-Adresse, Ihren Anzeigenamen, Ihre Beiträge "
        "und Ihre Einwilligungen mit Datum. Angaben zu Alter, Stadtteil oder Herkunft sind freiwillig "
        "und werden nur mit gesonderter Einwilligung gespeichert; veröffentlichte Auswertungen "
        "zeigen keine Gruppen mit weniger als fünf Personen.\n\n"
        "Ihre Rechte:\n"
        "Sie können alle über Sie gespeicherten Daten jederzeit unter „Mein Konto“ herunterladen "
        "und Ihr Konto löschen. Ihre Beiträge bleiben dann ohne Namen erhalten.\n\n"
        "Rückmeldungen zur Barrierefreiheit speichern wir nur, um sie zu beantworten.\n\n"
        "Verantwortliche Stelle, Datenschutzbeauftragte Person und zuständige Aufsichtsbehörde "
        "trägt der Betreiber hier ein.",
    ),
}


def load_demo(*, out: TextIO) -> None:
    """The Impressum and Datenschutz pages as labelled demo texts (idempotent)."""
    for slug, (title, body) in _DEMO_PAGES.items():
        SitePage.objects.update_or_create(slug=slug, defaults={"title": title, "body": body})
