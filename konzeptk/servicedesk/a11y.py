"""Public Mängelmelder pages for the accessibility browser test (creates the data they need)."""

from __future__ import annotations

import io


def a11y_pages() -> list[str]:
    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.servicedesk.demo import load_categories
    from konzeptk.servicedesk.models import Follower, Report
    from konzeptk.servicedesk.services import report_create, report_publish, report_set_status

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    load_accounts(out=io.StringIO())
    categories = load_categories()
    profile = active_profile()
    assert profile is not None
    report = (
        Report.objects.filter(description="Laterne vor Hausnummer 12 brennt nicht (Testmeldung).").first()
        or report_create(
            category=categories["strassenbeleuchtung"],
            description="Laterne vor Hausnummer 12 brennt nicht (Testmeldung).",
            lat=profile.center_lat,
            lon=profile.center_lon,
            address="Ostwall",
            attributes={"lampennummer": "12-345", "art": "aus"},
        ).report
    )
    if not report.published:
        report_publish(report=report, by=None)
        report_set_status(
            report=report, by=None, status="in_progress", note="Ein Team ist unterwegs.", notify=False
        )
    follower, _ = Follower.objects.get_or_create(report=report, email="a11y@beispiel.invalid")
    return [
        "/maengel/",
        "/maengel/melden/",
        f"/maengel/melden/danke/{report.token}/",
        f"/maengel/verfolgen/{report.token}/",
        f"/maengel/meldung/{report.service_request_id}/",
        "/maengel/statistik/",
        f"/maengel/abbestellen/{follower.token}/",
        f"/maengel/bestaetigen/{follower.confirm_token}/",
    ]
