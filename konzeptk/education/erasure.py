"""What the education room does when a person deletes the account: their bookings and reservations
(with the account or a verified address) are deleted. A place they held is first given up as a
cancellation would, so the first person on the waiting list moves up and is told."""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.education.booking import booking_cancel
from konzeptk.education.exports import bookings_of_person, reservations_of_person
from konzeptk.education.models import Booking


def erase_education(user: Any) -> None:
    bookings = bookings_of_person(user)
    for booking in bookings.filter(status=Booking.Status.BOOKED).select_related("offer"):
        booking_cancel(booking=booking)
    bookings.delete()
    reservations_of_person(user).delete()  # their ReservedDay rows go with them: the days are free


register_eraser(
    "education.bookings", erase_education, models=[Booking, "education.Reservation", "education.ReservedDay"]
)
