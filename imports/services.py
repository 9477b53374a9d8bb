"""Writing checked import rows in bulk.

Rows go in batches, each its own transaction, so that the job's page shows progress and
no transaction holds 100,000 rows' locks; the batches are the only writes. Each import
leaves one audit record with its counts (not one per row), or one failure record with
what was written before an error."""

from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import CharField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts import permissions as account_permissions
from accounts.models import User
from accounts.password_validation import initial_password
from audit.models import AuditRecord
from audit.services import apply_changes, record_event
from core.bulk import insert_rows
from core.roles import PROVINCE_ROLES, Role
from imports.checks import CheckReport, RowResult
from imports.layouts import INSPECTORS, OPERATORS, ORGANISATIONS
from inspections import pool_io
from organisations.models import Kind, Organisation, Status

# Rows per transaction: a few seconds of work at most, within every database's limits.
UNIT_BATCH = 5000
OPERATOR_BATCH = 200
UNIT_FIELDS = ("code", "name", "sector", "parent_id", "region_code", "address", "contact_name", "contact_phone")


def can_import(user) -> bool:
    """Only the provincial office imports: it is how a province gets onto the platform."""
    return user.is_authenticated and user.is_active and user.role in PROVINCE_ROLES


def _require_import(actor) -> None:
    if not can_import(actor):
        raise PermissionDenied


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _set_paths(pks: list[int]) -> None:
    """Give new organisations their materialised path and depth from their parent's,
    in one statement whatever the batch's size (the parent is already written)."""
    parent = Organisation.objects.filter(pk=OuterRef("parent_id"))
    Organisation.objects.filter(pk__in=pks).update(
        path=Concat(
            Subquery(parent.values("path")[:1]),
            Cast("pk", output_field=CharField()),
            Value("/"),
            output_field=CharField(),
        ),
        depth=Subquery(parent.values("depth")[:1]) + 1,
    )


def _audited(*, actor, kind: str, total: int, skipped: int, source: str, write) -> int:
    """Run `write()` (which returns the rows written so far through its own counter) and
    leave one audit record of the import, successful or not."""
    written = [0]
    try:
        write(written)
    except Exception:
        record_event(
            actor=actor,
            action=f"import.{kind}",
            result=AuditRecord.Result.FAILED,
            details={"rows": total, "written": written[0], "skipped": skipped, "file": source},
        )
        raise
    record_event(
        actor=actor,
        action=f"import.{kind}",
        details={"rows": total, "written": written[0], "skipped": skipped, "file": source},
    )
    return written[0]


