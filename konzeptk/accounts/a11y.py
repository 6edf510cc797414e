"""Public account pages for the accessibility browser test (no data needed)."""

from __future__ import annotations


def a11y_pages() -> list[str]:
    return [
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/konto/password/reset/done/",
        "/konto/confirm-email/",
        "/konto/confirm-email/ungueltiger-link/",
    ]
