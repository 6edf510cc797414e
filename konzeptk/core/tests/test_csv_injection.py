"""CSV formula injection (issue 11, finding 6): formulas typed into any text field that reaches a CSV
come out neutralised from every CSV route.

The routes are found in the URLconf (every view that builds a CSV through ``konzeptk.core.csv`` or
answers ``text/csv``), so a new CSV route without an entry in :data:`COVERED` fails this test. The
payloads go in as the people who may type them: a partner organisation's editor creates projects and
adds indicator values through the staff pages, an organiser builds a questionnaire in the survey
editor, people without an account answer it on the survey page; ideas, comments and answers of a
process go through the participation services, an indicator's name and unit through the admin, a
datastream's name and unit through the SensorThings API with a data provider's token.
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from konzeptk.accounts.models import Membership, Organisation, User
from konzeptk.core.csv import BOM, is_dangerous

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]

#: route name → how this test reaches it (a new CSV route must be added here)
COVERED = {
    "strategy:projects_csv",
    "strategy:indicator_values_csv",
    "strategy:indicator_csv",
    "surveys:survey_export",
    "participation:dump_file",
    "sensing:csv",
    "servicedesk:reports_csv",
    "innercity:counts_csv",
    "innercity:units_csv",
    "education:offers_csv",
    "climate:emissions_csv",
    "climate:solar_csv",
    "climate:solar_districts_csv",
    "climate:charging_csv",
    "climate:modal_split_csv",
    "insights:education_csv",
}
#: routes whose cells are numbers and fixed words only (no text a person or a register typed reaches them)
NUMBERS_ONLY = {"sensing:csv", "climate:solar_csv", "climate:solar_districts_csv", "insights:education_csv"}


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield namespace, pattern


def csv_routes() -> set[str]:
    """Names of the routes whose view writes CSV (through core.csv or by content type)."""
    found = set()
    for namespace, pattern in _walk(get_resolver().url_patterns):
        try:
            source = inspect.getsource(inspect.unwrap(pattern.callback))
        except (OSError, TypeError):
            continue
        if any(mark in source for mark in ("csv_response", "write_csv", "text/csv")):
            found.add(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))
    return found


def test_every_csv_route_is_covered() -> None:
    assert csv_routes() == COVERED


def test_no_csv_writer_outside_core() -> None:
    """One writer: no module but konzeptk/core/csv.py uses the standard library's writer."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path != root / "core" / "csv.py"
        and any(
            mark in path.read_text(encoding="utf-8") for mark in ("csv.writer(", "DictWriter(", ".writerow(")
        )
    ]
    assert offenders == []


# --- entering the payloads ------------------------------------------------------------------


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _member(org: Organisation, role: str, email: str, **extra: Any) -> User:
    user = User.objects.create_user(email=email, password="x-secret-123", **extra)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def _main(response: Any) -> str:
    html: str = response.content.decode()
    return html[html.find("<main") :][:3000]


