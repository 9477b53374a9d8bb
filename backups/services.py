"""Backup and restore of a whole deployment: every table of the database and every file of
the media storage in one tar archive, with a checksum.

An archive (format 1) holds, in this order:

    db/<table>.jsonl   one member per table of a model, auto-created many-to-many tables,
                       sessions, content types, permissions and the task queue included:
                       one JSON list per row, columns in the manifest's order, by primary key
    files/<name>       every file of default_storage under its storage name
    manifest.json      last, because it carries the size and SHA-256 of every member above,
                       the migration state, the row counts and where the archive came from

and beside it `<archive>.sha256` holds the SHA-256 of the archive itself, in the format of
`sha256sum` (so `sha256sum -c` checks it too).

Values are copied as the columns hold them (backups.tables), read and written through a
plain Django field of the column's type (the engine-neutral part: dates, decimals,
booleans) and never through a model field's own conversions. Sealed personal numbers (core.crypto, "enc:...") therefore
stay sealed: the archive cannot be read without FIELD_ENCRYPTION_KEYS, and a restored
deployment needs the same keys. The audit chain's fields are copied like any other column,
so the chain still verifies after a restore. No table is treated by name, except for the
three that decide whether a deployment is empty (deployment_problems).
"""

import dataclasses
import gzip
import json
import os
import tarfile
import tempfile
import time
import tomllib
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from backups.archive import (
    COPY_BUFFER,
    DB_DIR,
    FILES_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    BytesReader,
    HashingReader,
    HashingWriter,
    Progress,
    checksum_path_of,
    quiet,
    sha256_of,
    storage_files,
    verify_archive,
    write_atomically,
)
from backups.tables import backed_up_models, insert_rows, table_columns, table_lines

# A file member of up to this size is checked in memory before it goes to the storage.
SPOOL_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class BackupResult:
    path: Path
    checksum_path: Path
    sha256: str
    size: int
    tables: int
    rows: int
    files: int
    file_bytes: int
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    files: int
    file_bytes: int
    seconds: float


def _platform_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as source:
            return tomllib.load(source)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return ""


def _git_commit() -> str:
    """The commit of the working tree, read from .git without running git; "" outside one."""
    git = Path(settings.BASE_DIR) / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[len("ref: ") :]
        if (git / ref).is_file():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line.split()[0]
    except OSError:
        pass
    return ""


def applied_migrations() -> dict[str, list[str]]:
    """The migrations recorded as applied in this database, by app."""
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def _add_member(tar: tarfile.TarFile, name: str, stream, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, stream)


def _write_table(tar: tarfile.TarFile, model) -> dict:
    """Serialise one table into a temporary file (a tar member's size comes before its
    data), then into the archive. Returns the table's entry of the manifest."""
    rows = 0
    with tempfile.TemporaryFile() as spool:
        writer = HashingWriter(spool)
        for line in table_lines(model):
            writer.write(line)
            rows += 1
        spool.seek(0)
        member = f"{DB_DIR}{model._meta.db_table}.jsonl"
        _add_member(tar, member, spool, writer.size)
    return {
        "table": model._meta.db_table,
        "model": model._meta.label,
        "member": member,
        "columns": table_columns(model),
        "rows": rows,
        "size": writer.size,
        "sha256": writer.sha256.hexdigest(),
    }


