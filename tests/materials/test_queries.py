"""Lists cost the same number of queries with one row as with three."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from materials import selectors, services
from materials.models import Kind
from tests.materials import factories
from tests.materials.factories import campaign, first_indicator, make_material, upload
from tests.notifications.factories import forget_bell_counts

# Session, user, the user's organisation, what the page chrome counts (unread
# notifications), the campaign, then the page's own: the work summary with its history,
# the count, the page and its history (or the standard's four and the evidence).
MAX_QUERIES = 11


def add_materials(world, count):
    """`count` supporting materials with two versions each, an image among them, and the
    same for the other city's unit (which must cost the viewer nothing)."""
    for index in range(count):
        for operator in (world.sjz_operator, world.ts_operator):
            material = make_material(operator=operator, file=upload(f"照片{index}.png", factories.SMALL_PNG))
            services.replace_material(actor=operator, material=material, file=upload(f"材料{index}.pdf", factories.PDF))


def queries_for(client, url, django_assert_max_num_queries) -> int:
    forget_bell_counts()
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queries_unit_page_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for(world.sjz_operator)
    make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY)
    add_materials(world, 1)
    with_one = queries_for(client, reverse("materials:mine"), django_assert_max_num_queries)
    add_materials(world, 2)
    with_three = queries_for(client, reverse("materials:mine"), django_assert_max_num_queries)
    assert with_one == with_three
    response = client.get(reverse("materials:mine"))
    assert [len(m.history) for m in response.context["page_obj"]] == [2, 2, 2]


def test_queries_evidence_page_costs_one_query_for_every_indicator(world, client_for, django_assert_max_num_queries):
    client = client_for(world.sjz_operator)
    make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE)
    with_one = queries_for(client, reverse("materials:evidence"), django_assert_max_num_queries)
    for _ in range(2):
        make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE)
    with_three = queries_for(client, reverse("materials:evidence"), django_assert_max_num_queries)
    assert with_one == with_three
    page = client.get(reverse("materials:evidence")).content.decode()
    assert f'data-testid="evidence-{first_indicator().pk}" data-evidence-count="3"' in page


def test_queries_selectors_load_the_current_version_with_the_material(world, django_assert_num_queries):
    running = campaign()
    for _ in range(3):
        make_material(operator=world.sjz_operator)
    with django_assert_num_queries(1):
        names = [
            m.current_version.original_name for m in selectors.materials_for(unit=world.sjz_unit, campaign=running)
        ]
    assert names == ["工作总结.pdf"] * 3
    with django_assert_num_queries(1):
        files = selectors.snapshot_files_for(unit=world.sjz_unit, campaign=running)
    assert len(files["supporting"]) == 3


def test_queries_detail_page_does_not_grow_with_versions(world, client_for, django_assert_max_num_queries):
    material = make_material(operator=world.sjz_operator)
    client = client_for(world.sjz_association)
    url = reverse("materials:detail", args=[material.pk])
    with_one = queries_for(client, url, django_assert_max_num_queries)
    for _ in range(2):
        services.replace_material(actor=world.sjz_operator, material=material, file=upload("新.pdf", factories.PDF))
    with_three = queries_for(client, url, django_assert_max_num_queries)
    assert with_one == with_three
    assert client.get(url).content.decode().count("data-history-version=") == 3
