"""The production topology of one machine (`make prod`, README "Deploying"), supervised.

    supervise.py init-env DIR --database-url … --redis-url … --port … --app-ports … --job-workers …
                                  [--separate-roles: the application connects as a role that
                                  owns nothing, migrations run as the owner (`make prod`)]
    supervise.py createdb DIR     create the env file's PostgreSQL database when it is missing
                                  (with separate roles: the roles too, deploy/database_roles.py)
    supervise.py prepare DIR      with DIR's env: migrate (as the owner), the application
                                  role's grants, collectstatic, the 503 page nginx
                                  answers when no app server can (DIR/errors/), and with
                                  --check-deploy `check --deploy` failing on any warning
    supervise.py up DIR           start the supervisor in the background, return once /readyz
                                  answers 200 through nginx ("already running" if it is)
    supervise.py run DIR          the supervisor itself, in the foreground
    supervise.py down DIR         stop what `up` started, by the pid files in DIR
    supervise.py status DIR       exit 0 when the supervisor of DIR runs

The supervisor starts nginx (in the foreground, with the configuration made from
deploy/nginx.conf.template), the application servers (gunicorn, one per port of
PROD_APP_PORTS) and PROD_JOB_WORKERS `manage.py jobs_worker` processes; it restarts any of
them that exits, and the `manage.py audit_anchor --every` process that anchors the audit
chain outside the database every AUDIT_ANCHOR_SECONDS; it restarts any of
them that exits, writes each one's pid to DIR/<name>.pid (and its own to
DIR/supervise.pid), and on SIGTERM or SIGINT stops them all and exits.

Why a small supervisor of our own rather than Debian's `supervisor` package: it needs
nothing installed, every path of it lives under DIR (no system service, no socket in
/run), and it does the one thing supervisor does not: when a process dies, the children
it leaves (gunicorn's workers, nginx's) still hold its port, so the whole process group
is ended before the process is started again.
"""

import argparse
import base64
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script: `deploy.database_roles` lives beside it
    sys.path.insert(0, str(BASE_DIR))
TEMPLATE = BASE_DIR / "deploy" / "nginx.conf.template"
ENV_FILE = "env"
SUPERVISOR_PID = "supervise.pid"
READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 30
POLL_SECONDS = 0.2


# The env file -----------------------------------------------------------------------


