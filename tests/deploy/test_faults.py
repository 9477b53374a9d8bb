"""The three faults of `make faults` (bench/faults.py, issue 8 control 5), run by the suite
on a topology, a PostgreSQL server, ports and a Redis database of their own: an application
server killed under load, PostgreSQL restarted under load, a job worker killed in the
middle of an export. The script checks each fault and exits 1 when one fails; the test
reads its results file as well, so that a fault that did not run cannot pass.

It runs once per `make test`, in the PostgreSQL pass: the faults use a PostgreSQL server of
their own whatever the suite's database, and a second run would only cost two minutes."""

import json
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.deploy.machine import missing_for_topology, run_clean

BASE_DIR = Path(__file__).resolve().parent.parent.parent
FOLDER = BASE_DIR / "var" / "faults-test"
PORT, APP_PORTS, PG_PORT = 18480, (18401, 18402), 15433


@pytest.fixture
def fault_machine():
    if connection.vendor != "postgresql":
        pytest.skip("run in the PostgreSQL pass of make test (the faults bring their own PostgreSQL server)")
    reason = missing_for_topology((PORT, *APP_PORTS, PG_PORT))
    if reason:
        pytest.skip(reason)
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        pytest.skip("PostgreSQL's server programs are not installed")
    FOLDER.mkdir(parents=True, exist_ok=True)
    return FOLDER


def test_faults_app_server_killed_database_restarted_worker_killed_mid_export(fault_machine):
    results = fault_machine / "faults-results.json"
    results.unlink(missing_ok=True)
    env = {
        "FAULTS_DIR": str(fault_machine),
        "FAULTS_RESULTS": str(results),
        "FAULTS_PORT": str(PORT),
        "FAULTS_APP_PORTS": ",".join(map(str, APP_PORTS)),
        "FAULTS_PG_PORT": str(PG_PORT),
        "FAULTS_REDIS_URL": "redis://127.0.0.1:6379/14",
        # Four clients are load enough to have requests in flight when a server dies,
        # and leave the suite's other worker its core.
        "FAULTS_THREADS": "4",
    }
    run = run_clean([sys.executable, "bench/faults.py"], env=env, timeout=600)
    output = run.stdout[-6000:] + run.stderr[-6000:]
    assert run.returncode == 0, output
    faults = {fault["fault"]: fault for fault in json.loads(results.read_text())["faults"]}
    killed = faults["application server killed under load"]
    assert killed["passed"], output
    assert killed["error_rate"] < 0.001, output
    assert killed["restarted_pid"], output
    database = faults["PostgreSQL restarted under load"]
    assert database["passed"], output
    assert database["not_the_503_page"] == 0, output
    assert database["during_outage"].get("503"), output
    assert database["processes_restarted"] == [], output
    export = faults["job worker killed in the middle of an export"]
    assert export["passed"], output
    assert (export["state"], export["attempt"], export["result_files"]) == ("succeeded", 2, 1), output
    assert export["rows_exported"] == export["units"], output
