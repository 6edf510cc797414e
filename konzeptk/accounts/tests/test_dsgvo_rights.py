"""DSGVO export and erasure, end to end, for one person who did everything (issue 11, findings 2 and 3).

Every free text of the person contains the word "Zauber", so "nothing of them is left" can be
checked by one search of every text column of every table and of every stored file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from konzeptk.accounts.models import Verification
from konzeptk.accounts.tests.factories import DEFAULT_PASSWORD, OrganisationFactory, UserFactory
from konzeptk.ballots.models import Ballot, Vote
from konzeptk.insights.models import DemographicProfile
from konzeptk.notifications.digests import digests_send
from konzeptk.notifications.models import Notification, NotificationSetting
from konzeptk.participation.dumps import participation_dumps_write
from konzeptk.participation.models import (
    Comment,
    Follow,
    Idea,
    Phase,
    Support,
)
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory
from konzeptk.servicedesk.models import Category, Follower, Report, ReportPhoto
from konzeptk.servicedesk.services import report_set_status
from konzeptk.surveys.models import Answer, Question, Response, Survey

pytestmark = pytest.mark.django_db

EMAIL = "erika.zauber@beispiel.invalid"
SECOND_EMAIL = "e.zauber.zweit@beispiel.invalid"
UNVERIFIED_EMAIL = "nicht.bestaetigt@beispiel.invalid"
POSTCODE = "47829"
HOME_ADDRESS = "Zauberweg 7"
TOKEN = "zauber"  # in every free text the person wrote


def _jpeg(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "JPEG")
    return out.getvalue()


def _everything(person: Any, *, n: int = 1) -> dict[str, Any]:
    """The person's ideas (with place, address, photo), comments, supports, votes, survey answer,
    verification, settings, follows, inbox, Mängelmelder reports with photos and follows, profile."""
    organiser = OrganisationFactory()
    process = ProcessFactory(organiser=organiser)
    other = UserFactory()
    others_ideas = [IdeaFactory(process=process, author=other) for _ in range(n)]
    ideas = [
        Idea.objects.create(
            process=process,
            author=person,
            title=f"Zauberbrunnen Nummer {i}",
            text="Ein Trinkbrunnen mit Zauberwasser vor meiner Haustür.",
            lat=51.3301,
            lon=6.5601,
            address=HOME_ADDRESS,
            image=ContentFile(_jpeg(), name="foto.jpg"),
            contributor_profile={"age_band": "30-49"},
        )
        for i in range(n)
    ]
    for idea in others_ideas:
        Comment.objects.create(idea=idea, author=person, text="Zauberkommentar: gute Idee!")
        Support.objects.create(idea=idea, user=person)
    Idea.objects.filter(pk__in=[i.pk for i in others_ideas]).update(support_count=1, comment_count=1)
    now = timezone.now()
    phase = Phase.objects.create(
        process=process, type="ballot", start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=1)
    )
    ballot = Ballot.objects.create(phase=phase)
    for idea in others_ideas:
        Vote.objects.create(ballot=ballot, user=person, idea=idea)
    survey = Survey.objects.create(process=process, title="Wie gefällt Ihnen der Park?")
    question = Question.objects.create(survey=survey, text="Was fehlt?", kind=Question.Kind.TEXT)
    response = Response.objects.create(survey=survey, user=person)
    Answer.objects.create(response=response, question=question, text="Zauberantwort: mehr Bänke")
    Verification.objects.update_or_create(
        user=person, defaults={"postcode": POSTCODE, "resident_declared_at": now}
    )
    NotificationSetting.objects.update_or_create(
        user=person, defaults={"email_frequency": NotificationSetting.Frequency.DAILY}
    )
    Follow.objects.create(user=person, process=process)
    Notification.objects.create(
        recipient=person, subject="Neue Antwort", body="Zauberhafte Antwort auf Ihre Idee"
    )
    DemographicProfile.objects.update_or_create(
        user=person, defaults={"age_band": "30-49", "gender": "f", "languages": ["de", "tr"]}
    )

    category, _new = Category.objects.get_or_create(
        service_code="schlagloch", defaults={"name": "Schlagloch"}
    )
    reports = []
    for i in range(n):
        report = Report.objects.create(
            category=category,
            description=f"Zauberloch Nummer {i} in der Straße",
            lat=51.3302,
            lon=6.5602,
            address="Zauberweg 9",
            email=EMAIL,
            published=True,
        )
        ReportPhoto.objects.create(
            report=report, image=ContentFile(_jpeg("blue"), name="x.jpg"), published=True
        )
        reports.append(report)
    followed = Report.objects.create(
        category=category, description="Laterne defekt", lat=51.33, lon=6.56, published=True
    )
    # follows confirmed through their link where follows need a confirmation
    confirmed = {"confirmed_at": now} if any(f.name == "confirmed_at" for f in Follower._meta.fields) else {}
    Follower.objects.create(report=followed, email=SECOND_EMAIL.upper(), **confirmed)
    Follower.objects.create(report=followed, email="nachbarin@beispiel.invalid", **confirmed)
    # a report under an address the person has not verified is not theirs
    stranger = Report.objects.create(
        category=category, description="Fremde Meldung", lat=51.33, lon=6.56, email=UNVERIFIED_EMAIL
    )
    return {
        "process": process,
        "ideas": ideas,
        "others_ideas": others_ideas,
        "reports": reports,
        "followed": followed,
        "stranger": stranger,
        "ballot": ballot,
    }


@pytest.fixture
def person() -> Any:
    user = UserFactory(email=EMAIL, display_name="Erika Zauberhaft")
    EmailAddress.objects.create(user=user, email=SECOND_EMAIL, verified=True, primary=False)
    EmailAddress.objects.create(user=user, email=UNVERIFIED_EMAIL, verified=False, primary=False)
    return user


@pytest.fixture
def client_of(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _download(client: Client) -> zipfile.ZipFile:
    response = client.get("/konto/daten/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def database_hits(needles: list[str]) -> list[str]:
    """Every (table, column, needle) where any column of any table, read as text, contains a needle:
    the models' tables, Django's and allauth's, many-to-many tables and the shared cache table."""
    hits = []
    quote = connection.ops.quote_name
    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"  # SQLite's LIKE ignores ASCII case
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)} LIMIT 0")
            columns = [c[0] for c in cursor.description]
            pairs = [(column, needle) for column in columns for needle in needles]
            where = " OR ".join(f"CAST({quote(column)} AS TEXT) {like} %s" for column, _n in pairs)
            cursor.execute(
                f"SELECT 1 FROM {quote(table)} WHERE {where} LIMIT 1", [f"%{n}%" for _c, n in pairs]
            )
            if not cursor.fetchone():
                continue
            for column, needle in pairs:  # say where
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} WHERE CAST({quote(column)} AS TEXT) {like} %s LIMIT 1",
                    [f"%{needle}%"],
                )
                if cursor.fetchone():
                    hits.append(f"{table}.{column} contains {needle!r}")
    return hits


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def storage_hits(storages: list[Storage], needles: list[str], names: list[str]) -> list[str]:
    hits = []
    for storage in storages:
        for name in _walk(storage):
            if name in names:
                hits.append(f"file {name} still stored")
            with storage.open(name, "rb") as handle:
                content = handle.read().decode("utf-8", "replace").casefold()
            hits.extend(f"file {name} contains {n!r}" for n in needles if n.casefold() in content)
    return hits


