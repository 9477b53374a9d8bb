"""Rows inserted in bulk with keys given by hand (the Excel import, the demo and bench
data): executemany of plain INSERTs, then the sequences moved past the keys."""

from django.core.management.color import no_style
from django.db import connection

from core.crypto import EncryptedCharField


def insert_rows(template, rows: list[dict]) -> None:
    """Insert `rows` of `template`'s model: each row gives some columns, the template the rest."""
    fields = template._meta.concrete_fields
    base = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Datetimes given per row need the adapter's preparation (time zone), personal numbers
    # their sealing (core.crypto); the rest go as they are.
    prepared = [f for f in fields if f.get_internal_type() == "DateTimeField" or isinstance(f, EncryptedCharField)]
    rows = [
        {**row, **{f.attname: f.get_db_prep_save(row[f.attname], connection) for f in prepared if f.attname in row}}
        for row in rows
    ]
    sql = f"INSERT INTO {connection.ops.quote_name(template._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608  (names come from the model, values are parameters)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[row.get(f.attname, base[f.attname]) for f in fields] for row in rows])


def reset_sequences(models) -> None:
    """Keys were given by hand: PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
