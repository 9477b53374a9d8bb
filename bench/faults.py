"""Faults of the production topology, each a scripted test with its result printed
(`make faults`, issue 8 control 5, README "Faults"):

1. one application server killed (SIGKILL) under load: nginx sends everything to the
   other, under 0.1 % of the requests fail, and the supervisor starts the killed one again;
2. PostgreSQL stopped for a few seconds and started again under load: during the outage
   every page is the platform's 503 page (never a 500, a 502 or a dropped connection),
   afterwards every page answers 200 again, with no process of the platform restarted;
3. a job worker killed (SIGKILL) in the middle of an export: the job is queued again and
   runs to completion, once (one result file, one "finished" record, one notification).

Everything runs on 127.0.0.1 with a folder, ports, a Redis database and a PostgreSQL
server of its own: the PostgreSQL that the fault stops is a cluster made for this script
in var/faults-pg (started and stopped by it), never the machine's shared server, which
other work (the test suite, `make bench`) is using. The data set is built once (the
marker var/faults-pg/built; `make clean-faults` forgets it).

The load is GET requests of signed-in users and the public from FAULTS_THREADS threads
(default 16), each on its own keep-alive connection through nginx. Prints a table, writes
bench/faults-results.json, and exits 1 when a fault's check fails.
"""

import contextlib
import glob
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

# The folders of the topology and of the PostgreSQL server (a test uses its own).
FOLDER = Path(os.environ.get("FAULTS_DIR", BASE_DIR / "var")).resolve()
TOPOLOGY = FOLDER / "faults-prod"
CLUSTER = FOLDER / "faults-pg"
PORT = int(os.environ.get("FAULTS_PORT", "18380"))
APP_PORTS = os.environ.get("FAULTS_APP_PORTS", "18301,18302")
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", "15432"))
REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/4")
DATABASE = "sfd_faults"
SEED = os.environ.get(
    "FAULTS_SEED",
    "--units 20000 --applications 2000 --inspections 400 --spread-states --named-sites 100 --articles 200",
)
THREADS = int(os.environ.get("FAULTS_THREADS", "16"))
# Some of "app", "database", "worker" (comma-separated) to run only those.
ONLY = [name for name in os.environ.get("FAULTS_ONLY", "").split(",") if name]
RESULTS = Path(os.environ.get("FAULTS_RESULTS", BASE_DIR / "bench" / "faults-results.json"))
PYTHON = sys.executable
SUPERVISE = [PYTHON, str(BASE_DIR / "deploy" / "supervise.py")]
# The platform's own 503 page (templates/503.html), in English on every such page.
UNAVAILABLE_MARK = "The platform is temporarily unavailable"
MAX_ERROR_RATE = 0.001
OUTAGE_SECONDS = 6
RECOVERY_LIMIT_SECONDS = 30
WAIT_SECONDS = 60


def say(message: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} {message}", flush=True)


def wait_for(condition, what: str, seconds: float = WAIT_SECONDS, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise TimeoutError(f"{what} did not happen within {seconds} s")


# The PostgreSQL cluster of the faults ------------------------------------------------------


class Cluster:
    """A PostgreSQL server of this script's own, run as the `postgres` account when the
    script runs as root (the server refuses root)."""

    def __init__(self, directory: Path, port: int):
        self.directory = directory
        self.data = directory / "data"
        self.port = port
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
        if not found:
            raise SystemExit("PostgreSQL's server programs are not installed (/usr/lib/postgresql/*/bin).")
        self.bin = Path(found[-1]).parent

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check)  # noqa: S603

    def create(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.directory / "server.log"), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0


# The topology ---------------------------------------------------------------------------


def supervise(*argv: str) -> None:
    subprocess.run([*SUPERVISE, *argv], cwd=BASE_DIR, check=True)  # noqa: S603


