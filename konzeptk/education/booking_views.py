"""Pages of booking and lending: the booking form, the confirmation and cancellation links, the
booking page with its calendar file, "Meine Anmeldungen", reserving a lending item and the
provider's list of bookings with attendance. Thin: they parse, call booking/lending services or
booking selectors, and render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit, register
from konzeptk.education import booking as services
from konzeptk.education import booking_selectors as sel
from konzeptk.education import lending
from konzeptk.education.booking_forms import AttendanceForm, BookingForm, ReservationForm
from konzeptk.education.booking_ics import booking_calendar
from konzeptk.education.models import Booking, Offer, Reservation
from konzeptk.education.selectors import can_manage_provider

register("education_booking", "20/h", key="ip", purpose="Anmeldungen zu Bildungsangeboten und Reservierungen")
register(
    "education_link", "120/h", key="ip", purpose="Bestätigen, Absagen und Abbestellen per Link aus der E-Mail"
)

PAGE_SIZE = 25
SESSION_KEY = "education_bookings"  # tokens of bookings made in this browser (a second submit shows them)


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _offer(slug: str) -> Offer:
    offer = sel.offer_for_booking(slug=slug)
    if offer is None:
        raise Http404
    return offer


def _remember(request: HttpRequest, booking: Booking) -> None:
    tokens = [t for t in request.session.get(SESSION_KEY, []) if t != booking.token][-19:]
    request.session[SESSION_KEY] = [*tokens, booking.token]


@require_http_methods(["GET", "POST"])
@limit("education_booking")
def booking_create(request: HttpRequest, slug: str) -> HttpResponse:
    """``anmelden/<slug>/``: the form; a full course puts the person on the waiting list."""
    offer = _offer(slug)
    user = _user(request)
    existing = sel.active_booking(offer, user) if user is not None else None
    if existing is not None and existing.status != Booking.Status.UNCONFIRMED:
        return redirect("education:booking", token=existing.token)  # an unconfirmed one is taken over
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        districts=sel.district_choices(),
        with_account=user is not None,
    )
    status = 200
    refusal = services.booking_refusal(offer)
    context: dict[str, Any] = {
        "offer": offer,
        "form": form,
        "seats_left": sel.seats_left(offer),
        "refusal": refusal,
        "sessions": sel.upcoming_sessions(offer, limit=5),
    }
    if refusal is not None:
        return render(request, "education/booking_form.html", context, status=refusal.status)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.booking_create(
                    offer=offer,
                    name=user.public_name if user is not None else form.cleaned_data["name"],
                    email=form.cleaned_data.get("email", ""),
                    user=user,
                    demographics=form.demographics(),
                    language=get_language(),  # the page's language (/tr/…): that of the mails
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                booking = result.booking
                if user is not None or booking.token in request.session.get(SESSION_KEY, []):
                    if not result.created:
                        messages.info(request, _("Sie waren schon angemeldet. Hier ist Ihre Anmeldung."))
                    return redirect("education:booking", token=booking.token)
                if not result.created:
                    services.booking_resend(booking=booking)  # at most one mail an hour
                else:
                    _remember(request, booking)
                return render(request, "education/booking_check_mail.html", {"offer": offer})
        else:
            status = 400
    return render(request, "education/booking_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@limit("education_link")
def booking_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail: a page with a button (a GET never writes)."""
    booking = sel.booking_pending(token)
    if booking is None:
        return render(request, "education/booking_invalid_link.html", status=404)
    if request.method == "POST":
        try:
            booking = services.booking_confirm(token=token)
        except DomainError:
            return render(request, "education/booking_invalid_link.html", status=404)
        _remember(request, booking)
        return redirect("education:booking", token=booking.token)
    if booking.status != Booking.Status.UNCONFIRMED:
        return redirect("education:booking", token=booking.token)
    return render(request, "education/booking_confirm.html", {"booking": booking, "offer": booking.offer})


@require_GET
def booking_page(request: HttpRequest, token: str) -> HttpResponse:
    """``anmeldung/<token>/``: status, waiting position, the sessions, calendar file and cancellation."""
    booking = sel.booking_by_token(token)
    if booking is None:
        return render(request, "education/booking_invalid_link.html", status=404)
    return render(
        request,
        "education/booking_detail.html",
        {
            "booking": booking,
            "offer": booking.offer,
            "position": sel.waiting_position(booking),
            "sessions": sel.upcoming_sessions(booking.offer),
            "statuses": Booking.Status,
        },
    )


@require_GET
def booking_ics(request: HttpRequest, token: str) -> HttpResponse:
    booking = sel.booking_by_token(token)
    if booking is None or booking.status == Booking.Status.CANCELLED:
        raise Http404
    response = HttpResponse(booking_calendar(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.offer.slug[:60]}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@limit("education_link")
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """``anmeldung/<token>/absagen/``: a question with a button; the POST cancels."""
    booking = sel.booking_by_token(token)
    if booking is None:
        return render(request, "education/booking_invalid_link.html", status=404)
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking)
        except DomainError as error:
            page_error(request, error)
        else:
            messages.success(request, _("Ihre Anmeldung ist abgesagt."))
        if request.POST.get("next") == "mine" and _user(request) is not None:
            return redirect("education:my_bookings")
        return redirect("education:booking", token=booking.token)
    if booking.status == Booking.Status.CANCELLED:
        return redirect("education:booking", token=booking.token)
    return render(request, "education/booking_cancel.html", {"booking": booking, "offer": booking.offer})


