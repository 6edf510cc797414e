"""What the Mängelmelder does when a person deletes the account.

The person's reports and follows are found by the account's verified e-mail addresses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from konzeptk.accounts.erasure_registry import delete_file_on_commit, register_eraser
from konzeptk.accounts.export_registry import email_q, verified_emails
from konzeptk.servicedesk.models import Follower, Report, ReportPhoto, ReportUpdate


def erase_reports(user: Any) -> None:
    """A report stays, because the defect at that place is still the city's job: category,
    coordinates of the defect, status and the staff's timeline remain. What the person wrote or sent
    goes: the e-mail address and its confirmation time (so no status mail reaches them any more), the description (replaced by
    a note), the address text, the duplicate fingerprint (a hash over text and address) and the
    photos (rows and files). Follows under their addresses, confirmed or not, are deleted, which
    stops every status mail to them.

    Timeline entries the person wrote as staff, and reports assigned to them, stay with the
    anonymised account: they are the organisation's record of its work."""
    addresses = verified_emails(user)
    if not addresses:
        return
    Follower.objects.filter(email_q("email", addresses)).delete()
    reports = Report.objects.filter(email_q("email", addresses))
    photos = ReportPhoto.objects.filter(report__in=reports)
    storage = ReportPhoto._meta.get_field("image").storage
    for name in photos.values_list("image", flat=True):
        delete_file_on_commit(storage, name)
    photos.delete()
    with translation.override(settings.LANGUAGE_CODE):
        note = gettext("Die Beschreibung wurde auf Wunsch der meldenden Person gelöscht.")
    reports.update(email="", email_confirmed_at=None, description=note, address="", fingerprint="")


register_eraser("servicedesk.reports", erase_reports, models=[Report, ReportPhoto, Follower, ReportUpdate])


def erase_supports(user: Any) -> None:
    """Supports stay counted (the defect is as common as before) on the anonymised account; the
    keyed hash of the person's address that a support keeps to count an address once is emptied,
    so nothing links the support to the address any more."""
    from konzeptk.servicedesk.exports import email_keys
    from konzeptk.servicedesk.models import ReportSupport

    keys = email_keys(verified_emails(user))
    if keys:
        ReportSupport.objects.filter(email_key__in=keys).update(email_key="")


register_eraser("servicedesk.supports", erase_supports, models=["servicedesk.ReportSupport"])
