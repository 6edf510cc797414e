"""Categories in the residents' languages: a Turkish resident picks a category in Turkish (issue 13)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from konzeptk.servicedesk.categories import category_save
from konzeptk.servicedesk.models import Category

pytestmark = pytest.mark.django_db


def _translate(category: Category, **names: str) -> None:
    for code, name in names.items():
        setattr(category, f"name_{code}", name)
    category.save()


def _option(html: str, category: Category) -> str:
    match = re.search(rf'<option value="{category.pk}"[^>]*>[^<]*</option>', html)
    assert match, f"no option for {category.service_code}"
    return match.group(0)


def test_turkish_report_form_offers_turkish_category_names(client: Any, city: Any, categories: Any) -> None:
    _translate(categories["schlagloch"], tr="Yol çukuru", ar="حفرة في الطريق")
    _translate(categories["strasse"], tr="Yollar")
    html = client.get("/tr/maengel/melden/").content.decode()
    assert (
        _option(html, categories["schlagloch"])
        == f'<option value="{categories["schlagloch"].pk}">Yol çukuru</option>'
    )
    assert '<optgroup label="Yollar">' in html
    # not translated: German, marked as German and laid out left to right; the field says so
    muell = _option(html, categories["muell"])
    assert 'lang="de" dir="ltr"' in muell
    assert ">Wilder Müll<" in muell
    assert '<optgroup label="Abfall" lang="de" dir="ltr">' in html
    assert 'aria-describedby="id_category_helptext"' in html  # "Kategorien ohne Übersetzung …"
    # in German nothing is marked
    german = client.get("/maengel/melden/").content.decode()
    assert 'lang="de"' not in _option(german, categories["schlagloch"])


def test_public_list_filter_and_report_page_mark_german_names(
    client: Any, city: Any, categories: Any, make_report: Any
) -> None:
    _translate(categories["schlagloch"], ar="حفرة في الطريق")
    report = make_report("muell")
    html = client.get("/ar/maengel/").content.decode()
    assert f'<option value="{categories["schlagloch"].pk}">Straße – حفرة في الطريق</option>' not in html
    assert 'lang="de" dir="ltr">Abfall – Wilder Müll</option>' in html
    page = client.get(f"/ar/maengel/meldung/{report.service_request_id}/").content.decode()
    assert '<bdi lang="de" dir="ltr" class="kk-fallback">Wilder Müll</bdi>' in page
    assert 'class="kk-lang-hint"' in page


def test_category_save_keeps_german_and_translations_apart(db: Any) -> None:
    from django.utils import translation

    with translation.override("en"):  # a staff member using the English interface
        category = category_save(
            service_code="baum", name="Baum oder Ast", translations={"name_en": "Tree or branch"}
        )
    category.refresh_from_db()
    assert (category.name_de, category.name_en, category.name_tr) == ("Baum oder Ast", "Tree or branch", "")
    with translation.override("tr"):
        assert Category.objects.get().name == "Baum oder Ast"  # falls back to German


def test_admin_shows_six_language_inputs_arabic_right_to_left(client: Any, categories: Any) -> None:
    admin = get_user_model().objects.create_superuser(email="admin@example.org", password="x" * 12)
    client.force_login(admin)
    html = client.get(f"/admin/servicedesk/category/{categories['abfall'].pk}/change/").content.decode()
    for code in ("de", "en", "tr", "ar", "pl", "uk"):
        assert f'name="name_{code}"' in html
    arabic = re.search(r'<input[^>]*name="name_ar"[^>]*>', html)
    assert arabic
    assert 'dir="rtl"' in arabic.group(0)
    assert 'lang="ar"' in arabic.group(0)
