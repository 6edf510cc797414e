"""Services: what they write, and that bad input is refused with a clear message and nothing half-saved."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from konzeptk.accounts.models import Membership
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.core.errors import DomainError
from konzeptk.notifications.models import Notification
from konzeptk.participation import services
from konzeptk.participation.models import (
    Channel,
    Comment,
    Follow,
    Idea,
    ModerationAction,
    Process,
    Report,
    Support,
)
from konzeptk.participation.tests.conftest import INSIDE_EAST, INSIDE_WEST, OUTSIDE, phases_around
from konzeptk.participation.tests.factories import CommentFactory, IdeaFactory, ProcessFactory, make_project

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def process(city: Any) -> Process:
    p = ProcessFactory()
    phases_around(p, "idea_collection", "ballot")
    return p


@pytest.fixture
def person() -> Any:
    return UserFactory()


def _jpeg(size: tuple[int, int] = (40, 30), exif: bool = True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "Kamerahersteller"  # Make
        data[0x0110] = "Geheimes Modell"  # Model
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def test_idea_create_assigns_district_from_location(process: Process, person: Any, city: Any) -> None:
    idea = services.idea_create(
        process=process,
        author=person,
        title="Bank am Markt",
        text="Bitte eine Bank.",
        topic="leben",
        lat=INSIDE_EAST[0],
        lon=INSIDE_EAST[1],
    )
    assert idea.district == city["east"]
    assert Follow.objects.filter(user=person, idea=idea).exists()


def test_idea_create_with_district_choice_only(process: Process, person: Any, city: Any) -> None:
    idea = services.idea_create(
        process=process,
        author=person,
        title="Radweg",
        text="Mehr Radwege.",
        district=city["west"],
        address="Uerdinger Straße",
    )
    assert idea.district == city["west"]
    assert idea.lat is None


def test_location_wins_over_district_choice(process: Process, person: Any, city: Any) -> None:
    idea = services.idea_create(
        process=process,
        author=person,
        title="Radweg",
        text="Mehr Radwege.",
        district=city["east"],
        lat=INSIDE_WEST[0],
        lon=INSIDE_WEST[1],
    )
    assert idea.district == city["west"]


def test_location_outside_the_city_is_refused(process: Process, person: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.idea_create(
            process=process, author=person, title="Anderswo", text="Text", lat=OUTSIDE[0], lon=OUTSIDE[1]
        )
    assert "außerhalb von Krefeld" in info.value.message_dict["lat"][0]
    assert not Idea.objects.exists()


@pytest.mark.parametrize(("lat", "lon"), [(51.3, None), (95.0, 6.5), (51.3, 500.0)])
def test_broken_coordinates_are_refused(process: Process, person: Any, lat: Any, lon: Any) -> None:
    with pytest.raises(ValidationError):
        services.idea_create(process=process, author=person, title="X", text="Y", lat=lat, lon=lon)
    assert not Idea.objects.exists()


def test_million_character_text_is_refused(process: Process, person: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.idea_create(process=process, author=person, title="T" * 1_000_000, text="x" * 1_000_000)
    errors = info.value.message_dict
    assert "höchstens 200 Zeichen" in errors["title"][0]
    assert "höchstens 10000 Zeichen" in errors["text"][0]
    assert not Idea.objects.exists()


def test_empty_and_nul_text(process: Process, person: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.idea_create(process=process, author=person, title="  \x00 ", text="")
    assert set(info.value.message_dict) == {"title", "text"}
    idea = services.idea_create(process=process, author=person, title="A\x00B", text="ok")
    assert idea.title == "AB"


def test_unknown_topic_is_refused(process: Process, person: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.idea_create(process=process, author=person, title="A", text="B", topic="<script>")
    assert "topic" in info.value.message_dict


def test_image_is_reencoded_without_exif(process: Process, person: Any) -> None:
    idea = services.idea_create(process=process, author=person, title="Mit Bild", text="Text", image=_jpeg())
    idea.image.open("rb")
    data = idea.image.read()
    with Image.open(io.BytesIO(data)) as reloaded:
        assert reloaded.format == "JPEG"
        assert not reloaded.getexif()
    assert b"Geheimes Modell" not in data


def test_non_image_is_refused(process: Process, person: Any) -> None:
    fake = SimpleUploadedFile("bild.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as info:
        services.idea_create(process=process, author=person, title="A", text="B", image=fake)
    assert "kein Bild" in info.value.message_dict["image"][0]
    assert not Idea.objects.exists()


def test_50_mb_image_is_refused_without_reading_it(process: Process, person: Any) -> None:
    big = SimpleUploadedFile("gross.jpg", b"\xff\xd8" + b"0" * (50 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError) as info:
        services.idea_create(process=process, author=person, title="A", text="B", image=big)
    assert "größer als 5 MB" in info.value.message_dict["image"][0]
    assert not Idea.objects.exists()


def test_acting_outside_the_phase(city: Any, person: Any) -> None:
    process = ProcessFactory()
    phases_around(process, "information", "idea_collection")
    with pytest.raises(DomainError) as info:
        services.idea_create(process=process, author=person, title="A", text="B")
    assert "Information" in info.value.message
    assert not Idea.objects.exists()


def test_support_is_idempotent_and_counted(process: Process) -> None:
    idea = IdeaFactory(process=process)
    people = UserFactory.create_batch(3)
    for p in people:
        assert services.support_add(idea=idea, user=p) is True
    assert services.support_add(idea=idea, user=people[0]) is False  # supporting twice
    idea.refresh_from_db()
    assert idea.support_count == 3 == Support.objects.filter(idea=idea).count()
    assert services.support_remove(idea=idea, user=people[1]) is True
    assert services.support_remove(idea=idea, user=people[1]) is False
    idea.refresh_from_db()
    assert idea.support_count == 2 == Support.objects.filter(idea=idea).count()


def test_support_needs_the_right_phase(city: Any, person: Any) -> None:
    process = ProcessFactory()
    phases_around(process, "discussion")
    idea = IdeaFactory(process=process)
    with pytest.raises(DomainError):
        services.support_add(idea=idea, user=person)
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_comments_one_level_of_replies_and_counter(process: Process, person: Any) -> None:
    idea = IdeaFactory(process=process)
    first = services.comment_create(idea=idea, author=person, text="Gute Idee")
    reply = services.comment_create(idea=idea, author=UserFactory(), text="Finde ich auch", parent=first)
    with pytest.raises(DomainError):
        services.comment_create(idea=idea, author=person, text="Antwort auf Antwort", parent=reply)
    idea.refresh_from_db()
    assert idea.comment_count == 2
    services.comment_update(comment=first, user=person, text="Sehr gute Idee")
    first.refresh_from_db()
    assert first.edited_at is not None
    with pytest.raises(DomainError):
        services.comment_update(comment=first, user=UserFactory(), text="fremd")
    services.comment_delete(comment=first, user=person)
    services.comment_delete(comment=first, user=person)  # twice: no double decrement
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert Comment.objects.filter(pk=first.pk, deleted_at__isnull=False).exists()


def test_reply_notifies_the_parent_author_with_unsubscribe_link(process: Process, person: Any) -> None:
    idea = IdeaFactory(process=process)
    first = services.comment_create(idea=idea, author=person, text="Gute Idee")
    mail.outbox.clear()
    other = UserFactory()
    services.comment_create(idea=idea, author=other, text="Antwort", parent=first)
    assert Notification.objects.filter(recipient=person).exists()
    assert not Notification.objects.filter(recipient=other).exists()


def test_moderation_hide_restore_logged(process: Process, person: Any) -> None:
    moderator = MembershipFactory(organisation=process.organiser, role=Membership.Role.MODERATOR).user
    idea = IdeaFactory(process=process)
    comment = CommentFactory(idea=idea)
    services.report_create(reporter=person, target=comment, reason="Beleidigung")
    with pytest.raises(DomainError):
        services.report_create(reporter=person, target=comment, reason="nochmal")
    with pytest.raises(DomainError):
        services.moderation_hide(moderator=person, target=comment, reason="keine Rechte")
    services.moderation_hide(moderator=moderator, target=comment, reason="Verstößt gegen die Netiquette")
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_reason == "Verstößt gegen die Netiquette"
    assert idea.comment_count == 0
    assert not Report.objects.filter(resolved_at=None).exists()
    services.moderation_restore(moderator=moderator, target=comment, reason="Irrtum")
    idea.refresh_from_db()
    assert idea.comment_count == 1
    kinds = list(ModerationAction.objects.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["hide", "restore"]


def test_reporting_ones_own_contribution_is_refused(process: Process, person: Any) -> None:
    idea = IdeaFactory(process=process, author=person)
    with pytest.raises(DomainError) as info:
        services.report_create(reporter=person, target=idea, reason="meins")
    assert info.value.code == "own_contribution"
    assert not Report.objects.exists()


def test_blocked_person_cannot_contribute(process: Process, person: Any) -> None:
    moderator = UserFactory(staff=True)
    services.user_block(moderator=moderator, process=process, user=person, reason="wiederholte Beleidigungen")
    person = type(person).objects.get(pk=person.pk)
    with pytest.raises(DomainError):
        services.idea_create(process=process, author=person, title="A", text="B")


def test_offline_contribution(process: Process, city: Any) -> None:
    staff = MembershipFactory(organisation=process.organiser, role=Membership.Role.EDITOR).user
    idea = services.offline_contribution_create(
        process=process,
        entered_by=staff,
        channel=Channel.KOFFER,
        title="Mehr Bänke",
        text="Am Südwall fehlen Bänke.",
        channel_place="Südwall",
        district=city["west"],
        contributor_profile={"age_band": "65+", "empty": ""},
    )
    assert idea.author is None
    assert idea.entered_by == staff
    assert idea.is_offline
    assert idea.contributor_profile == {"age_band": "65+"}
    with pytest.raises(DomainError):
        services.offline_contribution_create(
            process=process, entered_by=UserFactory(), channel="paper", title="A", text="B"
        )
    with pytest.raises(ValidationError):
        services.offline_contribution_create(
            process=process, entered_by=staff, channel="online", title="A", text="B"
        )


def test_idea_answer_notifies_followers_and_supporters(
    process: Process, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    editor = MembershipFactory(organisation=process.organiser, role=Membership.Role.EDITOR).user
    idea = services.idea_create(process=process, author=person, title="Idee", text="Text")
    supporter = UserFactory()
    services.support_add(idea=idea, user=supporter)
    mail.outbox.clear()
    with pytest.raises(DomainError):
        services.idea_answer(idea=idea, by=supporter, status="accepted", answer="Ja")
    project = make_project("mobilstationen")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_answer(
            idea=idea,
            by=editor,
            status="accepted",
            answer="Wir setzen das um.",
            strategy_project=project,
        )
    idea.refresh_from_db()
    assert idea.get_status_display() == "angenommen"
    assert {n.recipient_id for n in Notification.objects.all()} == {person.pk, supporter.pk}
    assert len(mail.outbox) == 2
    assert "/benachrichtigungen/abbestellen/" in mail.outbox[0].body
    assert idea.strategy_project == project
    assert "Mobilstationen" in mail.outbox[0].body
    draft_project = make_project("entwurf", published=False)
    with pytest.raises(ValidationError):
        services.idea_answer(
            idea=idea, by=editor, status="accepted", answer="x", strategy_project=draft_project
        )


def test_process_from_blueprint(city: Any) -> None:
    process = services.process_create(
        organiser=OrganisationFactory(),
        title="Bürgerhaushalt Uerdingen",
        slug="buergerhaushalt",
        blueprint="budget",
    )
    assert [p.type for p in process.phases.order_by("weight")] == [
        "idea_collection",
        "discussion",
        "ballot",
        "results",
    ]
    phases = list(process.phases.order_by("weight"))
    assert all(a.end == b.start for a, b in itertools.pairwise(phases))
    with pytest.raises(ValidationError):
        services.process_create(organiser=OrganisationFactory(), title="X", slug="buergerhaushalt")


def test_migration_maps_project_key_or_address_to_the_project() -> None:
    import importlib

    migration = importlib.import_module("konzeptk.participation.migrations.0005_idea_strategy_project")
    slugs = {"mobilstationen", "parksensoren"}
    assert migration._slug_from("mobilstationen", "", slugs) == "mobilstationen"
    assert migration._slug_from("", "/strategie/projekte/parksensoren/", slugs) == "parksensoren"
    assert migration._slug_from(
        "alt", "https://konzeptk.example/tr/strategie/projekte/parksensoren/", slugs
    ) == ("parksensoren")
    assert migration._slug_from("gibt-es-nicht", "https://example.org/", slugs) is None
