"""Climate holds no personal data: declared here for the DSGVO registries (accounts/export_registry.py)."""

from __future__ import annotations

from konzeptk.accounts.export_registry import declare_no_personal_data

declare_no_personal_data(
    "climate.EmissionYear",
    "climate.EmissionFigure",
    "climate.PathPoint",
    "climate.BudgetBasis",
    "climate.ModalShare",
    reason="Städtische Kennzahlen (Bilanzen, Pfad, Budget, Modal Split) mit Quellenangaben, ohne Bezug zu Personen.",
)
declare_no_personal_data(
    "climate.SolarUnit",
    "climate.ChargingStation",
    reason=(
        "Öffentliche Registerdaten der Bundesnetzagentur ohne Angaben zu natürlichen Personen: Photovoltaik-Einheiten "
        "(Nummer, Leistung, Daten, Postleitzahl, Lage nur bei großen Anlagen; der frei gewählte Name der Einheit wird "
        "nicht übernommen) und öffentliche Ladeeinrichtungen mit Betreiberfirma und Standort."
    ),
)
declare_no_personal_data(
    "climate.ImportRun",
    reason="Importberichte (Dateiname, Zähler, Fehlermeldungen je Zeile) ohne Angaben zu Personen.",
)
