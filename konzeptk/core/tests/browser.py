"""Helpers for the browser tests: axe-core, the accessibility page registry and keyboard navigation."""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import translation
from playwright.sync_api import BrowserContext, Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Pages of the accounts app, used only until konzeptk/accounts/a11y.py registers them itself.
ACCOUNT_PAGES_FALLBACK = ["/konto/login/", "/konto/signup/", "/konto/password/reset/"]

#: the signed-in member of the administration for the staff pages (``a11y_staff_pages()``)
A11Y_STAFF_EMAIL = "a11y-verwaltung@beispiel.invalid"


@cache
def axe_source() -> str:
    """axe-core as bundled by the PyPI package axe-playwright-python (no download at test time)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    url: str
    rule: str
    impact: str
    help: str
    help_url: str
    targets: list[str]
    summaries: list[str]

    def describe(self) -> str:
        lines = [f"{self.url}: [{self.impact}] {self.rule} – {self.help} ({self.help_url})"]
        for target, summary in zip(self.targets, self.summaries, strict=True):
            first_line = summary.strip().splitlines()[1:2] or summary.strip().splitlines()[:1]
            lines.append(f"    {target}  → {' '.join(first_line).strip()}")
        return "\n".join(lines)


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def preload_axe(context: BrowserContext) -> BrowserContext:
    """Let Chromium put axe-core into every document of ``context`` itself.

    The source crosses the driver once per context instead of once per page, which halves the cost of
    checking many pages. Init scripts are not subject to the page's CSP (script-src 'self').
    """
    context.add_init_script(axe_source() + "\n;axe.configure({noHtml: true});")
    return context


def start_axe(page: Page) -> None:
    """Start axe-core on the page as it is now, without waiting: the renderer works while we go on."""
    # Playwright evaluates through the DevTools protocol, so the page's CSP does not block the source.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    page.evaluate("options => { window.__kkAxe = axe.run(document, options); }", AXE_OPTIONS)


def collect_axe(page: Page) -> list[Violation]:
    """Wait for the run started by :func:`start_axe` and return its violations."""
    result: dict[str, Any] = page.evaluate("() => window.__kkAxe")
    url = urlsplit(page.url)
    where = url.path + (f"?{url.query}" if url.query else "")
    violations = []
    for item in result["violations"]:
        nodes = item["nodes"]
        violations.append(
            Violation(
                url=where,
                rule=item["id"],
                impact=item.get("impact") or "?",
                help=item["help"],
                help_url=item["helpUrl"],
                targets=[" ".join(str(part) for part in node["target"]) for node in nodes],
                summaries=[node.get("failureSummary") or "" for node in nodes],
            )
        )
    return violations


def run_axe(page: Page) -> list[Violation]:
    """Run axe-core with the WCAG 2.1 A/AA rules on the page as it is now."""
    start_axe(page)
    return collect_axe(page)


def report(violations: list[Violation]) -> str:
    return "\n".join(v.describe() for v in violations)


def registered_pages(function: str = "a11y_pages") -> list[str]:
    """Collect ``a11y_pages()`` of every Konzept K app that has an ``a11y`` module (creates their data).

    ``function="a11y_staff_pages"`` collects the administration pages instead (apps without that function
    have none); they are opened signed in as :func:`a11y_staff_user`."""
    paths: list[str] = []
    registered_apps: set[str] = set()
    for app in settings.INSTALLED_APPS:
        if not app.startswith("konzeptk."):
            continue
        module_name = f"{app}.a11y"
        if importlib.util.find_spec(module_name) is None:
            continue
        registered_apps.add(app)
        module = importlib.import_module(module_name)
        if not hasattr(module, function):
            continue
        # German paths: an earlier test may have left another language active in this thread.
        with translation.override(settings.LANGUAGE_CODE):
            app_paths = getattr(module, function)()
        for path in app_paths:
            if not path.startswith("/"):
                raise AssertionError(f"{module_name}.a11y_pages() lieferte „{path}“: Pfade beginnen mit /.")
            prefix = path.split("/")[1]
            if prefix in dict(settings.LANGUAGES):
                raise AssertionError(
                    f"{module_name}.a11y_pages() lieferte „{path}“: bitte ohne Sprachpräfix."
                )
            paths.append(path)
    if "konzeptk.accounts" not in registered_apps and function == "a11y_pages":
        paths.extend(ACCOUNT_PAGES_FALLBACK)
    return list(dict.fromkeys(paths))


def a11y_staff_user() -> Any:
    """The member of the administration who opens the staff pages of the page list: staff and superuser,
    so every app's rules let them in (created once)."""
    from konzeptk.accounts.models import User

    user = User.objects.filter(email=A11Y_STAFF_EMAIL).first()
    if user is None:
        user = User.objects.create_superuser(email=A11Y_STAFF_EMAIL, password=None)
    return user


