"""Photos move out of the public media folder into <data dir>/private/ (served only by the views)."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import konzeptk.servicedesk.models
import konzeptk.servicedesk.photos


def _local_private_folder():
    """The private folder, when the private storage is one on disk (with object storage nothing to move)."""
    from django.core.files.storage import FileSystemStorage

    storage = konzeptk.servicedesk.photos.photo_storage()
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def move_photos(apps, schema_editor):
    """Files stored before this migration lie under MEDIA_ROOT; move each one that is still there."""
    ReportPhoto = apps.get_model("servicedesk", "ReportPhoto")
    public = Path(settings.MEDIA_ROOT)
    private = _local_private_folder()
    if private is None:
        return
    for name in ReportPhoto.objects.values_list("image", flat=True).iterator():
        source, target = public / name, private / name
        if name and source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


def move_back(apps, schema_editor):
    ReportPhoto = apps.get_model("servicedesk", "ReportPhoto")
    public = Path(settings.MEDIA_ROOT)
    private = _local_private_folder()
    if private is None:
        return
    for name in ReportPhoto.objects.values_list("image", flat=True).iterator():
        source, target = private / name, public / name
        if name and source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0004_report_sd_report_public_count"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportphoto",
            name="image",
            field=models.ImageField(
                height_field="height",
                storage=konzeptk.servicedesk.photos.photo_storage,
                upload_to=konzeptk.servicedesk.models.photo_path,
                verbose_name="Foto",
                width_field="width",
            ),
        ),
        migrations.RunPython(move_photos, move_back),
    ]
