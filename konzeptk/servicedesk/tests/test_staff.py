"""Staff workflow and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.servicedesk.models import Follower, Report, ReportPhoto, ReportUpdate

from .conftest import INSIDE


@pytest.fixture
def people(kbk: Any, swk: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "resident": UserFactory(),
        "kbk": MembershipFactory(organisation=kbk).user,
        "swk": MembershipFactory(organisation=swk).user,
        "staff": UserFactory(staff=True),
    }


@pytest.mark.parametrize(
    ("who", "access_queue", "view_kbk_queue", "work_kbk_report"),
    [
        ("anonymous", False, False, False),
        ("resident", False, False, False),
        ("kbk", True, True, True),
        ("swk", True, False, False),
        ("staff", True, True, True),
    ],
)
def test_rules_table(
    people: dict[str, Any],
    make_report: Any,
    kbk: Any,
    who: str,
    access_queue: bool,
    view_kbk_queue: bool,
    work_kbk_report: bool,
) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = people[who] or AnonymousUser()
    report = make_report("muell")
    assert user.has_perm("servicedesk.access_queue") is access_queue
    assert user.has_perm("servicedesk.view_queue", kbk) is view_kbk_queue
    assert user.has_perm("servicedesk.work_report", report) is work_kbk_report


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_queue_access(people: dict[str, Any], make_report: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(4):
        make_report("muell")
    licht = make_report("licht")
    assert Client().get("/maengel/verwaltung/").status_code == 302  # to login
    assert login(people["resident"]).get("/maengel/verwaltung/").status_code == 403
    kbk = login(people["kbk"])
    with django_assert_max_num_queries(25):
        page = kbk.get("/maengel/verwaltung/").content.decode()
    assert "4 Meldungen" in page
    assert licht.service_request_id not in page
    assert kbk.get("/maengel/verwaltung/?org=swk").status_code == 403
    assert (
        login(people["swk"]).get("/maengel/verwaltung/").content.decode().count(licht.service_request_id) >= 1
    )
    assert login(people["staff"]).get("/maengel/verwaltung/?org=swk").status_code == 200
    assert kbk.get(f"/maengel/verwaltung/{licht.service_request_id}/").status_code == 403


def test_queue_filter_unpublished(people: dict[str, Any], make_report: Any) -> None:
    checked = make_report("muell")
    waiting = make_report("muell", publish=False, lat=INSIDE[0] + 0.01)
    page = login(people["kbk"]).get("/maengel/verwaltung/?unpublished=on").content.decode()
    assert waiting.service_request_id in page
    assert checked.service_request_id not in page


def act(client: Client, report: Report, action: str, **fields: Any) -> Any:
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/maengel/verwaltung/{report.service_request_id}/", data)


def test_publish_with_redaction_and_photo_choice(
    people: dict[str, Any], make_report: Any, photo: Any
) -> None:
    report = make_report("muell", publish=False, photos=[photo], description="Herr Meier wirft Müll ab")
    client = login(people["kbk"])
    assert Client().get(f"/maengel/meldung/{report.service_request_id}/").status_code == 404
    response = act(client, report, "publish", description="Jemand wirft Müll ab", photos=[])
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.published
    assert report.description == "Jemand wirft Müll ab"
    assert not ReportPhoto.objects.get().published
    page = Client().get(f"/maengel/meldung/{report.service_request_id}/").content.decode()
    assert "Meier" not in page
    assert "/maengel/foto/" not in page


def test_status_close_reason_and_notes(people: dict[str, Any], make_report: Any) -> None:
    report = make_report("muell")
    client = login(people["kbk"])
    response = act(client, report, "status", status="closed", close_reason="", note="")
    assert response.status_code == 400
    assert "warum" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "open"
    assert act(client, report, "status", status="in_progress", note="Team ist unterwegs").status_code == 302
    assert act(client, report, "note", kind="internal", text="Schlüssel bei Hausmeister").status_code == 302
    assert (
        act(client, report, "status", status="closed", close_reason="fixed", note="Erledigt").status_code
        == 302
    )
    report.refresh_from_db()
    assert (report.status, report.close_reason, report.status_notes) == ("closed", "fixed", "Erledigt")
    assert report.closed_at is not None
    page = Client().get(f"/maengel/meldung/{report.service_request_id}/").content.decode()
    assert "Team ist unterwegs" in page
    assert "Schlüssel bei Hausmeister" not in page
    assert act(client, report, "unknown").status_code == 400


def test_assign_forward_and_merge(people: dict[str, Any], make_report: Any, swk: Any) -> None:
    first = make_report("muell")
    duplicate = make_report("muell", email="zweite@beispiel.invalid", lat=INSIDE[0] + 0.0001)
    Follower.objects.create(report=duplicate, email="f@beispiel.invalid")
    client = login(people["kbk"])
    assert act(client, first, "assign", assignee=people["kbk"].pk).status_code == 302
    first.refresh_from_db()
    assert first.assignee == people["kbk"]
    assert act(client, duplicate, "merge", into="NICHTDA").status_code == 400
    assert act(client, duplicate, "merge", into=duplicate.service_request_id).status_code == 400
    assert act(client, duplicate, "merge", into=first.service_request_id).status_code == 302
    duplicate.refresh_from_db()
    first.refresh_from_db()
    assert duplicate.merged_into == first
    assert duplicate.close_reason == "duplicate"
    assert first.supporters == 1
    assert set(first.followers.values_list("email", flat=True)) == {
        "f@beispiel.invalid",
        "zweite@beispiel.invalid",
    }
    response = act(client, first, "forward", organisation=swk.pk, note="Mast gehört SWK")
    assert response.status_code == 302
    assert response["Location"] == "/maengel/verwaltung/"
    first.refresh_from_db()
    assert first.organisation == swk
    assert first.assignee is None
    assert ReportUpdate.objects.filter(report=first, kind="internal", text="Mast gehört SWK").exists()
    assert login(people["swk"]).get(f"/maengel/verwaltung/{first.service_request_id}/").status_code == 200


def test_hide_takes_report_out_of_public_view(people: dict[str, Any], make_report: Any) -> None:
    report = make_report("muell")
    assert act(login(people["staff"]), report, "hide", reason="Beleidigung").status_code == 302
    assert Client().get(f"/maengel/meldung/{report.service_request_id}/").status_code == 404
    assert report.service_request_id not in Client().get("/maengel/").content.decode()


def test_queue_rows_link_to_work_page_with_date_status_assignee(
    people: dict[str, Any], make_report: Any
) -> None:
    report = make_report("muell")
    Report.objects.filter(pk=report.pk).update(
        requested_at=dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC), status="in_progress"
    )
    page = login(people["kbk"]).get("/maengel/verwaltung/").content.decode()
    rid = report.service_request_id
    assert f'<th scope="row"><a href="/maengel/verwaltung/{rid}/">{rid}</a></th>' in page
    assert "<td>01.01.2026</td>" in page
    assert '<span class="sd-status sd-status--in_progress">in Bearbeitung</span>' in page
    assert "<td>–</td>" in page


def test_unchecked_photo_only_for_staff_of_the_report_and_never_under_media(
    people: dict[str, Any], make_report: Any, photo: Any
) -> None:
    from django.conf import settings

    report = make_report("muell", publish=False, photos=[photo])
    item = ReportPhoto.objects.get()
    url = f"/maengel/verwaltung/foto/{item.pk}/"
    work = login(people["kbk"]).get(f"/maengel/verwaltung/{report.service_request_id}/").content.decode()
    assert url in work
    assert "/media/" not in work
    answer = login(people["kbk"]).get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/jpeg"
    assert answer["Cache-Control"] == "private, no-store"
    assert login(people["swk"]).get(url).status_code == 404  # not their report
    assert Client().get(url).status_code == 302  # to the login
    assert Client().get(f"/maengel/foto/{item.pk}/").status_code == 404  # not published
    assert not (settings.MEDIA_ROOT / item.image.name).exists()
    assert Client().get(f"/media/{item.image.name}").status_code == 404


def test_admin_shows_photos_as_links_to_the_staff_view(
    admin_client: Client, make_report: Any, photo: Any
) -> None:
    report = make_report("muell", publish=False, photos=[photo])
    item = ReportPhoto.objects.get()
    page = admin_client.get(f"/admin/servicedesk/report/{report.pk}/change/")
    assert page.status_code == 200
    assert f"/maengel/verwaltung/foto/{item.pk}/" in page.content.decode()
