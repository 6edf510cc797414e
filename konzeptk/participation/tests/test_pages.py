"""The pages over HTTP: without JavaScript, escaped input, clear refusals, bounded query counts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from konzeptk.accounts.models import Membership
from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.participation import services
from konzeptk.participation.models import Comment, Idea, Process, Support
from konzeptk.participation.tests.conftest import INSIDE_EAST, OUTSIDE, phases_around
from konzeptk.participation.tests.factories import CommentFactory, IdeaFactory, ProcessFactory, make_project

pytestmark = pytest.mark.usefixtures("frozen")

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def process(city: Any) -> Process:
    p = ProcessFactory(slug="radverkehr", title="Radverkehr")
    phases_around(p, "idea_collection", "ballot")
    return p


@pytest.fixture
def person_client(client: Client, db: None) -> tuple[Client, Any]:
    person = UserFactory()
    client.force_login(person)
    return client, person


def test_process_list_and_page(client: Client, process: Process) -> None:
    ProcessFactory(status=Process.Status.DRAFT, title="Geheimer Entwurf")
    response = client.get(reverse("participation:processes"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Radverkehr" in html
    assert "Geheimer Entwurf" not in html
    response = client.get(process.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "läuft jetzt" in html
    assert "Ideensammlung" in html
    assert html.count("<h1") == 1


def test_draft_process_is_not_found_for_the_public(client: Client, city: Any) -> None:
    draft = ProcessFactory(status=Process.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_propose_an_idea_without_javascript(
    person_client: tuple[Client, Any], process: Process, city: Any
) -> None:
    client, person = person_client
    url = reverse("participation:idea_create", kwargs={"slug": process.slug})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Fahrradbügel",
            "text": "Am Bahnhof fehlen Bügel.",
            "topic": "mobilitaet",
            "district": city["west"].pk,
            "address": "Hauptbahnhof",
            "lat": "",
            "lon": "",
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert idea.district == city["west"]
    assert idea.author == person


def test_location_outside_city_is_a_form_error(person_client: tuple[Client, Any], process: Process) -> None:
    client, _person = person_client
    url = reverse("participation:idea_create", kwargs={"slug": process.slug})
    response = client.post(url, {"title": "Anderswo", "text": "Text", "lat": OUTSIDE[0], "lon": OUTSIDE[1]})
    assert response.status_code == 400
    assert "außerhalb von Krefeld" in response.content.decode()
    assert not Idea.objects.exists()


def test_bad_image_and_huge_text_are_form_errors(person_client: tuple[Client, Any], process: Process) -> None:
    client, _person = person_client
    url = reverse("participation:idea_create", kwargs={"slug": process.slug})
    fake = io.BytesIO(b"MZ\x90\x00 not an image")
    fake.name = "bild.png"
    response = client.post(url, {"title": "Mit Bild", "text": "Text", "image": fake})
    assert response.status_code == 400
    assert "kein Bild" in response.content.decode()
    response = client.post(url, {"title": "Lang", "text": "x" * 1_000_000})
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_real_image_upload(person_client: tuple[Client, Any], process: Process) -> None:
    client, _person = person_client
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 0)).save(out, format="PNG")
    out.seek(0)
    out.name = "gruen.png"
    url = reverse("participation:idea_create", kwargs={"slug": process.slug})
    response = client.post(url, {"title": "Mit Bild", "text": "Text", "image": out})
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.image.name.endswith(".jpg")


def test_html_and_script_are_escaped_everywhere(person_client: tuple[Client, Any], process: Process) -> None:
    client, _person = person_client
    url = reverse("participation:idea_create", kwargs={"slug": process.slug})
    client.post(url, {"title": XSS[:200], "text": XSS, "address": XSS[:200]})
    idea = Idea.objects.get()
    client.post(
        reverse("participation:comment_create", kwargs={"slug": process.slug, "pk": idea.pk}), {"text": XSS}
    )
    for page in (
        idea.get_absolute_url(),
        reverse("participation:ideas", kwargs={"slug": process.slug}),
        reverse("participation:results", kwargs={"slug": process.slug}),
    ):
        html = client.get(page).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_anonymous_sees_login_hint_not_a_500(client: Client, process: Process) -> None:
    idea = IdeaFactory(process=process)
    response = client.get(idea.get_absolute_url())
    assert response.status_code == 200
    assert "Bitte melden Sie sich an" in response.content.decode()
    response = client.post(
        reverse("participation:idea_support", kwargs={"slug": process.slug, "pk": idea.pk}), follow=True
    )
    assert response.status_code == 200
    assert not Support.objects.exists()


def test_support_twice_and_withdraw(person_client: tuple[Client, Any], process: Process) -> None:
    client, _person = person_client
    idea = IdeaFactory(process=process)
    url = reverse("participation:idea_support", kwargs={"slug": process.slug, "pk": idea.pk})
    client.post(url, {"on": "1"})
    response = client.post(url, {"on": "1"}, follow=True)
    assert "bereits" in response.content.decode()
    idea.refresh_from_db()
    assert idea.support_count == 1
    client.post(url, {"on": "0"})
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_supporting_outside_the_phase_gets_a_message(person_client: tuple[Client, Any], city: Any) -> None:
    client, _person = person_client
    process = ProcessFactory()
    phases_around(process, "results")
    idea = IdeaFactory(process=process)
    url = reverse("participation:idea_support", kwargs={"slug": process.slug, "pk": idea.pk})
    response = client.post(url, {"on": "1"}, follow=True)
    assert "können Ideen nicht unterstützt werden" in response.content.decode()
    assert not Support.objects.exists()


def test_comment_reply_edit_delete(person_client: tuple[Client, Any], process: Process) -> None:
    client, _person = person_client
    idea = IdeaFactory(process=process)
    url = reverse("participation:comment_create", kwargs={"slug": process.slug, "pk": idea.pk})
    client.post(url, {"text": "Erster"})
    first = Comment.objects.get()
    client.post(url, {"text": "Antwort", "parent": first.pk})
    reply = Comment.objects.get(parent=first)
    response = client.post(url, {"text": "zu tief", "parent": reply.pk}, follow=True)
    assert "nicht geantwortet" in response.content.decode()
    client.post(
        reverse("participation:comment_update", kwargs={"slug": process.slug, "pk": first.pk}),
        {"text": "Erster, überarbeitet"},
    )
    client.post(reverse("participation:comment_delete", kwargs={"slug": process.slug, "pk": reply.pk}))
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Erster, überarbeitet" in html
    assert "bearbeitet" in html
    assert "von der Person gelöscht" in html
    idea.refresh_from_db()
    assert idea.comment_count == 1


def test_hidden_comment_shows_reason(client: Client, process: Process) -> None:
    idea = IdeaFactory(process=process)
    comment = CommentFactory(idea=idea, text="Beleidigender Text")
    services.moderation_hide(moderator=UserFactory(staff=True), target=comment, reason="Beleidigung")
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Beleidigender Text" not in html
    assert "Grund: Beleidigung" in html


def test_hidden_and_deleted_idea_urls(client: Client, process: Process) -> None:
    hidden = IdeaFactory(process=process, is_hidden=True, hidden_reason="Werbung")
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 410
    assert "Werbung" in response.content.decode()
    assert (
        client.get(reverse("participation:idea", kwargs={"slug": process.slug, "pk": 999_999})).status_code
        == 404
    )
    moderator = MembershipFactory(organisation=process.organiser, role=Membership.Role.MODERATOR).user
    client.force_login(moderator)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_report_own_contribution_is_refused(person_client: tuple[Client, Any], process: Process) -> None:
    client, person = person_client
    idea = IdeaFactory(process=process, author=person)
    response = client.post(
        reverse("participation:report", kwargs={"slug": process.slug, "kind": "idee", "pk": idea.pk}),
        {"reason": "meins"},
    )
    assert response.status_code == 403
    assert "eigenen Beitrag" in response.content.decode()


def test_report_and_moderation_queue(person_client: tuple[Client, Any], process: Process) -> None:
    client, _person = person_client
    idea = IdeaFactory(process=process)
    client.post(
        reverse("participation:report", kwargs={"slug": process.slug, "kind": "idee", "pk": idea.pk}),
        {"reason": "Werbung für ein Geschäft"},
    )
    queue = reverse("participation:moderation", kwargs={"slug": process.slug})
    assert client.get(queue).status_code == 403
    moderator = MembershipFactory(organisation=process.organiser, role=Membership.Role.MODERATOR).user
    client.force_login(moderator)
    assert "Werbung für ein Geschäft" in client.get(queue).content.decode()
    client.post(
        reverse(
            "participation:moderation_act",
            kwargs={"slug": process.slug, "kind": "idee", "pk": idea.pk, "action": "ausblenden"},
        ),
        {"reason": "Werbung"},
    )
    idea.refresh_from_db()
    assert idea.is_hidden


def test_offline_contribution_page(client: Client, process: Process, city: Any) -> None:
    editor = MembershipFactory(organisation=process.organiser, role=Membership.Role.EDITOR).user
    client.force_login(editor)
    url = reverse("participation:offline_create", kwargs={"slug": process.slug})
    response = client.post(
        url,
        {
            "channel": "paper",
            "title": "Mehr Licht",
            "text": "Im Park ist es dunkel.",
            "district": city["east"].pk,
            "age_band": "65+",
            "channel_place": "VHS",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.channel == "paper"
    assert idea.contributor_profile == {"age_band": "65+"}
    html = client.get(reverse("participation:ideas", kwargs={"slug": process.slug})).content.decode()
    assert "eingereicht über: Papierformular" in html
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_answer_and_results_page(client: Client, process: Process) -> None:
    editor = MembershipFactory(organisation=process.organiser, role=Membership.Role.EDITOR).user
    idea = IdeaFactory(process=process, title="Mobilstation am Ostwall")
    project = make_project("mobilstationen", title="Mobilstationen im Quartier")
    client.force_login(editor)
    client.post(
        reverse("participation:idea_answer", kwargs={"slug": process.slug, "pk": idea.pk}),
        {
            "status": "accepted",
            "answer": "Wird im Projekt Mobilstationen umgesetzt.",
            "strategy_project": project.pk,
        },
    )
    idea.refresh_from_db()
    assert idea.strategy_project == project
    html = client.get(reverse("participation:results", kwargs={"slug": process.slug})).content.decode()
    assert "Mobilstation am Ostwall" in html
    assert "Wird im Projekt Mobilstationen umgesetzt." in html
    assert 'href="/strategie/projekte/mobilstationen/"' in html
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Mobilstationen im Quartier" in html
    # the project page lists the ideas it came from
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Ideen, aus denen dieses Projekt entstanden ist" in html
    assert "Mobilstation am Ostwall" in html
    client.force_login(UserFactory())
    response = client.post(
        reverse("participation:idea_answer", kwargs={"slug": process.slug, "pk": idea.pk}),
        {"status": "rejected", "answer": "nein"},
    )
    assert response.status_code == 403


def _seed_ideas(process: Process, city: Any, n: int) -> None:
    authors = UserFactory.create_batch(2)
    for i in range(n):
        idea = IdeaFactory(process=process, author=authors[i % 2], district=city["west" if i % 2 else "east"])
        CommentFactory(idea=idea)


@pytest.mark.parametrize(
    "params", ["", "?sort=supported&district=1", "?sort=random", "?view=map&topic=mobilitaet"]
)
def test_idea_list_query_count_is_constant(
    client: Client, process: Process, city: Any, django_assert_max_num_queries: Any, params: str
) -> None:
    person = UserFactory()
    client.force_login(person)
    url = reverse("participation:ideas", kwargs={"slug": process.slug}) + params
    _seed_ideas(process, city, 3)
    client.get(url)  # warm caches (city profile, map)
    with django_assert_max_num_queries(18) as small:
        assert client.get(url).status_code == 200
    _seed_ideas(process, city, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_idea_page_query_count_is_constant(
    client: Client, process: Process, django_assert_max_num_queries: Any
) -> None:
    idea = IdeaFactory(process=process)
    for c in CommentFactory.create_batch(3, idea=idea):
        CommentFactory(idea=idea, parent=c)
    client.force_login(UserFactory())
    client.get(idea.get_absolute_url())
    with django_assert_max_num_queries(25) as small:
        client.get(idea.get_absolute_url())
    for c in CommentFactory.create_batch(20, idea=idea):
        CommentFactory(idea=idea, parent=c)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(idea.get_absolute_url()).status_code == 200


def test_random_order_is_stable_per_session(client: Client, process: Process, city: Any) -> None:
    _seed_ideas(process, city, 25)
    url = reverse("participation:ideas", kwargs={"slug": process.slug}) + "?sort=random"
    first = client.get(url).content
    assert client.get(url).content == first


def test_garbage_filters_do_not_break_the_list(client: Client, process: Process) -> None:
    url = reverse("participation:ideas", kwargs={"slug": process.slug})
    response = client.get(url + "?district=abc&sort=%3Cscript%3E&status=x&page=-5&topic=" + "z" * 5000)
    assert response.status_code == 200


def test_unsubscribe_link(client: Client, process: Process, django_capture_on_commit_callbacks: Any) -> None:
    from django.core import mail

    person = UserFactory()
    idea = IdeaFactory(process=process)
    services.follow_set(user=person, idea=idea, on=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(idea=idea, author=UserFactory(), text="Neu")
    body = mail.outbox[-1].body
    link = body.split("Keine E-Mails mehr erhalten: ")[1].split()[0].replace("http://127.0.0.1:8000", "")
    assert "/benachrichtigungen/einstellungen/" in body
    assert client.get(link).status_code == 200
    client.post(link)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(idea=idea, author=UserFactory(), text="Noch einer")
    assert not [m for m in mail.outbox if person.email in m.to]
    assert client.get("/benachrichtigungen/abbestellen/kaputt/").status_code == 400


def test_english_and_arabic_pages(client: Client, process: Process) -> None:
    assert client.get("/ar/beteiligung/radverkehr/").status_code == 200
    assert client.get("/en/beteiligung/radverkehr/ideen/").status_code == 200


def test_point_inside_assigns_district_via_form(
    person_client: tuple[Client, Any], process: Process, city: Any
) -> None:
    client, _person = person_client
    url = reverse("participation:idea_create", kwargs={"slug": process.slug})
    client.post(url, {"title": "Baum", "text": "Ein Baum.", "lat": INSIDE_EAST[0], "lon": INSIDE_EAST[1]})
    assert Idea.objects.get().district == city["east"]


def test_moderation_dismiss_block_unblock_and_log(client: Client, process: Process) -> None:
    from konzeptk.participation.models import Block, ModerationAction, Report

    author = UserFactory(display_name="Wiederholungstäter")
    idea = IdeaFactory(process=process, author=author, title="Werbung")
    reporter = UserFactory()
    services.report_create(reporter=reporter, target=idea, reason="Werbung")
    moderator = MembershipFactory(organisation=process.organiser, role=Membership.Role.MODERATOR).user
    client.force_login(moderator)
    queue = reverse("participation:moderation", kwargs={"slug": process.slug})
    report = Report.objects.get()

    def act(kind: str, pk: int, action: str, reason: str = "Grund") -> Any:
        return client.post(
            reverse(
                "participation:moderation_act",
                kwargs={"slug": process.slug, "kind": kind, "pk": pk, "action": action},
            ),
            {"reason": reason},
            follow=True,
        )

    html = act("meldung", report.pk, "verwerfen", "").content.decode()
    assert "Bitte geben Sie einen Grund an" in html
    assert Report.objects.get().resolved_at is None
    act("meldung", report.pk, "verwerfen", "Kein Verstoß gegen die Netiquette")
    assert Report.objects.get().resolved_at is not None
    act("idee", idea.pk, "sperren", "Dritte Werbung in einer Woche")
    assert Block.objects.filter(user=author, organisation=process.organiser).exists()
    html = client.get(queue).content.decode()
    assert "Wiederholungstäter" in html
    assert "Dritte Werbung in einer Woche" in html  # in the list of blocks and in the log
    act("person", author.pk, "entsperren", "Nach Gespräch aufgehoben")
    assert not Block.objects.exists()
    kinds = list(ModerationAction.objects.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["dismiss", "block", "unblock"]
    assert act("person", author.pk, "quatsch").status_code == 404
    # a moderator of another organisation may not act here
    client.force_login(MembershipFactory(role=Membership.Role.MODERATOR).user)
    assert act("idee", idea.pk, "ausblenden").status_code == 403


@pytest.mark.parametrize("page", ["processes", "results", "ballot", "moderation", "inbox", "api_comments"])
def test_list_pages_query_count_is_constant(
    client: Client, process: Process, city: Any, django_assert_max_num_queries: Any, page: str
) -> None:
    """Every list page does the same number of queries with 3 or 30 rows."""
    from konzeptk.notifications.models import Notification
    from konzeptk.participation.models import Report

    moderator = MembershipFactory(organisation=process.organiser, role=Membership.Role.MODERATOR).user
    client.force_login(moderator)
    first = IdeaFactory(process=process, cost=1000)

    def grow(n: int) -> None:
        for _i in range(n):
            ProcessFactory()
            idea = IdeaFactory(process=process, author=UserFactory(), cost=5000, status="accepted")
            comment = CommentFactory(idea=first, author=UserFactory())
            CommentFactory(idea=first, parent=comment)
            Report.objects.create(idea=idea, reporter=UserFactory(), reason="r")
            Report.objects.create(comment=comment, reporter=UserFactory(), reason="r")
            Notification.objects.create(recipient=moderator, subject="s", body="b", url="/")

    url = {
        "processes": reverse("participation:processes"),
        "results": reverse("participation:results", kwargs={"slug": process.slug}),
        "ballot": reverse("ballots:ballot", kwargs={"slug": process.slug}),
        "moderation": reverse("participation:moderation", kwargs={"slug": process.slug}),
        "inbox": reverse("notifications:inbox"),
        "api_comments": f"/api/v1/participation/ideas/{first.pk}/comments?limit=50",
    }[page]
    if page == "ballot":
        from konzeptk.ballots.models import Ballot
        from konzeptk.participation.models import Phase

        Ballot.objects.create(
            phase=Phase.objects.get(process=process, type="ballot"), kind="budget", budget=10_000
        )
    grow(3)
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    grow(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_pages_keep_the_order_of_the_sort(process: Process, city: Any) -> None:
    """Paging by primary keys first must not change the order (page 1 and 2 of "most supported")."""
    from konzeptk.participation import selectors

    for i in range(45):
        IdeaFactory(process=process, title=f"Idee {i}", support_count=(i * 7) % 45)
    qs = selectors.ideas_filtered(process, sort="supported")
    expected = list(qs.values_list("pk", flat=True))
    first = selectors.page_of_ids(qs, 1)
    second = selectors.page_of_ids(qs, 2)
    assert [i.pk for i in first.object_list] + [i.pk for i in second.object_list] == expected[:40]
    assert first.paginator.count == 45
    assert [i.support_count for i in first.object_list] == sorted(
        (i.support_count for i in first.object_list), reverse=True
    )
    assert selectors.page_of_ids(qs, 99).number == 3  # past the end: the last page
    assert len(selectors.rows_by_ids(qs, slice(40, 60))) == 5


def test_answer_links_a_measure_of_the_adopted_strategy(client: Client, process: Process) -> None:
    import datetime as dt

    from konzeptk.strategy.models import FieldOfAction, Goal, Measure, Revision, Strategy

    strategy = Strategy.objects.create(slug="smart-city", name="Smart-City-Strategie")
    adopted = Revision.objects.create(
        strategy=strategy, version=1, title="Für alle", date=dt.date(2023, 9, 1), status="adopted"
    )
    draft = Revision.objects.create(strategy=strategy, version=2, title="Neu", date=dt.date(2025, 1, 1))
    field = FieldOfAction.objects.create(revision=adopted, title="Umwelt & Klima")
    goal = Goal.objects.create(revision=adopted, field=field, title="Klimaneutral 2035")
    measure = Measure.objects.create(revision=adopted, goal=goal, title="Sensoren gegen Hitzeinseln")
    draft_goal = Goal.objects.create(
        revision=draft, field=FieldOfAction.objects.create(revision=draft, title="F"), title="G"
    )
    in_draft = Measure.objects.create(revision=draft, goal=draft_goal, title="Nur im Entwurf")
    editor = MembershipFactory(organisation=process.organiser, role=Membership.Role.EDITOR).user
    idea = IdeaFactory(process=process, title="Hitze messen")
    client.force_login(editor)
    url = reverse("participation:idea_answer", kwargs={"slug": process.slug, "pk": idea.pk})
    client.post(url, {"status": "accepted", "answer": "Ja.", "strategy_measure": in_draft.pk})
    idea.refresh_from_db()
    assert idea.strategy_measure_key is None  # only measures of the adopted revision
    client.post(url, {"status": "accepted", "answer": "Ja.", "strategy_measure": measure.pk})
    idea.refresh_from_db()
    assert idea.strategy_measure_key == measure.key
    client.logout()
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Sensoren gegen Hitzeinseln" in html
    assert f'href="{goal.get_absolute_url()}"' in html
    api = client.get(f"/api/v1/participation/ideas/{idea.pk}").json()
    assert api["strategy_measure"] == str(measure.key)
