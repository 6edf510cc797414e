from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer, district_for
from konzeptk.core.content import ContentLabel, content_label, option_language_attrs
from konzeptk.servicedesk import places
from konzeptk.servicedesk.models import Category, CategoryAttribute, Report, ReportUpdate
from konzeptk.servicedesk.selectors import categories_for_choice


def current_districts() -> Any:
    profile = active_profile()
    layer = current_layer(profile) if profile else None
    return (
        District.objects.filter(layer=layer).defer("geometry").order_by("name")
        if layer
        else District.objects.none()
    )


class SelectWidget(forms.Select):
    """The same HTML as Django's Select, built in Python instead of one template render per option.

    The filter forms of the public list and the staff queue hold some 50 options; rendered through
    the option templates they took about a quarter of the page time. The class name must end in
    "SelectWidget": the KERN renderer derives the widget type ("select") and its classes from it.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        parts = [f"<select{flatatt(final)}>"]

        def option(key: Any, label: Any) -> str:
            key = "" if key is None else str(key)
            selected = " selected" if key in chosen else ""
            lang = option_language_attrs(label)  # German content on a page in another language
            return f'<option value="{escape(key)}"{selected}{lang}>{escape(str(label))}</option>'

        for key, label in self.choices:
            if isinstance(label, list | tuple):
                lang = option_language_attrs(key)
                parts.append(f'<optgroup label="{escape(str(key))}"{lang}>')
                parts.extend(option(k, v) for k, v in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(key, label))
        parts.append("</select>")
        return mark_safe("".join(parts))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


def _decimal(value: str) -> float | None:
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


class ReportStartForm(forms.Form):
    """Step 1: what and where. Works without JavaScript (address and district instead of the map)."""

    category = forms.TypedChoiceField(
        widget=SelectWidget, label=_("Was ist das Problem?"), coerce=int, choices=()
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Was genau ist kaputt oder stört? Bitte keine Namen oder Autokennzeichen nennen."),
    )
    address = forms.CharField(
        label=_("Adresse oder Ortsbeschreibung"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel: Ostwall 175, vor dem Eingang."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    place = forms.TypedChoiceField(
        widget=SelectWidget,
        label=_("Bekannter Ort in der Nähe"),
        coerce=int,
        required=False,
        choices=(),
        help_text=_(
            "Schulen, Bäder, Ämter und andere Orte der Stadt. Wir tragen Ihre Meldung ungefähr dort ein."
        ),
    )
    district = forms.ModelChoiceField(
        widget=SelectWidget,
        label=_("Stadtbezirk"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("– bitte wählen –"),
        help_text=_(
            "Nur nötig, wenn Sie den Ort weder auf der Karte markieren noch einen bekannten Ort wählen."
        ),
    )
    lat = forms.CharField(
        label=_("Breitengrad"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    lon = forms.CharField(
        label=_("Längengrad"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    email = forms.EmailField(
        label=_("E-Mail für Rückmeldungen (freiwillig)"),
        required=False,
        help_text=_("Wir schreiben Ihnen, wenn sich der Stand ändert. Die Adresse wird nie veröffentlicht."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # set by a click on the overview map (without JavaScript): the coordinates are approximate
    approximate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = categories_for_choice()
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("– bitte wählen –")), *categories]
        if any(option_language_attrs(label) for _group, options in categories for _pk, label in options):
            self.fields["category"].help_text = _("Kategorien ohne Übersetzung stehen auf Deutsch.")
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = current_districts()
        cast(forms.ChoiceField, self.fields["place"]).choices = [
            ("", _("– keiner –")),
            *places.place_choices(),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = _decimal(data.get("lat", "")), _decimal(data.get("lon", ""))
        if (data.get("lat") and lat is None) or (data.get("lon") and lon is None):
            raise forms.ValidationError(_("Die Koordinaten sind keine Zahlen."))
        address = (data.get("address") or "").strip()
        district = data.get("district")
        place = places.place_by_pk(data["place"]) if data.get("place") else None
        if lat is not None and lon is not None:
            self._inside_city(lat, lon)
            data["point"] = (lat, lon, not data.get("approximate"))
            if data.get("approximate"):
                data["location_note"] = _(
                    "ungefähr an der Stelle Ihres Klicks auf die Übersichtskarte (grob: ein Bildpunkt "
                    "entspricht etwa 50 Metern). Bitte beschreiben Sie den Ort genauer, zum Beispiel mit Adresse."
                )
        elif place is not None:
            # a known place nearby: its position, marked as approximate
            self._inside_city(place.lat, place.lon)
            data["point"] = (place.lat, place.lon, False)
            data["location_note"] = _("ungefähr bei „%(place)s“ (bekannter Ort aus der Liste)") % {
                "place": place.label
            }
            if not address:
                data["address"] = (_("bei %(place)s") % {"place": place.label})[:200]
        elif address and (found := self._street_match(address, district)) is not None:
            data["point"] = (found.lat, found.lon, False)
            data["location_note"] = _(
                "ungefähr bei „%(place)s“, einem bekannten Ort in derselben Straße. "
                "Bitte beschreiben Sie den Ort genau, die Mitarbeiterinnen und Mitarbeiter lesen Ihre Angabe."
            ) % {"place": found.label}
        elif district and address:
            data["point"] = (*district_anchor(district), False)
            data["location_note"] = _(
                "ungefähr in der Mitte des Stadtbezirks %(district)s. "
                "Die Mitarbeiterinnen und Mitarbeiter finden den Ort über Ihre Beschreibung."
            ) % {"district": district.name}
        elif district:
            self.add_error(
                "address", _("Bitte beschreiben Sie den Ort, wenn Sie ihn nicht auf der Karte markieren.")
            )
        else:
            raise forms.ValidationError(
                _(
                    "Bitte geben Sie den Ort an: auf der Karte, mit „Meinen Standort verwenden“, "
                    "mit einem bekannten Ort in der Nähe oder mit Adresse und Stadtbezirk."
                )
            )
        category_id = data.get("category")
        if category_id:
            data["category_obj"] = Category.objects.active().filter(pk=category_id).first()
            if data["category_obj"] is None:
                self.add_error("category", _("Bitte wählen Sie eine Kategorie."))
        return data

    @staticmethod
    def _inside_city(lat: float, lon: float) -> None:
        if not district_for(lat, lon).inside_city:
            raise forms.ValidationError(_outside_message())

    @staticmethod
    def _street_match(address: str, district: District | None) -> places.Place | None:
        """A known place in the typed street; with a chosen district only one inside it."""
        found = places.place_in_street(address)
        if found is None:
            return None
        answer = district_for(found.lat, found.lon)
        if not answer.inside_city or (district is not None and answer.district != district):
            return None
        return found


def _outside_message() -> str:
    return str(
        _("Der Ort liegt außerhalb des Stadtgebiets. Wir können nur Meldungen aus der Stadt bearbeiten.")
    )


def district_anchor(district: District) -> tuple[float, float]:
    if district.anchor_lat is not None and district.anchor_lon is not None:
        return district.anchor_lat, district.anchor_lon
    from shapely.geometry import shape

    point = shape(district.geometry).representative_point()
    return point.y, point.x


def attribute_field(attribute: CategoryAttribute) -> forms.Field:
    kind = CategoryAttribute.Datatype
    common: dict[str, Any] = {
        "label": attribute.description,
        "required": attribute.required,
        "help_text": attribute.datatype_description,
    }
    choices = [(str(v.get("key")), str(v.get("name"))) for v in attribute.values if isinstance(v, dict)]
    if attribute.datatype == kind.NUMBER:
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal"}), max_length=40, **common
        )
    if attribute.datatype == kind.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), max_length=40, **common
        )
    if attribute.datatype == kind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
    if attribute.datatype == kind.SINGLEVALUELIST:
        return forms.ChoiceField(
            widget=SelectWidget, choices=[("", _("– bitte wählen –")), *choices], **common
        )
    if attribute.datatype == kind.MULTIVALUELIST:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(max_length=200, **common)


class ReportFinishForm(ReportStartForm):
    """Step 2: the checked data of step 1 (hidden), the category's extra questions and photos."""

    photos = MultipleImageField(
        label=_("Fotos (freiwillig, höchstens 3)"),
        required=False,
        help_text=_(
            "JPEG, PNG oder WebP, je höchstens 10 MB. Standortdaten im Foto entfernen wir automatisch."
        ),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    def __init__(self, *args: Any, category: Category | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (
            "category",
            "description",
            "address",
            "place",
            "district",
            "lat",
            "lon",
            "email",
            "approximate",
        ):
            self.fields[name].widget = forms.HiddenInput()
        self.attribute_codes: list[str] = []
        if category is not None:
            for attribute in category.attributes.filter(variable=True).order_by("order", "code"):
                name = f"attribute_{attribute.code}"
                self.fields[name] = attribute_field(attribute)
                self.attribute_codes.append(attribute.code)

    def attribute_answers(self) -> dict[str, Any]:
        return {code: self.cleaned_data.get(f"attribute_{code}") for code in self.attribute_codes}


class SupportForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail für Rückmeldungen (freiwillig)"),
        required=False,
        help_text=_("Wir schreiben Ihnen, wenn sich der Stand ändert. Die Adresse wird nie veröffentlicht."),
    )


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"), help_text=_("Die Adresse wird nie veröffentlicht.")
    )


