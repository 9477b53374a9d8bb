"""What the deploy tests ask of this machine before they start servers of their own."""

import os
import socket
import subprocess
from pathlib import Path

from deploy.supervise import port_free

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def run_clean(argv: list[str], *, env: dict | None = None, timeout: int) -> subprocess.CompletedProcess:
    """Run `argv` in the project's folder with a clean environment (and `env`): nothing of
    the test run (the suite's DATABASE_URL) may leak into the servers it starts."""
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8"}
    return subprocess.run(
        argv, cwd=BASE_DIR, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=timeout, check=False
    )


def answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


def missing_for_topology(ports) -> str | None:
    """Why the production topology cannot start here (None when it can)."""
    if not Path("/usr/sbin/nginx").exists():
        return "Debian's nginx is not installed (make nginx-package installs it)"
    busy = [port for port in ports if not port_free(port)]
    if busy:
        return f"ports {busy} of 127.0.0.1 are in use"
    if not answers("127.0.0.1", 5432):
        return "PostgreSQL does not answer at 127.0.0.1:5432"
    if not answers("127.0.0.1", 6379):
        return "Redis does not answer at 127.0.0.1:6379"
    return None
