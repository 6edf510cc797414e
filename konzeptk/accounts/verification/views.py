"""Pages of residency verification. Thin: parse the request, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User, Verification
from konzeptk.accounts.verification import selectors, services
from konzeptk.accounts.verification.forms import (
    CodeForm,
    ConfirmForm,
    LetterForm,
    PersonLookupForm,
    PostcodeForm,
)
from konzeptk.accounts.verification.levels import level_label, may_verify_residents, user_level
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.core.siteurl import absolute_url


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # behind login_required
    return user


def _next_url(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return ""


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _own_submit(request: HttpRequest, user: User, form: forms.Form, is_postcode: bool) -> int | None:
    """Save the postcode or redeem the code; None when done, else the status to answer with."""
    if not form.is_valid():
        return 400
    try:
        if is_postcode:
            services.resident_declare(user=user, postcode=form.cleaned_data["postcode"])
            messages.success(request, _("Danke! Ihr Wohnort ist gespeichert (selbst angegeben)."))
        else:
            services.code_letter_redeem(user=user, code=form.cleaned_data["code"])
            messages.success(request, _("Danke! Sie sind jetzt als Einwohner:in bestätigt."))
    except ValidationError as exc:
        _apply_errors(form, exc)
        return 400
    except DomainError as exc:
        return page_error(request, exc, form=form)
    return None


@login_required
@limit("verification_code")
def verification(request: HttpRequest) -> HttpResponse:
    """A resident states their postcode (self-declared) or types the code from their code letter."""
    user = _user(request)
    postcode_form = PostcodeForm(request.POST if request.POST.get("form") == "postcode" else None)
    code_form = CodeForm(request.POST if request.POST.get("form") == "code" else None)
    done = HttpResponseRedirect(_next_url(request) or reverse("accounts:verification"))
    status = 200
    if request.method == "POST":
        if selectors.is_verified(user):
            messages.info(request, _("Sie sind bereits als Einwohner:in bestätigt."))
            return done
        if not (postcode_form.is_bound or code_form.is_bound):
            messages.error(request, _("Bitte füllen Sie eines der beiden Formulare aus."))
            status = 400
        else:
            is_postcode = postcode_form.is_bound
            failed = _own_submit(request, user, postcode_form if is_postcode else code_form, is_postcode)
            if failed is None:
                return done
            status = failed
    level = user_level(user)
    context = {
        "record": selectors.verification_of(user),
        "level": level,
        "levels": selectors.level_steps(level),
        "level_label": level_label(level),
        "postcode_form": postcode_form,
        "code_form": code_form,
        "next": _next_url(request),
    }
    return render(request, "accounts/verification/verification.html", context, status=status)


def _letter_text(request: HttpRequest, staff: User, person: User, address: str) -> dict[str, Any]:
    _letter, code = services.code_letter_issue(staff=staff, user=person)
    return {
        "code": services.format_code(code),
        "address": address,
        "valid_days": services.CODE_VALID.days,
        "url": absolute_url(reverse("accounts:verification")),
    }


@login_required
def verification_staff(request: HttpRequest) -> HttpResponse:
    """Bürgerbüro: find a person by the e-mail address of their account, confirm them in person or print
    a code letter; recent confirmations below."""
    staff = _user(request)
    if not may_verify_residents(staff):
        raise PermissionDenied(_("Diese Seite ist für Mitarbeiter:innen der Bürgerbüros."))
    lookup = PersonLookupForm(request.GET if "email" in request.GET else None)
    person = selectors.person_by_email(lookup.cleaned_data["email"]) if lookup.is_valid() else None
    confirm_form = ConfirmForm(request.POST if request.POST.get("action") == "confirm" else None)
    letter_form = LetterForm(request.POST if request.POST.get("action") == "letter" else None)
    letter: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        form: ConfirmForm | LetterForm = confirm_form if confirm_form.is_bound else letter_form
        if not (form.is_bound and form.is_valid()):
            messages.error(
                request, _("Bitte bestätigen Sie, dass Sie Ausweis und Meldeadresse geprüft haben.")
            )
            status = 400
        else:
            person = selectors.person_by_pk(form.cleaned_data["user"])
            if person is None:
                raise Http404(_("Dieses Konto gibt es nicht."))
            if form is confirm_form:
                services.resident_confirm(staff=staff, user=person, method=Verification.Method.IN_PERSON)
                messages.success(
                    request,
                    _("%(name)s ist jetzt als Einwohner:in bestätigt.") % {"name": person.public_name},
                )
                return redirect(f"{reverse('accounts:verification_staff')}?email={person.email}")
            letter = _letter_text(request, staff, person, form.cleaned_data.get("address", ""))
    if person is not None:
        confirm_form = ConfirmForm(initial={"user": person.pk})
        if letter is None:
            letter_form = LetterForm(initial={"user": person.pk})
    context = {
        "lookup": lookup,
        "state": selectors.person_state(person) if person is not None else None,
        "not_found": lookup.is_bound and lookup.is_valid() and person is None,
        "confirm_form": confirm_form,
        "letter_form": letter_form,
        "letter": letter,
        "recent": selectors.recent_confirmations(request.GET.get("page")),
    }
    return render(request, "accounts/verification/staff.html", context, status=status)
