"""Reading and writing CAP 1.2: what is refused and why; what is written is valid against the OASIS schema."""

from __future__ import annotations

import datetime as dt

import pytest
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st

from konzeptk.resilience import cap
from konzeptk.resilience.tests.warnings_support import BERLIN, XSD, data

SCHEMA = xmlschema.XMLSchema(str(XSD))
MINIMAL = (
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x1</identifier><sender>s</sender>'
    "<sent>2026-07-16T10:00:00+02:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>"
    "{info}</alert>"
)
INFO = (
    "<info><category>Met</category><event>HITZE</event><urgency>Immediate</urgency><severity>Minor</severity>"
    "<certainty>Likely</certainty></info>"
)


@pytest.mark.parametrize("name", ["heat_alert.xml", "heat_update.xml", "heat_cancel.xml", "other_region.xml"])
def test_the_recorded_dwd_files_are_cap_1_2_and_are_read(name: str) -> None:
    raw = data(f"dwd/{name}")
    SCHEMA.validate(raw.decode())  # the recorded files are real CAP 1.2
    alert = cap.parse(raw)
    assert alert.sender == "opendata@dwd.de"
    (info,) = alert.infos
    assert info.language == "de-DE"
    assert info.event_code("II") in {"247", "248"}
    assert info.areas[0].geocodes[-1][0] == "WARNCELLID"


def test_an_update_carries_its_references() -> None:
    alert = cap.parse(data("dwd/heat_update.xml"))
    assert alert.msg_type == "Update"
    (ref,) = alert.references
    assert ref.identifier.endswith("8e2f6b0c4d17.DEU")
    assert ref.sent == "2026-07-16T10:00:00+02:00"


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"\xff\xfe<alert/>", "UTF-8"),
        (b"<alert><unclosed></alert>", "wohlgeformt"),
        (
            b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"><identifier>x</identifier></alert>',
            "Version 1.2",
        ),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "keine CAP-Meldung"),
        (MINIMAL.format(info="").replace("<sender>s</sender>", "").encode(), "sender"),
        (MINIMAL.format(info="").replace("Actual", "Real").encode(), "status"),
        (MINIMAL.format(info="").replace("+02:00", "").encode(), "Zeitzone"),
        (MINIMAL.format(info=INFO.replace("Minor", "Tiny")).encode(), "severity"),
        (MINIMAL.format(info=INFO.replace("Met", "Weather")).encode(), "Kategorie"),
        (MINIMAL.format(info="").replace("x1", "a b").encode(), "Kennung"),
    ],
)
def test_what_is_not_cap_1_2_is_refused_with_the_reason(document: bytes, reason: str) -> None:
    with pytest.raises(cap.CapError, match=reason):
        cap.parse(document)


def test_xml_bombs_and_external_entities_never_reach_the_parser() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol2;</identifier></alert>'
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>'
    )
    for document in (laughs, external):
        with pytest.raises(cap.CapError, match="Entitäten"):
            cap.parse(document)
    with pytest.raises(cap.CapError, match="größer"):
        cap.parse(b" " * (cap.MAX_BYTES + 1))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode()))
def test_any_bytes_give_an_alert_or_a_reason(document: bytes) -> None:
    try:
        cap.parse(document)
    except cap.CapError as exc:
        reason = str(exc)
        assert reason  # every refusal says why


@settings(max_examples=100, deadline=None)
@given(
    headline=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=80),
    minutes=st.integers(min_value=-10_000, max_value=10_000),
)
def test_what_is_written_is_valid_cap_and_reads_back(headline: str, minutes: int) -> None:
    sent = dt.datetime(2026, 7, 16, 12, tzinfo=BERLIN) + dt.timedelta(minutes=minutes)
    alert = cap.Alert(
        identifier="krefeld.de.warnung.1",
        sender="krefeld.de",
        sent=sent,
        infos=[
            cap.Info(
                language="de",
                categories=["Met"],
                event="HITZE",
                urgency="Immediate",
                severity="Moderate",
                certainty="Observed",
                expires=sent + dt.timedelta(hours=3),
                headline=headline,
                areas=[
                    cap.Area(
                        desc="Krefeld",
                        polygons=["51.3,6.5 51.4,6.5 51.4,6.6 51.3,6.5"],
                        geocodes=[("ARS", "051140000000")],
                    )
                ],
            )
        ],
    )
    body = cap.write(alert)
    SCHEMA.validate(body.decode())
    again = cap.parse(body)
    assert again.sent == sent
    assert again.infos[0].headline == headline.strip()
