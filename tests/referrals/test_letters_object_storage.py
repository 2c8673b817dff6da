"""Letters on S3-compatible object storage (LETTERS_S3_BUCKET), against a real S3 server: moto in
server mode, started by these tests on a free port. Same random names, private objects, the
SHA-256 checked at download, nothing left on the local disk."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.urls import reverse

from referrals.models import Letter
from tests.referrals.factories import ready_referral

REGION = "eu-west-2"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}  # moto's any


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60  # moto imports slowly on a loaded machine
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("The S3 server (moto) did not start.") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint, settings):
    """A fresh private bucket per test, configured as the letters' store."""
    bucket = f"letters-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **KEYS)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.LETTERS_S3_BUCKET = bucket
    settings.STORAGES = settings.STORAGES | {
        "letters": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "addressing_style": "path",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    }
    client.bucket = bucket
    return client


@pytest.fixture
def letter(s3, clinician) -> Letter:
    return ready_referral(clinician=clinician).letters.get()


def _download(client, letter: Letter):
    return client.get(reverse("referrals:letter_download", args=[letter.pk]))


def test_a_rendered_letter_is_stored_in_the_bucket_under_its_random_name(s3, letter) -> None:
    body = s3.get_object(Bucket=s3.bucket, Key=letter.file_name)["Body"].read()

    assert letter.status == Letter.Status.READY
    assert hashlib.sha256(body).hexdigest() == letter.sha256
    assert re.fullmatch(r"letters/([0-9a-f]{2})/\1[0-9a-f]{30}\.pdf", letter.file_name)


def test_nothing_is_written_to_the_local_private_directory(s3, letter, settings) -> None:
    assert not list(Path(settings.PRIVATE_STORAGE_DIR).rglob("*"))


def test_the_stored_object_is_readable_by_its_owner_only(s3, letter) -> None:
    grants = s3.get_object_acl(Bucket=s3.bucket, Key=letter.file_name)["Grants"]

    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"


def test_a_download_serves_the_object_after_checking_its_sha256(
    s3, letter, clinician_client
) -> None:
    response = _download(clinician_client, letter)

    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == letter.sha256
    assert "no-store" in response["Cache-Control"]


def test_a_changed_object_is_refused_at_download(s3, letter, clinician_client) -> None:
    s3.put_object(Bucket=s3.bucket, Key=letter.file_name, Body=b"%PDF-tampered")

    response = _download(clinician_client, letter)

    assert response.status_code == 409
    assert "does not match its recorded SHA-256" in response.content.decode()


def test_a_missing_object_is_refused_at_download(s3, letter, clinician_client) -> None:
    s3.delete_object(Bucket=s3.bucket, Key=letter.file_name)

    response = _download(clinician_client, letter)

    assert response.status_code == 409
    assert "missing from storage" in response.content.decode()


def test_a_re_render_replaces_the_object_and_leaves_no_stale_copy(s3, letter) -> None:
    from referrals.services.letters import letter_render

    first = letter.file_name
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.PENDING, attempts=0)
    letter_render(letter_id=letter.pk)
    letter.refresh_from_db()

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=s3.bucket)["Contents"]]
    assert keys == [letter.file_name]
    assert letter.file_name != first
