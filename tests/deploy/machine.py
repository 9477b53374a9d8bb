"""What the deploy tests ask of this machine before they start servers of their own."""

import socket
from pathlib import Path


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


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