PERIODS = {
    "7": dt.timedelta(days=7),
    "30": dt.timedelta(days=30),
    "90": dt.timedelta(days=90),
    "365": dt.timedelta(days=365),
}


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories named in the reader's language; a German fallback is marked by ``SelectWidget``."""

    def label_from_instance(self, obj: Any) -> str:
        name = content_label(obj, "name")
        if not (obj.parent_id and obj.parent):
            return name
        parent = content_label(obj.parent, "name")
        lang = parent.lang if parent.is_fallback else name.lang
        return ContentLabel(f"{parent} – {name}", lang)


class ReportFilterForm(forms.Form):
    category = CategoryChoiceField(
        widget=SelectWidget,
        label=_("Kategorie"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("alle"),
    )
    status = forms.ChoiceField(
        widget=SelectWidget,
        label=_("Status"),
        required=False,
        choices=[("", _("alle")), *Report.Status.choices],
    )
    district = forms.ModelChoiceField(
        widget=SelectWidget,
        label=_("Stadtbezirk"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("alle"),
    )
    period = forms.ChoiceField(
        widget=SelectWidget,
        label=_("Zeitraum"),
        required=False,
        choices=[
            ("", _("alle")),
            ("7", _("letzte 7 Tage")),
            ("30", _("letzte 30 Tage")),
            ("90", _("letzte 90 Tage")),
            ("365", _("letztes Jahr")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = (
            Category.objects.active().select_related("parent").order_by("order", "name")
        )
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = current_districts()

    @property
    def since(self) -> dt.datetime | None:
        period = self.cleaned_data.get("period") if self.is_valid() else None
        return timezone.now() - PERIODS[period] if period in PERIODS else None


# --- staff -----------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        widget=SelectWidget,
        label=_("Status"),
        required=False,
        choices=[("", _("offen und in Bearbeitung")), *Report.Status.choices],
    )
    category = forms.ModelChoiceField(
        widget=SelectWidget,
        label=_("Kategorie"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("alle"),
    )
    district = forms.ModelChoiceField(
        widget=SelectWidget,
        label=_("Stadtbezirk"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("alle"),
    )
    unpublished = forms.BooleanField(label=_("nur noch nicht geprüfte"), required=False)
    mine = forms.BooleanField(label=_("nur mir zugewiesene"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = Category.objects.select_related(
            "parent"
        ).order_by("order", "name")
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = current_districts()


class PublishForm(forms.Form):
    description = forms.CharField(
        label=_("Beschreibung wie veröffentlicht"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Namen, Telefonnummern und Kennzeichen entfernen."),
    )
    photos = forms.MultipleChoiceField(
        label=_("Diese Fotos veröffentlichen (ohne Gesichter und Kennzeichen)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["photos"]).choices = [
            (str(p.pk), _("Foto %(n)d") % {"n": i}) for i, p in enumerate(report.photos.all(), start=1)
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(widget=SelectWidget, label=_("Neuer Status"), choices=Report.Status.choices)
    close_reason = forms.ChoiceField(
        widget=SelectWidget,
        label=_("Grund (beim Abschließen)"),
        required=False,
        choices=[("", "–"), *Report.CloseReason.choices],
    )
    note = forms.CharField(
        label=_("Öffentlicher Hinweis"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Report.Status.CLOSED and not data.get("close_reason"):
            self.add_error("close_reason", _("Bitte geben Sie an, warum die Meldung abgeschlossen wird."))
        return data


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=ReportUpdate.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        widget=SelectWidget,
        label=_("Zuweisen an"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("niemand"),
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = User.objects.filter(
            memberships__organisation_id=report.organisation_id or 0
        ).order_by("display_name")


class ForwardForm(forms.Form):
    organisation = forms.ModelChoiceField(
        widget=SelectWidget, label=_("Weiterleiten an"), queryset=Organisation.objects.order_by("name")
    )
    note = forms.CharField(
        label=_("Interne Notiz"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Meldungsnummer der ersten Meldung"),
        max_length=12,
        help_text=_("Diese Meldung wird als doppelt geschlossen."),
    )

    def clean_into(self) -> Report:
        value = self.cleaned_data["into"].strip().upper()
        report = Report.objects.filter(service_request_id=value).first()
        if report is None:
            raise forms.ValidationError(_("Keine Meldung mit dieser Nummer."))
        return report


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Grund (intern)"), max_length=300)


@dataclass(frozen=True)
class StaffForms:
    publish: PublishForm
    status: StatusForm
    note: NoteForm
    assign: AssignForm
    forward: ForwardForm
    merge: MergeForm
    hide: HideForm
