"""A GET never writes (issue 11, finding 7a and the principle in docs/architecture.md).

Every page of the page registry (each app's ``a11y_pages()``, the list the browser and axe-core tests
walk, with the demo data those functions create), every other page of the URLconf without parameters
(staff workspaces, inbox, account pages), the administration's pages of the registry
(``a11y_staff_pages()``, with their data) and every list route of the JSON APIs is fetched as an
anonymous visitor and as platform staff, and so is every page linked from the pages fetched (a
crawl of the whole site as far as the demo data of the registry reaches, several hundred pages):
not one INSERT, UPDATE, DELETE or ``SELECT … FOR UPDATE`` may reach the database while the request
runs, and no page answers with a server error. The staff person is logged in before the measurement, so
the login itself (session row, ``last_login``) is not part of it; a GET may not write a session either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver

from konzeptk.accounts.models import User
from konzeptk.core.tests.browser import registered_pages

pytestmark = pytest.mark.django_db

WRITE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE)\b|\bFOR\s+(NO\s+KEY\s+)?UPDATE\b", re.I
)

#: list routes of the SensorThings and Open311 APIs (the OpenAPI schema lists those of /api/v1/)
OTHER_API_LISTS = [
    "/sta/v1.1/",
    "/sta/v1.1/Things",
    "/sta/v1.1/Locations",
    "/sta/v1.1/Sensors",
    "/sta/v1.1/ObservedProperties",
    "/sta/v1.1/Datastreams",
    "/sta/v1.1/Observations",
    "/sta/v1.1/FeaturesOfInterest",
    "/sta/v1.1/HistoricalLocations",
    "/georeport/v2/services.json",
    "/georeport/v2/requests.json",
    "/georeport/v2/discovery.json",
]


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def plain_routes() -> list[str]:
    """Every page of the URLconf without parameters (German paths), beyond the registry: staff
    workspaces, the inbox, account pages. Django's admin is left out."""
    paths = []
    for raw in _walk(get_resolver().url_patterns):
        path = "/" + raw.lstrip("^").removesuffix("$").removesuffix("\\Z")
        if any(mark in path for mark in ("<", "(", "[", "\\")) or path.startswith(("/admin/", "/media/")):
            continue
        paths.append(path)
    return paths


def api_list_routes() -> list[str]:
    """GET routes of /api/v1/ without path parameters, from the OpenAPI schema (a new one is included
    by itself)."""
    from konzeptk.api import api

    schema: dict[str, Any] = api.get_openapi_schema(path_prefix="/api/v1")
    return sorted(
        path for path, operations in schema["paths"].items() if "get" in operations and "{" not in path
    )


def writes_of(client: Client, path: str) -> tuple[int, list[str], str]:
    """Status, the writing SQL statements and (for HTML) the body of a GET of ``path``."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        else:
            body = response.content
    html = body.decode("utf-8", "replace") if "html" in response.get("Content-Type", "") else ""
    return response.status_code, [q["sql"] for q in queries.captured_queries if WRITE.search(q["sql"])], html


HREF = re.compile(r'href="([^"#]+)')
#: the same pages in the other languages are the same views; Django's admin, media and logout are left out
SKIP = re.compile(r"^/(en|tr|ar|pl|uk)/|^/(admin|media|static)/|logout")
MAX_PAGES = 2000  # per person; the demo data of the registry gives some 700


def _links(page: str, html: str) -> Iterator[str]:
    for href in HREF.findall(html):
        url = urlsplit(urljoin(page, href.replace("&amp;", "&")))
        if url.netloc in ("", "testserver") and url.scheme in ("", "http"):
            # one value per parameter, sorted: links that add to the query string do not grow it forever
            query = urlencode(sorted(dict(parse_qsl(url.query)).items()))
            yield url.path + (f"?{query}" if query else "")


def crawl(client: Client, seeds: list[str]) -> tuple[int, list[str]]:
    """Fetch the seeds and every page linked from the pages fetched (same site, GET); returns the
    number of pages and the problems found (writes, server errors)."""
    queue, seen, problems = list(seeds), set(seeds), []
    count = 0
    while queue and count < MAX_PAGES:
        path = queue.pop(0)
        if SKIP.search(path):
            continue
        count += 1
        status, writes, html = writes_of(client, path)
        if status >= 500:
            problems.append(f"GET {path}: Status {status}")
        problems += [f"GET {path}: {sql[:300]}" for sql in writes]
        for link in _links(path, html):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert not queue, f"mehr als {MAX_PAGES} Seiten"
    return count, problems


def test_no_page_and_no_api_list_writes_on_get() -> None:
    pages = [*registered_pages(), *registered_pages("a11y_staff_pages")]  # the staff pages with their data
    apis = api_list_routes()
    assert len(apis) >= 10, apis  # the schema was read
    seeds = list(dict.fromkeys([*pages, *plain_routes(), *apis, *OTHER_API_LISTS]))
    staff = User.objects.create_user(
        email="kernteam-get@demo.konzeptk.invalid",
        password="x",
        platform_role=User.PlatformRole.STAFF,
    )
    # as for every account made by sign-up (allauth adds a missing row on its e-mail page)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    logged_in = Client()
    logged_in.force_login(staff)
    problems = []
    for who, client in (("anonym", Client()), ("Personal", logged_in)):
        count, found = crawl(client, seeds)
        assert count > len(seeds), who  # the links were followed
        problems += [f"{who} {problem}" for problem in found]
    assert not problems, "GET schreibt in die Datenbank:\n" + "\n".join(problems)


def test_notification_settings_are_stored_by_the_form_not_by_the_page() -> None:
    from konzeptk.notifications.models import KindSetting, NotificationSetting

    person = User.objects.create_user(email="leserin@example.invalid", password="x")
    client = Client()
    client.force_login(person)
    for path in ("/benachrichtigungen/", "/benachrichtigungen/einstellungen/"):
        assert writes_of(client, path)[:2] == (200, [])
    assert not NotificationSetting.objects.filter(user=person).exists()
    response = client.post(
        "/benachrichtigungen/einstellungen/", {"email_frequency": "daily", "art_status": "never"}
    )
    assert response.status_code == 302
    setting = NotificationSetting.objects.get(user=person)
    assert setting.email_frequency == "daily"
    assert list(KindSetting.objects.filter(user=person).values_list("kind", "frequency")) == [
        ("status", "never")
    ]
