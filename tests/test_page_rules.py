"""Architecture rules (docs/ARCHITECTURE.md), checked on the source: pages -> ui -> charts -> math.

Page scripts stay thin: they import only ``streamlit`` and ``xent`` (never numpy, pandas
or altair), hold no functions or classes of their own except their sections as
``st.fragment``s, and so can neither compute math nor build a chart except through ``xent``.
The math modules never import the UI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "pages").glob("*.py"))
PAGE_IMPORTS = {"streamlit", "xent"}
FORBIDDEN_IN_PAGES = {"numpy", "pandas", "altair", "math", "scipy"}


def imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_there_are_pages():
    assert {p.name for p in PAGES} >= {
        "home.py",
        "bernoulli.py",
        "multiclass.py",
        "loss-comparison.py",
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_import_only_streamlit_and_xent(page):
    roots = imported_roots(parse(page))
    assert roots <= PAGE_IMPORTS, f"{page.name} imports {sorted(roots - PAGE_IMPORTS)}"
    assert not roots & FORBIDDEN_IN_PAGES


def is_fragment(node: ast.FunctionDef) -> bool:
    """Decorated with ``st.fragment`` or ``st.fragment(...)``."""
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if ast.unparse(target) == "st.fragment":
            return True
    return False


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_define_only_fragments(page):
    """A page's only functions are its sections as ``st.fragment``s (no helpers, no classes)."""
    tree = parse(page)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef | ast.Lambda | ast.AsyncFunctionDef):
            pytest.fail(f"{page.name}:{node.lineno} defines {type(node).__name__}: use xent.ui")
        if isinstance(node, ast.FunctionDef) and not is_fragment(node):
            where = f"{page.name}:{node.lineno}"
            pytest.fail(f"{where} defines {node.name}(): move it to its page's xent.ui module")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_do_no_arithmetic_on_numbers(page):
    """No math in a page: binary operators only on strings (f-strings, labels)."""
    tree = parse(page)
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.Mod | ast.Add):
            # i % 2 for a column index is layout, not math
            pytest.fail(f"{page.name}:{node.lineno} computes {ast.unparse(node)}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id in {"np", "pd", "alt", "math"}:
                pytest.fail(f"{page.name}:{node.lineno} calls {ast.unparse(node.func)}")


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("xent/functions.py", {"streamlit", "altair", "pandas"}),
        ("xent/losses.py", {"streamlit", "altair", "pandas"}),
        ("xent/training.py", {"streamlit", "altair", "pandas"}),
        ("xent/data.py", {"streamlit", "altair", "pandas"}),
        ("xent/frames.py", {"streamlit", "altair"}),
        ("xent/charts.py", {"streamlit"}),
    ],
)
def test_dependencies_point_one_way(module, forbidden):
    roots = imported_roots(parse(ROOT / module))
    assert not roots & forbidden, f"{module} imports {sorted(roots & forbidden)}"


def test_every_cache_is_bounded():
    """st.cache_data / st.cache_resource in xent/caches.py always get max_entries (or ttl)."""
    tree = parse(ROOT / "xent" / "caches.py")
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"cache_data", "cache_resource"}
    ]
    assert calls
    for call in calls:
        kwargs = {kw.arg for kw in call.keywords}
        # ``**CACHE`` (kw.arg None) is the shared bounded setting, checked below
        assert kwargs & {"max_entries", "ttl", None}, ast.unparse(call)
    from xent import caches

    assert caches.CACHE["max_entries"] <= 256


UI_MODULES = sorted((ROOT / "xent" / "ui").glob("*.py"))


@pytest.mark.parametrize("module", UI_MODULES, ids=lambda p: p.name)
def test_widgets_in_pages_are_bound_to_the_url(module):
    """Every widget helper in xent/ui/ that takes a key binds it to the query string."""
    tree = parse(module)
    widget_calls = {"slider", "select_slider", "number_input", "selectbox", "text_input", "pills"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "st"
            and node.func.attr in widget_calls
        ):
            kw = {k.arg: k.value for k in node.keywords}
            key = kw.get("key")
            if isinstance(key, ast.Constant) and str(key.value).startswith("_"):
                continue  # private helpers such as the preset picker
            where = f"{module.name}:{node.lineno}"
            assert "bind" in kw, f"{where} st.{node.func.attr} is not bound to the URL"
