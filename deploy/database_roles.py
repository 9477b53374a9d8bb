"""The PostgreSQL roles of a production database (README "Deploying", docs/security.md):

- the owner (`<db>_owner`): runs the migrations, owns every table, sequence and function;
  its URL is MIGRATION_DATABASE_URL, used only where migrations run;
- the application (`<db>_app`): the platform's DATABASE_URL; reads and writes rows and
  owns nothing, so it can neither alter a table nor disable a trigger; it may not update,
  delete or truncate audit records, and purges them only through the function
  audit_purge_expired (audit migration 0006);
- `sfd_audit_purger` (NOLOGIN), which owns that function; the owner is a member, so that
  its migration can hand it the function.

    python deploy/database_roles.py setup ADMIN_URL --database NAME --owner-url URL --app-url URL
        as a superuser: make (or update the passwords of) the three roles and the database,
        owned by the owner, when missing; nobody but the owner creates in schema public
    python deploy/database_roles.py grant OWNER_URL --app-role NAME
        as the owner, after every `migrate`: the application's grants on every table

Both are idempotent. `make prod` runs them (deploy/supervise.py createdb, prepare).
"""

import argparse
import re
import sys
from urllib.parse import urlsplit

PURGER = "sfd_audit_purger"
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def checked(name: str) -> str:
    """A role or database name as an SQL identifier (only plain lower-case names)."""
    if not NAME.match(name):
        raise ValueError(f"not a plain lower-case PostgreSQL name: {name!r}")
    return name


def app_grants(app_role: str) -> list[str]:
    """The application role's grants, run by the owner after every migration."""
    app = checked(app_role)
    return [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app}",
        # Audit records are only ever inserted; past their retention they go through the function.
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditrecord FROM {app}",
        f"GRANT EXECUTE ON FUNCTION audit_purge_expired(bigint, integer) TO {app}",
    ]


def _user_and_password(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return checked(parts.username or ""), parts.password or ""


def _ensure_role(connection, name: str, password: str, *, login: bool) -> None:
    from psycopg import sql

    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone()
    options = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS" if login else "NOLOGIN"
    statement = sql.SQL("{} ROLE {} " + options).format(sql.SQL("ALTER" if exists else "CREATE"), sql.Identifier(name))
    if password:
        statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
    connection.execute(statement)


def setup(admin_url: str, *, database: str, owner_url: str, app_url: str) -> None:
    import psycopg
    from psycopg import sql

    database = checked(database)
    owner, owner_password = _user_and_password(owner_url)
    app, app_password = _user_and_password(app_url)
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        _ensure_role(connection, owner, owner_password, login=True)
        _ensure_role(connection, app, app_password, login=True)
        if not connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [PURGER]).fetchone():
            connection.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(PURGER)))
        connection.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(PURGER), sql.Identifier(owner)))
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            connection.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(owner))
            )
            print(f"Created the PostgreSQL database {database}, owned by {owner}.")
    database_url = urlsplit(admin_url)._replace(path=f"/{database}").geturl()
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        connection.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
        connection.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(app)))


def grant(owner_url: str, *, app_role: str) -> None:
    import psycopg

    with psycopg.connect(owner_url, autocommit=True, connect_timeout=5) as connection:
        for statement in app_grants(app_role):
            connection.execute(statement)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["setup", "grant"])
    parser.add_argument("url", help="setup: a superuser's URL; grant: the owner's URL")
    parser.add_argument("--database")
    parser.add_argument("--owner-url")
    parser.add_argument("--app-url")
    parser.add_argument("--app-role")
    args = parser.parse_args(argv)
    if args.command == "setup":
        setup(args.url, database=args.database, owner_url=args.owner_url, app_url=args.app_url)
    else:
        grant(args.url, app_role=args.app_role)
    return 0


if __name__ == "__main__":
    sys.exit(main())
