"""How a file reaches the storage: hashed on the way, and the clean-up of what a crash
left behind."""

import datetime
import hashlib
import io
import os
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from materials import services
from materials.models import MaterialVersion
from materials.uploads import HashingReader
from tests.materials.conftest import stored_files
from tests.materials.factories import make_material


def test_storage_hash_restarts_when_the_storage_rewinds():
    content = b"0123456789" * 1000
    reader = HashingReader(SimpleUploadedFile("a.pdf", content), content_type="application/pdf")
    reader.read(100)
    reader.seek(0)
    assert b"".join(reader.chunks(chunk_size=333)) == content
    assert reader.hexdigest() == hashlib.sha256(content).hexdigest()


def test_storage_hash_gives_up_when_the_storage_jumps():
    content = b"0123456789" * 1000
    reader = HashingReader(SimpleUploadedFile("a.pdf", content), content_type="application/pdf")
    reader.seek(0)
    reader.read(10)
    reader.seek(500)
    reader.read()
    assert reader.hexdigest() is None


def test_storage_hash_of_a_large_upload_is_right(world, client_for, media_root, settings):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE Django spools the upload to a temporary file:
    # it is copied in chunks, never read whole, and hashed on the way.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    content = b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024) + b"\n%%EOF\n"
    response = client_for(world.sjz_operator).post(
        reverse("materials:upload"), {"kind": "supporting", "file": SimpleUploadedFile("大文件.pdf", content)}
    )
    assert response.status_code == 302
    version = MaterialVersion.objects.get()
    assert (version.size, version.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert (media_root / version.file.name).read_bytes() == content


def _orphan(media_root, folder: str, age_hours: float) -> str:
    path = media_root / "materials" / folder / "0123.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.4 orphan")
    then = time.time() - age_hours * 3600
    os.utime(path, (then, then))
    return f"materials/{folder}/0123.pdf"


def test_storage_sweep_deletes_old_orphans_only(world, media_root):
    kept = make_material(operator=world.sjz_operator).current_version.file.name
    old = _orphan(media_root, "a" * 32, age_hours=48)
    recent = _orphan(media_root, "b" * 32, age_hours=1)
    assert services.sweep_orphan_files(older_than=datetime.timedelta(hours=24), dry_run=True) == [old]
    assert old in stored_files(media_root)
    assert services.sweep_orphan_files(older_than=datetime.timedelta(hours=24)) == [old]
    assert stored_files(media_root) == sorted([kept, recent])


def test_storage_sweep_with_nothing_stored(db, media_root):
    assert services.sweep_orphan_files(older_than=datetime.timedelta(hours=1)) == []


def test_storage_sweep_command(world, media_root):
    old = _orphan(media_root, "c" * 32, age_hours=30)
    out = io.StringIO()
    call_command("sweep_material_files", "--older-than-hours", "24", stdout=out)
    assert out.getvalue().splitlines() == [old, "1 orphan files deleted."]
    assert stored_files(media_root) == []
