"""The provincial admin names a scored site in the browser."""

import datetime
import zoneinfo

import pytest

from applications.models import State
from notices.models import Notice
from tests.designations import factories
from tests.e2e.conftest import sign_in
from tests.factories import World

pytestmark = pytest.mark.browser

# The naming date the form offers is today, and the certificate number carries its year.
NAMED_ON = datetime.datetime(2026, 11, 20, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db(transaction=True)
def test_the_admin_names_a_scored_site_and_the_notice_is_published(page, time_machine):
    time_machine.move_to(NAMED_ON, tick=True)
    world = World()
    application = factories.scored(world)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, world.province_admin)
    page.goto("/designations/naming/")
    page.get_by_test_id(f"choose-{application.pk}").check()
    page.get_by_label("文号").fill("冀研字〔2026〕12号")
    page.get_by_test_id("announce").click()
    page.get_by_test_id("named-sites").wait_for()
    assert "冀人文心理示范〔2026〕第001号" in page.get_by_test_id("named-sites").inner_text()
    application.refresh_from_db()
    assert application.state == State.NAMED
    notice = Notice.objects.get(doc_number="冀研字〔2026〕12号")
    page.goto(f"/notices/{notice.pk}/")
    page.get_by_text("石家庄第一中学（证书编号：冀人文心理示范〔2026〕第001号）").wait_for()
