"""The DSGVO benchmark of accounts asks the rooms for their personal data through a registry by
name (``seed_personal_data`` in ``konzeptk/<room>/bench.py``) instead of importing upper rooms."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from konzeptk.accounts.bench import PersonalData, personal_data_seeders
from konzeptk.accounts.export_registry import collect_export
from konzeptk.accounts.models import User


def test_the_rooms_with_personal_data_offer_seeders_in_the_order_of_installed_apps() -> None:
    labels = [label for label, _seeder in personal_data_seeders()]
    assert {"participation", "servicedesk"} <= set(labels)
    assert "accounts" not in labels
    assert labels.index("participation") < labels.index("servicedesk")


@pytest.mark.django_db
def test_every_seeder_makes_data_of_the_person_that_the_export_finds() -> None:
    person = User.objects.create_user(email="viel@beispiel.invalid", password="x")
    for _label, seeder in personal_data_seeders():
        data = seeder(person=person, scale=3)
        assert isinstance(data, PersonalData)
        assert data.description
        for _what, name, _status in data.media:
            assert default_storage.exists(name)
    sections = collect_export(person)["sections"]
    assert len(sections["participation.ideas"]) == 200
    assert len(sections["participation.comments"]) == 500
