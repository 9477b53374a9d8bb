"""Evidence files for one indicator, and the include the self-assessment page uses."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from campaigns.models import CampaignStatus
from materials import selectors
from materials.models import Kind, Material
from tests.campaigns.factories import make_campaign, make_version
from tests.materials import factories
from tests.materials.conftest import stored_files
from tests.materials.factories import campaign, first_indicator, make_material, upload

ASSESSMENT = "/applications/7/assessment/"


def post_evidence(client, indicator_pk, file, next_url=ASSESSMENT):
    return client.post(
        reverse("materials:evidence-upload"), {"indicator": str(indicator_pk), "file": file, "next": next_url}
    )


def test_evidence_upload_goes_back_to_next(world, client_for):
    indicator = first_indicator()
    response = post_evidence(client_for(world.sjz_operator), indicator.pk, upload("心理辅导室照片.jpg", factories.JPEG))
    assert (response.status_code, response["Location"]) == (302, ASSESSMENT)
    material = Material.objects.get()
    assert (material.kind, material.indicator, material.unit, material.title) == (
        Kind.EVIDENCE,
        indicator,
        world.sjz_unit,
        "心理辅导室照片",
    )


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_evidence_upload_ignores_a_next_outside_the_site(world, client_for, next_url):
    response = post_evidence(
        client_for(world.sjz_operator), first_indicator().pk, upload("佐证.pdf", factories.PDF), next_url
    )
    assert response["Location"] == reverse("materials:evidence")


def test_evidence_refused_file_comes_back_by_its_indicator(world, client_for, media_root):
    indicator = first_indicator()
    response = post_evidence(client_for(world.sjz_operator), indicator.pk, upload("佐证.pdf", factories.HTML))
    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index(f'data-testid="evidence-{indicator.pk}"') :]
    assert section.index('data-field-error="file"') < section.index("</form>")
    assert f'name="next" value="{ASSESSMENT}"' in section
    assert 'data-testid="evidence-refused"' in page
    assert (Material.objects.count(), stored_files(media_root)) == (0, [])


def test_evidence_for_an_indicator_of_another_campaign_is_refused(world, client_for, media_root):
    other = make_campaign(status=CampaignStatus.CLOSED)
    version = make_version(campaign=other)
    foreign = first_indicator(other)
    assert foreign.category.version == version
    response = post_evidence(client_for(world.sjz_operator), foreign.pk, upload("佐证.pdf", factories.PDF))
    assert response.status_code == 200
    assert response.context["evidence_form"].has_error("indicator")
    assert (Material.objects.count(), stored_files(media_root)) == (0, [])


def test_evidence_page_lists_every_indicator_with_its_files(world, client_for):
    indicator = first_indicator()
    material = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE, indicator=indicator)
    page = client_for(world.sjz_operator).get(reverse("materials:evidence")).content.decode()
    assert page.count("data-evidence-count=") == 20
    assert f'data-testid="evidence-{indicator.pk}" data-evidence-count="1"' in page
    assert f'data-material="{material.pk}"' in page
    assert page.count("materials/materials.js") == 2  # the page's head, and the first include


def test_evidence_selector_groups_by_indicator(world):
    indicator = first_indicator()
    first = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE, indicator=indicator)
    second = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE, indicator=indicator)
    removed = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE, indicator=indicator)
    from materials import services

    services.remove_material(actor=world.sjz_operator, material=removed)
    make_material(operator=world.ts_operator, kind=Kind.EVIDENCE, indicator=indicator)
    grouped = selectors.evidence_by_indicator(unit=world.sjz_unit, campaign=campaign())
    assert grouped == {indicator.pk: [first, second]}


def render_include(user, *, editable, evidence_form=None):
    """The include as the self-assessment page renders it."""
    request = RequestFactory().get(ASSESSMENT)
    request.user = user
    return render_to_string(
        "materials/includes/indicator_evidence.html",
        {
            "unit": user.organisation if user.role == "unit" else None,
            "campaign": campaign(),
            "indicator": first_indicator(),
            "editable": editable,
        },
        request=request,
    )


def test_evidence_include_offers_upload_and_remove_while_editable(world):
    material = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE)
    html = render_include(world.sjz_operator, editable=True)
    assert f'data-material="{material.pk}"' in html
    assert f'action="{reverse("materials:evidence-upload")}"' in html
    assert f'action="{reverse("materials:remove", args=[material.pk])}"' in html
    assert f'name="next" value="{ASSESSMENT}"' in html
    assert 'hx-post="/materials/evidence/upload/"' in html
    assert "data-upload-progress" in html


def test_evidence_include_is_read_only_when_not_editable(world):
    material = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE)
    html = render_include(world.sjz_operator, editable=False)
    assert f'data-material="{material.pk}"' in html
    assert reverse("materials:evidence-upload") not in html
    assert reverse("materials:remove", args=[material.pk]) not in html


def test_evidence_include_for_the_province_shows_files_without_forms(world):
    material = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE)
    request = RequestFactory().get("/")
    request.user = world.province_staff
    html = render_to_string(
        "materials/includes/indicator_evidence.html",
        {"unit": world.sjz_unit, "campaign": campaign(), "indicator": first_indicator(), "editable": True},
        request=request,
    )
    assert f'data-material="{material.pk}"' in html
    assert reverse("materials:evidence-upload") not in html
