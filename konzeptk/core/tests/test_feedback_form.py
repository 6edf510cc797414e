"""The feedback mechanism of the accessibility statement and the KERN form rendering."""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client

from konzeptk.core.forms import AccessibilityFeedbackForm, KernBoundField
from konzeptk.core.models import AccessibilityFeedback


def test_valid_feedback_is_saved_and_confirmed(client: Client, db: None) -> None:
    response = client.post(
        "/barrierefreiheit/",
        {"message": "Die Karte lässt sich nicht mit der Tastatur bedienen.", "email": "a@beispiel.de"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Vielen Dank! Ihre Rückmeldung ist eingegangen." in response.content.decode()
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.email == "a@beispiel.de"
    assert feedback.language == "de"


def test_feedback_in_arabic_records_the_language(client: Client, db: None) -> None:
    client.post("/ar/barrierefreiheit/", {"message": "التباين ضعيف"})
    assert AccessibilityFeedback.objects.get().language == "ar"


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"message": ""}, "message", "Dieses Feld ist zwingend erforderlich."),
        ({"message": "Text", "email": "keine-adresse"}, "email", "gültige E-Mail-Adresse"),
        ({"message": "x" * 1_000_000}, "message", "höchstens 5000 Zeichen"),
        ({"message": "Text", "page_url": "y" * 501}, "page_url", "höchstens 500 Zeichen"),
    ],
)
def test_invalid_feedback_is_refused_and_nothing_saved(
    client: Client, db: None, data: dict[str, str], field: str, error: str
) -> None:
    response = client.post("/barrierefreiheit/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert 'aria-invalid="true"' in html
    assert f'id="id_{field}_error"' in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert AccessibilityFeedback.objects.count() == 0


def test_invalid_feedback_in_english_gets_english_errors(client: Client, db: None) -> None:
    html = client.post("/en/barrierefreiheit/", {"message": ""}).content.decode()
    assert "This field is required." in html


def test_form_renders_kern_fields_with_accessible_links() -> None:
    form = AccessibilityFeedbackForm({"message": "", "email": "x"})
    assert not form.is_valid()
    html = form.render()
    assert isinstance(form["message"], KernBoundField)
    assert '<label class="kern-label" for="id_message">' in html
    assert 'class="kern-hint" id="id_message_helptext"' in html
    assert 'aria-describedby="id_message_helptext id_message_error"' in html
    assert "kern-form-input__input--error" in html
    assert '<span class="kk-required" aria-hidden="true"> *</span>' in html
    assert "Pflichtfelder sind mit einem Stern (*) gekennzeichnet." in html
    # optional, valid field: no error class, no aria-invalid
    name_input = html.split('id="id_name"')[0].rsplit("<input", 1)[1]
    assert "aria-invalid" not in name_input
    assert "--error" not in name_input


def test_choice_groups_render_as_fieldset_with_legend() -> None:
    class Survey(forms.Form):
        answer = forms.ChoiceField(choices=[("ja", "Ja"), ("nein", "Nein")], widget=forms.RadioSelect)
        topics = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
        )
        agree = forms.BooleanField(label="Einverstanden")
        district = forms.ChoiceField(choices=[("1", "Mitte")])

    html = Survey({}).render()
    assert '<fieldset id="id_answer" class="kern-fieldset kern-fieldset--error"' in html
    assert '<legend class="kern-label">Answer' in html
    assert 'class="kern-form-check__radio kern-form-check__radio--error"' in html
    assert '<label class="kern-label" for="id_answer_0">Ja</label>' in html
    assert 'class="kern-form-check__checkbox"' in html
    assert '<div class="kern-form-input__select-wrapper"><select' in html
    assert "kern-form-input__select--error" in html
