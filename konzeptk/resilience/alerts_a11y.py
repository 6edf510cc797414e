"""Public pages of the city's own alerts for the accessibility browser test (creates the data they need):
subscribing, the confirmation and unsubscribe links, the facility's confirmation."""

from __future__ import annotations


def alerts_a11y_pages() -> list[str]:
    from konzeptk.resilience.models import Facility, Subscription

    pending = Subscription.objects.filter(email="a11y-abo@beispiel.invalid").first() or Subscription.objects.create(
        email="a11y-abo@beispiel.invalid", language="de", by_email=True, token="a11y-abo-stop",
        confirm_token="a11y-abo-confirm",
    )  # fmt: skip
    facility = Facility.objects.filter(token="a11y-einrichtung").first() or Facility.objects.create(
        kind=Facility.Kind.CARE_HOME, name="Seniorenzentrum (Testeintrag)", address="Musterstraße 1",
        contact_email="a11y-heim@beispiel.invalid", token="a11y-einrichtung", confirm_token="a11y-einrichtung-ok",
    )  # fmt: skip
    return [
        "/warnungen/abonnieren/",
        f"/warnungen/abonnieren/bestaetigen/{pending.confirm_token}/",
        f"/warnungen/abbestellen/{pending.token}/",
        f"/warnungen/einrichtung/bestaetigen/{facility.confirm_token}/",
        f"/warnungen/einrichtung/abbestellen/{facility.token}/",
    ]
