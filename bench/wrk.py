"""Pages of the provincial-scale data set on the production topology, measured with wrk
(`make bench`: README "Measured figures"). Each page is asked by a signed-in user of the
role that uses it: 32 connections, 2 threads, 10 seconds each (BENCH_SECONDS), /healthz
before the first page and again after each page as the reference (each page's ratio is to the
mean of the two runs around it). Prints a table and writes bench/results.json.

Run with the env of the topology loaded (its SECRET_KEY, DATABASE_URL and REDIS_URL: the
sessions made here must be the ones the app servers read):
    set -a && . var/bench-prod/env && set +a && .venv/bin/python bench/wrk.py
"""

import http.client
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from accounts.models import User  # noqa: E402
from applications.models import Application, State  # noqa: E402
from bench.sessions import signed_in_cookie  # noqa: E402
from core.roles import Role  # noqa: E402
from designations.models import Designation, DesignationStatus  # noqa: E402
from inspections.models import InspectionStatus, Scoresheet  # noqa: E402
from organisations.models import Organisation  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
BASE_URL = os.environ.get("BENCH_URL") or settings.PLATFORM_URL.rstrip("/")
RESULTS = BASE_DIR / "bench" / "results.json"
LUA = BASE_DIR / "bench" / "wrk_report.lua"
# Every list or detail page at least this share of /healthz's requests per second (issue 8).
TARGET_RATIO = 0.10


def pages() -> list[dict]:
    """(page, url, role, user or None) of every page measured, from the data set."""
    staff = User.objects.get(username="sheng_staff")
    association = User.objects.get(username="sjz_assoc")
    draft = Application.objects.filter(state=State.DRAFT).select_related("unit").order_by("pk").last()
    operator = User.objects.filter(organisation=draft.unit, role=Role.UNIT).order_by("pk").first()
    registered = Application.objects.filter(state=State.REGISTERED).order_by("pk").last()
    sheet = (
        Scoresheet.objects.filter(inspection__status=InspectionStatus.PLANNED)
        .select_related("inspector__user")
        .order_by("pk")
        .last()
    )
    site = Designation.objects.filter(status=DesignationStatus.ACTIVE).order_by("pk").last()
    return [
        {"page": "/healthz (reference)", "url": "/healthz", "user": None},
        {"page": "login page", "url": "/accounts/login/", "user": None},
        {"page": "unit's home", "url": "/", "user": operator},
        {"page": "self-assessment", "url": f"/applications/{draft.pk}/assessment/", "user": operator},
        {"page": "staff inbox", "url": "/applications/inbox/", "user": staff},
        {"page": "application page", "url": f"/applications/{registered.pk}/", "user": staff},
        {"page": "scoresheet", "url": f"/inspections/sheets/{sheet.pk}/", "user": sheet.inspector.user},
        {"page": "association workspace", "url": "/reports/workspace/", "user": association},
        {"page": "provincial dashboard", "url": "/dashboard/", "user": staff},
        {"page": "named sites (public list)", "url": "/showcase/sites/", "user": None},
        {"page": "named site (public page)", "url": f"/showcase/sites/{site.pk}/", "user": None},
    ]


def first_status(url: str, cookie: str) -> int:
    """The status of one request, redirects not followed (a redirect to the sign-in page
    would otherwise look like a fast page)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def run_wrk(url: str, cookie: str) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(LUA), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    report = [line for line in output.splitlines() if line.startswith("{")]
    if not report:
        raise RuntimeError(f"wrk printed no report for {url}:\n{output}")
    return json.loads(report[-1])


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "units": Organisation.objects.units().count(),
        "applications": Application.objects.count(),
        "scoresheets": Scoresheet.objects.count(),
        "named_sites": Designation.objects.count(),
    }


def measure(page: dict) -> dict:
    """One wrk run of `page` as its role, after checking that it answers 200."""
    user = page["user"]
    cookie = signed_in_cookie(user) if user else ""
    url = BASE_URL + page["url"]
    status = first_status(url, cookie)
    if status != 200:
        print(f"warning: {page['page']} {page['url']} answered {status}, not 200", file=sys.stderr)
    report = run_wrk(url, cookie)
    print(f"  {page['page']:<28} {report['rps']:8.1f} req/s", flush=True)
    return {
        "page": page["page"],
        "url": page["url"],
        "role": user.role if user else "anonymous",
        "first_status": status,
        **{name: report[name] for name in ("rps", "p50_ms", "p99_ms", "non_2xx", "socket_errors", "requests")},
    }


def main() -> int:
    # The speed of a virtual machine drifts by a third within minutes (measured here: /healthz
    # at 1,406 req/s at the start of a run, 955 in the next): each page is compared with the
    # reference measured right before and right after it, not with one run at the start.
    reference, *others = pages()
    references = [measure(reference)]
    rows = []
    for page in others:
        row = measure(page)
        references.append(measure(reference))
        row["reference_rps"] = round((references[-2]["rps"] + references[-1]["rps"]) / 2, 1)
        row["ratio_to_healthz"] = round(row["rps"] / (row["reference_rps"] or 1), 3)
        rows.append(row)
    summary = {
        **references[0],
        **{name: round(mean(run[name] for run in references), 2) for name in ("rps", "p50_ms", "p99_ms")},
        **{name: sum(run[name] for run in references) for name in ("non_2xx", "socket_errors", "requests")},
        "reference_rps": round(mean(run["rps"] for run in references), 1),
        "ratio_to_healthz": 1.0,
        "runs": [run["rps"] for run in references],
    }
    result = {
        "machine": machine(),
        "settings": {"connections": CONNECTIONS, "threads": THREADS, "seconds": SECONDS, "url": BASE_URL},
        "pages": [summary, *rows],
    }
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print_table(result)
    return 0


def print_table(result: dict) -> None:
    info = result["machine"]
    print(
        f"\n{info['date']}, {info['nproc']} × {info['cpu']}; {info['units']} units, {info['applications']} "
        f"applications, {info['scoresheets']} scoresheets, {info['named_sites']} named sites; "
        f"wrk {CONNECTIONS} connections, {THREADS} threads, {SECONDS} s each\n"
    )
    print("| page | role | req/s | p50 ms | p99 ms | p99/p50 | non-2xx | /healthz around it | ratio to /healthz |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in result["pages"]:
        print(
            f"| {row['page']} (`{row['url']}`) | {row['role']} | {row['rps']:.1f} | {row['p50_ms']:.1f} | "
            f"{row['p99_ms']:.1f} | {row['p99_ms'] / (row['p50_ms'] or 1):.1f} | {row['non_2xx']} | "
            f"{row['reference_rps']:.1f} | {row['ratio_to_healthz']:.1%} |"
        )
    runs = result["pages"][0]["runs"]
    print(f"\n/healthz runs (before the first page and after each): {', '.join(f'{rps:.0f}' for rps in runs)} req/s")
    print(f"\n(results in {RESULTS.relative_to(BASE_DIR)}; target: every page ≥ {TARGET_RATIO:.0%} of /healthz)")


if __name__ == "__main__":
    sys.exit(main())
