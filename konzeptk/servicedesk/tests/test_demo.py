from __future__ import annotations

import io
from typing import Any

from konzeptk.accounts.demo import load_demo as load_accounts
from konzeptk.servicedesk.demo import DEMO_REPORTS, load_demo
from konzeptk.servicedesk.models import Category, Report, ReportUpdate


def test_demo_is_idempotent_and_covers_all_states(city: Any) -> None:
    load_accounts(out=io.StringIO())
    load_demo(out=io.StringIO())
    load_demo(out=io.StringIO())
    assert Report.objects.count() == DEMO_REPORTS
    assert Category.objects.filter(service_code="strassenbeleuchtung", organisation__slug="swk").exists()
    assert (
        Category.objects.get(service_code="schlagloch").responsible_organisation().slug == "kommunalbetrieb"
    )
    assert set(Report.objects.values_list("status", flat=True)) == {"open", "in_progress", "closed"}
    assert {"fixed", "duplicate"} <= set(Report.objects.values_list("close_reason", flat=True))
    assert Report.objects.filter(published=False).exists()
    assert Report.objects.filter(hidden=True).exists()
    assert set(Report.objects.values_list("source", flat=True)) == {"demo"}
    assert all(r.district_id for r in Report.objects.all())
    assert ReportUpdate.objects.filter(kind="public").exclude(text="").count() > 100
    for report in Report.objects.filter(status="closed")[:20]:
        assert report.closed_at >= report.requested_at
