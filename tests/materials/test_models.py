"""What the database and the models hold true whatever the code above them does."""

import pytest
from django.db import IntegrityError, transaction

from materials.models import Kind, Material, MaterialVersion
from tests.materials.factories import campaign, first_indicator, make_material


def test_models_versions_cannot_be_changed(world):
    version = make_material(operator=world.sjz_operator).current_version
    version.original_name = "改名.pdf"
    with pytest.raises(TypeError, match="immutable"):
        version.save()
    with pytest.raises(TypeError, match="immutable"):
        MaterialVersion.objects.filter(pk=version.pk).update(original_name="改名.pdf")
    assert MaterialVersion.objects.get(pk=version.pk).original_name == "工作总结.pdf"


def test_models_versions_cannot_be_deleted(world):
    version = make_material(operator=world.sjz_operator).current_version
    with pytest.raises(TypeError, match="never deleted"):
        version.delete()
    with pytest.raises(TypeError, match="never deleted"):
        MaterialVersion.objects.filter(pk=version.pk).delete()
    assert MaterialVersion.objects.filter(pk=version.pk).exists()


def test_models_a_material_with_versions_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    material = make_material(operator=world.sjz_operator)
    with pytest.raises(ProtectedError):
        material.delete()


def test_models_one_current_work_summary_per_unit_and_campaign(world):
    fields = {
        "unit": world.sjz_unit,
        "campaign": campaign(),
        "kind": Kind.WORK_SUMMARY,
        "created_by": world.sjz_operator,
    }
    Material.objects.create(title="一", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Material.objects.create(title="二", **fields)


@pytest.mark.parametrize(("kind", "with_indicator"), [(Kind.EVIDENCE, False), (Kind.SUPPORTING, True)])
def test_models_indicator_only_for_evidence(world, kind, with_indicator):
    with pytest.raises(IntegrityError), transaction.atomic():
        Material.objects.create(
            unit=world.sjz_unit,
            campaign=campaign(),
            kind=kind,
            indicator=first_indicator() if with_indicator else None,
            title="佐证",
            created_by=world.sjz_operator,
        )


def test_models_version_numbers_are_unique_per_material(world):
    version = make_material(operator=world.sjz_operator).current_version
    with pytest.raises(IntegrityError), transaction.atomic():
        MaterialVersion.objects.create(
            material=version.material,
            number=1,
            file="materials/x/y.pdf",
            original_name="重复.pdf",
            size=1,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=world.sjz_operator,
        )
