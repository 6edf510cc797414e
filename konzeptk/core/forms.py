"""Forms of the core app and the KERN form renderer every form of the platform uses.

``settings.FORM_RENDERER`` points at :class:`KernFormRenderer`, so ``{{ form }}`` in any template
renders accessible fields in the KERN UX style: a label, an optional hint and error message tied
to the input through ``aria-describedby``, ``aria-invalid`` on invalid inputs, a visible marker for
required fields, radio and checkbox groups in a fieldset with a legend, and an error summary with
links to the fields at the top of an invalid form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from konzeptk.core.models import AccessibilityFeedback

_INPUT_CLASS = {
    "checkbox": "kern-form-check__checkbox",
    "radioselect": "kern-form-check__radio",
    "checkboxselectmultiple": "kern-form-check__checkbox",
    "select": "kern-form-input__select",
    "selectmultiple": "kern-form-input__select",
    "nullbooleanselect": "kern-form-input__select",
}


class KernBoundField(BoundField):
    """A bound field whose widget carries the KERN classes and the ARIA links to hint and error."""

    @property
    def kern_hint_id(self) -> str:
        return f"{self.auto_id}_helptext" if self.auto_id and self.help_text else ""

    @property
    def kern_error_id(self) -> str:
        return f"{self.auto_id}_error" if self.auto_id and self.errors else ""

    @property
    def kern_describedby(self) -> str:
        return " ".join(i for i in (self.kern_hint_id, self.kern_error_id) if i)

    @property
    def kern_is_choice_group(self) -> bool:
        return self.widget_type in ("radioselect", "checkboxselectmultiple")

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        base = _INPUT_CLASS.get(self.widget_type, "kern-form-input__input")
        classes = [widget.attrs.get("class", ""), attrs.get("class", ""), base]
        if self.errors:
            classes.append(f"{base}--error")
        attrs["class"] = " ".join(c for c in classes if c)
        if not self.use_fieldset and self.kern_describedby:
            own = widget.attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = " ".join(i for i in (own, self.kern_describedby) if i)
        return attrs


class KernFormRenderer(DjangoTemplates):
    """Renders every form and field of the platform with the KERN templates in core/forms/."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = KernBoundField


class AccessibilityFeedbackForm(forms.ModelForm):
    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page_url", "name", "email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "message": _(
                "Beschreiben Sie bitte, was Sie nicht nutzen konnten und was Sie dabei versucht haben."
            ),
            "page_url": _("Zum Beispiel die Adresse der Seite oder ihr Titel."),
            "email": _(
                "Nur wenn Sie eine Antwort wünschen. Wir nutzen die Adresse nur für diese Rückmeldung."
            ),
        }
