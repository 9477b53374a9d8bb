"""Local calendar days and months of stored timestamps, computed by the database itself.

Django's TruncDate and TruncMonth call a Python function per row on SQLite (about 25 µs
each): over 20,000 applications that alone takes a second. SQLite's own date() and
strftime() take the offset as a modifier, so they run in C; PostgreSQL converts with AT
TIME ZONE. On SQLite the offset is the current time zone's offset now, exact for
Asia/Shanghai (China keeps no daylight saving time); other databases fall back to
Django's functions.
"""

from django.db.models import CharField, DateField, Func
from django.db.models.functions import TruncDate
from django.utils import timezone


def _offset_modifier() -> str:
    offset = timezone.localtime().utcoffset()
    return f"{int(offset.total_seconds()):+d} seconds"


class LocalDate(Func):
    """The local day (a date) of a datetime column."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        return TruncDate(*self.source_expressions).as_sql(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, %s)", (*params, _offset_modifier())

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) AT TIME ZONE %s)::date", (*params, timezone.get_current_timezone_name())


class LocalMonth(Func):
    """The local month of a datetime (or, with `is_date`, a date) column, as text YYYY-MM."""

    output_field = CharField()

    def __init__(self, expression, *, is_date=False):
        super().__init__(expression)
        self.is_date = is_date

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover (other databases)
        raise NotImplementedError("LocalMonth is written for SQLite and PostgreSQL")

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.is_date:
            return f"strftime('%%Y-%%m', {sql})", params
        return f"strftime('%%Y-%%m', {sql}, %s)", (*params, _offset_modifier())

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.is_date:
            return f"to_char({sql}, 'YYYY-MM')", params
        return f"to_char(({sql}) AT TIME ZONE %s, 'YYYY-MM')", (*params, timezone.get_current_timezone_name())
