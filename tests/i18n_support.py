"""What the language tests share: the messages the code writes, and English left in a page.

:func:`messages` reads every ``tr("…")``/``N_("…")`` literal from the source (``ast``), with
where it is. :func:`english_left` finds English a Japanese page still shows: a run of two or
more English words (3+ letters each) that is not a name, a symbol or user text the test put
there. :func:`page_text` collects everything an AppTest page shows a reader.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    ROOT / "streamlit_app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "xent").rglob("*.py")),
)
MARKERS = {"tr", "N_"}


def _marker(node: ast.Call) -> str | None:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name if name in MARKERS else None


def calls(path: Path) -> Iterator[tuple[ast.Call, str]]:
    """Every ``tr(...)``/``N_(...)`` call in ``path`` with its marker's name."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and (marker := _marker(node)) and node.args:
            yield node, marker


def messages() -> dict[str, list[str]]:
    """Every literal message of the source -> where it is written (``path:line``)."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        if "locales" in path.parts:
            continue
        for node, _ in calls(path):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(first.value, []).append(where)
    return found


WORD = re.compile(r"[A-Za-z]+")
"""An ASCII word."""

LATEX_COMMAND = re.compile(r"\\(?:begin|end)\{[A-Za-z*]+\}|\\[A-Za-z]+")
"""A KaTeX command (``\\sigma``, ``\\tfrac``) or environment (``\\begin{gathered}``): a
formula's, not a word of a sentence."""

ICON = re.compile(r":material/[a-z0-9_]+:")
"""A Material icon's code in markdown (``:material/casino:``): drawn as an icon, not read."""

DIRECTIVE = re.compile(r":[a-z]+(?:-[a-z]+)?\[")
"""A Streamlit markdown directive's opening (``:small[``, ``:blue[``, ``:blue-background[``):
styling, not read; the text inside its brackets is still checked."""

ALLOWED = frozenset(
    word.lower()
    for word in (
        # symbols and function names written in formulas and code, the app's name
        "log",
        "exp",
        "softmax",
        "sigmoid",
        "argmax",
        "xent",
        "nats",
        "bits",
        "mathrm",
        "frac",
        "sum",
        "text",
        "cdot",
        "left",
        "right",
        "begin",
        "end",
        "aligned",
        "quad",
        "times",
        "mid",
        "partial",
        "hat",
        "tilde",
        "ldots",
        "infty",
        "operatorname",
        "sqrt",
        "approx",
        "leq",
        "geq",
        "neq",
        "qquad",
        "bar",
        "min",
        "max",
        "mathbf",
        "boldsymbol",
        "English",
        "KaTeX",
        "Vega",
        "Lite",
        "CSV",
        "URL",
        "QR",
        "ReLU",
        "ASCII",
        "nat",
        "lang",
        "material",
        "http",
        "https",
        "localhost",
        "png",
        "data",
        "image",
        "base",
        "svg",
        "xml",
        "utf",
        "color",
        "span",
        "div",
        "class",
        "style",
        "font",
        "size",
    )
)


def english_left(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """English words a Japanese page should not show: each word of four or more ASCII letters
    that is not a symbol, a function's name or a name in ``allowed`` (user text the test put
    there).

    >>> english_left("交差エントロピー L = −log q は 0.51 nats")
    []
    >>> english_left("損失は the loss of a prediction です")
    ['loss', 'prediction']
    >>> english_left(":small[りんご の z] :blue[the loss]")
    ['loss']
    >>> english_left(r"$\\begin{gathered} \\sigma(z) \\leftarrow \\tfrac{1}{2} \\end{gathered}$")
    []
    """
    extra = {w.lower() for w in allowed}
    text = LATEX_COMMAND.sub(" ", DIRECTIVE.sub(" ", ICON.sub(" ", text)))
    return [
        w
        for w in WORD.findall(text)
        if len(w) >= 4 and w.lower() not in ALLOWED and w.lower() not in extra
    ]


CHART_TEXT_KEYS = frozenset({"title", "text", "description", "subtitle"})
"""Keys of a Vega-Lite spec whose string values a reader sees."""


def _chart_text(node) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "datasets":
                continue
            if key in CHART_TEXT_KEYS and isinstance(value, str):
                yield value
            elif key in CHART_TEXT_KEYS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _chart_text(value)
    elif isinstance(node, list):
        for value in node:
            yield from _chart_text(value)


def page_text(at) -> str:
    """Everything an AppTest page shows a reader: titles, text, captions, notices, labels,
    help, options, button labels, and each chart's spec (titles, axes, legends, alt)."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "toast",
        "latex",
    ):
        parts += [str(e.value) for e in getattr(at, kind, [])]
    for kind in (
        "slider",
        "select_slider",
        "selectbox",
        "radio",
        "multiselect",
        "checkbox",
        "toggle",
        "button",
        "number_input",
        "text_input",
        "segmented_control",
        "pills",
        "download_button",
    ):
        try:
            widgets = at.get(kind)
        except Exception:
            continue
        for w in widgets:
            for attr in ("label", "help", "placeholder"):
                value = getattr(w, attr, None) or getattr(getattr(w, "proto", None), attr, None)
                if isinstance(value, str):
                    parts.append(value)
            proto = getattr(w, "proto", None)
            for option in getattr(proto, "options", []) or []:
                # a button group's option is a message: its text is its content
                parts.append(str(getattr(option, "content", option)))
    for chart in at.get("vega_lite_chart"):
        parts += _chart_text(json.loads(chart.proto.spec))
        parts.append(getattr(chart.proto, "alt", "") or "")
    return "\n".join(parts)
