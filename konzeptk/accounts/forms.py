"""Forms of the accounts pages. The signup form extends allauth's (ACCOUNT_FORMS["signup"])."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Consent, Membership, User

TERMS_TEXT_VERSION = "1"


def _terms_help() -> str:
    return format_html(
        str(_('Lesen Sie die <a href="{url}">Datenschutzerklärung</a>, bevor Sie zustimmen.')),
        url=reverse("core:privacy"),
    )


class SignupForm(AllauthSignupForm):
    """Registration: e-mail, password, optional display name and the required consent to the terms."""

    display_name = forms.CharField(
        label=_("Anzeigename"),
        max_length=80,
        required=False,
        help_text=_(
            "So erscheinen Sie bei Ihren Beiträgen. Ohne Angabe zeigen wir „Teilnehmer:in“ mit einer Nummer."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    accept_terms = forms.BooleanField(
        label=_(
            "Ich habe die Datenschutzerklärung gelesen und bin einverstanden, dass meine Angaben "
            "zur Teilnahme an der Plattform verarbeitet werden."
        ),
        help_text=lazy(_terms_help, SafeString)(),
        required=True,
        error_messages={
            "required": _("Bitte bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben.")
        },
    )

    field_order = ["email", "display_name", "password1", "password2", "accept_terms"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-Mail-Adresse")
        self.fields["email"].help_text = _("An diese Adresse schicken wir einen Link zur Bestätigung.")
        self.fields["password1"].label = _("Passwort")
        self.fields["password1"].help_text = _(
            "Mindestens 10 Zeichen. Nicht nur Ziffern, kein häufig benutztes Passwort und nicht Ihrer E-Mail-Adresse ähnlich."
        )
        if "password2" in self.fields:
            self.fields["password2"].label = _("Passwort wiederholen")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

    def save(self, request: HttpRequest) -> AbstractBaseUser:
        # The person, their e-mail address and their consent are written together or not at all.
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        from konzeptk.accounts.services import consent_give, user_update_profile

        assert isinstance(user, User)
        user_update_profile(user=user, display_name=self.cleaned_data.get("display_name", ""))
        consent_give(user=user, purpose=Consent.Purpose.TERMS, text_version=TERMS_TEXT_VERSION)


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Anzeigename"),
        max_length=80,
        required=False,
        help_text=_(
            "So erscheinen Sie bei Ihren Beiträgen. Lassen Sie das Feld leer, erscheinen Sie als „Teilnehmer:in“ mit einer Nummer."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Zur Sicherheit bestätigen Sie die Löschung mit Ihrem Passwort."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Das Passwort stimmt nicht."), code="wrong_password")
        return password


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse der Person"),
        help_text=_(
            "Wir schicken eine Einladung an diese Adresse. Die Person wird Mitglied, sobald sie die Einladung annimmt."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Rolle"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)


class LoginForm(AllauthLoginForm):
    """allauth's login form with the labels of the platform."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-Mail-Adresse")
        self.fields["password"].label = _("Passwort")
        if "remember" in self.fields:
            self.fields["remember"].label = _("Angemeldet bleiben (nur auf eigenen Geräten)")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
