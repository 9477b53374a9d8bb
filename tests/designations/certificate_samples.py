from tests.designations.factories import named_elsewhere


def certificate_samples(world) -> dict[str, dict]:
    return {"designations:certificate": {"pk": named_elsewhere(world, "石家庄样例证书单位").pk}}
