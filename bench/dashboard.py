"""Median answer time of the provincial dashboard through Django's test client, cold
(cache cleared before every request) and warm (served from the one-minute cache), on
whatever database DATABASE_URL names (`make demo-large`: 100,000 units, 20,000
applications).

Run: DATABASE_URL=sqlite:///var/large.sqlite3 .venv/bin/python bench/dashboard.py
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

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from applications.models import Application  # noqa: E402
from core.roles import PROVINCE_ROLES  # noqa: E402
from dashboard.selectors import area_choices  # noqa: E402
from organisations.models import Organisation  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))


def median_ms(client, url, *, cold: bool) -> float:
    client.get(url)  # templates and the working-day calendar once
    timings = []
    for _ in range(ROUNDS):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def main():
    user = User.objects.filter(role__in=PROVINCE_ROLES, is_active=True).order_by("pk").first()
    units = Organisation.objects.units().count()
    print(f"{units} units, {Application.objects.count()} applications; median of {ROUNDS} requests each")
    client = Client()
    client.force_login(user)
    city = area_choices(user).first()
    for label, url in [
        ("dashboard, no filter", "/dashboard/"),
        (f"dashboard, {city.name}", f"/dashboard/?area={city.pk}"),
        ("dashboard, sector + months", "/dashboard/?sector=school&month_from=2025-06&month_to=2026-06"),
    ]:
        cold = median_ms(client, url, cold=True)
        warm = median_ms(client, url, cold=False)
        print(f"{label:<32} cold {cold:7.1f} ms   warm {warm:7.1f} ms")


if __name__ == "__main__":
    main()
