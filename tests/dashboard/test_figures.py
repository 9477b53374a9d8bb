"""Every chart's numbers against counts made here, row by row in Python, from the data."""

import math
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from applications.models import Application, Review
from dashboard.selectors import SHOWN_STATES
from designations.models import Designation
from inspections.models import Result, SheetScore
from organisations.models import Organisation
from plans.models import Plan
from tests.dashboard import factories
from workdays.calendar import working_days_between

REGISTERED_OR_LATER = {"registered", "awaiting_inspection", "scored", "named", "not_named", "revoked", "rejected"}
PASSED = {"awaiting_inspection", "scored", "named", "not_named", "revoked"}
SCORED = {"scored", "named", "not_named", "revoked"}
NAMED = {"named", "revoked"}


def charts(client, query=""):
    response = client.get(f"/dashboard/{query}")
    assert response.status_code == 200
    return {table.key: table for table in response.context["charts"]}


def as_dict(table):
    return dict(table.rows)


def city_of(unit):
    return Organisation.objects.get(pk=unit.ancestor_ids()[1]).name


def nearest_rank(values, share):
    values = sorted(values)
    return values[max(math.ceil(share * len(values)), 1) - 1] if values else None


@pytest.fixture
def built(world):
    return factories.build(world)


def test_funnel_matches_the_counts_of_each_stage(world, built, client_for):
    table = charts(client_for(world.province_staff))["funnel"]
    submitted = [a for a in Application.objects.all() if a.submitted_at is not None]
    expected = [
        sum(1 for o in Organisation.objects.all() if o.kind == "unit" and o.status == "active"),
        Plan.objects.count(),
        len({a.unit_id for a in submitted}),
        len({a.unit_id for a in submitted if a.registration_number is not None}),
        len({a.unit_id for a in submitted if a.state in PASSED}),
        len({a.unit_id for a in submitted if a.state in SCORED}),
        len({a.unit_id for a in submitted if a.state in NAMED}),
    ]
    assert [values[0] for _label, values in table.rows] == expected
    assert expected == [4, 1, 4, 3, 2, 1, 1]


def test_applications_by_area_match_the_cities_of_their_units(world, built, client_for):
    table = charts(client_for(world.province_staff))["by-area"]
    expected = Counter((city_of(a.unit), a.state) for a in Application.objects.filter(submitted_at__isnull=False))
    shown = {
        (label, state.value): values[index]
        for label, values in table.rows
        for index, state in enumerate(SHOWN_STATES)
        if values[index]
    }
    assert shown == dict(expected)
    assert [label for label, _values in table.rows] == ["石家庄市", "唐山市"]


def test_applications_by_sector_match_the_sectors_of_their_units(world, built, client_for):
    table = charts(client_for(world.province_staff))["by-sector"]
    expected = Counter(
        (a.unit.get_sector_display(), a.state) for a in Application.objects.filter(submitted_at__isnull=False)
    )
    shown = {
        (label, state.value): values[index]
        for label, values in table.rows
        for index, state in enumerate(SHOWN_STATES)
        if values[index]
    }
    assert shown == {(str(sector), state): n for (sector, state), n in expected.items()}


def test_applications_over_time_count_each_month(world, built, client_for):
    table = charts(client_for(world.province_staff))["over-time"]
    submitted = Counter(f"{timezone.localtime(a.submitted_at):%Y-%m}" for a in Application.objects.all())
    registered = Counter(
        f"{timezone.localtime(a.registered_at):%Y-%m}" for a in Application.objects.exclude(registered_at=None)
    )
    named = Counter(f"{d.named_on:%Y-%m}" for d in Designation.objects.all())
    months = sorted(set(submitted) | set(registered) | set(named))
    assert months == ["2026-03", "2026-04", "2026-05"]
    assert table.rows == [(m, [submitted[m], registered[m], named[m]]) for m in months]


def test_stage_times_are_median_and_90th_percentile_in_working_days(world, built, client_for):
    table = charts(client_for(world.province_staff))["stage-times"]
    day = timezone.localdate
    spans = defaultdict(list)
    for a in Application.objects.exclude(registered_at=None):
        spans[0].append(working_days_between(day(a.submitted_at), day(a.registered_at)))
    for review in Review.objects.select_related("application"):
        spans[1].append(working_days_between(day(review.application.registered_at), day(review.created_at)))
    for result in Result.objects.select_related("inspection__application"):
        passed = Review.objects.get(application=result.inspection.application, decision="pass")
        spans[2].append(working_days_between(day(passed.created_at), day(result.finalised_at)))
    for designation in Designation.objects.all():
        result = Result.objects.get(inspection__application=designation.application)
        spans[3].append(working_days_between(day(result.finalised_at), designation.named_on))
    expected = [[len(spans[i]), nearest_rank(spans[i], 0.5), nearest_rank(spans[i], 0.9)] for i in range(4)]
    assert [values for _label, values in table.rows] == expected
    assert [values[0] for values in expected] == [3, 2, 1, 1]
    # 2026-03-02 (Monday) to 2026-03-05 (Thursday): three working days.
    assert 3 in spans[0]


def _half_up(mean: Decimal) -> float:
    # Averages are shown rounded half-up to 0.01 (a float's round() goes to the nearest
    # binary value and then to even: round(84.975, 2) == 84.97).
    return float(Decimal(mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_indicator_averages_are_the_mean_of_the_inspectors_scores_weakest_first(world, built, client_for):
    table = charts(client_for(world.province_staff))["indicators"]
    scores = defaultdict(list)
    for row in SheetScore.objects.filter(sheet__inspection__status="finalised").select_related("indicator"):
        scores[row.indicator].append(row.score)
    expected = sorted(
        ((i, _half_up(sum(v) / len(v))) for i, v in scores.items()),
        key=lambda p: (p[1] / float(p[0].max_score), p[0].pk),
    )
    assert [values for _label, values in table.rows] == [[avg, float(i.max_score), 1] for i, avg in expected]
    assert len(table.rows) == 20


def test_area_scores_average_the_totals_of_each_city_and_the_province(world, built, client_for):
    table = as_dict(charts(client_for(world.province_staff))["area-scores"])
    totals = defaultdict(list)
    for result in Result.objects.select_related("inspection__application__unit"):
        totals[city_of(result.inspection.application.unit)].append(result.total)
    every = [t for values in totals.values() for t in values]
    assert table["石家庄市"] == [_half_up(sum(totals["石家庄市"]) / len(totals["石家庄市"])), len(totals["石家庄市"])]
    assert table["唐山市"] == [None, 0]
    assert list(table.values())[-1] == [_half_up(sum(every) / len(every)), len(every)]
