"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (verification)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.views.common import _apply_errors

# --- verification ----------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return ""


@login_required
@limit("verification_code")
def verification(request: HttpRequest) -> HttpResponse:
    """A resident states their postcode (self-declared) or types the code from their code letter."""
    from konzeptk.participation.forms import CodeForm, PostcodeForm
    from konzeptk.participation.models import Level, Verification

    user: Any = request.user
    postcode_form = PostcodeForm(request.POST if request.POST.get("form") == "postcode" else None)
    code_form = CodeForm(request.POST if request.POST.get("form") == "code" else None)
    status = 200
    if (
        request.method == "POST"
        and Verification.objects.filter(user=user, verified_at__isnull=False).exists()
    ):
        messages.info(request, _("Sie sind bereits als Einwohner:in bestätigt."))
        return HttpResponseRedirect(_next_url(request) or reverse("participation:verification"))
    if request.method == "POST":
        status = 400
        form = postcode_form if postcode_form.is_bound else code_form
        if not form.is_bound:
            messages.error(request, _("Bitte füllen Sie eines der beiden Formulare aus."))
        elif form.is_valid():
            try:
                if form is postcode_form:
                    services.resident_declare(user=user, postcode=form.cleaned_data["postcode"])
                    messages.success(request, _("Danke! Ihr Wohnort ist gespeichert (selbst angegeben)."))
                else:
                    services.code_letter_redeem(user=user, code=form.cleaned_data["code"])
                    messages.success(request, _("Danke! Sie sind jetzt als Einwohner:in bestätigt."))
            except ValidationError as exc:
                _apply_errors(form, exc)
            except DomainError as exc:
                status = page_error(request, exc, form=form)
            else:
                return HttpResponseRedirect(_next_url(request) or reverse("participation:verification"))
    record = Verification.objects.filter(user=user).select_related("confirmed_by").first()
    level = rules.user_level(user)
    levels = [(value, label, level >= value) for value, label in Level.choices if value > Level.ACCOUNT]
    return render(
        request,
        "participation/verification.html",
        {
            "record": record,
            "level": level,
            "levels": levels,
            "level_label": Level(max(level, 0)).label,
            "postcode_form": postcode_form,
            "code_form": code_form,
            "next": _next_url(request),
            "profile": selectors.light_profile(),
        },
        status=status,
    )


@login_required
def verification_staff(request: HttpRequest) -> HttpResponse:
    """Bürgerbüro: find a person by the e-mail address of their account, confirm them in person or print
    a code letter; recent confirmations below."""
    from django.contrib.auth import get_user_model

    from konzeptk.participation.forms import ConfirmForm, LetterForm, PersonLookupForm
    from konzeptk.participation.models import CodeLetter, Level, Verification

    staff: Any = request.user
    if not rules.may_verify_residents(staff):
        raise PermissionDenied(_("Diese Seite ist für Mitarbeiter:innen der Bürgerbüros."))
    User = get_user_model()
    lookup = PersonLookupForm(request.GET if "email" in request.GET else None)
    person = None
    if lookup.is_bound and lookup.is_valid():
        person = User.objects.filter(email__iexact=lookup.cleaned_data["email"]).first()
    letter_text: dict[str, Any] | None = None
    status = 200
    confirm_form = ConfirmForm(request.POST if request.POST.get("action") == "confirm" else None)
    letter_form = LetterForm(request.POST if request.POST.get("action") == "letter" else None)
    if request.method == "POST":
        form = confirm_form if confirm_form.is_bound else letter_form
        if form.is_bound and form.is_valid():
            person = get_object_or_404(User, pk=form.cleaned_data["user"])
            if form is confirm_form:
                services.resident_confirm(staff=staff, user=person, method=Verification.Method.IN_PERSON)
                messages.success(
                    request,
                    _("%(name)s ist jetzt als Einwohner:in bestätigt.") % {"name": person.public_name},
                )
                return redirect(f"{reverse('participation:verification_staff')}?email={person.email}")
            _letter, code = services.code_letter_issue(staff=staff, user=person)
            letter_text = {
                "code": services.format_code(code),
                "address": form.cleaned_data.get("address", ""),
                "valid_days": services.CODE_VALID.days,
                "url": request.build_absolute_uri(reverse("participation:verification")),
            }
        else:
            status = 400
            messages.error(
                request, _("Bitte bestätigen Sie, dass Sie Ausweis und Meldeadresse geprüft haben.")
            )
    state = None
    if person is not None:
        record = Verification.objects.filter(user=person).first()
        open_letters = CodeLetter.objects.filter(
            user=person, used_at=None, expires_at__gt=timezone.now()
        ).count()
        state = {
            "person": person,
            "record": record,
            "level": Level(max(rules.user_level(person), 0)).label,
            "open_letters": open_letters,
        }
        confirm_form = ConfirmForm(initial={"user": person.pk})
        if letter_text is None:
            letter_form = LetterForm(initial={"user": person.pk})
    recent = selectors.page_of(
        Verification.objects.filter(verified_at__isnull=False)
        .select_related("user", "confirmed_by")
        .order_by("-verified_at", "-pk"),
        request.GET.get("seite"),
    )
    return render(
        request,
        "participation/verification_staff.html",
        {
            "lookup": lookup,
            "state": state,
            "not_found": lookup.is_bound and lookup.is_valid() and person is None,
            "confirm_form": confirm_form,
            "letter_form": letter_form,
            "letter": letter_text,
            "recent": recent,
        },
        status=status,
    )
