import hashlib
import importlib
import io
import json
import random
import tarfile
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import User
from audit.chain import verify_chain
from audit.models import AuditRecord, ChainHead
from backups import archive as archives
from backups import services, tables
from organisations.models import Kind, Organisation

# A few uploads like the platform's: nested names, a Chinese name, and one file larger than
# the restore's in-memory limit so that the spooling to disk is walked too.
UPLOADS = {
    "materials/2026/11/evidence.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
    "notices/attachments/关于开展创建活动的通知.docx": b"PK\x03\x04" + b"\x00docx" * 3000,
    "inspections/photos/site.jpg": b"\xff\xd8\xff\xe0" + random.Random(7).randbytes(50_000),
    "exports/units.bin": random.Random(8).randbytes(services.SPOOL_BYTES + 12345),
}


def seed_demo():
    call_command("seed_demo", stdout=StringIO())


def upload_files():
    for name, content in UPLOADS.items():
        assert default_storage.save(name, ContentFile(content)) == name


def backup(path):
    out = StringIO()
    call_command("backup", "--output", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def restore(path):
    out = StringIO()
    call_command("restore", str(path), "--yes", stdout=out, stderr=StringIO())
    return out.getvalue()


def table_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table as the database holds it, read with plain SQL: sealed
    values as their ciphertext, JSON as the database keeps it."""
    quote = connection.ops.quote_name
    snapshot = {}
    with connection.cursor() as cursor:
        for model in tables.backed_up_models():
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(model._meta.pk.column)}")
            snapshot[table] = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor]
    return snapshot


def columns_of(table) -> list[str]:
    return [column.name for column in connection.introspection.get_table_description(connection.cursor(), table)]


def media_snapshot() -> dict[str, bytes]:
    files = {}
    for name in archives.storage_files():
        with default_storage.open(name, "rb") as source:
            files[name] = source.read()
    return files


def empty_the_deployment():
    """What a freshly migrated deployment holds: content types and permissions (made
    after migrate), the 2014 campaign and the audit chain head (data migrations)."""
    call_command("flush", interactive=False, verbosity=0)
    importlib.import_module("campaigns.migrations.0002_load_2014_campaign_and_trial_standard").load_campaign(apps, None)
    importlib.import_module("audit.migrations.0003_seal_existing_records").seal_existing(apps, None)
    for name in list(archives.storage_files()):
        default_storage.delete(name)


def rewrite_archive(source, target, change, *, manifest_too=False):
    """Copy the archive `source` to `target` with `change(name, data) -> data` applied to
    every member, and give it a checksum file that matches: a forgery consistent on the
    outside. With `manifest_too`, the manifest is made to match the changed members."""
    with tarfile.open(source, "r:gz") as reader, tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as writer:
        changed = {}
        for member in reader:
            data = reader.extractfile(member).read()
            if member.name == archives.MANIFEST and manifest_too:
                manifest = json.loads(data)
                for entry in manifest["tables"] + manifest["files"]:
                    if entry["member"] in changed:
                        entry["size"], entry["sha256"] = (
                            len(changed[entry["member"]]),
                            hashlib.sha256(changed[entry["member"]]).hexdigest(),
                        )
                        if "rows" in entry:
                            entry["rows"] = changed[entry["member"]].count(b"\n")
                data = json.dumps(manifest).encode()
            elif (new := change(member.name, data)) != data:
                changed[member.name] = data = new
            member.size = len(data)
            writer.addfile(member, io.BytesIO(data))
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    archives.checksum_path_of(target).write_text(f"{digest}  {target.name}\n")


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_every_table_and_every_file_of_the_demo(tmp_path, seeded_campaign):
    seed_demo()
    upload_files()
    tables_before, files_before = table_snapshot(), media_snapshot()
    sealed = [v for rows in tables_before.values() for row in rows for v in row if str(v).startswith("enc:")]
    assert sealed, "the demo should hold sealed personal numbers"
    archive = tmp_path / "demo.tar.gz"

    output = backup(archive)

    assert "Backup written to" in output
    checksum = archives.checksum_path_of(archive).read_text()
    assert checksum == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  demo.tar.gz\n"
    assert sorted(tmp_path.iterdir()) == [archive, archives.checksum_path_of(archive)]
    audit = AuditRecord.objects.get(action="system.backup")
    assert (audit.actor_id, audit.details["path"], audit.details["files"]) == (None, str(archive), len(UPLOADS))

    empty_the_deployment()
    tables_empty = table_snapshot()
    assert files_before.keys() == set(UPLOADS)
    assert media_snapshot() == {}

    # A damaged archive is refused before anything changes: one byte changed...
    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    archives.checksum_path_of(damaged).write_text(checksum.replace("demo.tar.gz", "damaged.tar.gz"))
    with pytest.raises(CommandError, match="checksum mismatch"):
        restore(damaged)
    # ...or one byte of a file changed, with the archive's checksum made to match.
    forged = tmp_path / "forged.tar.gz"
    rewrite_archive(archive, forged, lambda name, data: data.replace(b"%PDF-1.4", b"%PDF-1.5"))
    with pytest.raises(
        CommandError, match=r"1 member\(s\) differ from the manifest, first 'files/materials/2026/11/evidence.pdf'"
    ):
        restore(forged)
    assert (table_snapshot(), media_snapshot()) == (tables_empty, {})
    # An archive true to its manifest whose rows do not hold together (every organisation
    # gone): the database refuses at the commit, and the files already written go again.
    orphans = tmp_path / "orphans.tar.gz"
    organisations = f"{archives.DB_DIR}{Organisation._meta.db_table}.jsonl"
    rewrite_archive(archive, orphans, lambda name, data: b"" if name == organisations else data, manifest_too=True)
    with pytest.raises(CommandError, match="the restore failed and was undone"):
        restore(orphans)
    assert (table_snapshot(), media_snapshot()) == (tables_empty, {})
    # A file left by an interrupted restore is the archive's own: it is accepted.
    default_storage.save("materials/2026/11/evidence.pdf", ContentFile(UPLOADS["materials/2026/11/evidence.pdf"]))

    output = restore(archive)

    assert f"and {len(UPLOADS)} files" in output
    assert media_snapshot() == files_before
    tables_after = table_snapshot()
    # The restore added its own audit record at the end of the chain, and moved the chain
    # head to it; everything else is the archive's, row by row and value by value.
    record = AuditRecord.objects.order_by("id").last()
    assert (record.action, record.actor_id, record.details["rows"]) == (
        "system.restore",
        None,
        sum(len(rows) for rows in tables_before.values()),
    )
    audit_table, head_table = AuditRecord._meta.db_table, ChainHead._meta.db_table
    assert tables_after[audit_table][:-1] == tables_before[audit_table]
    assert len(tables_after[audit_table]) == len(tables_before[audit_table]) + 1
    head_columns = columns_of(head_table)
    [head_before], [head_after] = tables_before[head_table], tables_after[head_table]
    expected_head = dict(zip(head_columns, head_before, strict=True)) | {
        "last_hash": record.hash,
        "last_record_id": record.pk,
    }
    assert dict(zip(head_columns, head_after, strict=True)) == expected_head
    for table in tables_before.keys() - {audit_table, head_table}:
        assert tables_after[table] == tables_before[table], table
    assert tables_after.keys() == tables_before.keys()
    assert verify_chain().intact
    # The keys go on from the restored rows: a new row does not collide with them.
    fresh = Organisation.objects.create(
        name="新县", kind=Kind.COUNTY, parent=Organisation.objects.get(kind=Kind.PROVINCE)
    )
    assert fresh.pk > max(row[0] for row in tables_before[Organisation._meta.db_table])

    # Now the deployment is not empty any more: a second restore is refused.
    with pytest.raises(CommandError, match="not empty"):
        restore(archive)


def test_restore_refuses_a_deployment_that_is_not_empty_and_changes_nothing(db, tmp_path):
    seed_demo()
    upload_files()
    archive = tmp_path / "demo.tar"
    backup(archive)
    default_storage.save("materials/later.pdf", ContentFile(b"%PDF-1.4 later"))
    tables, files = table_snapshot(), media_snapshot()

    with pytest.raises(CommandError) as refusal:
        restore(archive)

    users, organisations = User.objects.count(), Organisation.objects.count()
    assert f"this deployment is not empty: {users} rows of accounts.User in the database; " in str(refusal.value)
    assert f"; {organisations} rows of organisations.Organisation in the database; " in str(refusal.value)
    assert "1 other file(s) in the media storage, first 'materials/later.pdf'" in str(refusal.value)
    assert (table_snapshot(), media_snapshot()) == (tables, files)


def test_restore_refuses_an_archive_of_another_migration_state(db, tmp_path):
    archive = tmp_path / "empty.tar.gz"
    backup(archive)
    latest = MigrationRecorder.Migration.objects.filter(app="campaigns").latest("id")
    latest.delete()

    with pytest.raises(
        CommandError, match=rf"another migration state.*only in the archive: \['campaigns.{latest.name}'\]"
    ):
        restore(archive)


def test_restore_refuses_an_archive_without_its_checksum(db, tmp_path):
    archive = tmp_path / "demo.tar.gz"
    backup(archive)
    archives.checksum_path_of(archive).unlink()

    with pytest.raises(CommandError, match=r"demo.tar.gz.sha256 is missing"):
        restore(archive)


def test_backup_never_overwrites_an_archive(db, tmp_path):
    archive = tmp_path / "demo.tar.gz"
    archive.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="exists already"):
        backup(archive)

    assert archive.read_bytes() == b"an older backup"
    assert not archives.checksum_path_of(archive).exists()


def test_backup_archive_lists_every_table_and_file_with_its_checksum(db, tmp_path):
    seed_demo()
    upload_files()
    archive = tmp_path / "demo.tar"
    backup(archive)

    manifest = archives.verify_archive(archive)

    assert {t["table"] for t in manifest["tables"]} == {m._meta.db_table for m in tables.backed_up_models()}
    assert {"accounts_user_user_permissions", "django_session", "django_content_type", "auth_permission"} <= {
        t["table"] for t in manifest["tables"]
    }
    rows = {t["table"]: t["rows"] for t in manifest["tables"]}
    assert rows[Organisation._meta.db_table] == Organisation.objects.count()
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == {
        name: hashlib.sha256(content).hexdigest() for name, content in UPLOADS.items()
    }
    assert (manifest["format_version"], manifest["database_vendor"]) == (1, connection.vendor)
    applied = MigrationRecorder(connection).applied_migrations()
    assert sorted((app, name) for app, names in manifest["migrations"].items() for name in names) == sorted(applied)
