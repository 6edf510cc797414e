"""Finding 7b of issue 11: the format hint of a category attribute (typed by staff in the admin) was
printed with ``|safe`` by the shared form template. It is text now; only help texts the code marks as
HTML itself (a ``SafeString``, e.g. the link to the privacy page at sign-up) stay HTML."""

from __future__ import annotations

from typing import Any

from django.test import Client

from konzeptk.servicedesk.models import CategoryAttribute

from .test_pages import NEW, step1


def test_attribute_hint_is_escaped(client: Client, categories: Any, city: Any) -> None:
    CategoryAttribute.objects.filter(code="lampennummer").update(
        datatype_description='<script>alert("x")</script><b>fett</b> & Co.'
    )
    page = client.post(NEW, step1(categories, category=categories["licht"].pk)).content.decode()
    assert "Nummer am Mast" in page  # step 2 with the attribute's question
    assert '<script>alert("x")</script>' not in page
    assert "<b>fett</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;fett&lt;/b&gt; &amp; Co." in page


def test_help_text_marked_safe_by_code_stays_html(client: Client, db: Any) -> None:
    page = client.get("/konto/signup/").content.decode()
    assert '<a href="/datenschutz/">' in page
