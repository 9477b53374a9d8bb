"""Uploaded files go to S3-compatible object storage when MEDIA_STORAGE=s3 (issue 8,
control 1): the same code paths as on local disk (an evidence upload, a job's result file)
put the objects in the bucket, private, and the platform's download views stream them back.
S3 is moto's in-process imitation of the API, so the test needs no network."""

import os
import subprocess
import sys

import boto3
import pytest
from django.urls import reverse
from moto import mock_aws

from jobs.services import start_job
from jobs.testing import run_queued_jobs
from tests.jobs import kinds  # noqa: F401 -- registers the test kinds
from tests.materials import factories
from tests.materials.conftest import read_streamed, stored_files
from tests.materials.factories import make_material, upload

BUCKET = "sfd-media-test"


@pytest.fixture
def s3_bucket(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                # As config/settings.py builds them for MEDIA_STORAGE=s3.
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "default_acl": "private",
                    "querystring_auth": True,
                    "file_overwrite": False,
                },
            },
        }
        yield client


def objects(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_s3_storage_keeps_evidence_in_the_bucket_and_streams_it_back(world, client_for, s3_bucket, media_root):
    version = make_material(operator=world.sjz_operator, file=upload("工作总结.pdf", factories.PDF)).current_version

    assert objects(s3_bucket) == [version.file.name]
    assert stored_files(media_root) == []
    grants = s3_bucket.get_object_acl(Bucket=BUCKET, Key=version.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    response = client_for(world.sjz_operator).get(reverse("materials:version-download", args=[version.pk]))
    assert response.status_code == 200
    assert read_streamed(response) == factories.PDF


def test_s3_storage_keeps_a_jobs_result_file_in_the_bucket(world, client_for, s3_bucket, media_root):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 7})
    run_queued_jobs()
    job.refresh_from_db()

    assert objects(s3_bucket) == [job.result_file]
    response = client_for(world.province_staff).get(reverse("jobs:download", args=[job.pk]))
    assert read_streamed(response) == b"7"


def settings_of(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['default'])"
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, timeout=60, check=False
    )


def test_s3_storage_is_chosen_by_the_environment_and_needs_its_bucket():
    chosen = settings_of({"MEDIA_STORAGE": "s3", "S3_BUCKET": "media", "S3_ENDPOINT_URL": "http://127.0.0.1:9000"})
    assert chosen.returncode == 0, chosen.stderr
    assert "storages.backends.s3.S3Storage" in chosen.stdout
    assert "'endpoint_url': 'http://127.0.0.1:9000'" in chosen.stdout

    missing = settings_of({"MEDIA_STORAGE": "s3"})
    assert missing.returncode != 0
    assert "S3_BUCKET must be set" in missing.stderr

    local = settings_of({})
    assert "FileSystemStorage" in local.stdout