def read_env(directory: Path) -> dict[str, str]:
    values = {}
    for line in (directory / ENV_FILE).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def init_env(
    directory: Path, *, database_url, redis_url, port, app_ports, job_workers, gunicorn_workers, separate_roles=False
) -> None:
    """Write DIR/env once, readable by its owner only; later runs reuse it, so that the
    keys sealing the database's personal numbers and the audit log never change behind
    the data's back. `database_url` is a superuser's; with `separate_roles` the platform
    gets the URL of the application role `<db>_app` and migrations the owner's
    (`<db>_owner`, MIGRATION_DATABASE_URL), and the superuser's URL is kept for
    `createdb` only (DATABASE_ADMIN_URL; neither reaches the platform's processes)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ENV_FILE
    if path.exists():
        print(f"Using the settings of {path} (delete it to make new ones: it holds the keys of the data).")
        return
    from cryptography.fernet import Fernet

    root = directory.resolve()
    database_lines = [f"DATABASE_URL={database_url}"]
    if separate_roles:
        from urllib.parse import urlsplit

        admin = urlsplit(database_url)
        name = admin.path.lstrip("/")
        server = f"{admin.hostname}:{admin.port or 5432}"

        def role_url(role: str) -> str:
            return f"postgres://{name}_{role}:{secrets.token_urlsafe(24)}@{server}/{name}"

        database_lines = [
            '# The platform connects as a role that owns no table (README "Deploying"); migrations',
            "# run as the owner; createdb as the superuser. supervise.py passes neither of the last two",
            "# to the platform's processes.",
            f"DATABASE_URL={role_url('app')}",
            f"MIGRATION_DATABASE_URL={role_url('owner')}",
            f"DATABASE_ADMIN_URL={admin._replace(path='/postgres').geturl()}",
            f"DATABASE_NAME={name}",
        ]
    audit_key = base64.b64encode(secrets.token_bytes(32)).decode()
    lines = [
        "# Production settings of `make prod` on this machine, made once by deploy/supervise.py.",
        "# Keep a copy of FIELD_ENCRYPTION_KEYS with the backups: without it the sealed columns cannot be read.",
        "APP_ENV=production",
        f"SECRET_KEY={secrets.token_urlsafe(50)}",
        f"FIELD_ENCRYPTION_KEYS={Fernet.generate_key().decode()}",
        "# The key sealing audit records (keep a copy with the backups: without it the log cannot be",
        "# verified), and where the chain head is anchored outside the database.",
        f"AUDIT_HMAC_KEYS=k1:{audit_key}",
        f"AUDIT_ANCHOR_FILE={root / 'anchors' / 'audit-anchors.jsonl'}",
        "AUDIT_ANCHOR_SECONDS=300",
        *database_lines,
        f"REDIS_URL={redis_url}",
        "ALLOWED_HOSTS=127.0.0.1,localhost",
        f"PLATFORM_URL=http://127.0.0.1:{port}",
        "# Plain HTTP on 127.0.0.1 only: no TLS to redirect to. Browsers count http://127.0.0.1",
        "# and http://localhost as secure, so the Secure session and CSRF cookies still work.",
        "SECURE_SSL_REDIRECT=false",
        "SILENCED_SYSTEM_CHECKS=security.W008",
        "PROXY_HOPS=1",
        f"STATIC_ROOT={root / 'static'}",
        "MEDIA_STORAGE=local",
        f"MEDIA_ROOT={root / 'media'}",
        "EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend",
        f"EMAIL_FILE_PATH={root / 'mail'}",
        f"PROD_PORT={port}",
        f"PROD_APP_PORTS={app_ports}",
        f"PROD_JOB_WORKERS={job_workers}",
        f"GUNICORN_WORKERS={gunicorn_workers}",
    ]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write("\n".join(lines) + "\n")
    (root / "anchors").mkdir(mode=0o700, exist_ok=True)
    print(f"Wrote {path} (mode 600) with a new SECRET_KEY, FIELD_ENCRYPTION_KEYS and AUDIT_HMAC_KEYS.")


def create_database(directory: Path) -> None:
    import psycopg
    from psycopg import sql

    env = read_env(directory)
    if "MIGRATION_DATABASE_URL" in env:
        from deploy import database_roles

        database_roles.setup(
            env["DATABASE_ADMIN_URL"],
            database=env["DATABASE_NAME"],
            owner_url=env["MIGRATION_DATABASE_URL"],
            app_url=env["DATABASE_URL"],
        )
        return
    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=5) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created the PostgreSQL database {name}.")


def prepare(directory: Path, *, check_deploy: bool) -> None:
    values = read_env(directory)
    env = platform_env(values)

    def manage(*argv: str, environment=env) -> None:
        subprocess.run([sys.executable, "manage.py", *argv], cwd=BASE_DIR, env=environment, check=True)  # noqa: S603

    owner_url = values.get("MIGRATION_DATABASE_URL")
    if owner_url:
        from urllib.parse import urlsplit

        from deploy import database_roles

        manage("migrate", "--noinput", "-v", "0", environment={**env, "DATABASE_URL": owner_url})
        database_roles.grant(owner_url, app_role=urlsplit(values["DATABASE_URL"]).username)
    else:
        manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    errors = directory.resolve() / "errors"
    errors.mkdir(exist_ok=True)
    # Rendered once here: nginx serves it when no app server can render anything.
    render = (
        "from django.template.loader import render_to_string; "
        f"open({str(errors / '_unavailable.html')!r}, 'w').write(render_to_string('503.html'))"
    )
    manage("shell", "-v", "0", "-c", render)
    if check_deploy:
        manage("check", "--deploy", "--database", "default", "--fail-level", "WARNING")


def platform_env(values: dict[str, str]) -> dict[str, str]:
    """The environment of the platform's processes: DIR's env without the owner's and the
    superuser's database URLs."""
    hidden = {"MIGRATION_DATABASE_URL", "DATABASE_ADMIN_URL"}
    return {key: value for key, value in {**os.environ, **values}.items() if key not in hidden}