def env_of_topology() -> dict[str, str]:
    values = {}
    for line in (TOPOLOGY / "env").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def manage(*argv: str) -> None:
    env = {**os.environ, **env_of_topology()}
    subprocess.run([PYTHON, "manage.py", *argv], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def build(cluster: Cluster) -> None:
    supervise(
        "init-env",
        str(TOPOLOGY),
        "--port",
        str(PORT),
        "--app-ports",
        APP_PORTS,
        "--job-workers",
        "2",
        "--redis-url",
        REDIS_URL,
        "--database-url",
        f"{cluster.url}/{DATABASE}",
    )
    supervise("createdb", str(TOPOLOGY))
    marker = CLUSTER / "built"
    manage("migrate", "--noinput", "-v", "0")
    if not marker.exists():
        say(f"seeding the data set ({SEED})")
        manage("seed_demo", *SEED.split())
        # Production settings refuse the published demo passwords (security.E001); the
        # load signs its users in straight in the session store.
        manage("shell", "-v", "0", "-c", "from demo.seeding import close_demo_logins; close_demo_logins()")
        marker.write_text(datetime.now(UTC).isoformat() + "\n")
    supervise("prepare", str(TOPOLOGY))


def pid_of(name: str) -> int | None:
    try:
        return int((TOPOLOGY / f"{name}.pid").read_text())
    except (OSError, ValueError):
        return None


def pids() -> dict[str, int | None]:
    names = ["nginx", *[f"app-{n}" for n in range(1, len(APP_PORTS.split(",")) + 1)], "worker-1", "worker-2"]
    return {name: pid_of(name) for name in names}


def answers(port: int, path: str = "/healthz") -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


# The load ---------------------------------------------------------------------------------


@dataclass
class Answer:
    at: float
    status: int  # 0: no answer (connection refused, reset, timed out)
    platform_503: bool = False
    error: str = ""


@dataclass
class Load:
    """GET requests from THREADS threads until stopped, every answer kept with its time."""

    requests: list[tuple[str, str]]  # (path, cookie)
    answers: list[Answer] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> "Load":
        for number in range(THREADS):
            thread = threading.Thread(target=self._run, args=(number,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self) -> list[Answer]:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)
        return sorted(self.answers, key=lambda answer: answer.at)

    def _run(self, number: int) -> None:
        connection = None
        turn = number
        while not self.stopping.is_set():
            path, cookie = self.requests[turn % len(self.requests)]
            turn += 1
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            try:
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                body = response.read()
                answer = Answer(time.monotonic(), response.status)
                if response.status == 503:
                    answer.platform_503 = UNAVAILABLE_MARK.encode() in body
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                answer = Answer(time.monotonic(), 0, error=type(error).__name__)
                connection.close()
                connection = None
            self.answers.append(answer)


def load_requests() -> list[tuple[str, str]]:
    """Pages of each kind of user, from the data set; the sessions are made here."""
    from accounts.models import User
    from applications.models import Application, State
    from bench.sessions import signed_in_cookie
    from core.roles import Role
    from designations.models import Designation, DesignationStatus

    draft = Application.objects.filter(state=State.DRAFT).order_by("pk").last()
    operator = User.objects.filter(organisation=draft.unit, role=Role.UNIT).order_by("pk").first()
    registered = Application.objects.filter(state=State.REGISTERED).order_by("pk").last()
    staff = User.objects.get(username="sheng_staff")
    site = Designation.objects.filter(status=DesignationStatus.ACTIVE).order_by("pk").last()
    unit_cookie = signed_in_cookie(operator, user_agent="faults (make faults)")
    staff_cookie = signed_in_cookie(staff, user_agent="faults (make faults)")
    return [
        ("/", unit_cookie),
        (f"/applications/{draft.pk}/assessment/", unit_cookie),
        ("/applications/inbox/", staff_cookie),
        (f"/applications/{registered.pk}/", staff_cookie),
        ("/showcase/sites/", ""),
        (f"/showcase/sites/{site.pk}/", ""),
    ]


def summary(answers: list[Answer]) -> dict:
    statuses: dict[str, int] = {}
    for answer in answers:
        key = str(answer.status) if answer.status else f"no answer ({answer.error})"
        statuses[key] = statuses.get(key, 0) + 1
    return dict(sorted(statuses.items()))


def settle(requests) -> None:
    """Wait until both application servers answer and nginx sends to them again: a
    server refused while it was starting is left out for nginx's fail_timeout (5 s)."""
    wait_for(lambda: all(answers(int(port), "/readyz") for port in APP_PORTS.split(",")), "both app servers ready")

    def every_page_answers():
        for path, cookie in requests * 2:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            try:
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status}")
            except (OSError, http.client.HTTPException, RuntimeError):
                return False
            finally:
                connection.close()
        return True

    wait_for(every_page_answers, "every page answering 200 through nginx", step=1)


