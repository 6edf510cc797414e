"""Migration 0004 merges subscriptions stored twice before the unique constraints existed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("resilience", "0003_res_warnings_sent_index")]
AFTER = [("resilience", "0004_res_subscription_unique")]


@pytest.mark.django_db(transaction=True)
def test_doubles_are_merged_once_even_when_a_row_stands_in_two_groups() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user_model = old.get_model("accounts", "User")
    subscription = old.get_model("resilience", "Subscription")
    user = user_model.objects.create(email="leserin@beispiel.invalid")

    def add(token: str, **fields: object) -> object:
        return subscription.objects.create(token=token, confirm_token=f"c{token}", language="de", **fields)

    first = add("b", email="leserin@beispiel.invalid", by_email=True)
    add("a", email="Leserin@Beispiel.invalid", by_email=True, by_inbox=True, user=user)  # a double of b …
    add("c", user=user, by_inbox=True, by_email=False)  # … and of c: gone with b's group, c stays
    add("d", email="other@beispiel.invalid", by_email=True)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("resilience", "Subscription")
    left = sorted(new.objects.values_list("token", flat=True))
    assert left == ["b", "c", "d"]
    assert new.objects.get(token="b").pk == first.pk
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
