"""The strategy in the residents' languages: fields of action, goals, drafts edited in six languages."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse as django_reverse
from django.utils import translation

from konzeptk.strategy.models import FieldOfAction, Goal, Revision
from konzeptk.strategy.services import revision_clone

from .conftest import client_for


def reverse(name: str, args: list[Any]) -> str:
    """The German path (a request in another language leaves that language active in the test)."""
    with translation.override("de"):
        return django_reverse(name, args=args)


def test_field_page_translated_title_plain_untranslated_goal_marked(client: Any, revision: Revision) -> None:
    field = FieldOfAction.objects.get(revision=revision, title="Mobilität")
    field.title_tr = "Ulaşım"
    field.save()
    goal = Goal.objects.create(revision=revision, field=field, title="Rad, Fuß und ÖPNV stärken")
    html = client.get("/tr" + reverse("strategy:field", args=[field.key])).content.decode()
    assert '<h1 class="kern-heading-x-large">Ulaşım</h1>' in html
    assert '<bdi lang="de" dir="ltr" class="kk-fallback">Rad, Fuß und ÖPNV stärken</bdi>' in html
    goal.title_tr = "Bisiklet, yaya ulaşımı ve toplu taşımayı güçlendirmek"
    goal.save()
    html = client.get("/tr" + reverse("strategy:goal", args=[goal.key])).content.decode()
    assert (
        '<h1 class="kern-heading-x-large">Bisiklet, yaya ulaşımı ve toplu taşımayı güçlendirmek</h1>' in html
    )
    assert "<title>Bisiklet" in html


def test_draft_editor_saves_an_element_in_six_languages(people: Any, revision: Revision) -> None:
    client = client_for(people["core"])
    client.post(reverse("strategy:clone", args=[1]))
    draft = Revision.objects.get(version=2)
    page = client.get("/ar" + reverse("strategy:draft", args=[2])).content.decode()
    arabic = re.search(r'<input[^>]*name="title_ar"[^>]*>', page)
    assert arabic
    assert 'lang="ar"' in arabic.group(0)
    assert 'dir="rtl"' in arabic.group(0)
    client.post(
        "/en" + reverse("strategy:element_add", args=[2, "field"]),
        {
            "title": "Verwaltung",
            "title_en": "Administration",
            "title_tr": "Belediye yönetimi",
            "title_ar": "الإدارة",
            "title_pl": "Administracja",
            "title_uk": "Адміністрація",
        },
    )
    field = FieldOfAction.objects.get(revision=draft, title_de="Verwaltung")
    assert [field.title_en, field.title_tr, field.title_ar, field.title_pl, field.title_uk] == [
        "Administration",
        "Belediye yönetimi",
        "الإدارة",
        "Administracja",
        "Адміністрація",
    ]
    client.post(
        "/en" + reverse("strategy:element_update", args=[2, "field", field.pk]),
        {"title": "Verwaltung und Service", "title_en": "Administration and service", "position": 1},
    )
    field.refresh_from_db()
    assert (field.title_de, field.title_en, field.title_tr) == (
        "Verwaltung und Service",
        "Administration and service",
        "",
    )
    # a new draft copies every language of the elements, title, motto and vision
    field.revision.title_pl = "Wersja testowa"
    field.revision.save()
    copy = revision_clone(source=field.revision, by=None)
    assert FieldOfAction.objects.get(revision=copy, key=field.key).title_en == "Administration and service"
    assert copy.title_pl == "Wersja testowa"
    with translation.override("en"):
        assert FieldOfAction.objects.get(revision=copy, key=field.key).title == "Administration and service"