def test_a_person_who_did_everything_gets_it_all_and_after_erasure_nothing_of_them_is_left(
    person: Any, client_of: Client, django_capture_on_commit_callbacks: Any
) -> None:
    made = _everything(person)
    idea = made["ideas"][0]
    report = made["reports"][0]
    photo = report.photos.get()
    image_names = [idea.image.name, photo.image.name]
    idea_image_url = idea.image.url
    photo_url = reverse("servicedesk:photo", kwargs={"pk": photo.pk})
    assert client_of.get(idea_image_url).status_code == 200
    assert client_of.get(photo_url).status_code == 200

    # --- export: one ZIP with JSON, a readable page and the images -----------------------------
    archive = _download(client_of)
    names = set(archive.namelist())
    assert {"daten.json", "daten.html"} <= names
    sections = json.loads(archive.read("daten.json"))["sections"]
    assert sections["participation.ideas"][0]["address"] == HOME_ADDRESS
    assert sections["participation.ideas"][0]["lat"] == pytest.approx(51.3301)
    assert sections["participation.ideas"][0]["image"] in names
    assert archive.read(sections["participation.ideas"][0]["image"]).startswith(b"\xff\xd8")
    assert sections["participation.comments"][0]["text"] == "Zauberkommentar: gute Idee!"
    assert len(sections["participation.supports"]) == 1
    assert sections["ballots.votes"][0]["ballot"] == made["ballot"].pk
    assert sections["surveys.responses"][0]["answers"][0]["text"] == "Zauberantwort: mehr Bänke"
    assert sections["accounts.verification"]["postcode"] == POSTCODE
    assert sections["notifications"]["settings"]["email_frequency"] == "daily"
    assert sections["notifications"]["inbox"][0]["body"].startswith("Zauberhafte")
    assert sections["participation.follows"][0]["process"] == made["process"].slug
    assert sections["insights.profile"]["languages"] == ["de", "tr"]
    reports = sections["servicedesk.reports"]
    assert [r["service_request_id"] for r in reports] == [report.service_request_id]  # not the stranger's
    assert reports[0]["description"].startswith("Zauberloch")
    assert reports[0]["photos"][0] in names
    assert [f["service_request_id"] for f in sections["servicedesk.follows"]] == [
        made["followed"].service_request_id
    ]
    page = archive.read("daten.html").decode()
    assert '<html lang="de"' in page
    assert "Zauberweg 7" in page
    assert POSTCODE in page
    assert "Art. 15" in page
    assert "Art. 77" in page
    assert "Wie lange" in page
    assert "<link" not in page
    assert "<script" not in page
    assert "http" not in page.split("<body>")[1]
    # accessible markup: one h1, headings of sections, column headers, text alternatives
    assert page.count("<h1") == 1
    assert page.count("<th ") == page.count('<th scope="col">')
    assert page.count("<img ") == page.count(' alt="Bild ') >= 2
    assert f'<img src="{sections["participation.ideas"][0]["image"]}"' in page

    participation_dumps_write()  # yesterday's and today's open-data dumps hold the idea and comment
    participation_dumps_write()

    # --- erasure -----------------------------------------------------------------------------
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of.post("/konto/loeschen/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302

    needles = [EMAIL, SECOND_EMAIL, POSTCODE, HOME_ADDRESS, TOKEN, "Erika"]
    assert database_hits(needles) == []
    private = ReportPhoto._meta.get_field("image").storage  # type: ignore[attr-defined]
    assert storage_hits([default_storage, private], needles, image_names) == []
    assert not default_storage.exists(image_names[0])
    assert not private.exists(image_names[1])
    anyone = Client()
    assert anyone.get(idea_image_url).status_code == 404
    assert anyone.get(photo_url).status_code == 404

    # what others depend on stays, without the person
    assert Vote.objects.filter(ballot=made["ballot"]).count() == 1
    others_idea = Idea.objects.get(pk=made["others_ideas"][0].pk)
    assert (others_idea.support_count, others_idea.comment_count) == (0, 0)
    assert Report.objects.filter(pk=report.pk, category__service_code="schlagloch").exists()
    assert Report.objects.get(pk=made["stranger"].pk).email == UNVERIFIED_EMAIL

    # a later status change mails the other follower, never the erased person; no digest either
    staff = UserFactory(staff=True)
    report.refresh_from_db()  # as the staff page loads it
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_set_status(report=report, by=staff, status=Report.Status.IN_PROGRESS)
        report_set_status(report=made["followed"], by=staff, status=Report.Status.IN_PROGRESS)
        digests_send()  # the daily digest the person had chosen
    recipients = {address.casefold() for message in mail.outbox for address in message.to}
    assert recipients == {"nachbarin@beispiel.invalid"}


def test_export_needs_a_fixed_number_of_queries(person: Any, client_of: Client) -> None:
    _everything(person, n=1)
    with CaptureQueriesContext(connection) as one:
        _download(client_of)
    _everything(person, n=4)
    with CaptureQueriesContext(connection) as many:
        archive = _download(client_of)
    assert len(json.loads(archive.read("daten.json"))["sections"]["participation.ideas"]) == 5
    assert len(many.captured_queries) == len(one.captured_queries), "\n".join(
        q["sql"][:150] for q in many.captured_queries
    )


def test_export_page_says_what_the_zip_holds(client_of: Client) -> None:
    page = client_of.get("/konto/").content.decode()
    assert "ZIP-Datei" in page
    assert "daten.html" in page
    assert "daten.json" in page


def test_export_needs_a_login() -> None:
    response = Client().get("/konto/daten/")
    assert response.status_code == 302


def test_mangelmelder_supports_are_exported_and_lose_the_address_hash(person: Any, client_of: Client) -> None:
    from konzeptk.servicedesk import following
    from konzeptk.servicedesk.models import ReportSupport

    category = Category.objects.create(service_code="laterne", name="Laterne")
    report = Report.objects.create(category=category, description="Laterne aus", lat=51.33, lon=6.56)
    following.report_support(report=report, session_key="browser-1", email=SECOND_EMAIL)
    sections = json.loads(_download(client_of).read("daten.json"))["sections"]
    assert [s["service_request_id"] for s in sections["servicedesk.supports"]] == [report.service_request_id]
    client_of.post("/konto/loeschen/", {"password": DEFAULT_PASSWORD})
    support = ReportSupport.objects.get(report=report)
    assert support.email_key == ""
    assert Report.objects.get(pk=report.pk).supporters == 1