@require_http_methods(["GET", "POST"])
@limit("education_link")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """``abbestellen/<token>/``: no more mails about this booking or reservation (RFC 8058 POST)."""
    found: Booking | Reservation | None = sel.booking_by_token(token) or sel.reservation_by_token(token)
    if found is None:
        return render(request, "education/booking_invalid_link.html", status=404)
    done = False
    if request.method == "POST":
        if isinstance(found, Booking):
            services.booking_stop_mails(token=token)
        else:
            lending.reservation_stop_mails(token=token)
        done = True
    return render(
        request,
        "education/booking_unsubscribe.html",
        {"is_booking": isinstance(found, Booking), "done": done},
    )


@login_required
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    """``meine-anmeldungen/``: a person's bookings and reservations, each with its cancel button."""
    user = cast(User, request.user)
    page = Paginator(sel.bookings_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    reservations = Paginator(sel.reservations_of(user), PAGE_SIZE).get_page(request.GET.get("rpage"))
    return render(
        request,
        "education/booking_mine.html",
        {
            "page": page,
            "reservations": reservations,
            "statuses": Booking.Status,
            "rstatuses": Reservation.Status,
        },
    )


# --- lending ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@limit("education_booking")
def reservation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """``reservieren/<slug>/``: a period of whole days; a taken period names the free days."""
    offer = _offer(slug)
    user = _user(request)
    form = ReservationForm(
        request.POST if request.method == "POST" else None,
        with_account=user is not None,
        initial={"first_day": request.GET.get("day", "")},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reservation = lending.reservation_create(
                    offer=offer,
                    name=user.public_name if user is not None else form.cleaned_data["name"],
                    email=form.cleaned_data.get("email", ""),
                    first_day=form.cleaned_data["first_day"],
                    last_day=form.cleaned_data["last_day"],
                    user=user,
                    language=get_language(),
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                if user is not None:
                    return redirect("education:reservation", token=reservation.token)
                return render(request, "education/booking_check_mail.html", {"offer": offer, "lending": True})
        else:
            status = 400
    return render(
        request,
        "education/booking_reserve.html",
        {
            "offer": offer,
            "form": form,
            "weeks": sel.lending_calendar(offer),
            "max_days": lending.max_days(offer),
        },
        status=status,
    )


@require_GET
def reservation_page(request: HttpRequest, token: str) -> HttpResponse:
    reservation = sel.reservation_by_token(token)
    if reservation is None:
        return render(request, "education/booking_invalid_link.html", status=404)
    return render(
        request,
        "education/booking_reservation.html",
        {"reservation": reservation, "offer": reservation.offer, "statuses": Reservation.Status},
    )


@require_http_methods(["GET", "POST"])
@limit("education_link")
def reservation_confirm(request: HttpRequest, token: str) -> HttpResponse:
    reservation = sel.reservation_pending(token)
    if reservation is None:
        return render(request, "education/booking_invalid_link.html", status=404)
    if request.method == "POST":
        try:
            reservation = lending.reservation_confirm(token=token)
        except DomainError:
            return render(request, "education/booking_invalid_link.html", status=404)
        return redirect("education:reservation", token=reservation.token)
    if reservation.status != Reservation.Status.UNCONFIRMED:
        return redirect("education:reservation", token=reservation.token)
    return render(
        request, "education/booking_confirm.html", {"reservation": reservation, "offer": reservation.offer}
    )


@require_http_methods(["POST"])
@limit("education_link")
def reservation_cancel(request: HttpRequest, token: str) -> HttpResponse:
    reservation = sel.reservation_by_token(token)
    if reservation is None:
        return render(request, "education/booking_invalid_link.html", status=404)
    try:
        lending.reservation_cancel(reservation=reservation)
    except DomainError as error:
        page_error(request, error)
    else:
        messages.success(request, _("Ihre Reservierung ist storniert. Die Tage sind wieder frei."))
    return redirect("education:reservation", token=reservation.token)


# --- provider staff -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_bookings(request: HttpRequest, slug: str) -> HttpResponse:
    """``verwaltung/<slug>/anmeldungen/``: booked people (with attendance), the waiting list and the
    reservations of one offer; members of the provider and platform staff only."""
    offer = sel.offer_for_staff(slug=slug)
    if offer is None or not can_manage_provider(cast(User, request.user), offer.provider):
        raise Http404
    booked = Paginator(sel.offer_bookings(offer, status=Booking.Status.BOOKED), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    form = AttendanceForm(request.POST if request.method == "POST" else None, bookings=list(booked))
    if request.method == "POST" and form.is_valid():
        services.attendance_save(offer=offer, marks=form.marks())
        messages.success(request, _("Die Teilnahme ist gespeichert."))
        return redirect(request.get_full_path())
    waiting = Paginator(sel.offer_bookings(offer, status=Booking.Status.WAITING), PAGE_SIZE).get_page(
        request.GET.get("wpage")
    )
    return render(
        request,
        "education/booking_staff.html",
        {
            "offer": offer,
            "booked": booked,
            "rows": [(b, form[f"b{b.pk}"]) for b in booked],
            "form": form,
            "waiting": waiting,
            "waiting_offset": (waiting.number - 1) * PAGE_SIZE,
            "reservations": sel.offer_reservations(offer)[:200] if offer.kind in sel.LENDING_KINDS else [],
            "seats_left": sel.seats_left(offer),
        },
    )
