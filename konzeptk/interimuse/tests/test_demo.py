"""The demo runs one call of the real programme from call to contract, idempotently."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from konzeptk.interimuse.a11y import a11y_pages
from konzeptk.interimuse.demo import DECIDED, load_demo
from konzeptk.interimuse.models import Application, Call, Conflict, Contract, Fact, Juror, Report

pytestmark = pytest.mark.django_db


def test_demo_from_call_to_contract() -> None:
    paths = a11y_pages()  # loads city, accounts, innercity and this demo
    assert len(paths) == 3
    call = Call.objects.get(slug=DECIDED)
    assert (call.owner_share, call.funding_share, call.tenant_share) == (
        Decimal(30),
        Decimal(50),
        Decimal(20),
    )
    assert call.status == Call.Status.DECIDED
    assert Juror.objects.filter(call=call).count() == 3
    assert Conflict.objects.filter(application__call=call).count() == 1
    assert Application.objects.filter(simulated=False).count() == 0
    contract = Contract.objects.get()
    assert contract.owner_amount + contract.funding_amount + contract.tenant_amount == contract.rent
    assert Report.objects.filter(submitted_at__isnull=False).count() == 1
    assert Fact.objects.filter(call=call, text_de__contains="10 von 16").exists()
    load_demo(out=io.StringIO())  # idempotent
    assert Contract.objects.count() == 1
