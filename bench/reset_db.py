"""Drop the bench's PostgreSQL database (DATABASE_URL of var/bench-prod/env), so that a
build that stopped half-way starts again from nothing. Refuses any database whose name
does not start with sfd_bench: this never touches the data of `make prod` or of tests."""

import os
import sys

import psycopg
from psycopg import sql


def main() -> int:
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    if not name.startswith("sfd_bench"):
        print(f"Refusing to drop {name}: not a bench database.")
        return 1
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