def open_page(page: Page, path: str, *, status: int = 200) -> None:
    """Navigate to ``path`` and insist on the HTTP status, so later steps do not fail obscurely."""
    response = page.goto(path)
    actual = response.status if response else None
    assert actual == status, f"{path} antwortete mit Status {actual} statt {status}"


def in_language(path: str, language: str) -> str:
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


# --- Keyboard -------------------------------------------------------------------------------

ACTIVE_ELEMENT_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    type: el.getAttribute("type") || "",
    href: el.getAttribute("href") || "",
    text: (el.innerText || el.value || "").trim().slice(0, 80),
    classes: el.className && typeof el.className === "string" ? el.className : "",
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    visible: !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length),
  };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    info: dict[str, Any] | None = page.evaluate(ACTIVE_ELEMENT_JS)
    return info


def assert_focus_visible(info: dict[str, Any]) -> None:
    """Links and buttons with keyboard focus show an outline of at least 2 CSS pixels."""
    if info["tag"] not in {"a", "button"} and info["type"] not in {"submit", "button"}:
        return
    visible_outline = info["outlineStyle"] != "none" and info["outlineWidth"] >= 2
    assert visible_outline, (
        f"Keine sichtbare Fokusmarkierung auf <{info['tag']}> „{info['text']}“ "
        f"(outline: {info['outlineStyle']} {info['outlineWidth']}px {info['outlineColor']})"
    )


def tab_to(
    page: Page, *, description: str, max_steps: int = 80, backwards: bool = False, **match: str
) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the focused element matches every ``match`` field.

    ``match`` keys are fields of :data:`ACTIVE_ELEMENT_JS` (tag, name, type, href, text, id); ``href`` and
    ``text`` match as substrings. Every link and button passed on the way must show a focus outline.
    """
    key = "Shift+Tab" if backwards else "Tab"
    seen: list[str] = []
    for _ in range(max_steps):
        page.keyboard.press(key)
        info = focused(page)
        if info is None:
            seen.append("<body>")
            continue
        assert info["visible"], f"Der Fokus liegt auf einem unsichtbaren Element: {info}"
        assert_focus_visible(info)
        seen.append(f"<{info['tag']}> {info['name'] or info['text'] or info['href']}")
        if all(
            (value in info[field]) if field in {"href", "text"} else info[field] == value
            for field, value in match.items()
        ):
            return info
    raise AssertionError(f"Mit {key} nicht erreichbar: {description}. Fokusreihenfolge war: {seen}")


def signed_in_page(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    user: Any,
    *,
    with_axe: bool = False,
    **options: Any,
) -> Page:
    """A browser page signed in as ``user``: a session made on the server, its cookie in a new context
    (``options`` go to the context, e.g. ``java_script_enabled=False``); ``with_axe`` loads axe-core into it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    key = session.session_key
    assert key is not None
    context = new_context(**options)
    host = re.sub(r"^https?://", "", live_server.url).split(":")[0]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "domain": host, "path": "/"}])
    if with_axe:
        preload_axe(context)
    return context.new_page()
