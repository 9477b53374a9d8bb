import pytest

from tests.exports.helpers import export, rows_of, start, workbook_of
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db


def test_progress_reports_export_holds_submitted_reports_with_frozen_figures(world, client_for):
    submitted = make_report(world, submit=True, narrative="指导了三家单位。", practices="结对帮扶")
    make_report(world, user=world.ts_association)  # a draft: its association's own
    sheet = workbook_of(export(client_for(world.province_staff), table="reports")).active
    rows = rows_of(sheet)
    assert [row[0] for row in rows] == [world.shijiazhuang.name]
    assert rows[0][5] == submitted.statistics["units"]
    assert rows[0][-3:] == ("指导了三家单位。", "结对帮扶", None)


def test_progress_reports_export_of_an_association_holds_only_its_own(world, client_for):
    make_report(world, submit=True)
    make_report(world, user=world.ts_association, submit=True)
    rows = rows_of(workbook_of(export(client_for(world.ts_association), table="reports")).active)
    assert [row[0] for row in rows] == [world.tangshan.name]


def test_progress_reports_export_refuses_a_sector(world, client_for):
    response = start(client_for(world.province_staff), table="reports", sector="school")
    assert response.status_code == 400
    assert "sector" in response.context["form"].errors
