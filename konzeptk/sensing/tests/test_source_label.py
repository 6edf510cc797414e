"""Sources read "(simuliert)" once (issue 13, item 6): the dashboard adds the mark from the simulated flag,
also when the stored source already carries it (as the demo of December 2026 wrote it)."""

from __future__ import annotations

import pytest
from django.test import Client

from konzeptk.sensing import models as m
from konzeptk.sensing.a11y import seed_dashboard_data
from konzeptk.sensing.views import source_label

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("props", "shown"),
    [
        ({"source": "SWK-Wettersensoren (simuliert)", "simulated": True}, "SWK-Wettersensoren (simuliert)"),
        ({"source": "SWK-Wettersensoren", "simulated": True}, "SWK-Wettersensoren (simuliert)"),
        ({"source": "LANUV", "simulated": False}, "LANUV"),
        ({"simulated": True}, ""),
    ],
)
def test_source_label_says_simulated_once(props: dict[str, object], shown: str) -> None:
    assert source_label(props) == shown


def test_dashboard_never_doubles_the_mark() -> None:
    seed_dashboard_data()
    m.Datastream.objects.update(
        properties={
            "topic": "klima",
            "kind": "temperature",
            "simulated": True,
            "source": "Testdaten (simuliert)",
        }
    )
    html = Client().get("/daten/klima/?period=7").content.decode()
    assert "(simuliert) (simuliert)" not in html
    assert "Testdaten (simuliert)" in html


def test_demo_sources_do_not_carry_the_mark_themselves() -> None:
    import inspect

    from konzeptk.sensing import demo

    assert ' (simuliert)")' not in inspect.getsource(demo)