# Processes -----------------------------------------------------------------------------


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited: only its parent has not collected it yet.
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def leads_its_group(pid: int) -> bool:
    """Is `pid` alive and the leader of its process group, as the supervisor starts every
    program? (A pid reused by some other program is not ours to end.)"""
    try:
        return alive(pid) and os.getpgid(pid) == pid
    except ProcessLookupError:
        return False


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def supervisor_pid(directory: Path) -> int | None:
    """The pid of DIR's running supervisor, or None (a stale file, a pid reused by another program)."""
    pid = read_pid(directory / SUPERVISOR_PID)
    if pid is None or not alive(pid):
        return None
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return pid if b"supervise.py" in command and b"run" in command else None


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Program:
    """One supervised process, started as the leader of its own process group."""

    def __init__(self, name: str, argv: list[str], directory: Path, *, stop_signal=signal.SIGTERM):
        self.name = name
        self.argv = argv
        self.directory = directory
        self.stop_signal = stop_signal
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.quick_exits = 0
        self.restart_at: float | None = None
        self.orphans_deadline: float | None = None
        self.pgid: int | None = None

    @property
    def pid_file(self) -> Path:
        return self.directory / f"{self.name}.pid"

    def start(self, env: dict[str, str]) -> None:
        log = open(self.directory / "log" / f"{self.name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        with log:
            self.process = subprocess.Popen(  # noqa: S603 (our own fixed commands)
                self.argv,
                cwd=BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pgid = self.process.pid
        self.started_at = time.monotonic()
        self.restart_at = None
        self.pid_file.write_text(f"{self.process.pid}\n")
        say(f"{self.name} started (pid {self.process.pid})")

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def on_exit(self) -> None:
        """The process is gone: end what it left behind (children holding its port), and
        plan the restart, later each time it fails quickly again."""
        code = self.process.returncode
        self.process = None
        self.pid_file.unlink(missing_ok=True)
        signal_group(self.pgid, signal.SIGTERM)
        self.orphans_deadline = time.monotonic() + 5
        self.quick_exits = self.quick_exits + 1 if time.monotonic() - self.started_at < 10 else 0
        delay = min(0.5 * 2**self.quick_exits, 30) if self.quick_exits else 0
        self.restart_at = time.monotonic() + delay
        say(f"{self.name} exited ({code}); restarting in {delay:.1f} s")

    def ready_to_restart(self) -> bool:
        if self.restart_at is None or time.monotonic() < self.restart_at:
            return False
        if group_alive(self.pgid):
            if time.monotonic() < self.orphans_deadline:
                return False
            signal_group(self.pgid, signal.SIGKILL)
        return True

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            signal_group(self.pgid, self.stop_signal)

    def kill(self) -> None:
        if self.pgid is not None:
            signal_group(self.pgid, signal.SIGKILL)


def say(message: str) -> None:
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} supervise: {message}", flush=True)


def render_nginx(directory: Path, env: dict[str, str]) -> Path:
    root = directory.resolve()
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in app_ports(env))
    text = TEMPLATE.read_text()
    for name, value in {
        "PROD_DIR": str(root),
        "PROD_PORT": env["PROD_PORT"],
        "STATIC_ROOT": env["STATIC_ROOT"].rstrip("/"),
        "UPSTREAM_SERVERS": servers,
    }.items():
        text = text.replace(f"@@{name}@@", value)
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / "nginx" / folder).mkdir(parents=True, exist_ok=True)
    path = root / "nginx.conf"
    path.write_text(text)
    return path


def app_ports(env: dict[str, str]) -> list[int]:
    return [int(port) for port in env["PROD_APP_PORTS"].split(",") if port.strip()]


def programs(directory: Path, env: dict[str, str]) -> list[Program]:
    root = directory.resolve()
    nginx = [
        os.environ.get("NGINX", "/usr/sbin/nginx"),
        "-p",
        f"{root}/nginx/",
        "-c",
        str(render_nginx(directory, env)),
        "-e",
        f"{root}/log/nginx-error.log",
        "-g",
        "daemon off;",
    ]
    # nginx's graceful stop is SIGQUIT (SIGTERM drops the requests in flight).
    result = [Program("nginx", nginx, root, stop_signal=signal.SIGQUIT)]
    for number, port in enumerate(app_ports(env), 1):
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            env.get("GUNICORN_WORKERS", "2"),
            "--timeout",
            "120",
            "--graceful-timeout",
            "20",
            # Django is loaded once, in the master: a worker replaced (below) or restarted
            # after a crash is forked ready, instead of keeping its queue waiting about a
            # second while it imports the platform (the p99 of `make bench` showed it).
            "--preload",
            # A worker is replaced after this many requests, its neighbours at other times
            # (the jitter): memory stays flat over weeks whatever a library might leak.
            "--max-requests",
            "10000",
            "--max-requests-jitter",
            "1000",
            "--access-logfile",
            "-",
            # Its default socket is one path per user, which two servers would fight over.
            "--no-control-socket",
        ]
        result.append(Program(f"app-{number}", gunicorn, root))
    for number in range(1, int(env.get("PROD_JOB_WORKERS", "1")) + 1):
        worker = [sys.executable, "manage.py", "jobs_worker", "--queue-name", "*", "--no-reload"]
        result.append(Program(f"worker-{number}", worker, root))
    if env.get("AUDIT_ANCHOR_SECONDS"):
        anchor = [sys.executable, "manage.py", "audit_anchor", "--every", env["AUDIT_ANCHOR_SECONDS"]]
        result.append(Program("anchor", anchor, root))
    return result


