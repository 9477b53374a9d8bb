"""The engine-neutral copy of a table: every row of a model's table read and written as
the columns hold it, through a plain Django field of the column's type (dates, decimals,
booleans: the part that differs between engines) and never through a model field's own
conversions, so that sealed values (core.crypto) stay sealed and JSON stays as stored."""

import base64
import datetime
import decimal
import hashlib
import importlib.util
import json
import uuid
from collections.abc import Iterator

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import ExpressionWrapper, F

from backups.archive import BackupError

READ_CHUNK = 2000
INSERT_BATCH = 1000


def backed_up_models() -> list[type[models.Model]]:
    """One model per table that migrations create, by table name: every concrete, managed
    model, auto-created many-to-many tables included, proxies and unmanaged views left out."""
    by_table = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if not opts.proxy and opts.managed:
            by_table.setdefault(opts.db_table, model)
    return [by_table[table] for table in sorted(by_table)]


def _plain_field(field: models.Field) -> models.Field:
    """A Django field of the column's type without the model field's own conversions:
    a foreign key reads as its target's column, an encrypted text as the text it holds,
    JSON as its text (JSON null and SQL NULL stay apart)."""
    if field.is_relation:
        return _plain_field(field.target_field)
    internal = field.get_internal_type()
    if internal.endswith("AutoField"):
        return models.BigIntegerField()
    if internal == "JSONField":
        return models.TextField()
    if internal == "DecimalField":
        return models.DecimalField(max_digits=field.max_digits, decimal_places=field.decimal_places)
    field_class = getattr(models, internal, None)
    if not (isinstance(field_class, type) and issubclass(field_class, models.Field)):
        raise BackupError(f"{field.model._meta.label}.{field.name}: no neutral form for a column of type {internal}")
    return field_class()


def _stored_fields(model) -> list[models.Field]:
    # Generated columns are computed by the database: they are neither copied nor written.
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def table_columns(model) -> list[list[str]]:
    """[column, type] of each stored column of `model`'s table, as the manifest lists them."""
    return [[f.column, _plain_field(f).get_internal_type()] for f in _stored_fields(model)]


def read_rows(model) -> Iterator[tuple]:
    """Every row of `model`'s table by primary key, in the column order of table_columns,
    as plain Python values. Streams: memory stays flat whatever the table's size."""
    expressions = [ExpressionWrapper(F(f.attname), output_field=_plain_field(f)) for f in _stored_fields(model)]
    return model._base_manager.order_by("pk").values_list(*expressions).iterator(chunk_size=READ_CHUNK)


def _microseconds(value: datetime.timedelta) -> int:
    return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds


_ENCODERS = {
    "DateTimeField": datetime.datetime.isoformat,
    "DateField": datetime.date.isoformat,
    "TimeField": datetime.time.isoformat,
    "DecimalField": str,
    "UUIDField": str,
    "DurationField": _microseconds,
    "BinaryField": lambda value: base64.b64encode(bytes(value)).decode("ascii"),
}
_DECODERS = {
    "DateTimeField": datetime.datetime.fromisoformat,
    "DateField": datetime.date.fromisoformat,
    "TimeField": datetime.time.fromisoformat,
    "DecimalField": decimal.Decimal,
    "UUIDField": uuid.UUID,
    "DurationField": lambda value: datetime.timedelta(microseconds=value),
    "BinaryField": base64.b64decode,
}


# Column types whose JSON value is what both drivers take as it is.
_NATIVE_TYPES = {
    "BigIntegerField",
    "IntegerField",
    "SmallIntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "BooleanField",
    "FloatField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "FileField",
    "ImageField",
    "FilePathField",
}


def table_lines(model) -> Iterator[bytes]:
    """Every row of `model`'s table as one line of JSON, in the column order of table_columns."""
    encoders = [_ENCODERS.get(kind) for _, kind in table_columns(model)]
    for row in read_rows(model):
        values = [v if encode is None or v is None else encode(v) for v, encode in zip(row, encoders, strict=True)]
        yield json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def insert_rows(stream, entry: dict, model) -> int:
    """Insert the rows of one archived table (a stream of JSON lines), checking the
    member's checksum and row count as it goes. Returns the number of rows.

    Rows go in with their archived keys through COPY on PostgreSQL (seven times faster
    than INSERTs there) and batches of executemany on SQLite, never through bulk_create:
    the model fields' own preparation would seal sealed values a second time."""
    fields = _stored_fields(model)
    database = connections[DEFAULT_DB_ALIAS]  # the proxy's lookup per value costs a fifth of the time
    decoders = [_DECODERS.get(kind) for _, kind in entry["columns"]]
    # COPY takes Python's dates, decimals and UUIDs as they are. For INSERTs, numbers, text
    # and booleans go as they are, other types through the plain field's preparation for
    # this engine (time zones, decimals, UUIDs, addresses).
    copying = database.vendor == "postgresql" and importlib.util.find_spec("psycopg") is not None  # as Django picks it
    preparers = [
        None if copying or kind in _NATIVE_TYPES else _plain_field(f).get_db_prep_save
        for f, (_, kind) in zip(fields, entry["columns"], strict=True)
    ]
    converters = list(zip(decoders, preparers, strict=True))
    sha256 = hashlib.sha256()

    def convert(value, decode, prepare):
        if value is None:
            return None
        if decode is not None:
            value = decode(value)
        return value if prepare is None else prepare(value, database)

    def rows() -> Iterator[list]:
        for line in stream:
            sha256.update(line)
            yield [convert(value, *pair) for value, pair in zip(json.loads(line), converters, strict=True)]

    quote = database.ops.quote_name
    table, columns = quote(entry["table"]), ", ".join(quote(f.column) for f in fields)
    count = 0
    with database.cursor() as cursor:
        if copying:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608  (names come from the model, values are parameters)
            batch = []
            for row in rows():
                batch.append(row)
                if len(batch) == INSERT_BATCH:
                    cursor.executemany(sql, batch)
                    count, batch = count + len(batch), []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    if sha256.hexdigest() != entry["sha256"] or count != entry["rows"]:
        raise BackupError(f"{entry['member']} changed while it was being restored")
    return count
