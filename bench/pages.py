"""Median answer times of the login page and signed-in home pages, through Django's test
client, on whatever database DATABASE_URL names (`make bench` loads 100,000 units first).

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


def main():
    units = Organisation.objects.units().count()
    print(f"{units} units, {User.objects.count()} users; median of {ROUNDS} requests each")
    anonymous = Client()
    print(f"login page (anonymous)        {median_ms(anonymous, '/accounts/login/'):7.1f} ms")
    for username in ("sheng_staff", "sjz_assoc", "sjz_yizhong"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        print(f"home page as {username:<16} {median_ms(client, '/'):7.1f} ms")
    client = Client()
    client.force_login(User.objects.get(username="sheng_staff"))
    print(f"organisation list, province   {median_ms(client, '/organisations/'):7.1f} ms")
    applications = Application.objects.count()
    if applications:
        print(f"{applications} applications")
        print(f"inbox, province staff         {median_ms(client, '/applications/inbox/'):7.1f} ms")
        print(f"inbox, over the time limit    {median_ms(client, '/applications/inbox/?waiting=over'):7.1f} ms")
        association = Client()
        association.force_login(User.objects.get(username="sjz_assoc"))
        print(f"applications, 石家庄 assoc.    {median_ms(association, '/applications/'):7.1f} ms")


if __name__ == "__main__":
    main()