# The faults -------------------------------------------------------------------------------


def fault_app_server_killed(requests) -> dict:
    settle(requests)
    before = pids()
    load = Load(requests).start()
    time.sleep(4)
    killed_at = time.monotonic()
    os.kill(before["app-1"], signal.SIGKILL)
    say(f"killed app-1 (pid {before['app-1']}) under load")
    restarted = wait_for(lambda: (pid := pid_of("app-1")) and pid != before["app-1"] and pid, "app-1's restart")
    first_port = int(APP_PORTS.split(",")[0])
    wait_for(lambda: answers(first_port), "the restarted app-1 answering")
    back_after = time.monotonic() - killed_at
    time.sleep(4)
    answers_ = load.stop()
    failed = [answer for answer in answers_ if answer.status != 200]
    rate = len(failed) / max(len(answers_), 1)
    return {
        "fault": "application server killed under load",
        "requests": len(answers_),
        "statuses": summary(answers_),
        "error_rate": rate,
        "restarted_pid": restarted,
        "restarted_after_s": round(back_after, 1),
        "passed": rate < MAX_ERROR_RATE and bool(restarted),
        "check": f"non-200 < {MAX_ERROR_RATE:.1%} of the requests; app-1 restarted by the supervisor",
    }


def fault_database_restarted(cluster: Cluster, requests) -> dict:
    settle(requests)
    before = pids()
    load = Load(requests).start()
    time.sleep(4)
    say("stopping PostgreSQL under load")
    cluster.stop()
    down_at = time.monotonic()
    time.sleep(OUTAGE_SECONDS)
    cluster.start()
    up_at = time.monotonic()
    say(f"PostgreSQL started again after {up_at - down_at:.1f} s")

    def recovered():
        recent = [answer for answer in list(load.answers)[-THREADS * 4 :] if answer.at > up_at]
        return len(recent) >= THREADS * 4 and all(answer.status == 200 for answer in recent)

    recovered_after = None
    with contextlib.suppress(TimeoutError):
        wait_for(recovered, "recovery", seconds=RECOVERY_LIMIT_SECONDS)
        recovered_after = time.monotonic() - up_at
    time.sleep(3)
    answers_ = load.stop()
    after = pids()
    during = [answer for answer in answers_ if down_at <= answer.at <= up_at]
    bad = [answer for answer in answers_ if answer.status != 200 and not answer.platform_503]
    last = [answer for answer in answers_ if answer.at > answers_[-1].at - 2]
    return {
        "fault": "PostgreSQL restarted under load",
        "requests": len(answers_),
        "statuses": summary(answers_),
        "outage_s": round(up_at - down_at, 1),
        "during_outage": summary(during),
        "not_the_503_page": len(bad),
        "recovered_after_s": round(recovered_after, 1) if recovered_after is not None else None,
        "last_2_s_all_200": all(answer.status == 200 for answer in last),
        "processes_restarted": sorted(name for name in before if before[name] != after[name]),
        "passed": bool(during)
        and all(answer.platform_503 for answer in during if answer.status != 200)
        and any(answer.status == 503 for answer in during)
        and not bad
        and recovered_after is not None
        and all(answer.status == 200 for answer in last)
        and before == after,
        "check": "every non-200 is the platform's 503 page; all 200 again within "
        f"{RECOVERY_LIMIT_SECONDS} s; no process restarted",
    }


