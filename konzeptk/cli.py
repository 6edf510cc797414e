"""The ``konzeptk`` console script: Django's management commands plus ``demo`` and ``serve``.

Starting quickly: ``django.setup()`` imports every installed app with its models, admin and API
(about half a second). What needs none of that is answered without it:

* the list of commands (``konzeptk``, ``konzeptk --help``, ``konzeptk help [--commands]``), found
  the way Django finds them – ``management/commands/`` of every app in ``INSTALLED_APPS`` – but
  from the file system, without importing the apps;
* ``konzeptk --version``;
* the commands in :data:`STANDALONE`, which read files and touch neither the database nor a model.

Everything else goes to Django's ``execute_from_command_line`` as before.
"""

from __future__ import annotations

import os
import pkgutil
import sys
from collections import defaultdict
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotation: importing it costs start-up time
    from django.core.management.base import BaseCommand

#: Commands that run without ``django.setup()``: name -> module with the ``Command`` class. Such a
#: command must not import models, URLconfs or anything that needs the app registry
#: (``insights/tests/test_command_line.py`` runs it in a process whose registry is never set up).
STANDALONE = {"opinion_groups": "konzeptk.insights.management.commands.opinion_groups"}

#: Old command names that keep working (commands are spelt with underscores).
ALIASES = {"opinion-groups": "opinion_groups"}

_HELP = ("-h", "--help")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "konzeptk"
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    if len(argv) > 2 and argv[1] == "help":
        argv[2] = ALIASES.get(argv[2], argv[2])
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.setdefault("KONZEPTK_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
    if _answer_without_setup(argv):
        return
    # Imported only here, like every Django import of this module: what is answered above must not
    # pay for loading Django's management machinery (see the module docstring).
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _answer_without_setup(argv: list[str]) -> bool:
    """Answer what needs no app registry; False: leave it to Django."""
    args = argv[1:]
    if args == ["--version"]:
        import django

        sys.stdout.write(django.get_version() + "\n")
        return True
    if not args or args in (["help"], *([flag] for flag in _HELP)):
        text = main_help_text()
        if text is None:
            return False
        sys.stdout.write(text + "\n")
        return True
    if args == ["help", "--commands"]:
        commands = command_apps()
        if commands is None:
            return False
        sys.stdout.write("\n".join(sorted(commands)) + "\n")
        return True
    if args[0] == "help" and len(args) == 2 and args[1] in STANDALONE:
        _standalone_command(args[1]).print_help(argv[0], args[1])
        return True
    if args[0] in STANDALONE:
        _standalone_command(args[0]).run_from_argv(argv)
        return True
    return False


def _standalone_command(name: str) -> BaseCommand:
    command: BaseCommand = import_module(STANDALONE[name]).Command()
    return command


def _commands_in(package_dir: str) -> list[str]:
    """Command names in ``<package_dir>/management/commands`` (as Django's ``find_commands``)."""
    folder = os.path.join(package_dir, "management", "commands")
    return [
        name for _, name, is_pkg in pkgutil.iter_modules([folder]) if not is_pkg and not name.startswith("_")
    ]


def _package_dir(dotted: str) -> str | None:
    """Folder of a package, found without importing it or its parents (``import allauth`` alone
    costs more than the rest of ``konzeptk --help``)."""
    top, *rest = dotted.split(".")
    try:
        spec = find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, *rest)
        if os.path.isdir(path):
            return path
    return None


def _app_dir(entry: str) -> tuple[str, str] | None:
    """(app name, package folder) of an ``INSTALLED_APPS`` entry, without importing the app."""
    path = _package_dir(entry)
    if path is not None:
        return entry, path
    # An AppConfig class, e.g. ``rules.apps.AutodiscoverRulesConfig``: its app is the package of
    # ``apps.py`` (checked against Django's own list in the tests).
    module, _, _cls = entry.rpartition(".")
    package, _, last = module.rpartition(".")
    path = _package_dir(package) if last == "apps" else None
    return None if path is None else (package, path)


def command_apps() -> dict[str, str] | None:
    """Every command name -> the app that provides it, as ``django.core.management.get_commands()``
    would say after ``django.setup()``; None when the settings cannot be read (Django explains)."""
    try:
        from django.conf import settings

        installed = list(settings.INSTALLED_APPS)
    except Exception:  # broken settings: Django's own path prints its note about them
        return None
    management = find_spec("django.core.management")
    core_dir = os.path.dirname(os.path.dirname(management.origin or "")) if management else ""
    commands = dict.fromkeys(_commands_in(core_dir), "django.core")
    found = [_app_dir(entry) for entry in installed]
    if any(app is None for app in found):
        return None
    for app in reversed(found):
        assert app is not None
        commands.update(dict.fromkeys(_commands_in(app[1]), app[0]))
    return commands


def main_help_text(prog_name: str = "konzeptk") -> str | None:
    """The text of ``konzeptk --help`` (Django's, uncoloured); None: let Django answer."""
    commands = command_apps()
    if commands is None:
        return None
    usage = [
        "",
        f"Type '{prog_name} help <subcommand>' for help on a specific subcommand.",
        "",
        "Available subcommands:",
    ]
    by_app: dict[str, list[str]] = defaultdict(list)
    for name, app in commands.items():
        by_app["django" if app == "django.core" else app.rpartition(".")[-1]].append(name)
    for app in sorted(by_app):
        usage += ["", f"[{app}]", *(f"    {name}" for name in sorted(by_app[app]))]
    return "\n".join(usage)
