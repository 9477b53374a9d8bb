"""Seconds and peak memory of the large Excel exports, through the real queue: the units
export (every unit of the province, about 100,000 rows) and the applications export, each
run by a worker in a child process of its own so that its peak RSS is its own.

The worker writes (jobs, audit, result files), so it runs on a copy of the large data set:
    make demo-large && cp var/large.sqlite3 var/exports-large.sqlite3
    DATABASE_URL=sqlite:///var/exports-large.sqlite3 .venv/bin/python bench/exports.py
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("units", "applications")


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def run_one(table: str) -> None:
    """In the child: queue one export of the provincial administrator and run the queue."""
    setup_django()
    from accounts.models import User
    from core.roles import Role
    from exports.services import JOB_KIND
    from jobs.models import Job
    from jobs.services import start_job
    from jobs.testing import run_queued_jobs

    owner = User.objects.filter(role=Role.PROVINCE_ADMIN, is_active=True).order_by("pk").first()
    params = {"table": table, "campaign": None, "area": None, "sector": "", "state": "", "site_status": ""}
    job = start_job(kind=JOB_KIND, owner=owner, params=params)
    started = time.perf_counter()
    run_queued_jobs()
    seconds = time.perf_counter() - started
    job = Job.objects.get(pk=job.pk)
    if job.state != Job.State.SUCCEEDED:
        sys.exit(f"{table}: {job.error}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{table:<13} state={job.state} rows={job.result.get('rows')} seconds={seconds:.1f} "
        f"peak_rss_mb={peak_mb:.0f} error={job.error!r}"
    )


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").endswith("exports-large.sqlite3") and "--any-db" not in sys.argv:
        sys.exit("Run on a copy: DATABASE_URL=sqlite:///var/exports-large.sqlite3 (see the docstring).")
    for table in TABLES:
        # Our own interpreter and script with a fixed table name: nothing from outside.
        subprocess.run([sys.executable, __file__, "--one", table], check=True)  # noqa: S603


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        run_one(sys.argv[2])
    else:
        main()
