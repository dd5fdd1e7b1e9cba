"""Which of xent's own modules may import which, and no private API anywhere in the app.

The layers run one way: pages → ui → navigation, charts, frames → training → losses →
functions → _validation (data beside them). A module importing a layer above it, or any
import of Streamlit's internals (``streamlit.runtime``, ``streamlit.web``), or an access to
an underscore attribute of another package's object, fails here. See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ALLOWED = {
    "_validation": set(),
    "functions": {"_validation"},
    "losses": {"_validation", "functions"},
    "training": {"_validation", "functions", "losses"},
    "scoring": {"losses"},
    "explanations": {"losses", "scoring", "training"},
    "questions": {"functions", "losses", "training"},
    "predict": {"classroom", "data", "questions", "ui"},
    "data": set(),
    "charts": {"losses"},
    "navigation": set(),
    "pagestate": set(),
    "caches": {"frames", "lessons"},
    "frames": {"data", "functions", "losses", "training"},
    "ui": {
        "address",
        "animation",
        "charts",
        "classroom",
        "data",
        "explanations",
        "frames",
        "lessons",
        "losses",
        "navigation",
        "pagestate",
        "player",
        "predict",
        "scoring",
        "speed",
    },
    "player": {"address", "animation"},
    "address": set(),
    "animation": set(),
    "lessons": {
        "charts",
        "data",
        "explanations",
        "frames",
        "functions",
        "losses",
        "pagestate",
        "scoring",
        "training",
    },
    "speed": set(),
    "warmup": {"charts"},
    "style": set(),
    "__init__": {"functions", "losses"},
}
"""xent module -> the xent modules it may import."""

APP_FILES = sorted(
    [*ROOT.glob("xent/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "streamlit_app.py"]
)
INTERNALS = ("streamlit.runtime", "streamlit.web")
PROTOCOL = ("_repr_",)
"""Underscore names that are public protocols (IPython's ``_repr_mimebundle_``)."""


def xent_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xent"):
            if node.module == "xent":
                found |= {alias.name for alias in node.names}
            else:
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("xent.")}
    return found


@pytest.mark.parametrize("path", sorted(ROOT.glob("xent/*.py")), ids=lambda p: p.stem)
def test_each_module_imports_only_the_layers_below_it(path):
    assert path.stem in ALLOWED, f"{path.stem}: add it to ALLOWED (and docs/ARCHITECTURE.md)"
    assert xent_imports(path) <= ALLOWED[path.stem], xent_imports(path) - ALLOWED[path.stem]


LESSON_MODULES = sorted(ROOT.glob("xent/lessons/*.py"))


@pytest.mark.parametrize("path", LESSON_MODULES, ids=lambda p: p.stem)
def test_lesson_modules_import_only_the_layers_below_ui(path):
    assert xent_imports(path) <= ALLOWED["lessons"], xent_imports(path) - ALLOWED["lessons"]


@pytest.mark.parametrize("path", LESSON_MODULES, ids=lambda p: p.stem)
def test_lesson_modules_are_streamlit_free(path):
    """Readings and chart adapters stay testable without a Streamlit session."""
    tree = ast.parse(path.read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {name for name in imported if name.split(".")[0] == "streamlit"}


def private_uses(source: str) -> list[str]:
    """Imports of Streamlit internals and underscore attributes of other packages' objects."""
    tree = ast.parse(source)
    modules = {}  # local name -> imported module, for names bound by import
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name.split(".")[0]] = alias.name
                if alias.name.startswith(INTERNALS):
                    bad.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(INTERNALS):
                bad.append(f"from {node.module} import")
            if not node.module.startswith("xent"):
                bad += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
            continue
        if node.attr.startswith("__") or node.attr.startswith(PROTOCOL):
            continue
        base = node.value
        while isinstance(base, ast.Attribute | ast.Call | ast.Subscript):
            base = base.func if isinstance(base, ast.Call) else base.value
        name = base.id if isinstance(base, ast.Name) else None
        if name in ("self", "cls") or modules.get(name, "").startswith("xent"):
            continue
        bad.append(f"{ast.unparse(node)} (line {node.lineno})")
    return bad


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_api(path):
    assert private_uses(path.read_text()) == []


@pytest.mark.parametrize(
    "source",
    [
        "from streamlit.runtime.pages_manager import PagesManager",
        "import streamlit.web.server",
        "import streamlit as st\nst.session_state._state",
        "import pandas as pd\ndf = pd.DataFrame()\ndf._mgr",
        "from streamlit import _private",
    ],
)
def test_the_guard_sees_private_use(source):
    assert private_uses(source)


def test_the_layering_check_sees_an_upward_import(tmp_path):
    upward = tmp_path / "losses.py"
    upward.write_text("from xent import ui\nfrom xent.frames import Curves\n")
    assert xent_imports(upward) - ALLOWED["losses"] == {"ui", "frames"}


MAX_FUNCTION_LINES = 60
"""The longest a function in ``xent/`` may be, from ``def`` to its last line (docstring
included): a longer one is split into named helpers (a chart into its layers)."""


def long_functions(source: str) -> list[tuple[str, int]]:
    """(name, lines) of every function or method in ``source`` longer than the limit."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "xent").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_function_is_longer_than_the_limit(path):
    assert long_functions(path.read_text(encoding="utf-8")) == []


def test_the_length_check_sees_a_long_function():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def f():\n{body}\n") == [("f", MAX_FUNCTION_LINES + 1)]
    assert long_functions("def g():\n    return 1\n") == []
