"""Issue 13: creating a process – the start date shows in the date input (ISO value, the browser
shows it the German way), German dates are accepted where a text field is used, and the identifier
in the address is made from the title when staff leave it empty (and can still be edited)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import formats, timezone, translation

from konzeptk.core.slugs import german_slug
from konzeptk.participation.models import Process
from konzeptk.participation.tests.conftest import city, editor  # noqa: F401 – fixtures
from konzeptk.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["de", "en", "tr", "ar", "pl", "uk"]


def _form_data(editor: Any, **extra: str) -> dict[str, Any]:  # noqa: F811
    organisation = editor.memberships.get().organisation
    return {
        "title": "Radverkehr in Bockum: Ideen für 2027",
        "slug": "",
        "organiser": organisation.pk,
        "status": "draft",
        "idea_level": 1,
        "comment_level": 1,
        "support_level": 1,
        "vote_level": 1,
        "blueprint": "ideas",
        "start": "2027-03-01",
        **extra,
    }


def test_the_start_date_is_prefilled_as_an_iso_value_of_the_date_input(client: Any, editor: Any) -> None:  # noqa: F811
    client.force_login(editor)
    html = client.get(reverse("participation:process_new")).content.decode()
    field = re.search(r'<input[^>]*name="start"[^>]*>', html)
    assert field is not None
    assert 'type="date"' in field.group(0)
    assert re.search(r'value="\d{4}-\d{2}-\d{2}"', field.group(0)), field.group(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_date_inputs_get_iso_values_and_text_fields_take_german_dates(language: str) -> None:
    class Form(forms.Form):
        in_calendar = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        as_text = forms.DateField()

    with translation.override(language):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"
        unbound = Form(initial={"in_calendar": dt.date(2026, 12, 6)})
        assert 'value="2026-12-06"' in str(unbound["in_calendar"])
        bound = Form({"in_calendar": "2026-12-06", "as_text": "06.12.2026"})
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data == {"in_calendar": dt.date(2026, 12, 6), "as_text": dt.date(2026, 12, 6)}


def test_german_start_date_is_accepted(client: Any, editor: Any) -> None:  # noqa: F811
    client.force_login(editor)
    response = client.post(reverse("participation:process_new"), _form_data(editor, start="06.12.2026"))
    assert response.status_code == 302
    process = Process.objects.get()
    assert timezone.localtime(process.phases.order_by("start").first().start).date() == dt.date(2026, 12, 6)


def test_an_empty_identifier_is_made_from_the_title_and_a_taken_one_gets_a_number(
    client: Any,
    editor: Any,  # noqa: F811
) -> None:
    ProcessFactory(slug="radverkehr-in-bockum-ideen-fuer-2027")
    client.force_login(editor)
    response = client.post(reverse("participation:process_new"), _form_data(editor))
    assert response.status_code == 302
    assert Process.objects.filter(slug="radverkehr-in-bockum-ideen-fuer-2027-2").exists()
    # an identifier typed by staff wins
    response = client.post(reverse("participation:process_new"), _form_data(editor, slug="bockum-rad"))
    assert response.status_code == 302
    assert Process.objects.filter(slug="bockum-rad").exists()


def test_the_identifier_field_follows_the_title_with_javascript(client: Any, editor: Any) -> None:  # noqa: F811
    client.force_login(editor)
    html = client.get(reverse("participation:process_new")).content.decode()
    assert 'data-kk-slug-from="id_title"' in html
    assert "core/slug.js" in html


def test_german_slug_writes_umlauts_out() -> None:
    assert german_slug("Grüne Höfe & Straßen in Uerdingen") == "gruene-hoefe-strassen-in-uerdingen"
    assert german_slug("x" * 100, max_length=10) == "x" * 10
