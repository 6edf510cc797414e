"""Subscribing to the city's warnings (``/warnungen/abonnieren/``), confirming and stopping by link."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from konzeptk.accounts.models import User
from konzeptk.core.content import active_language
from konzeptk.core.errors import DomainError, error_response, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.resilience import subscriptions
from konzeptk.resilience.subscription_forms import SubscriptionForm


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if user.is_authenticated else None


@limit("warning_subscribe")
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = 200
    if request.method == "POST":
        form = SubscriptionForm(request.POST, signed_in=user is not None)
        if form.is_valid():
            try:
                subscription = subscriptions.subscription_create(
                    email=form.cleaned_data["email"] or "",
                    districts=form.cleaned_data["districts"],
                    language=form.cleaned_data["language"],
                    user=user,
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
            except ValidationError as error:
                form.add_error("email", error)
                status = 400
            else:
                if subscription.by_inbox:
                    messages.success(request, _("Die Warnungen kommen ab jetzt in Ihr Postfach."))
                    return redirect("resilience:subscribe")
                return render(request, "resilience/subscription_requested.html", status=200)
        else:
            status = 400
    else:
        form = SubscriptionForm(initial={"language": active_language()}, signed_in=user is not None)
    own = subscriptions.subscriptions_of(user) if user is not None else []
    return render(request, "resilience/subscribe.html", {"form": form, "own": own}, status=status)


@limit("warning_subscribe")
@require_http_methods(["POST"])
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if user is None or not subscriptions.subscription_delete(user=user, subscription_id=pk):
        raise Http404
    messages.success(request, _("Das Abonnement ist beendet."))
    return redirect("resilience:subscribe")


@limit("warning_link")
@require_http_methods(["GET", "POST"])
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail: GET shows a button, only the POST confirms."""
    if request.method == "POST":
        subscription = subscriptions.subscription_confirm(confirm_token=token)
    else:
        subscription = subscriptions.subscription_pending(confirm_token=token)
    if subscription is None:
        return error_response(
            request,
            status=404,
            code="invalid_link",
            title=_("Der Bestätigungslink ist ungültig oder abgelaufen"),
            message=_("Bitte melden Sie sich noch einmal für die Warnungen an."),
        )
    if request.method == "POST":
        messages.success(request, _("Danke! Sie erhalten jetzt die Warnungen der Stadt per E-Mail."))
        return redirect("resilience:subscribe")
    return render(request, "resilience/subscription_confirm.html", {"subscription": subscription})


# The List-Unsubscribe link of every alert mail (RFC 8058): mail programs POST without cookies or a CSRF
# token; the long random token in the address is the proof (it only ever stops mails).
@csrf_exempt
@limit("warning_link")
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        if not subscriptions.subscription_stop(token=token):
            raise Http404
        messages.success(request, _("Sie erhalten keine Warnungen mehr an diese Adresse."))
        return redirect("resilience:subscribe")
    subscription = subscriptions.subscription_by_token(token)
    if subscription is None:
        raise Http404
    return render(request, "resilience/unsubscribe.html", {"subscription": subscription})