def _reserve_keys(count: int) -> list[int]:
    """`count` new primary keys of Organisation, taken before the rows are written so that
    each row's path (which holds its key) is written with it, in one INSERT. On SQLite
    call it inside the transaction that inserts: the project's transactions begin
    IMMEDIATE, so no other writer can take the same keys meanwhile."""
    if connection.vendor == "postgresql":
        table = Organisation._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
    first = (Organisation.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    return list(range(first, first + count))


def write_units(
    *, actor, rows: list[RowResult], skipped: int = 0, source: str = "", advance: Callable[[int], None]
) -> int:
    """Create the units of checked good `rows` (values from imports.checks), active,
    below their parents; returns how many. PermissionDenied unless `actor` is provincial.

    Rows go in with executemany and keys reserved here (core.bulk.insert_rows): the
    ORM's per-value preparation in bulk_create, and a second statement to write the
    paths, took most of a minute for 100,000 units."""
    _require_import(actor)
    template = Organisation(kind=Kind.UNIT, status=Status.ACTIVE, created_at=timezone.now())

    def write(written):
        for batch in _chunks(rows, UNIT_BATCH):
            with transaction.atomic():
                keys = _reserve_keys(len(batch))
                units = []
                for pk, row in zip(keys, batch, strict=True):
                    values = row.values
                    path = f"{values['parent_path']}{pk}/"
                    units.append(
                        {
                            "id": pk,
                            "path": path,
                            "depth": path.count("/") - 1,
                            **{name: values[name] for name in UNIT_FIELDS},
                        }
                    )
                insert_rows(template, units)
            written[0] += len(units)
            advance(written[0])

    return _audited(actor=actor, kind="units", total=len(rows) + skipped, skipped=skipped, source=source, write=write)


def write_organisations(
    *, actor, rows: list[RowResult], skipped: int = 0, source: str = "", advance: Callable[[int], None]
) -> int:
    """Create the organisations of checked good `rows`: those below an existing parent
    first, then those below another row of the file; a row naming an organisation that is
    already there is kept as it is. PermissionDenied unless provincial."""
    _require_import(actor)
    fields = ("name", "kind", "code", "region_code", "contact_name", "contact_phone")

    def write(written):
        created = {}
        # A row naming an organisation already on the platform creates nothing: the rows
        # below it were pointed at it by the check.
        new_rows = [row for row in rows if not row.values.get("existing_id")]
        levels = [
            [row for row in new_rows if row.values["parent_row"] is None],
            [row for row in new_rows if row.values["parent_row"] is not None],
        ]
        for level in levels:
            for batch in _chunks(level, UNIT_BATCH):
                nodes = []
                for row in batch:
                    parent_id = row.values["parent_id"] or created[row.values["parent_row"]]
                    nodes.append(
                        Organisation(status=Status.ACTIVE, parent_id=parent_id, **{n: row.values[n] for n in fields})
                    )
                with transaction.atomic():
                    Organisation.objects.bulk_create(nodes)
                    _set_paths([node.pk for node in nodes])
                created.update({row.number: node.pk for row, node in zip(batch, nodes, strict=True)})
                written[0] += len(nodes)
                advance(written[0])

    return _audited(
        actor=actor, kind="organisations", total=len(rows) + skipped, skipped=skipped, source=source, write=write
    )


def write_operators(
    *, actor, rows: list[RowResult], skipped: int = 0, source: str = "", advance: Callable[[int], None]
) -> list[tuple[str, str, str, str]]:
    """Create the unit operators' accounts of checked good `rows`, by the rules of
    accounts.services.create_user (the actor may give the unit role; the account belongs
    to its unit), each with a random initial password, which the caller hands to the
    importer as (login, full name, unit, password): as with an account made on its page,
    the person who creates it passes the password on. PermissionDenied unless provincial."""
    _require_import(actor)
    if Role.UNIT not in account_permissions.assignable_roles(actor):
        raise PermissionDenied
    accounts = []

    def write(written):
        for batch in _chunks(rows, OPERATOR_BATCH):
            users = []
            for row in batch:
                password = initial_password()
                values = row.values
                users.append(
                    User(
                        username=values["username"],
                        display_name=values["display_name"],
                        organisation_id=values["organisation_id"],
                        phone=values["phone"],
                        email=values["email"],
                        role=Role.UNIT,
                        password=make_password(password),
                        # The importer hands the password over: the operator must choose its own.
                        must_change_password=True,
                    )
                )
                accounts.append((values["username"], values["display_name"], values["unit_name"], password))
                # Hashing at full cost takes a good part of a second: show each account.
                advance(written[0] + len(users))
            with transaction.atomic():
                User.objects.bulk_create(users)
            written[0] += len(users)
            advance(written[0])

    _audited(actor=actor, kind="operators", total=len(rows) + skipped, skipped=skipped, source=source, write=write)
    return accounts


def write_report(
    *, actor, report: CheckReport, only_good: bool, source: str, advance, update_existing: bool = False
) -> dict:
    """Write the good rows of a checked `report` of any kind; the caller has made sure
    that every row is good or that the user chose to import only the good ones.
    Returns {"written": n, "accounts": [...] (operators only)}."""
    good = report.good
    skipped = len(report.rows) - len(good)
    if report.kind == INSPECTORS:
        _require_import(actor)
        counts = pool_io.import_report(actor=actor, report=report.pool_report, only_good=only_good)
        advance(len(good))
        return {"written": counts.created + counts.updated, "created": counts.created, "updated": counts.updated}
    if report.kind == OPERATORS:
        accounts = write_operators(actor=actor, rows=good, skipped=skipped, source=source, advance=advance)
        return {"written": len(accounts), "accounts": accounts}
    if report.kind == ORGANISATIONS:
        updated = update_existing_organisations(actor=actor, rows=good) if update_existing else 0
        written = write_organisations(actor=actor, rows=good, skipped=skipped, source=source, advance=advance)
        return {"written": written, "updated": updated}
    return {"written": write_units(actor=actor, rows=good, skipped=skipped, source=source, advance=advance)}


# What an import may write onto an organisation that is already there; its name, kind and
# place in the tree stay.
UPDATED_FIELDS = ("code", "region_code", "contact_name", "contact_phone")


def update_existing_organisations(*, actor, rows: list[RowResult]) -> int:
    """Write the non-empty code, region code and contact of the file onto the
    organisations its rows name that are already on the platform; each change audited
    as organisation.update. Returns how many changed."""
    _require_import(actor)
    existing = [row for row in rows if row.values.get("existing_id")]
    changed = 0
    with transaction.atomic():
        organisations = Organisation.objects.select_for_update().in_bulk(
            [row.values["existing_id"] for row in existing]
        )
        for row in existing:
            organisation = organisations[row.values["existing_id"]]
            values = {name: row.values[name] for name in UPDATED_FIELDS if row.values.get(name)}
            changes = apply_changes(organisation, names=list(values), values=values)
            if changes:
                organisation.full_clean()  # the model's checks: the code's check digit, the region's place
                organisation.save(update_fields=list(changes))
                record_event(
                    actor=actor,
                    action="organisation.update",
                    obj=organisation,
                    details={"changed": changes, "via": "import"},
                )
                changed += 1
    return changed
