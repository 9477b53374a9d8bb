"""Seconds to check and to import a 100,000-row units workbook through the real queue
(the same jobs a provincial user starts from /imports/), on a fresh migrated database.

Run:
  DATABASE_URL=sqlite:///var/imports-bench.sqlite3 .venv/bin/python bench/imports.py
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/sfd_imports_bench .venv/bin/python bench/imports.py
The database named is dropped and made again. BENCH_ROWS changes the number of rows.
"""

import io
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
URL = os.environ.get("DATABASE_URL", "")


def fresh_database() -> None:
    parsed = urlparse(URL)
    if parsed.scheme == "sqlite":
        path = Path(parsed.path.lstrip("/"))
        path = path if path.is_absolute() else ROOT / path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    else:
        sys.exit("set DATABASE_URL to a sqlite:/// or postgres:// database that may be dropped")


fresh_database()

import django  # noqa: E402

django.setup()

import xlsxwriter  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import User  # noqa: E402
from core.roles import Role  # noqa: E402
from imports.jobs import check_kind, import_kind  # noqa: E402
from imports.layouts import LAYOUTS, UNITS  # noqa: E402
from jobs.models import Job  # noqa: E402
from jobs.services import start_job  # noqa: E402
from jobs.testing import run_queued_jobs  # noqa: E402
from organisations.models import Kind, Organisation  # noqa: E402
from organisations.services import path_for  # noqa: E402

CITIES = [
    "石家庄市",
    "唐山市",
    "秦皇岛市",
    "邯郸市",
    "邢台市",
    "保定市",
    "张家口市",
    "承德市",
    "沧州市",
    "廊坊市",
    "衡水市",
]
SECTORS = ["企业", "学校", "农村", "机关", "社区"]


def node(name, kind, parent):
    organisation = Organisation.objects.create(name=name, kind=kind, parent=parent)
    organisation.path = path_for(pk=organisation.pk, parent=parent)
    organisation.depth = organisation.path.count("/") - 1
    organisation.save(update_fields=["path", "depth"])
    return organisation


def seed() -> tuple[User, list[str]]:
    province = node("河北省", Kind.PROVINCE, None)
    parents = []
    for city_name in CITIES:
        city = node(city_name, Kind.CITY, province)
        parents.append(city.name)
        for number in range(1, 16):
            parents.append(node(f"{city_name[:-1]}第{number}区", Kind.COUNTY, city).name)
    user = User(username="bench", role=Role.PROVINCE_STAFF, organisation=province)
    user.set_unusable_password()
    user.save()
    return user, parents


def units_workbook(parents: list[str]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, LAYOUTS[UNITS].headers)
    for n in range(1, ROWS + 1):
        sheet.write_row(
            n,
            0,
            [
                f"91130000MA{n:08d}",
                f"测试单位{n}号",
                SECTORS[n % len(SECTORS)],
                parents[n % len(parents)],
                f"河北省某地某路{n}号",
                "张三",
                f"138{n:08d}",
            ],
        )
    book.close()
    return buffer.getvalue()


def timed(job: Job) -> float:
    started = time.perf_counter()
    run_queued_jobs()
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, (job.state, job.error)
    return seconds


def main():
    call_command("migrate", verbosity=0)
    user, parents = seed()
    content = units_workbook(parents)
    upload = SimpleUploadedFile("units.xlsx", content)
    check = start_job(kind=check_kind(UNITS), owner=user, params={"kind": UNITS}, upload=upload)
    check_seconds = timed(check)
    assert (check.result["good"], check.result["bad"]) == (ROWS, 0), check.result
    upload = SimpleUploadedFile("units.xlsx", content)
    params = {"kind": UNITS, "source": check.pk, "only_good": False}
    imported = start_job(kind=import_kind(UNITS), owner=user, params=params, upload=upload)
    import_seconds = timed(imported)
    written = Organisation.objects.units().count()
    assert written == ROWS, written
    sample = Organisation.objects.units().select_related("parent").order_by("-pk").first()
    assert sample.path == f"{sample.parent.path}{sample.pk}/"
    vendor = django.db.connection.vendor
    print(f"{vendor}: {ROWS} units, file {len(content) / 1e6:.1f} MB")
    print(f"{vendor}: check job {check_seconds:.1f} s, import job (check again + write) {import_seconds:.1f} s")
    print(f"{vendor}: total {check_seconds + import_seconds:.1f} s")


if __name__ == "__main__":
    main()
