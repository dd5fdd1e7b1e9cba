"""Which of xent's own modules may import which, no import cycle, no private API anywhere.

Every module under ``xent/`` (``ui/``, ``lessons/`` and ``classroom/`` too) is a node, named
by its dotted path under ``xent`` (``ui.state``, ``classroom.ui``; ``xent/ui/__init__.py`` is
``ui``); every import in it, at the top or inside a function, is an edge. The layers run one
way: pages -> ui.page -> ui.ask, classroom.ui -> ui.widgets, ui.state -> navigation ->
lessons -> charts, frames -> training -> losses -> functions -> _validation (data beside
them). A module importing one not listed for it in ``ALLOWED``, a cycle among modules or
among packages, a shared ``ui`` module importing a page's own, an import of Streamlit's
internals (``streamlit.runtime``, ``streamlit.web``), or an access to an underscore
attribute of another package's object, fails here. See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

BASE = frozenset({"i18n"})
"""Modules every module may import: the language of the messages (``xent.i18n``)."""

ALLOWED = {
    "__init__": {"functions", "losses"},
    "i18n": {"locales"},
    "locales": {"locales"},
    "_validation": set(),
    "functions": {"_validation"},
    "losses": {"_validation", "functions"},
    "training": {"_validation", "functions", "losses"},
    "scoring": {"losses"},
    "explanations": {"losses", "scoring", "training"},
    "grading": set(),
    "questions": {
        "data",
        "explanations",
        "frames",
        "functions",
        "grading",
        "losses",
        "scoring",
        "text",
        "training",
    },
    "data": set(),
    "text": {"data"},
    "charts": {"losses"},
    "pagestate": set(),
    "frames": {"data", "functions", "losses", "scoring", "training"},
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
    "caches": {"frames", "lessons"},
    "navigation": {"lessons", "pagestate", "questions"},
    "spec_cache": set(),
    "warmup": {"charts"},
    "style": set(),
    "language": {"text"},
    "a11y": set(),
    "classroom": set(),
    "classroom.store": {"questions"},
    "classroom.ui": {
        "a11y",
        "charts",
        "classroom.store",
        "language",
        "navigation",
        "questions",
        "text",
    },
    "ui": set(),
    "ui.animation": set(),
    "ui.address": set(),
    "ui.player": {"ui.address", "ui.animation"},
    "ui.state": {
        "losses",
        "navigation",
        "pagestate",
        "text",
        "language",
        "ui.address",
        "ui.player",
    },
    "ui.widgets": {"frames", "pagestate", "text", "ui.address", "ui.player", "ui.state"},
    "ui.present": {"navigation", "pagestate", "ui.state"},
    "ui.drawing": {"a11y", "charts", "spec_cache", "ui.animation", "ui.player", "ui.present"},
    "ui.notice": {"losses", "text", "ui.state"},
    "ui.ask": {
        "a11y",
        "classroom.ui",
        "data",
        "navigation",
        "pagestate",
        "questions",
        "text",
        "ui.widgets",
    },
    "ui.page": {
        "a11y",
        "classroom.ui",
        "language",
        "navigation",
        "pagestate",
        "ui.ask",
        "ui.present",
        "ui.state",
    },
    "ui.bernoulli": set(),
    "ui.multiclass": {"pagestate", "text", "ui.address", "ui.widgets"},
    "ui.comparison": {
        "losses",
        "navigation",
        "pagestate",
        "ui.address",
        "ui.drawing",
        "ui.state",
    },
}
"""xent module -> the xent modules it may import (a package's name stands for its modules:
``lessons`` for ``lessons.bernoulli``; a module not listed falls under its package's entry)."""

PAGE_OWN = frozenset(f"ui.{path.stem}" for path in (ROOT / "xent" / "lessons").glob("[!_]*.py"))
"""The ``ui`` modules that hold one page's own controls (named after its lesson module)."""

APP_FILES = sorted(
    [*ROOT.glob("xent/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "streamlit_app.py"]
)
MODULE_FILES = sorted((ROOT / "xent").rglob("*.py"))
INTERNALS = ("streamlit.runtime", "streamlit.web")
PROTOCOL = ("_repr_",)
"""Underscore names that are public protocols (IPython's ``_repr_mimebundle_``)."""


def module_name(path: Path, root: Path = ROOT) -> str:
    """``xent/ui/state.py`` -> ``ui.state``; ``xent/ui/__init__.py`` -> ``ui``."""
    parts = list(path.relative_to(root / "xent").with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _resolve(dotted: str, root: Path) -> str:
    """The module an import of ``xent.<dotted>`` loads: the longest prefix that is a file or
    a package (``ui.state.clamp`` -> ``ui.state``; ``ui.ask`` -> ``ui.ask``)."""
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        base = root / "xent" / Path(*parts[:n])
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return ".".join(parts[:n])
    return parts[0]


def xent_imports(path: Path, root: Path = ROOT) -> set[str]:
    """The xent modules ``path`` imports, at its top or inside a function (dotted names)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "xent":
            prefix = node.module.removeprefix("xent").lstrip(".")
            for alias in node.names:  # a name imported from a package may be its module
                found.add(_resolve(f"{prefix}.{alias.name}".lstrip("."), root))
        elif isinstance(node, ast.Import):
            found |= {
                _resolve(a.name.removeprefix("xent."), root)
                for a in node.names
                if a.name.startswith("xent.")
            }
    return found


def allowed(module: str) -> set[str]:
    """What ``module`` may import: its own entry, else its package's."""
    while module not in ALLOWED and "." in module:
        module = module.rsplit(".", 1)[0]
    return ALLOWED[module]


def permitted(module: str, target: str) -> bool:
    if target in BASE and not module.startswith("locales"):
        return True
    return any(target == name or target.startswith(name + ".") for name in allowed(module))


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Every module under ``root/xent`` -> the xent modules it imports (itself left out)."""
    graph = {}
    for path in sorted((root / "xent").rglob("*.py")):
        name = module_name(path, root)
        graph[name] = xent_imports(path, root) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (each one or more cycles), sorted."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same imports between top-level parts of xent (``ui``, ``classroom``, ``lessons``,
    each plain module), a part's imports of itself left out."""
    top: dict[str, set[str]] = {}
    for node, targets in graph.items():
        part = node.split(".")[0]
        top.setdefault(part, set()).update(t.split(".")[0] for t in targets)
    return {part: targets - {part} for part, targets in top.items()}


def test_every_module_is_listed():
    missing = [name for name in import_graph() if name != "__init__" and not _listed(name)]
    assert not missing, f"add {missing} to ALLOWED (and docs/ARCHITECTURE.md)"


def _listed(module: str) -> bool:
    return module in ALLOWED or module.split(".")[0] in ALLOWED


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_imports_only_the_layers_below_it(path):
    name = module_name(path)
    upward = {t for t in xent_imports(path) - {name} if not permitted(name, t)}
    assert not upward, f"{name} imports {sorted(upward)}"


def test_no_import_cycle_among_modules():
    assert cycles(import_graph()) == []


def test_no_import_cycle_among_packages():
    assert cycles(package_graph(import_graph())) == []


def test_shared_ui_modules_never_import_a_pages_own():
    """A page's own controls (``ui.bernoulli`` …) are imported by its page only."""
    graph = import_graph()
    shared = [name for name in graph if name.split(".")[0] in ("ui", "classroom")]
    wrong = {n: graph[n] & PAGE_OWN for n in shared if n not in PAGE_OWN and graph[n] & PAGE_OWN}
    assert not wrong


def test_the_cycle_check_sees_a_cycle_and_a_lazy_import(tmp_path):
    """A cycle closed by an import inside a function is found, as ui <-> predict was."""
    package = tmp_path / "xent"
    (package / "ui").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "ui" / "__init__.py").write_text("")
    (package / "ui" / "state.py").write_text("def header():\n    from xent import predict\n")
    (package / "predict.py").write_text("from xent.ui.state import header\n")
    (package / "math.py").write_text("")
    graph = import_graph(tmp_path)
    assert graph["ui.state"] == {"predict"}
    assert cycles(graph) == [["predict", "ui.state"]]
    assert cycles(package_graph(graph)) == [["predict", "ui"]]


LESSON_MODULES = sorted(ROOT.glob("xent/lessons/*.py"))


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
    assert {t for t in xent_imports(upward) if not permitted("losses", t)} == {"ui", "frames"}


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


def test_the_readme_layout_names_every_module():
    """README's Layout block names each module of ``xent/`` (its packages' too), so that a
    new engineer finds every file from it (private ``_`` modules and ``__init__`` aside)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    unnamed = [
        str(path.relative_to(ROOT / "xent"))
        for path in MODULE_FILES
        if not path.name.startswith("_") and not re.search(rf"(?<![\w/]){path.name}", layout)
    ]
    assert not unnamed, f"README's layout does not name {unnamed}"
