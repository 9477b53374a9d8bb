"""Labels, never codes: every action the platform records has a label in the reader's
language, and the timeline and the audit log show labels and state names, not codes."""

import ast
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from applications.workflow import TRANSITIONS as APPLICATION_TRANSITIONS
from audit.labels import ACTIONS, action_label, state_label
from audit.models import AuditRecord
from designations.models import Outcome
from imports.layouts import LAYOUTS
from notices.services import TRANSITIONS as NOTICE_TRANSITIONS
from showcase.services import TRANSITIONS as ARTICLE_TRANSITIONS
from tests.applications.factories import registered

ROOT = Path(__file__).resolve().parents[2]

# The actions recorded with a computed name, and the names they are computed from.
COMPUTED = {
    "f'application.{name}'": [f"application.{name}" for name in APPLICATION_TRANSITIONS],
    "f'notice.{name}'": [f"notice.{name}" for name in NOTICE_TRANSITIONS],
    "f'article.{name}'": [f"article.{name}" for name in ARTICLE_TRANSITIONS],
    "f'designation.review_{outcome}'": [f"designation.review_{outcome}" for outcome in Outcome.values],
    "f'import.{kind}'": [f"import.{kind}" for kind in LAYOUTS],
    # Django admin changes: "<model>.<verb>", labelled from the verb and the model's name.
    "f'{prefix}.{verb}'": [],
}


def _recorded_actions() -> set[str]:
    """Every action passed to record_event in the platform's source."""
    found = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).parts
        if relative[0] in {".venv", "tests", "node_modules", "var"} or "migrations" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record_event"):
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                value = keyword.value
                if isinstance(value, ast.Constant):
                    found.add(value.value)
                elif isinstance(value, ast.IfExp):
                    found.update(branch.value for branch in (value.body, value.orelse))
                else:
                    source = ast.unparse(value)
                    assert source in COMPUTED, f"{path}: say in COMPUTED what {source} records"
                    found.update(COMPUTED[source])
    return found


def test_every_recorded_action_has_a_label_in_both_languages():
    actions = _recorded_actions()
    assert len(actions) > 100
    assert sorted(actions - set(ACTIONS)) == []
    with translation.override("zh-hans"):
        untranslated = [
            code for code in ACTIONS if not any("\u4e00" <= char <= "\u9fff" for char in action_label(code))
        ]
    assert untranslated == []


def test_labels_of_admin_changes_and_states_come_from_the_models():
    with translation.override("zh-hans"):
        assert action_label("campaign.delete", "campaigns.campaign") == "在后台管理中删除创建活动"
        assert state_label("applications.application", "awaiting_inspection") == "待实地考察"
        assert state_label("inspections.scoresheet", "submitted") == "已提交"
        assert state_label("applications.application", "no_such_state") == "no_such_state"
        assert action_label("no.such_action") == "no.such_action"


def test_timeline_and_audit_log_read_in_chinese(world, client_for):
    application = registered(world)
    page = client_for(world.sjz_operator).get(reverse("applications:detail", args=[application.pk])).content.decode()
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert "登记备案" in timeline
    assert "已提交 → 已登记" in timeline
    for code in ("application.register", "submitted", "registered", "draft →"):
        assert f">{code}" not in timeline
        assert f" {code} " not in timeline

    record = AuditRecord.objects.filter(action="application.register").get()
    auditor = client_for(world.audit_admin)
    listing = auditor.get(reverse("audit:record-list")).content.decode()
    assert "登记备案 <code" in listing
    detail = auditor.get(reverse("audit:record-detail", args=[record.pk])).content.decode()
    assert "已提交 → 已登记" in detail