def _strategy(partner_editor: User, partner: Organisation) -> dict[str, str]:
    from konzeptk.strategy.models import Indicator, Project

    editor = _client(partner_editor)
    for n, payload in enumerate(PAYLOADS):
        response = editor.post(
            reverse("strategy:project_create"),
            {
                "title": payload,
                "slug": f"formel-{n}",
                "summary": payload,
                "funding_source": payload,
                "lead": partner.pk,
                "published": "on",
                "budget_planned": "1500",
            },
        )
        assert response.status_code == 302, _main(response)
    assert Project.objects.filter(slug__startswith="formel-").count() == len(PAYLOADS)
    # name, unit and source of an indicator are kept by the core team in the admin
    admin = _client(User.objects.create_superuser(email="admin@stadt.invalid", password="x"))
    response = admin.post(
        "/admin/strategy/indicator/add/",
        {
            "slug": "formel",
            "name": PAYLOADS[0],
            "name_de": PAYLOADS[0],  # the admin asks for the German text of translated fields
            "unit": PAYLOADS[3],
            "direction": "down",
            "source": PAYLOADS[1],
            "baseline_value": "9",
            "baseline_year": "2017",
            "published": "on",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, _main(response)
    indicator = Indicator.objects.get(slug="formel")
    indicator.projects.add(Project.objects.get(slug="formel-0"))
    url = reverse("strategy:indicator_edit", args=[indicator.slug])
    for n, payload in enumerate(PAYLOADS):
        response = editor.post(
            url,
            {
                "action": "value",
                "wert-value": "-5",
                "wert-date": f"{2018 + n}-01-01",
                "wert-source_ref": payload,
            },
        )
        assert response.status_code == 302, _main(response)
    return {
        "strategy:projects_csv": reverse("strategy:projects_csv"),
        "strategy:indicator_values_csv": reverse("strategy:indicator_values_csv"),
        "strategy:indicator_csv": reverse("strategy:indicator_csv", args=[indicator.slug]),
    }


def _participation(organiser: User, org: Organisation, resident: User) -> dict[str, str]:
    from konzeptk.participation import dumps, services
    from konzeptk.participation.models import Phase
    from konzeptk.surveys import services as survey_services
    from konzeptk.surveys.models import Survey

    now = timezone.now()
    process = services.process_create(
        organiser=org,
        title=PAYLOADS[0],
        slug="formeln",
        teaser=PAYLOADS[1],
        description="Beschreibung",
        status="published",
        by=organiser,
    )
    ideas_phase = Phase.objects.create(
        process=process,
        type="idea_collection",
        start=now - dt.timedelta(days=2),
        end=now + dt.timedelta(days=9),
    )
    for payload in PAYLOADS:
        idea = services.idea_create(
            process=process, author=resident, title=payload, text=payload, address=payload
        )
        services.comment_create(idea=idea, author=resident, text=payload)
        services.idea_answer(idea=idea, by=organiser, status="accepted", answer=payload)
    # the idea collection ends, the survey phase begins
    Phase.objects.filter(pk=ideas_phase.pk).update(end=now - dt.timedelta(hours=1))
    survey_phase = Phase.objects.create(
        process=process,
        type="survey",
        start=now - dt.timedelta(hours=1),
        end=now + dt.timedelta(days=9),
        weight=1,
    )
    survey = survey_services.survey_create(
        phase=survey_phase, by=organiser, title=PAYLOADS[2], allows_anonymous=True
    )
    editor = _client(organiser)
    edit_url = reverse("surveys:survey_edit", kwargs={"slug": process.slug, "pk": survey.pk})
    questions = [("single", PAYLOADS[0]), ("multiple", PAYLOADS[4]), ("text", PAYLOADS[3])]
    for kind, text in questions:
        fields = {
            "text": text,
            "help_text": "",
            "kind": kind,
            "required": "on",
            "choices": "\n".join(PAYLOADS[:4]) if kind != "text" else "",
            "scale_min": "1",
            "scale_max": "5",
            "scale_low_label": "",
            "scale_high_label": "",
        }
        response = editor.post(edit_url, {"action": "add", **{f"neu-{k}": v for k, v in fields.items()}})
        assert response.status_code in (200, 302), _main(response)
    assert survey.questions.count() == 3
    single, multiple, text = (survey.questions.get(kind=k) for k, _ in questions)
    survey_url = reverse("surveys:survey", kwargs={"slug": process.slug, "pk": survey.pk})
    # Results are published from 7 shown questionnaires on; the shown count is the true one ± 2
    # (disclosure control, keyed by the secret of the machine), so 9 answers always show them.
    answers = [*PAYLOADS, *PAYLOADS[:3]]
    for n, payload in enumerate(answers):
        person = Client()
        person.get(survey_url)
        response = person.post(
            survey_url,
            {
                f"q{single.pk}": str(single.choices.all()[n % 4].pk),
                f"q{multiple.pk}": [str(c.pk) for c in multiple.choices.all()[:2]],
                f"q{text.pk}": payload,
            },
        )
        assert response.status_code == 302, _main(response)
    assert Survey.objects.get(pk=survey.pk).responses.count() == len(answers)
    dumps.participation_dumps_write()  # the nightly job
    routes = {
        "surveys:survey_export": reverse(
            "surveys:survey_export", kwargs={"slug": process.slug, "pk": survey.pk}
        ),
    }
    for name in sorted(dumps.allowed_names()):
        if name.endswith(".csv"):
            routes[f"participation:dump_file {name}"] = reverse("participation:dump_file", args=[name])
    return routes


def _servicedesk() -> dict[str, str]:
    """A resident reports a defect whose address and category carry formulas; staff publish it."""
    from konzeptk.city.selectors import active_profile
    from konzeptk.city.tests.factories import split_city
    from konzeptk.servicedesk.services import report_create, report_publish
    from konzeptk.servicedesk.tests.factories import CategoryFactory

    if active_profile() is None:
        split_city()
    category = CategoryFactory(name=PAYLOADS[1])
    for payload in PAYLOADS:
        report = report_create(
            category=category,
            description="Laterne aus",
            lat=51.3318,
            lon=6.5658,
            address=payload,
        ).report
        report_publish(report=report, by=None)
    return {"servicedesk:reports_csv": reverse("servicedesk:reports_csv")}


def _innercity() -> dict[str, str]:
    """An owner offers vacant units whose title and street carry formulas; the coordination counts them."""
    from decimal import Decimal

    from konzeptk.city.selectors import active_profile
    from konzeptk.city.tests.factories import split_city
    from konzeptk.innercity.services import owner_register, owner_verify, unit_create, vacancy_count_take

    if active_profile() is None:
        split_city()
    owner = User.objects.create_user(email="eigentuemer@example.invalid", password="x-secret-123")
    owner_verify(owner=owner_register(user=owner, contact_name=PAYLOADS[0]), by=None)
    for payload in PAYLOADS:
        values = {"title_de": payload, "street": payload, "house_number": "1", "lat": 51.3318, "lon": 6.5658}
        unit_create(values={**values, "area_m2": Decimal(50), "owner_consent_public": True}, owner=owner)
    vacancy_count_take()
    return {name: reverse(name) for name in ("innercity:counts_csv", "innercity:units_csv")}


def _sensing(provider: Organisation) -> dict[str, str]:
    """A data provider creates a Thing with a Datastream and its readings through the SensorThings
    API with its organisation's token; name and unit of the datastream carry formulas."""
    import json

    from konzeptk.sensing import models as m
    from konzeptk.sensing.services import api_token_create

    _token, raw = api_token_create(organisation=provider, name="Messnetz")
    body = {
        "name": "Laterne Ostwall",
        "description": "Wettersensor",
        "Locations": [
            {
                "name": "Ostwall",
                "description": "Laterne",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [6.5658, 51.3318]},
            }
        ],
        "Datastreams": [
            {
                "name": PAYLOADS[0],
                "description": PAYLOADS[3],
                "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                "unitOfMeasurement": {"name": PAYLOADS[2], "symbol": PAYLOADS[1], "definition": "ucum:Cel"},
                "properties": {"topic": "klima", "kind": "temperature"},
                "Sensor": {
                    "name": "Wettersensor",
                    "description": "x",
                    "encodingType": "text/plain",
                    "metadata": "x",
                },
                "ObservedProperty": {"name": "Lufttemperatur", "description": "x", "definition": "x"},
                "Observations": [
                    {"phenomenonTime": f"2024-07-{day:02d}T12:00:00Z", "result": -3.5 + day}
                    for day in range(1, 8)
                ],
            }
        ],
    }
    response = Client().post(
        "/sta/v1.1/Things",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content[:2000]
    ds = m.Datastream.objects.get(properties__topic="klima")
    assert ds.observations.count() == 7
    return {"sensing:csv": f"/daten/klima/daten.csv?sensor={ds.pk}&period=30"}


def _education(partner: Organisation, partner_editor: User) -> dict[str, str]:
    """A provider's editor uploads a CSV of offers (education's import page); the texts land in the
    offers, the provider's name is kept by the core team."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from konzeptk.education.models import Offer, Provider

    provider = Provider.objects.create(organisation=partner, slug="formel-anbieter", name=PAYLOADS[3])
    lines = ["id,title,kind,summary,description,place_name,address,opening_hours,licence,online"]
    for n, payload in enumerate(PAYLOADS):
        cell = '"' + payload.replace('"', '""') + '"'
        lines.append(f"f{n},{cell},resource,{cell},{cell},{cell},{cell},{cell},{cell},ja")
    upload = SimpleUploadedFile("formeln.csv", ("\r\n".join(lines) + "\r\n").encode(), "text/csv")
    response = _client(partner_editor).post(
        reverse("education:import_upload"), {"provider": provider.pk, "format": "csv", "file": upload}
    )
    assert response.status_code == 302, _main(response)
    assert Offer.objects.filter(provider=provider).count() == len(PAYLOADS)
    return {"education:offers_csv": reverse("education:offers_csv")}


def _climate(tmp: Path) -> dict[str, str]:
    """Staff enter a balance and a modal split whose sources carry formulas; the charging-point register's
    file names formula operators (its real format: semicolons, Windows-1252, header rows)."""
    from konzeptk.climate.charging_import import charging_import
    from konzeptk.climate.models import Mode, Sector
    from konzeptk.climate.services import BalanceData, emission_year_save, modal_split_save

    for n, payload in enumerate(PAYLOADS):
        emission_year_save(
            data=BalanceData(
                year=2015 + n,
                population=227_000,
                figures={Sector.values[0]: 1000.0},
                source=payload,
                note=payload,
            )
        )
    shares = dict.fromkeys(Mode.values, 100 / len(Mode.values))
    modal_split_save(year=2023, shares=shares, source=PAYLOADS[0], licence=PAYLOADS[1])
    from konzeptk.city.models import CityProfile
    from konzeptk.city.selectors import active_profile, forget_active_profile

    profile = active_profile()
    assert profile is not None
    CityProfile.objects.filter(pk=profile.pk).update(official_key="05114000", name="Krefeld")
    forget_active_profile()
    sample = Path(__file__).resolve().parents[2] / "climate" / "tests" / "data" / "Ladesaeulenregister.csv"
    text = (
        sample.read_bytes().decode("cp1252").replace("Testbetreiber Strom GmbH", PAYLOADS[0].replace('"', ""))
    )
    text = text.replace("Testbetreiber Schnell AG", PAYLOADS[3])
    register = tmp / "Ladesaeulenregister.csv"
    register.write_bytes(text.encode("cp1252"))
    charging_import(path=register)
    return {
        name: reverse(name)
        for name in (
            "climate:emissions_csv",
            "climate:solar_csv",
            "climate:solar_districts_csv",
            "climate:charging_csv",
            "climate:modal_split_csv",
        )
    }


def _reach() -> dict[str, str]:
    """Who the education offers reach: counts and rates by district and age band (no typed text)."""
    return {"insights:education_csv": reverse("insights:education_csv")}


def _cells(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _read(client: Client, path: str, name: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("text/csv"), path
    body = response.getvalue()
    # the one format (issue 13, docs/data.md): UTF-8 with BOM, commas, a header row, no comment lines
    assert body.startswith(BOM.encode("utf-8")), f"{name}: keine Bytereihenfolgemarke"
    rows = _cells(body)
    assert len(rows[0]) >= 2, f"{name}: keine Kopfzeile mit Kommas: {rows[0]!r}"
    assert all(rows[0]), f"{name}: leere Spaltennamen: {rows[0]!r}"
    assert len({len(row) for row in rows}) == 1, f"{name}: Zeilen verschieden lang"
    lines = body.decode("utf-8-sig").splitlines()
    assert not [line for line in lines if line.startswith("#")], f"{name}: Kommentarzeilen"
    return rows


def _unneutralised(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if is_dangerous(cell)]


def _neutralised_payloads(rows: list[list[str]]) -> set[str]:
    return {cell[1:].strip() for row in rows for cell in row if cell.startswith("'")}


def test_formulas_typed_anywhere_come_out_neutralised_from_every_csv_route(tmp_path: Path) -> None:
    core = Organisation.objects.create(slug="kernteam", name="Kernteam", is_core_team=True)
    partner = Organisation.objects.create(slug="swk", name=PAYLOADS[2], short_name="SWK")
    partner_editor = _member(partner, "editor", "redaktion@swk.invalid")
    organiser = _member(partner, "editor", "beteiligung@swk.invalid")
    staff = _member(core, "member", "kern@stadt.invalid", platform_role=User.PlatformRole.STAFF)
    resident = User.objects.create_user(email="einwohnerin@example.invalid", password="x-secret-123")
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True, primary=True)
    routes: dict[str, str] = {}
    routes.update(_strategy(partner_editor, partner))
    routes.update(_participation(organiser, partner, resident))
    routes.update(_sensing(partner))
    routes.update(_servicedesk())
    routes.update(_innercity())
    routes.update(_education(partner, partner_editor))
    routes.update(_climate(tmp_path))
    routes.update(_reach())
    assert {name.split(" ")[0] for name in routes} == COVERED
    readers: dict[str, Callable[[], Client]] = {
        "anonym": lambda: Client(),
        "Organisator:in": lambda: _client(organiser),
        "Kernteam": lambda: _client(staff),
    }
    problems: list[str] = []
    for name, path in routes.items():
        reader = "Organisator:in" if name == "surveys:survey_export" else "anonym"
        rows = _read(readers[reader](), path, name)
        assert len(rows) > 1 or name in NUMBERS_ONLY, f"{name}: keine Zeilen"
        problems += [f"{name} ({path}): {cell!r}" for cell in _unneutralised(rows)]
        if name not in NUMBERS_ONLY and "survey_results" not in name:
            found = _neutralised_payloads(rows)
            assert found & {p.strip() for p in PAYLOADS}, f"{name}: keine der Formeln kam an"
    assert not problems, "Formeln nicht entschärft:\n" + "\n".join(problems)
    # numbers stay numbers: the indicator values and the planned budgets
    values = _read(Client(), routes["strategy:indicator_csv"], "strategy:indicator_csv")
    assert {row[3] for row in values[1:]} == {"-5.0"}
    projects = _read(Client(), routes["strategy:projects_csv"], "strategy:projects_csv")
    assert {row[8] for row in projects[1:] if row[0].startswith("formel-")} == {"1500.00"}
    sensing = _read(Client(), routes["sensing:csv"], "sensing:csv")
    assert sensing[0][:2] == ["datenreihe", "einheit"]
    assert {(row[0], row[1]) for row in sensing[1:]} == {("'" + PAYLOADS[0], "'" + PAYLOADS[1])}  # name, unit
    assert [row[3] for row in sensing[1:]] == [f"{-3.5 + day:.3f}" for day in range(1, 8)]  # numbers


def test_opinion_groups_labels_file_neutralises_voter_ids(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    for voter in range(40):
        for statement in range(8):
            agree = 1 if (voter < 20) == (statement < 4) else -1
            lines.append(f"0,,{statement},{PAYLOADS[voter % 4].replace(',', ';')}{voter},{agree}")
    votes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    labels = tmp_path / "labels.csv"
    call_command("opinion_groups", str(votes), "--labels-out", str(labels), stdout=io.StringIO())
    rows = _cells(labels.read_bytes())
    assert rows[0] == ["voter-id", "group"]
    assert len(rows) == 41
    assert _unneutralised(rows) == []
    assert all(row[0].startswith("'") for row in rows[1:])
