"""Fixtures of the core tests.

``demo_site``: the Krefeld profile with the demo content of accounts, strategy, participation and
the Mängelmelder, loaded once per module inside one outer transaction that is rolled back after the
module; each test still runs in its own savepoint on top of it. Sensing's demo (time series) and
insights' computations are left out: they take long and the API tests do not need them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from konzeptk.city.selectors import forget_active_profile


@pytest.fixture(scope="module")
def demo_site(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from konzeptk.accounts.demo import load_demo as accounts_demo
    from konzeptk.city.services import city_profile_load
    from konzeptk.participation.demo import load_demo as participation_demo
    from konzeptk.servicedesk.demo import load_demo as servicedesk_demo
    from konzeptk.strategy.demo import load_demo as strategy_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            forget_active_profile()
            city_profile_load(source="krefeld")
            for loader in (accounts_demo, strategy_demo, participation_demo, servicedesk_demo):
                loader(out=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            forget_active_profile()
