"""A row locked for an update locks only its own table's row (issue 8, found by the soak
test): `select_for_update()` beside `select_related()` would lock every joined row too, so
a transition of one application held the campaign's row, and every upload of the province,
whose new row refers to that campaign, waited on it; with the audit chain's lock taken in
the other order, PostgreSQL saw deadlocks."""

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.workflow import transition
from tests.applications import factories

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    path
    for path in ROOT.glob("*/**/*.py")
    if path.parts[len(ROOT.parts)] not in {".venv", "node_modules", "var", "tests", "static"}
    and "migrations" not in path.parts
]


def calls_in(statement: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(statement) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]


def test_row_locks_with_joins_name_the_rows_they_lock():
    offenders = []
    for path in SOURCES:
        for statement in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(statement, ast.stmt) or isinstance(statement, (ast.FunctionDef, ast.ClassDef, ast.With)):
                continue
            calls = calls_in(statement)
            joins = any(call.func.attr == "select_related" for call in calls)
            for call in calls:
                if call.func.attr == "select_for_update" and joins and not any(k.arg == "of" for k in call.keywords):
                    offenders.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert sorted(set(offenders)) == []


def test_row_locks_scan_sees_the_platforms_modules():
    assert any(path.relative_to(ROOT).as_posix() == "applications/workflow.py" for path in SOURCES)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_row_locks_a_transition_locks_only_the_application(db, world):
    application = factories.submitted(world)
    with CaptureQueriesContext(connection) as queries:
        transition(application=application, name="register", actor=world.province_staff)
    locks = [
        query["sql"] for query in queries if "FOR UPDATE" in query["sql"] and "applications_application" in query["sql"]
    ]
    assert locks
    assert all('FOR UPDATE OF "applications_application"' in sql for sql in locks), locks
