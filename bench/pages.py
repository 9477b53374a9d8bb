"""Median answer times of the login page, signed-in home pages, lists and the inspector's
scoresheet, through Django's test client, on whatever database DATABASE_URL names
(`make bench-sqlite` loads 100,000 units, 20,000 applications and 60,000 scoresheets first).

Run: DATABASE_URL=sqlite:///var/large.sqlite3 .venv/bin/python bench/pages.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from applications.models import Application  # noqa: E402
from organisations.models import Organisation  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))


def median_ms(client, url) -> float:
    client.get(url)  # warm caches and templates once
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def signed_in(username: str) -> Client:
    """A client signed in as `username`, past the second factor where its role needs one."""
    from twofactor.services import SESSION_KEY

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = user.pk
    session.save()
    return client


def main():
    units = Organisation.objects.units().count()
    print(f"{units} units, {User.objects.count()} users; median of {ROUNDS} requests each")
    anonymous = Client()
    print(f"login page (anonymous)        {median_ms(anonymous, '/accounts/login/'):7.1f} ms")
    for username in ("sheng_admin", "sheng_staff", "sjz_assoc", "sjz_yizhong", "expert_demo"):
        client = signed_in(username)
        queries = []

        def counted(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        # Not CaptureQueriesContext: each request empties the query log it reads.
        with connection.execute_wrapper(counted):
            client.get("/")
        items = client.get("/").content.decode().count("data-todo=")
        print(
            f"home page as {username:<16} {median_ms(client, '/'):7.1f} ms"
            f"  ({len(queries)} queries, {items} to-do items)"
        )
    client = signed_in("sheng_staff")
    print(f"organisation list, province   {median_ms(client, '/organisations/'):7.1f} ms")
    applications = Application.objects.count()
    if applications:
        print(f"{applications} applications")
        print(f"inbox, province staff         {median_ms(client, '/applications/inbox/'):7.1f} ms")
        print(f"inbox, over the time limit    {median_ms(client, '/applications/inbox/?waiting=over'):7.1f} ms")
        association = Client()
        association.force_login(User.objects.get(username="sjz_assoc"))
        print(f"applications, 石家庄 assoc.    {median_ms(association, '/applications/'):7.1f} ms")


def median_post_ms(client, url, data) -> float:
    client.post(url, data, HTTP_HX_REQUEST="true")
    timings = []
    for round_ in range(ROUNDS):
        started = time.perf_counter()
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, round_)
    return statistics.median(timings)


def bench_scoresheet():
    from inspections.models import Scoresheet, SheetScore

    sheets = Scoresheet.objects.count()
    if not sheets:
        return
    print(f"{sheets} scoresheets, {SheetScore.objects.count()} indicator scores")
    sheet = Scoresheet.objects.select_related("inspector__user").order_by("pk").last()
    client = Client()
    client.force_login(sheet.inspector.user)
    print(f"scoresheet page, inspector    {median_ms(client, f'/inspections/sheets/{sheet.pk}/'):7.1f} ms")
    indicator = sheet.scores.order_by("pk").first().indicator_id
    url = f"/inspections/sheets/{sheet.pk}/indicators/{indicator}/"
    data = {f"i{indicator}-score": "4.5", f"i{indicator}-comment": "现场查看档案不全"}
    print(f"saving one score (htmx)       {median_post_ms(client, url, data):7.1f} ms")


if __name__ == "__main__":
    main()
    bench_scoresheet()