def _write_database(tar: tarfile.TarFile, manifest: dict, progress: Progress) -> None:
    """Every table and the migration state, from one snapshot of the database.

    PostgreSQL reads in one REPEATABLE READ transaction, so that rows written meanwhile by
    the running platform appear in no table or in all. SQLite's transaction (BEGIN
    IMMEDIATE in our settings) holds the write lock while the tables are read: writes of
    the platform wait meanwhile (up to the busy timeout of 20 s)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest["migrations"] = applied_migrations()
        for model in backed_up_models():
            started = time.monotonic()
            entry = _write_table(tar, model)
            manifest["tables"].append(entry)
            if entry["rows"]:
                progress(f"  {entry['table']}: {entry['rows']} rows, {time.monotonic() - started:.1f} s")


def _write_files(tar: tarfile.TarFile, manifest: dict, progress: Progress) -> None:
    """Every file of the media storage, streamed into the archive. Files come after the
    database snapshot: every file a row names was there when the rows were read (files are
    never changed in place), and a file added meanwhile is only an unused extra."""
    total = 0
    for number, name in enumerate(storage_files(), start=1):
        try:
            size = default_storage.size(name)
            source = default_storage.open(name, "rb")
        except FileNotFoundError:
            progress(f"  {name}: deleted while the backup ran, left out")
            continue
        with source:
            reader = HashingReader(source)
            _add_member(tar, FILES_DIR + name, reader, size)
        manifest["files"].append(
            {"name": name, "member": FILES_DIR + name, "size": size, "sha256": reader.sha256.hexdigest()}
        )
        total += size
        if number % 100 == 0:
            progress(f"  {number} files, {total} bytes")
    progress(f"  files: {len(manifest['files'])}, {total} bytes")


def default_backup_path() -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"


def create_backup(*, output: Path, progress: Progress = quiet) -> BackupResult:
    """Write the whole deployment (every table, every media file) to the archive `output`
    (gzip-compressed when its name ends in .gz or .tgz) and its checksum beside it.

    The archive is written under a temporary name and renamed only when complete, so an
    interrupted backup leaves no archive that looks whole. Audited as "system.backup"
    (no actor: it runs from the command line). Raises BackupError when `output` exists."""
    from audit.services import record_event

    started = time.monotonic()
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists already: choose another name")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "platform_version": _platform_version(),
        "git_commit": _git_commit(),
        "database_vendor": connection.vendor,
        "media_storage": settings.MEDIA_STORAGE,
        "sealed_values": "columns of core.crypto fields hold values sealed with FIELD_ENCRYPTION_KEYS",
        "migrations": {},
        "tables": [],
        "files": [],
    }
    try:
        with open(partial, "wb") as raw:
            sink = HashingWriter(raw)
            # gzip is applied here rather than by tarfile: its stream mode has no
            # compression level before Python 3.12 and would use the slowest.
            compressed = output.name.endswith((".gz", ".tgz"))
            gz = gzip.GzipFile(filename="", mode="wb", fileobj=sink, compresslevel=6) if compressed else None
            with tarfile.open(fileobj=gz or sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                progress("Database:")
                _write_database(tar, manifest, progress)
                progress("Media files:")
                _write_files(tar, manifest, progress)
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                _add_member(tar, MANIFEST, BytesReader(data), len(data))
            if gz is not None:
                gz.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    digest = sink.sha256.hexdigest()
    checksum = checksum_path_of(output)
    write_atomically(checksum, f"{digest}  {output.name}\n".encode())
    result = BackupResult(
        path=output,
        checksum_path=checksum,
        sha256=digest,
        size=sink.size,
        tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"]),
        files=len(manifest["files"]),
        file_bytes=sum(f["size"] for f in manifest["files"]),
        seconds=time.monotonic() - started,
    )
    with transaction.atomic():
        record_event(
            actor=None,
            action="system.backup",
            details={
                "path": str(output),
                "sha256": digest,
                "size": result.size,
                "tables": result.tables,
                "rows": result.rows,
                "files": result.files,
                "file_bytes": result.file_bytes,
            },
        )
    return result


def _check_migrations(manifest: dict) -> None:
    here = {(app, name) for app, names in applied_migrations().items() for name in names}
    there = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    if here != there:
        only_archive = sorted(f"{app}.{name}" for app, name in there - here)
        only_here = sorted(f"{app}.{name}" for app, name in here - there)
        raise BackupError(
            "the archive was made at another migration state: bring this deployment to the archive's release "
            f"first (applied only in the archive: {only_archive[:10]}; applied only here: {only_here[:10]})"
        )


def _target_models(manifest: dict) -> dict[str, type[models.Model]]:
    """The model of each archived table, after checking that the tables and their columns
    are those of this deployment."""
    models_by_table = {m._meta.db_table: m for m in backed_up_models()}
    archived = {t["table"] for t in manifest["tables"]}
    if archived != set(models_by_table):
        raise BackupError(
            f"the archive's tables differ from this deployment's (only in the archive: "
            f"{sorted(archived - set(models_by_table))[:5]}; only here: {sorted(set(models_by_table) - archived)[:5]})"
        )
    for table in manifest["tables"]:
        columns = table_columns(models_by_table[table["table"]])
        if table["columns"] != columns:
            raise BackupError(f"the columns of {table['table']} differ: archive {table['columns']}, here {columns}")
    return models_by_table


def deployment_problems(manifest: dict) -> list[str]:
    """Why this deployment is not empty, or [] when it is.

    Empty means: migrated (the caller checks the state), no user account, no organisation,
    no audit record, and no file in the media storage other than identical copies of the
    archive's own (left by an interrupted restore, which may thus simply be run again).
    Whatever else a fresh `migrate` creates (content types, permissions, the 2014 campaign
    and its standard loaded by data migrations) is replaced by the archive's rows."""
    from audit.models import AuditRecord
    from organisations.models import Organisation

    problems = []
    for model in (get_user_model(), Organisation, AuditRecord):
        count = model._base_manager.count()
        if count:
            problems.append(f"{count} rows of {model._meta.label} in the database")
    archived = {f["name"]: f["sha256"] for f in manifest["files"]}
    strangers = []
    for name in storage_files():
        with default_storage.open(name, "rb") as source:
            if name not in archived or sha256_of(source)[1] != archived[name]:
                strangers.append(name)
    if strangers:
        problems.append(f"{len(strangers)} other file(s) in the media storage, first {strangers[0]!r}")
    return problems


