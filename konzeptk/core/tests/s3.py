"""A local S3-compatible server for tests: moto's server mode on a free port of 127.0.0.1.

``s3_storages`` starts it, creates a bucket and switches ``STORAGES`` to what the settings build when
``KONZEPTK_S3_BUCKET`` and ``KONZEPTK_S3_ENDPOINT_URL`` are set, so uploads really travel over HTTP into
the bucket. Import the fixture into a test module: ``from konzeptk.core.tests.s3 import s3_storages``.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

REGION = "eu-central-1"


@dataclass
class S3:
    client: Any  # boto3 S3 client, to look into the bucket from outside the application
    bucket: str

    def keys(self, prefix: str = "") -> list[str]:
        answer = self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def get(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def s3_storages(monkeypatch: pytest.MonkeyPatch) -> Iterator[S3]:
    import boto3
    from django.conf import settings
    from django.test import override_settings
    from moto.server import ThreadedMotoServer

    from konzeptk import settings as project_settings

    bucket = f"konzeptk-test-{uuid.uuid4().hex[:12]}"  # moto keeps its buckets per process, across servers
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for name, value in {
            "KONZEPTK_S3_BUCKET": bucket,
            "KONZEPTK_S3_ENDPOINT_URL": endpoint,
            "KONZEPTK_S3_REGION": REGION,
            "KONZEPTK_S3_ACCESS_KEY_ID": "konzeptk-test",
            "KONZEPTK_S3_SECRET_ACCESS_KEY": "konzeptk-test-secret",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(project_settings, "S3_BUCKET", bucket)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id="konzeptk-test",
            aws_secret_access_key="konzeptk-test-secret",
        )
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        storages = {
            **settings.STORAGES,
            "default": project_settings._s3_storage("MediaS3Storage", "media"),
            "private": project_settings._s3_storage("PrivateS3Storage", "private"),
        }
        with override_settings(STORAGES=storages):
            yield S3(client, bucket)
    finally:
        server.stop()
