import pytest

from tests.plans.factories import make_plan


@pytest.fixture
def sjz_plan(world):
    """The plan of 石家庄第一中学 (石家庄市 › 长安区) for the current campaign."""
    return make_plan(operator=world.sjz_operator)


@pytest.fixture
def ts_plan(world):
    """The plan of 唐山钢铁公司 (唐山市): data the 石家庄 side must never see."""
    return make_plan(operator=world.ts_operator, goals="唐山的目标。", content="唐山的内容。")
