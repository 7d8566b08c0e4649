"""The house rules that keep children's data behind the access policy (DESIGN.md §4)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOMAIN_APPS = {"children", "providers", "placements", "insight", "demo"}


def python_files(pattern: str):
    return [p for p in ROOT.glob(pattern) if ".venv" not in p.parts and "node_modules" not in p.parts]


def test_views_never_query_models_directly():
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in python_files("*/views.py") + python_files("*/views/*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert not offenders, f"views must ask selectors, not Model.objects: {offenders}"


def test_core_imports_no_domain_app():
    offenders = []
    for path in python_files("core/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in DOMAIN_APPS]
    assert not offenders


# DESIGN.md §4: core <- children, providers, terms <- placements <- attendance <- casework <- insight, inspection <- survey
LAYERS = [{"core"}, {"children", "providers", "terms"}, {"placements"}, {"attendance"}, {"casework"}]
LAYERS += [{"insight", "inspection"}, {"survey"}]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def test_apps_import_only_from_their_own_layer_or_below():
    """A read that crosses domains (the register with attendance, its CSV) lives up in insight, never down."""
    offenders = []
    for app, level in LAYER_OF.items():
        for path in python_files(f"{app}/**/*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                offenders += [
                    f"{path.relative_to(ROOT)}: {n}" for n in names if LAYER_OF.get(n.split(".")[0], -1) > level
                ]
    assert not offenders, f"an app imports from a layer above it: {offenders}"
