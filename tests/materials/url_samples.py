from core.roles import PROVINCE_ROLES, Role
from materials.models import Kind, Material, MaterialVersion
from tests.core.scope import EVERY_OBJECT
from tests.factories import make_tangshan_operator
from tests.materials.factories import campaign, make_material


def samples(world) -> dict[str, dict]:
    """A supporting material of the 石家庄 unit stands behind every URL with a key. Its
    PDF and thumbnail are never written (the walk must not touch the real media folder):
    they answer 404 to whoever may see the unit, as a missing file does."""
    material = Material.objects.create(
        unit=world.sjz_unit, campaign=campaign(), kind=Kind.SUPPORTING, title="示例", created_by=world.sjz_operator
    )
    version = MaterialVersion.objects.create(
        material=material,
        number=1,
        file="materials/00000000000000000000000000000000/00000000000000000000000000000000.pdf",
        original_name="示例.pdf",
        size=1,
        content_type="application/pdf",
        sha256="0" * 64,
        thumbnail="materials/00000000000000000000000000000000/00000000000000000000000000000001.jpg",
        uploaded_by=world.sjz_operator,
    )
    Material.objects.filter(pk=material.pk).update(current_version=version)
    return {
        "materials:mine": {},
        "materials:upload": {},
        "materials:evidence": {},
        "materials:evidence-upload": {},
        "materials:detail": {"pk": material.pk},
        "materials:replace": {"pk": material.pk},
        "materials:remove": {"pk": material.pk},
        "materials:version-download": {"pk": version.pk},
        "materials:version-preview": {"pk": version.pk},
        "materials:version-page": {"pk": version.pk},
        "materials:version-thumbnail": {"pk": version.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """A material of a 唐山 unit lies outside the 石家庄 association, the 石家庄 unit's
    operator, and the inspector (who inspects no application of that unit)."""
    material = make_material(operator=make_tangshan_operator(world, "唐山样例材料单位"))
    outside = {"pk": material.pk}
    outside_version = {"pk": material.current_version_id}
    readers = {
        **dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT),
        Role.ASSOCIATION: outside,
        Role.UNIT: outside,
        Role.INSPECTOR: outside,
    }
    versions = {role: (outside_version if kwargs != EVERY_OBJECT else kwargs) for role, kwargs in readers.items()}
    return {
        "materials:detail": readers,
        "materials:replace": {Role.UNIT: outside},
        "materials:remove": {Role.UNIT: outside},
        "materials:version-download": versions,
        "materials:version-preview": versions,
        "materials:version-page": versions,
        "materials:version-thumbnail": versions,
    }
