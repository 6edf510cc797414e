"""Several MQTT bridge processes on one shared subscription: start them as real ``konzeptk mqtt_bridge``
processes, wait until they have subscribed, publish a load. Used by the scale-out test and the benchmark."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

_STORED = re.compile(r"MQTT-Brücke beendet\. Gespeichert: (\d+), doppelt erkannt: (\d+)")


def database_url(settings_dict: dict[str, Any]) -> str:
    """The ``DATABASE_URL`` of a Django connection's settings (PostgreSQL or a SQLite file)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def bridge_env(*, database: str, mqtt_url: str, data_dir: Path) -> dict[str, str]:
    """Production settings for a bridge process against the given database and broker."""
    env = {
        key: value
        for key, value in os.environ.items()
        # production refuses the anonymous-write switch (sensing.checks), which the benchmark sets for itself
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "KONZEPTK_DEMO",
            "KONZEPTK_DEBUG",
            "REDIS_URL",
            "KONZEPTK_STA_OPEN_WRITE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="konzeptk.settings",
        DATABASE_URL=database,
        MQTT_URL=mqtt_url,
        KONZEPTK_DATA_DIR=str(data_dir),
        KONZEPTK_HTTPS="0",
        SECRET_KEY=env.get("SECRET_KEY") or "mqtt-scale-out-only",
        KONZEPTK_LOG_LEVEL="ERROR",
    )
    return env


class PrivateBroker:
    """A Mosquitto process of our own on a free port, configured as docs/operations.md asks for production
    (persistence, ``max_queued_messages`` far above the default of 1000), so a backlog is kept, not dropped."""

    def __init__(self, directory: Path) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self.config = directory / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {directory}/\nmax_queued_messages 1000000\n"
            + ("user root\n" if os.geteuid() == 0 else "")  # keep the rights on the directory
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        import shutil
        import socket

        program = shutil.which("mosquitto")
        if program is None:
            raise RuntimeError("Das Programm mosquitto fehlt (Debian-Paket mosquitto).")
        self.process = subprocess.Popen(  # noqa: S603 – Debian's mosquitto program
            [program, "-c", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Mosquitto ist nicht gestartet")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class BridgeProcess:
    """One ``konzeptk mqtt_bridge`` process with a fixed client id (its persistent session) and share group."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        client_id: str,
        share_group: str,
        log: Path,
        launcher: tuple[str, ...] = (),
    ) -> None:
        self.env = env
        self.launcher = launcher  # arguments of python before "konzeptk mqtt_bridge …"; without: python -m
        self.client_id = client_id
        self.share_group = share_group
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.stored = 0  # over all runs of this process, reported when it stops
        self.duplicates = 0
        self._output: IO[bytes] | None = None

    def _arguments(self) -> list[str]:
        return ["--client-id", self.client_id, "--share-group", self.share_group]

    def start(self) -> None:
        self._output = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 – our own command
            [sys.executable, *(self.launcher or ("-m",)), "konzeptk", "mqtt_bridge", *self._arguments()],
            env=self.env,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )

    def _runs(self) -> int:
        return self.log.read_text(encoding="utf-8", errors="replace").count("MQTT-Brücke abonniert")

    def wait_subscribed(self, timeout: float = 60.0, runs: int = 1) -> bool:
        """True once this process (its ``runs``-th start) has its subscription acknowledged by the broker."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._runs() >= runs:
                return True
            if self.process is not None and self.process.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM (the bridge finishes and acknowledges its batch; the rest stays with its session)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process = None
        if self._output is not None:
            self._output.close()
            self._output = None
        found = _STORED.findall(self.log.read_text(encoding="utf-8", errors="replace"))
        self.stored = sum(int(stored) for stored, _dup in found)
        self.duplicates = sum(int(dup) for _stored, dup in found)


def start_publisher(
    *, host: str, port: int, topics: list[str], total: int, rate: float
) -> subprocess.Popen[str]:
    """Publish ``total`` messages with QoS 1 from a separate process (``mqtt_load``) at ``rate`` per second;
    read its report (sent, acknowledged by the broker, seconds) with :func:`publisher_report`."""
    arguments = [host, str(port), ",".join(topics), str(rate), str(total / rate)]
    return subprocess.Popen(  # noqa: S603 – our own module
        [sys.executable, "-m", "konzeptk.sensing.mqtt_load", *arguments],
        stdout=subprocess.PIPE,
        text=True,
    )


def publisher_report(process: subprocess.Popen[str], timeout: float = 600) -> dict[str, Any]:
    stdout, _ = process.communicate(timeout=timeout)
    report: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return report
