"""`make prod` starts the production topology of one machine and `make prod-down` stops
exactly it (issue 8, control 1): nginx serving the static files and proxying to two
gunicorn servers under deploy/supervise.py, which restarts one that is killed.

The test runs the real commands with ports, a folder, a PostgreSQL database and a Redis
database of its own, so that it never meets a `make prod` of the machine. It is one test
function: its steps share one running topology, which pytest-xdist would otherwise split
between two workers. It is skipped (with the reason) where nginx, PostgreSQL or Redis is
missing or a port is taken; `make test` installs nginx.
"""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.machine import missing_for_topology, port_free, run_clean

pytestmark = pytest.mark.topology

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROD_DIR = BASE_DIR / "var" / "prod-test"
PORT = 18080
APP_PORTS = (18001, 18002)
DATABASE = "sfd_prod_test"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/15"
MAKE_ARGS = [
    f"PROD_DIR={PROD_DIR}",
    f"PROD_PORT={PORT}",
    f"PROD_APP_PORTS={','.join(map(str, APP_PORTS))}",
    f"PROD_DB={DATABASE}",
    f"PROD_REDIS_URL={REDIS_URL}",
    "PROD_JOB_WORKERS=1",
    f"PG_URL={PG_SERVER}/sfd",
]
WAIT_SECONDS = 20


def skip_reason() -> str | None:
    return missing_for_topology((PORT, *APP_PORTS))


def make(target: str) -> subprocess.CompletedProcess:
    return run_clean(["make", "--no-print-directory", target, *MAKE_ARGS], timeout=180)


def get(path: str, port: int = PORT) -> tuple[int, dict, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()
    except OSError:
        return 0, {}, ""


def pid_of(name: str) -> int | None:
    try:
        return int((PROD_DIR / f"{name}.pid").read_text())
    except (OSError, ValueError):
        return None


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {WAIT_SECONDS} s")


def drop_test_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def clean_up() -> None:
    import redis

    make("prod-down")
    drop_test_database()
    redis.Redis.from_url(REDIS_URL).flushdb()
    shutil.rmtree(PROD_DIR, ignore_errors=True)


@pytest.fixture
def fresh_topology():
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    clean_up()
    yield
    clean_up()


def test_make_prod_serves_survives_a_killed_app_server_and_stops_cleanly(fresh_topology):
    started = make("prod")
    assert started.returncode == 0, started.stdout + started.stderr
    assert f"http://127.0.0.1:{PORT}/" in started.stdout
    assert (PROD_DIR / "env").stat().st_mode & 0o777 == 0o600

    # Both health endpoints, through nginx.
    assert get("/healthz")[::2] == (200, "ok")
    assert get("/readyz")[::2] == (200, "ready")

    # Static files come from nginx itself, cacheable for a year; pages from the app.
    status, headers, page = get("/accounts/login/")
    assert status == 200
    assert "X-Served-By" not in headers
    # The CSRF cookie is Secure even over plain HTTP on 127.0.0.1 (browsers treat it as secure).
    assert any("csrftoken=" in cookie and "Secure" in cookie for cookie in headers.get_all("Set-Cookie"))
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    status, headers, _ = get(stylesheet)
    assert (status, headers["X-Served-By"]) == (200, "nginx-static")
    assert "max-age=31536000" in headers["Cache-Control"]

    # A second `make prod` starts nothing.
    again = make("prod")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Already running" in again.stdout
    pids = {name: pid_of(name) for name in ("supervise", "nginx", "app-1", "app-2", "worker-1", "anchor")}
    assert all(pids.values()), pids

    # The platform connects as a role that owns no table (issue 18, item 4); the owner ran
    # the migrations; the supervised anchor process has anchored the audit chain outside
    # the database.
    env = dict(line.split("=", 1) for line in (PROD_DIR / "env").read_text().splitlines() if "=" in line)
    assert (
        env["DATABASE_URL"].split("//")[1].split(":")[0],
        env["MIGRATION_DATABASE_URL"].split("//")[1].split(":")[0],
    ) == (
        f"{DATABASE}_app",
        f"{DATABASE}_owner",
    )
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{DATABASE}", connect_timeout=5) as connection:
        owners = dict(connection.execute("SELECT tablename, tableowner FROM pg_tables WHERE tablename LIKE 'audit_%'"))
    assert owners == {"audit_auditrecord": f"{DATABASE}_owner", "audit_chainhead": f"{DATABASE}_owner"}
    wait_for(lambda: Path(env["AUDIT_ANCHOR_FILE"]).exists(), "the first anchor of the audit chain")

    # One application server killed: nginx sends every request to the other.
    os.kill(pids["app-1"], signal.SIGKILL)
    statuses = [get("/healthz" if n % 2 else "/readyz")[0] for n in range(50)]
    assert statuses == [200] * 50

    # Its supervisor starts it again, under a new pid, answering on its own port.
    restarted = wait_for(lambda: (pid := pid_of("app-1")) and pid != pids["app-1"] and running(pid) and pid, "restart")
    wait_for(lambda: get("/healthz", port=APP_PORTS[0])[0] == 200, "the restarted server answering")

    # `make prod-down` leaves nothing of ours: no process, no group, every port free.
    stopped = make("prod-down")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    for pid in [*pids.values(), restarted]:
        assert not running(pid)
        # (An exited supervisor stays a zombie until init collects it.)
        wait_for(lambda pid=pid: group_gone(pid), f"the end of process group {pid}")
    assert all(port_free(port) for port in (PORT, *APP_PORTS))
    assert not list(PROD_DIR.glob("*.pid"))