def fault_worker_killed_mid_export(requests) -> dict:
    from django.core.files.storage import default_storage
    from django.db import connections

    from accounts.models import User
    from audit.models import AuditRecord
    from exports.forms import ExportForm
    from exports.services import start_export
    from jobs.models import Job, Worker
    from notifications.models import Notification
    from organisations.models import Organisation

    # This script's own connection did not live through the restart of the fault before.
    connections.close_all()
    settle(requests)
    staff = User.objects.get(username="sheng_staff")
    form = ExportForm({"table": "units"}, user=staff)
    if not form.is_valid():
        raise RuntimeError(f"the export form refused: {form.errors.as_json()}")
    load = Load(requests).start()
    job = start_export(actor=staff, form=form)
    say(f"export job {job.pk} queued")

    def halfway():
        row = Job.objects.get(pk=job.pk)
        return row.state == Job.State.RUNNING and row.total and row.done >= row.total // 5 and row

    running = wait_for(halfway, "the export running a fifth of the way", step=0.05)
    worker = Worker.objects.get(worker_id=running.worker_id)
    name = next(name for name, pid in pids().items() if pid == worker.pid)
    killed_at = time.monotonic()
    os.kill(worker.pid, signal.SIGKILL)
    say(f"killed {name} (pid {worker.pid}) at {running.done}/{running.total} rows")
    requeued = wait_for(lambda: Job.objects.filter(pk=job.pk, attempt=2).exists(), "the job queued again")
    requeued_after = time.monotonic() - killed_at
    finished = wait_for(
        lambda: (row := Job.objects.get(pk=job.pk)).is_finished and row, "the job's end", seconds=WAIT_SECONDS * 3
    )
    finished_after = time.monotonic() - killed_at
    restarted = wait_for(lambda: (pid := pid_of(name)) and pid != worker.pid and pid, f"{name}'s restart")
    load.stop()
    records = list(
        AuditRecord.objects.filter(object_type="jobs.job", object_id=str(job.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    _, files = default_storage.listdir("jobs/results")
    files = [name for name in files if name.startswith(f"{job.pk}-")]
    notices = Notification.objects.filter(recipient=staff, kind="job.finished", url__endswith=f"/{job.pk}/").count()
    units = Organisation.objects.units().count()
    rows = finished.result.get("rows")
    return {
        "fault": "job worker killed in the middle of an export",
        "rows_done_when_killed": f"{running.done}/{running.total}",
        "requeued_after_s": round(requeued_after, 1) if requeued else None,
        "finished_after_s": round(finished_after, 1),
        "state": finished.state,
        "attempt": finished.attempt,
        "audit": records,
        "result_files": len(files),
        "notifications": notices,
        "rows_exported": rows,
        "units": units,
        "worker_restarted_pid": restarted,
        "passed": finished.state == Job.State.SUCCEEDED
        and finished.attempt == 2
        and records.count("job.finish") == 1
        and records.count("job.requeue") == 1
        and len(files) == 1
        and notices == 1
        and bool(restarted),
        "check": "queued again once, finished once: one result file, one job.finish, one notification",
    }


# Running them -----------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": model,
        "load_average": os.getloadavg()[0],
        "threads": THREADS,
    }


def main() -> int:
    cluster = Cluster(CLUSTER, PG_PORT)
    cluster.create()
    if not cluster.running():
        cluster.start()
    try:
        build(cluster)
        os.environ.update(env_of_topology())
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        supervise("up", str(TOPOLOGY))
        try:
            requests = load_requests()
            results = []
            faults = {
                "app": lambda: fault_app_server_killed(requests),
                "database": lambda: fault_database_restarted(cluster, requests),
                "worker": lambda: fault_worker_killed_mid_export(requests),
            }
            for name, fault in faults.items():
                if ONLY and name not in ONLY:
                    continue
                result = fault()
                results.append(result)
                say(f"{'PASSED' if result['passed'] else 'FAILED'}: {result['fault']}")
                print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)
        finally:
            supervise("down", str(TOPOLOGY))
    finally:
        cluster.stop()
    report = {"machine": machine(), "faults": results}
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"\n{report['machine']['date']}, {report['machine']['nproc']} × {report['machine']['cpu']}\n")
    print("| fault | result | figures |\n|---|---|---|")
    for result in results:
        figures = {k: v for k, v in result.items() if k not in ("fault", "passed", "check", "audit")}
        print(f"| {result['fault']} | {'passed' if result['passed'] else 'FAILED'} | {figures} |")
    return 0 if all(result["passed"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
