"""Ingestion adapters: each network server format registers itself (like adhocracy4 phases).

``ADAPTERS["ttn"]`` parses a The Things Stack v3 uplink, ``ADAPTERS["chirpstack"]`` a ChirpStack v4
uplink event. ``konzeptk.sensing.ingest.service.uplink_ingest`` maps the decoded fields through the
device registry to datastreams.
"""

from konzeptk.sensing.ingest.base import ADAPTERS, Adapter, IngestError, Uplink, register

from konzeptk.sensing.ingest import chirpstack, ttn  # noqa: F401 – registration  # isort: skip

__all__ = ["ADAPTERS", "Adapter", "IngestError", "Uplink", "register"]