def _defer_constraints() -> None:
    # Django declares every foreign key DEFERRABLE INITIALLY DEFERRED on both engines;
    # saying so again keeps the restore right should that ever change.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA defer_foreign_keys = ON")


def _empty_tables(models_by_table: dict) -> None:
    """Delete the rows migrations left (content types, permissions, the 2014 campaign).
    Raw DELETEs: no cascade, no signal; checked at commit, with the new rows in place.
    Tables without rows are not touched at all."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in models_by_table:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608  (names come from the models)
            if cursor.fetchone():
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608


def _restore_file(stream, entry: dict) -> None:
    """Copy one archived file into the media storage under its own name, checked first."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        reader = HashingReader(stream)
        while chunk := reader.read(COPY_BUFFER):
            spool.write(chunk)
        if reader.sha256.hexdigest() != entry["sha256"]:
            raise BackupError(f"{entry['member']} changed while it was being restored")
        spool.seek(0)
        saved = default_storage.save(entry["name"], File(spool, name=entry["name"]))
    if saved != entry["name"]:
        default_storage.delete(saved)
        raise BackupError(f"the media storage would not keep the name {entry['name']!r} (it gave {saved!r})")


def _reset_sequences(models_by_table: dict) -> None:
    """Keys came from the archive: PostgreSQL's sequences must move past them (SQLite's
    AUTOINCREMENT does so by itself)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_by_table.values())):
            cursor.execute(statement)


def restore_backup(*, path: Path, progress: Progress = quiet) -> RestoreResult:
    """Bring the deployment of the archive `path` back into this empty deployment.

    Before anything changes: the archive's checksum and every member are verified, the
    migration state and the tables' columns must equal this deployment's, and the
    deployment must be empty (deployment_problems). Any of these raises BackupError.

    Then, in one database transaction with foreign-key checks deferred to the commit: the
    rows migrations left are deleted, every archived row is inserted with its own key, the
    sequences are reset, the restore is audited ("system.restore"), and the media files are
    written into the storage under their own names, still before the commit. If anything
    fails, the exception rolls the transaction back and every file written is deleted
    again: the deployment is left empty, as it was. If the process is killed instead, the
    database rolls back by itself and the files left over are identical copies of the
    archive's, which a new run of the restore accepts."""
    from audit.services import record_event

    started = time.monotonic()
    path = Path(path)
    manifest = verify_archive(path, progress)
    _check_migrations(manifest)
    models_by_table = _target_models(manifest)
    problems = deployment_problems(manifest)
    if problems:
        raise BackupError("this deployment is not empty: " + "; ".join(problems))
    tables = {e["member"]: e for e in manifest["tables"]}
    files = {e["member"]: e for e in manifest["files"]}
    present = set(storage_files())  # identical copies, checked above: kept as they are
    written: list[str] = []
    rows = 0
    try:
        with transaction.atomic():
            _defer_constraints()
            _empty_tables(models_by_table)
            progress("Restoring:")
            with tarfile.open(path, mode="r|*") as tar:
                for member in tar:
                    if member.name in tables:
                        entry = tables[member.name]
                        table_started = time.monotonic()
                        rows += insert_rows(tar.extractfile(member), entry, models_by_table[entry["table"]])
                        if entry["rows"]:
                            progress(
                                f"  {entry['table']}: {entry['rows']} rows, {time.monotonic() - table_started:.1f} s"
                            )
                    elif member.name in files and files[member.name]["name"] not in present:
                        _restore_file(tar.extractfile(member), files[member.name])
                        written.append(files[member.name]["name"])
                        if len(written) % 100 == 0:
                            progress(f"  {len(written)} files")
            _reset_sequences(models_by_table)
            result = RestoreResult(
                tables=len(tables),
                rows=rows,
                files=len(files),
                file_bytes=sum(e["size"] for e in files.values()),
                seconds=time.monotonic() - started,
            )
            record_event(
                actor=None,
                action="system.restore",
                details={
                    "path": str(path),
                    "sha256": checksum_path_of(path).read_text().split()[0],
                    "created_at": manifest["created_at"],
                    "source_database": manifest["database_vendor"],
                    "git_commit": manifest["git_commit"],
                    "tables": result.tables,
                    "rows": result.rows,
                    "files": result.files,
                    "file_bytes": result.file_bytes,
                },
            )
    except (DatabaseError, tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        for name in written:
            default_storage.delete(name)
        raise BackupError(f"the restore failed and was undone: {error}") from error
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    finally:
        ContentType.objects.clear_cache()
    # The time includes the commit, where the deferred foreign keys are checked.
    return dataclasses.replace(result, seconds=time.monotonic() - started)
