"""``konzeptk`` starts at once: the list of commands and ``opinion_groups`` need no ``django.setup()``
(no models, no URLconf, no admin or API); ``opinion-groups`` is still understood."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from konzeptk.cli import main as konzeptk_main
from konzeptk.insights.engine.polis import write_votes
from konzeptk.insights.engine.synthetic import planted_votes

#: what a start without the app registry must not load
HEAVY = (
    "django.urls.resolvers",
    "konzeptk.urls",
    "konzeptk.api",
    "ninja",
    "allauth",
    "django.contrib.admin",
    "konzeptk.insights.models",
    "konzeptk.participation.models",
)


def imported_modules(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``python -X importtime -m konzeptk ARGS`` and return the process and what it imported."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "konzeptk.settings_test", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "konzeptk", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return proc, modules


@pytest.fixture(scope="module")
def votes_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = planted_votes(n_participants=120, n_statements=20, n_votes=1_500, n_groups=2, seed=4)
    path = tmp_path_factory.mktemp("cli") / "votes.csv"
    write_votes(path, data.matrix)
    return path


@pytest.mark.parametrize("args", [(), ("--help",), ("help",)])
def test_command_list_loads_no_app(args: tuple[str, ...]) -> None:
    proc, modules = imported_modules(*args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "[insights]" in proc.stdout
    assert "    opinion_groups" in proc.stdout
    assert "opinion-groups" not in proc.stdout  # the alias is not a second command
    assert not [m for m in (*HEAVY, "django.db.models", "django.core.management.base") if m in modules]


def test_opinion_groups_help_loads_neither_apps_nor_numpy() -> None:
    proc, modules = imported_modules("opinion-groups", "--help")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "usage: konzeptk opinion_groups" in proc.stdout
    assert not [m for m in (*HEAVY, "numpy", "sklearn", "pyarrow") if m in modules]


def test_opinion_groups_runs_without_the_app_registry(votes_file: Path) -> None:
    proc, modules = imported_modules("opinion_groups", str(votes_file), "--top", "3")
    assert proc.returncode == 0, proc.stderr[-2000:]
    payload = json.loads(proc.stdout[proc.stdout.index("{") :])
    assert payload["participants"] == 120
    assert len(payload["consensus"]) <= 3
    assert not [m for m in HEAVY if m in modules]


def test_bad_file_without_the_app_registry_is_a_message_and_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_text("voter-id,comment-id\n1,1\n", encoding="utf-8")
    proc, _ = imported_modules("opinion_groups", str(path))
    assert proc.returncode == 2
    assert "In der Kopfzeile fehlen die Spalten vote" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_old_name_opinion_groups_with_hyphen_still_works(
    votes_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    konzeptk_main(["konzeptk", "opinion-groups", str(votes_file), "--seed", "2"])
    old = json.loads(capsys.readouterr().out)
    konzeptk_main(["konzeptk", "opinion_groups", str(votes_file), "--seed", "2"])
    new = json.loads(capsys.readouterr().out)
    old.pop("seconds"), new.pop("seconds")
    assert old == new
    assert old["participants"] == 120
    konzeptk_main(["konzeptk", "help", "opinion-groups"])
    assert "usage: konzeptk opinion_groups" in capsys.readouterr().out


def test_version_without_setup(capsys: pytest.CaptureFixture[str]) -> None:
    import django

    konzeptk_main(["konzeptk", "--version"])
    assert capsys.readouterr().out.strip() == django.get_version()


def test_command_list_is_djangos_own() -> None:
    """The list printed without ``django.setup()`` is the one Django prints after it."""
    from django.core.management import ManagementUtility, get_commands

    from konzeptk.cli import command_apps, main_help_text

    assert command_apps() == get_commands()
    assert main_help_text() == ManagementUtility(["konzeptk"]).main_help_text()
