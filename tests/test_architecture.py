"""Dependencies point one way: an app imports only apps below it in this list."""

import ast
from pathlib import Path

import tsunagu

LAYERS = [
    "core",
    "access",
    "accounts",
    "audit",
    "administration",
    "people",
    "cases",
    "resources",
    "plans",
    "watch",
    "family_support",
    "maternal",
    "demo",
]
ROOT = Path(tsunagu.__file__).parent


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_apps_import_only_lower_apps():
    wrong = []
    for rank, app in enumerate(LAYERS):
        for path in (ROOT / app).rglob("*.py"):
            for name in _imports(path):
                parts = name.split(".")
                target = parts[1] if parts[0] == "tsunagu" and len(parts) > 1 else None
                if target in LAYERS and LAYERS.index(target) > rank:
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_every_app_is_placed_in_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS)
