"""Apps import one way (issue 19, item 2): from the bottom, the platform, the people, the
standard, the notice's steps in order, oversight, the home page, and the demo data at the top. Every
import of every app's code is read (inside functions too; tests and migrations aside).
An app importing one of a higher layer is an upward edge: none may be added, and the
ones still listed in KNOWN_UPWARD are the work left to do (each removed from the list
once a hook, signal or registry replaces it, so that the list only shrinks)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LAYERS = [
    {"core", "audit", "jobs", "notifications"},
    {"accounts", "organisations", "security", "twofactor"},
    {"campaigns", "notices", "workdays"},
    {"plans", "materials", "applications"},
    {"inspections"},
    {"designations", "showcase"},
    {"reports", "dashboard", "imports", "exports", "backups"},
    {"home"},
    {"demo"},
]
LAYER_OF = {app: number for number, apps in enumerate(LAYERS) for app in apps}

# Upward imports as of issue 19's first session: to be removed, never added to.
KNOWN_UPWARD = {
    ("applications", "designations"),
    ("applications", "inspections"),
    ("applications", "showcase"),
}


def app_imports() -> set[tuple[str, str]]:
    """(importing app, imported app) for every import in the apps' code."""
    edges = set()
    for app in LAYER_OF:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in LAYER_OF and top != app:
                        edges.add((app, top))
    return edges


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - set(LAYER_OF) == set()


def test_no_app_imports_a_higher_layer_beyond_the_known_ones():
    upward = {(low, high) for low, high in app_imports() if LAYER_OF[high] > LAYER_OF[low]}
    assert sorted(upward - KNOWN_UPWARD) == []


def test_the_known_upward_imports_are_still_there():
    """A removed upward import leaves the list too, so that it cannot come back unseen."""
    upward = {(low, high) for low, high in app_imports() if LAYER_OF[high] > LAYER_OF[low]}
    assert sorted(KNOWN_UPWARD - upward) == []


def test_no_app_imports_the_demo_data():
    assert sorted(low for low, high in app_imports() if high == "demo") == []