def run(directory: Path) -> int:
    directory = directory.resolve()
    (directory / "log").mkdir(parents=True, exist_ok=True)
    env = {**platform_env(read_env(directory)), "PYTHONUNBUFFERED": "1"}
    stopping = []

    def request_stop(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    (directory / SUPERVISOR_PID).write_text(f"{os.getpid()}\n")
    everything = programs(directory, env)
    for program in everything:
        program.start(env)
    try:
        while not stopping:
            for program in everything:
                if program.exited():
                    program.on_exit()
                elif program.process is None and program.ready_to_restart():
                    program.start(env)
            time.sleep(POLL_SECONDS)
    finally:
        say("stopping")
        for program in everything:
            program.stop()
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while time.monotonic() < deadline and any(group_alive(p.pgid) for p in everything if p.pgid):
            for program in everything:
                if program.process is not None:
                    program.process.poll()
            time.sleep(POLL_SECONDS)
        for program in everything:
            program.kill()
            program.pid_file.unlink(missing_ok=True)
        (directory / SUPERVISOR_PID).unlink(missing_ok=True)
        say("stopped")
    return 0


# Commands of the Makefile ----------------------------------------------------------------


def ready(port) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def all_ready(env: dict[str, str]) -> bool:
    """Every app server answers /readyz on its own port, then nginx does. Asking nginx
    before an app server listens would have nginx leave that server out for its
    fail_timeout, and the first requests after `up` would meet no server."""
    return all(ready(port) for port in app_ports(env)) and ready(env["PROD_PORT"])


def up(directory: Path) -> int:
    env = read_env(directory)
    address = f"http://127.0.0.1:{env['PROD_PORT']}/"
    if supervisor_pid(directory):
        print(f"Already running at {address} (make prod-down stops it).")
        return 0
    busy = [port for port in [int(env["PROD_PORT"]), *app_ports(env)] if not port_free(port)]
    if busy:
        print(f"Cannot start: port(s) {', '.join(map(str, busy))} of 127.0.0.1 are in use by another program.")
        return 1
    (directory / "log").mkdir(parents=True, exist_ok=True)
    log_path = directory / "log" / "supervise.log"
    with open(log_path, "ab") as log:
        supervisor = subprocess.Popen(  # noqa: S603
            [sys.executable, str(Path(__file__).resolve()), "run", str(directory.resolve())],
            cwd=BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if supervisor.poll() is not None:
            print(f"The supervisor exited ({supervisor.returncode}); see {log_path}:")
            print("\n".join(log_path.read_text().splitlines()[-20:]))
            return 1
        if all_ready(env):
            print(f"Production topology ready at {address} (logs in {directory / 'log'}; make prod-down stops it).")
            return 0
        time.sleep(0.5)
    print(f"/readyz did not answer 200 within {READY_TIMEOUT_SECONDS} s; see {directory / 'log'}. Stopping.")
    down(directory)
    return 1


def down(directory: Path) -> int:
    pid = supervisor_pid(directory)
    if pid:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    # Whatever a supervisor killed with SIGKILL left behind: each program led its own group.
    leftovers = 0
    for pid_file in directory.glob("*.pid"):
        program_pid = read_pid(pid_file)
        if pid_file.name != SUPERVISOR_PID and program_pid and leads_its_group(program_pid):
            signal_group(program_pid, signal.SIGKILL)
            leftovers += 1
        pid_file.unlink(missing_ok=True)
    if pid or leftovers:
        print(f"Stopped the production topology of {directory}.")
    else:
        print(f"Nothing of {directory} was running.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["init-env", "createdb", "prepare", "up", "run", "down", "status"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/sfd_prod")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--port", default="8080")
    parser.add_argument("--app-ports", default="8001,8002")
    parser.add_argument("--job-workers", default="2")
    parser.add_argument("--gunicorn-workers", default="2")
    parser.add_argument("--check-deploy", action="store_true", help="prepare: also run check --deploy")
    parser.add_argument("--separate-roles", action="store_true", help="init-env: an application role and an owner role")
    args = parser.parse_args(argv)
    directory = args.directory
    if args.command == "init-env":
        init_env(
            directory,
            database_url=args.database_url,
            redis_url=args.redis_url,
            port=args.port,
            app_ports=args.app_ports,
            job_workers=args.job_workers,
            gunicorn_workers=args.gunicorn_workers,
            separate_roles=args.separate_roles,
        )
        return 0
    if args.command == "createdb":
        create_database(directory)
        return 0
    if args.command == "prepare":
        try:
            prepare(directory, check_deploy=args.check_deploy)
        except subprocess.CalledProcessError as error:
            return error.returncode or 1
        return 0
    if args.command == "status":
        return 0 if supervisor_pid(directory) else 1
    return {"up": up, "run": run, "down": down}[args.command](directory)


if __name__ == "__main__":
    sys.exit(main())
