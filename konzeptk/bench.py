"""``make bench``: run every app's benchmark (``konzeptk/<app>/bench.py`` with ``main()``) and print figures.

Benchmarks are scripts that print measurements; they are never timed assertions in tests.
Run one app's benchmark with ``python -m konzeptk.bench strategy``.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
    import django
    from django.conf import settings

    django.setup()
    wanted = set(argv)
    for app in settings.INSTALLED_APPS:
        if not app.startswith("konzeptk."):
            continue
        label = app.rsplit(".", 1)[1]
        if wanted and label not in wanted:
            continue
        try:
            module = import_module(f"{app}.bench")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.bench":
                raise
            continue
        print(f"\n=== {label} ===", flush=True)
        module.main()


if __name__ == "__main__":
    main()
