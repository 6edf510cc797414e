"""The ``konzeptk`` console script: Django's management commands plus ``demo`` and ``serve``."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "konzeptk"
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.setdefault("KONZEPTK_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
