"""The demo-content registry: each app may offer ``konzeptk.<app>.demo.load_demo(*, out)``.

``konzeptk demo`` calls them in the order of INSTALLED_APPS (foundation first), each in its own
transaction, and every loader must be idempotent: running the demo twice duplicates nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any, TextIO

from django.apps import apps
from django.db import transaction

DemoLoader = Callable[..., None]


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("konzeptk."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        loader = getattr(module, "load_demo", None)
        if loader is not None:
            loaders.append((config.label, loader))
    return loaders


def demo_load_all(*, out: Any) -> None:
    for label, loader in demo_loaders():
        with transaction.atomic():
            loader(out=out)
        out.write(f"  Demo-Inhalte geladen: {label}\n")
    # ``after_demo(*, out)``: work that needs the demo content of apps loaded later (e.g. strategy
    # computes the indicator values bound to the sensing demo's data series; pages never compute).
    for config in apps.get_app_configs():
        if not config.name.startswith("konzeptk."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        after = getattr(module, "after_demo", None)
        if after is not None:
            with transaction.atomic():
                after(out=out)


# --- Demo content of the core app itself ---------------------------------------------------
# The registry above imports ``konzeptk.core.demo`` for the core app too, so core's own loader
# lives here. Texts are clearly marked as demo texts: the operator replaces them in the admin.

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
    from konzeptk.core.models import SitePage

    for slug, (title, body) in _DEMO_PAGES.items():
        SitePage.objects.update_or_create(slug=slug, defaults={"title": title, "body": body})
