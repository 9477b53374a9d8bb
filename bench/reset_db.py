"""Drop the PostgreSQL database of a load data set (DATABASE_URL of var/bench-prod/env or
var/soak-prod/env), so that a build that stopped half-way starts again from nothing.
Refuses any database whose name does not start with sfd_bench or sfd_soak: this never
touches the data of `make prod` or of tests."""

import os
import sys

import psycopg
from psycopg import sql


def main() -> int:
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    if not name.startswith(("sfd_bench", "sfd_soak")):
        print(f"Refusing to drop {name}: not the database of a load data set.")
        return 1
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
