"""The archive's format and its checks: members, manifest, checksums, and the walk of the
media storage. Reads only; backups.services writes and restores."""

import hashlib
import json
import os
import tarfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from django.core.files.storage import default_storage

FORMAT = "sfd-platform-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_DIR = "db/"
FILES_DIR = "files/"
COPY_BUFFER = 1024 * 1024

Progress = Callable[[str], None]


def quiet(message: str) -> None:
    pass


class BackupError(Exception):
    """The archive or the target deployment is not fit for the operation. Raised before
    anything was changed, or after everything that was changed has been undone."""


class HashingWriter:
    """A write-only file that hashes and counts what goes through it."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def write(self, data) -> int:
        self.raw.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.raw.flush()


class HashingReader:
    """A read-only file that hashes what is read from it."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def sha256_of(stream) -> tuple[int, str]:
    reader = HashingReader(stream)
    while reader.read(COPY_BUFFER):
        pass
    return reader.size, reader.sha256.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def checksum_path_of(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


class BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def storage_files(storage=default_storage) -> Iterator[str]:
    """Every file name of `storage`, walked through listdir (local disk and S3 alike)."""

    def walk(directory: str) -> Iterator[str]:
        try:
            directories, files = storage.listdir(directory)
        except FileNotFoundError:
            return
        prefix = f"{directory}/" if directory else ""
        for name in sorted(files):
            yield prefix + name
        for name in sorted(directories):
            yield from walk(prefix + name)

    yield from walk("")


def _check_manifest_shape(manifest) -> None:
    try:
        if manifest["format"] != FORMAT:
            raise BackupError("this is not a backup of the platform")
        if manifest["format_version"] != FORMAT_VERSION:
            raise BackupError(f"archive format {manifest['format_version']} is not supported (only {FORMAT_VERSION})")
        for table in manifest["tables"]:
            if table["member"] != f"{DB_DIR}{table['table']}.jsonl":
                raise BackupError(f"unexpected member {table['member']}")
            str(table["sha256"]), int(table["size"]), int(table["rows"]), list(table["columns"])
        for file in manifest["files"]:
            name = file["name"]
            if file["member"] != FILES_DIR + name or name.startswith("/") or ".." in name.split("/"):
                raise BackupError(f"unsafe file name in the archive: {name!r}")
            str(file["sha256"]), int(file["size"])
        dict(manifest["migrations"])
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"the archive's manifest is malformed ({error!r})") from error


def verify_archive(path: Path, progress: Progress = quiet) -> dict:
    """Check the archive against its checksum file, then every member against the
    manifest (present, same size, same SHA-256, nothing extra). Returns the manifest;
    raises BackupError on the first fault. Reads the archive, changes nothing."""
    path = Path(path)
    checksum = checksum_path_of(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such archive")
    if not checksum.is_file():
        raise BackupError(f"{checksum} is missing: an archive is restored only with its checksum")
    expected = (checksum.read_text(errors="replace").split() or [""])[0].lower()
    progress("Checking the archive's checksum...")
    with open(path, "rb") as source:
        _, actual = sha256_of(source)
    if actual != expected:
        raise BackupError(
            f"checksum mismatch: the archive is damaged or was changed (expected {expected}, got {actual})"
        )
    progress("Checking every member...")
    found: dict[str, tuple[int, str]] = {}
    manifest = None
    try:
        with tarfile.open(path, mode="r|*") as tar:
            for member in tar:
                if not member.isfile() or member.name in found or (member.name == MANIFEST and manifest is not None):
                    raise BackupError(f"unexpected member {member.name!r} in the archive")
                stream = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(stream.read())
                else:
                    found[member.name] = sha256_of(stream)
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        raise BackupError(f"the archive cannot be read: {error}") from error
    if manifest is None:
        raise BackupError("the archive has no manifest")
    _check_manifest_shape(manifest)
    listed = {e["member"]: (e["size"], e["sha256"]) for e in manifest["tables"] + manifest["files"]}
    if len(listed) != len(manifest["tables"]) + len(manifest["files"]):
        raise BackupError("the manifest lists a member twice")
    missing, extra = sorted(set(listed) - set(found)), sorted(set(found) - set(listed))
    if missing or extra:
        raise BackupError(f"members missing: {missing[:5]}; members not in the manifest: {extra[:5]}")
    damaged = sorted(name for name in listed if found[name] != listed[name])
    if damaged:
        raise BackupError(f"{len(damaged)} member(s) differ from the manifest, first {damaged[0]!r}")
    return manifest
