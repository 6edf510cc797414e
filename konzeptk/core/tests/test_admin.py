"""The German admin for the core pages, accessibility feedback and the city profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from konzeptk.city.models import District, DistrictLayer
from konzeptk.city.services import city_profile_load
from konzeptk.core.models import AccessibilityFeedback, SitePage

MUSTERSTADT = Path(__file__).resolve().parents[2] / "city" / "tests" / "profiles" / "musterstadt"


@pytest.fixture
def staff_client(admin_client: Client) -> Client:
    city_profile_load(source=str(MUSTERSTADT))
    SitePage.objects.create(slug="impressum", title="Impressum", body="Text")
    AccessibilityFeedback.objects.create(message="Kontrast zu gering", page_url="/")
    return admin_client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/core/sitepage/",
        "/admin/core/sitepage/add/",
        "/admin/core/accessibilityfeedback/",
        "/admin/city/cityprofile/",
        "/admin/city/districtlayer/",
        "/admin/city/district/",
        "/admin/city/pointofinterest/",
    ],
)
def test_admin_pages_render_in_german(staff_client: Client, path: str) -> None:
    response = staff_client.get(path)
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()


def test_layer_change_page_shows_districts_without_geometry(staff_client: Client) -> None:
    layer = DistrictLayer.objects.get(slug="ortsteile-alt")
    html = staff_client.get(f"/admin/city/districtlayer/{layer.pk}/change/").content.decode()
    assert "Altstadt" in html
    assert "geometry" not in html
    district = District.objects.get(layer=layer, code="A")
    html = staff_client.get(f"/admin/city/district/{district.pk}/change/").content.decode()
    assert 'name="geometry"' not in html
    assert "Kontrast" not in html


def test_feedback_can_be_marked_handled_but_not_added(staff_client: Client) -> None:
    feedback = AccessibilityFeedback.objects.get()
    response = staff_client.post(
        "/admin/core/accessibilityfeedback/",
        {"action": "mark_handled", "_selected_action": [feedback.pk]},
        follow=True,
    )
    assert response.status_code == 200
    feedback.refresh_from_db()
    assert feedback.handled is True
    assert staff_client.get("/admin/core/accessibilityfeedback/add/").status_code == 403


def test_admin_is_for_staff_only(client: Client, db: None) -> None:
    response = client.get("/admin/core/sitepage/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
