"""Pages of the participation app load the stylesheet that defines the classes they use (text for
screen readers only was visible on the staff pages before)."""

from __future__ import annotations

from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((APP / "templates" / "participation").glob("*.html"))
OWN_CLASSES = ("kk-visually-hidden", "kk-actions", "kk-question-edit")


def test_the_stylesheet_defines_the_classes() -> None:
    css = (APP / "static" / "participation" / "participation.css").read_text()
    for name in OWN_CLASSES:
        assert f".{name}" in css


@pytest.mark.parametrize(
    "template", [t for t in TEMPLATES if not t.name.startswith("_")], ids=lambda t: t.name
)
def test_pages_using_them_load_the_stylesheet(template: Path) -> None:
    text = template.read_text()
    if any(name in text for name in OWN_CLASSES) and "{% extends" in text:
        assert "participation/participation.css" in text
