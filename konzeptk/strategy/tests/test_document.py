"""The Handlungsprogramm print document (issue 13, item 6): fields, goals, projects with their responsible
organisations, stage and budget, indicators with latest value, date and status; as a page with print CSS
and as a PDF made by WeasyPrint with vendored fonts and nothing fetched from the network."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from konzeptk.core.pdf import StaticOnlyFetcher, render_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(project: Any, indicator: Any, orgs: dict[str, Any]) -> Any:
    project.partners.add(orgs["vhs"])
    project.budget_planned = 125000
    project.budget_spent = 40000
    project.save()
    return project


def _embedded_fonts(pdf: bytes) -> set[str]:
    """The base font names in the PDF's (compressed) object streams, without the subset prefix."""
    names: set[str] = set()
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        names |= {n.decode().split("+", 1)[-1] for n in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", data)}
    return names


def _text_of_pdf_layout(html: str) -> str:
    """The text WeasyPrint lays out on the pages (the PDF's own text streams hold glyph numbers)."""
    from weasyprint import HTML

    from konzeptk.core.pdf import BASE_URL

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    texts: list[str] = []

    def walk(box: Any) -> None:
        if getattr(box, "text", None):
            texts.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(texts)


def test_page_holds_projects_organisations_stage_budget_and_indicators(programme: Any) -> None:
    html = Client().get(reverse("strategy:document")).content.decode()
    assert "Umweltsensoren" in html
    assert "Stadtwerke" in html
    assert "Volkshochschule" in html
    assert "federführend" in html
    assert "Pilot" in html
    assert "125" in html  # planned budget
    assert "CO₂ je Einwohner:in" in html
    assert "01.01.2021" in html  # the date of the latest value
    assert "8 t" in html
    assert "document-print.css" in html  # the print style sheet
    assert 'media="print"' in html
    assert reverse("strategy:document_pdf") in html


def test_document_query_count_is_bounded(programme: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(20):
        assert Client().get(reverse("strategy:document")).status_code == 200


def test_pdf_has_the_projects_and_embedded_fonts(programme: Any) -> None:
    response = Client().get(reverse("strategy:document_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "KK-Latin" in _embedded_fonts(response.content)  # the vendored Noto Sans, embedded


def test_pdf_layout_holds_projects_indicators_and_organisations(programme: Any, rf: Any) -> None:
    from django.template.loader import render_to_string

    from konzeptk.strategy.views.public import _document_context

    request = rf.get("/strategie/handlungsprogramm.pdf")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = render_to_string("strategy/document_pdf.html", _document_context(request), request=request)
    text = _text_of_pdf_layout(html)
    for expected in (
        "Umweltsensoren",
        "Stadtwerke",
        "Volkshochschule",
        "CO₂ je Einwohner:in",
        "Klimaneutral 2035",
    ):
        assert expected in text, expected
    assert str(dt.date.today().year) in text


def test_pdf_fetches_nothing_but_static_files() -> None:
    fetcher = StaticOnlyFetcher()
    font = fetcher.fetch(
        "http://static.invalid/static/vendor/fonts/noto-sans/noto-sans-latin-400-normal.woff"
    )
    assert font.status == 200
    for url in (
        "http://example.org/static/core/pdf.css",
        "https://static.invalid.example/x.css",
        "file:///etc/passwd",
        "http://static.invalid/static/../settings.py",
        "http://static.invalid/media/secret.jpg",
    ):
        with pytest.raises(ValueError, match=r"statische Dateien|disallowed"):
            fetcher.fetch(url)
    # an image from elsewhere is left out, the PDF is still made
    assert render_pdf('<p>Hallo</p><img src="http://example.org/bild.png" alt="">').startswith(b"%PDF")


def test_indicator_list_shows_the_date_of_the_latest_value(indicator: Any) -> None:
    """Issue 13, item 6: the latest value of the indicator list carries its date."""
    html = Client().get(reverse("strategy:indicators")).content.decode()
    row = html[html.index("CO₂ je Einwohner:in") :]
    row = row[: row.index("</tr>")]
    assert "8 t" in row
    assert "Stand 01.01.2021" in row
