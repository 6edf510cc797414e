"""Mängelmelder photos through Django's storage API on S3-compatible object storage (moto's server,
started here): sent with the real form, stored under the private prefix without EXIF, read back by the
staff view and, once published, by the public photo view; deleting the photo removes the object."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.core.tests.s3 import S3, s3_storages  # noqa: F401 – the fixture
from konzeptk.servicedesk.models import Report, ReportPhoto
from konzeptk.servicedesk.services import report_publish

from .conftest import jpeg_with_gps
from .test_pages import NEW, step1


def test_photo_lands_in_the_private_prefix_without_exif_and_is_served_by_the_views(
    s3_storages: S3,  # noqa: F811
    client: Client,
    categories: Any,
    city: Any,
    kbk: Any,
) -> None:
    data = step1(categories, step="2")
    data["photos"] = [SimpleUploadedFile("a.jpg", jpeg_with_gps((80, 60)), content_type="image/jpeg")]
    assert client.post(NEW, data).status_code == 302
    report = Report.objects.get()
    item = ReportPhoto.objects.get()
    key = f"private/{item.image.name}"
    assert s3_storages.keys() == [key]  # nothing under media/: no public URL
    stored = s3_storages.get(key)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert (item.width, item.height) == (80, 60)

    staff = Client()
    staff.force_login(MembershipFactory(organisation=kbk).user)
    answer = staff.get(f"/maengel/verwaltung/foto/{item.pk}/")
    assert answer.status_code == 200
    assert answer.content == stored
    assert Client().get(f"/maengel/foto/{item.pk}/").status_code == 404  # not published yet
    report_publish(report=report, by=UserFactory(staff=True), photo_ids=[item.pk])
    public = Client().get(f"/maengel/foto/{item.pk}/")
    assert public.status_code == 200
    assert public.content == stored

    item.image.delete(save=False)  # as erasure removes a photo: the object, then the row
    item.delete()
    assert s3_storages.keys() == []
