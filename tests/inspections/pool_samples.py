from inspections.models import Conflict, Inspector


def pool_samples(world) -> dict[str, dict]:
    """An expert of 唐山 without a login account, who declared a conflict with the
    石家庄 unit, stands behind every expert-pool URL with a key."""
    inspector = Inspector.objects.create(name="样例专家", area=world.tangshan, phone="13900000000")
    conflict = Conflict.objects.create(inspector=inspector, organisation=world.sjz_unit)
    return {
        "inspections:expert-list": {},
        "inspections:expert-create": {},
        "inspections:expert-import": {},
        "inspections:expert-export": {},
        "inspections:expert-template": {},
        "inspections:expert-edit": {"pk": inspector.pk},
        "inspections:expert-toggle": {"pk": inspector.pk},
        "inspections:expert-login": {"pk": inspector.pk},
        "inspections:expert-conflict-add": {"pk": inspector.pk},
        "inspections:expert-conflict-remove": {"pk": inspector.pk, "conflict_pk": conflict.pk},
    }
