"""Present mode: a lesson page at its settings as a projector figure, stepped like slides.

A link with ``present=1`` opens the page as the teacher set it up, for a projector:

- only the controls the teacher ticked are shown (``show=q,t``: URL keys of the page; a step
  scrubber brings its Play and Step buttons), everything else that is a control is hidden;
- one section at a time (``slide=2``; the sections are the page's ``st.header`` sections),
  with Previous and Next buttons, also on the arrow keys (Streamlit's button shortcuts);
- chart text at least 20 px (:func:`for_projector` scales every font size of a spec by 1.25:
  the charts' 16 px becomes 20) and body text 22 px.

The same link without ``present`` (what students open) gives the full page at the same
settings: the three keys are read only here, and the rest of the link is the page's own.
Nothing is hidden on the server: the page runs as always and CSS hides what the figure does
not show, so every reading and every number stays the one the full page shows.

The hiding relies on two public parts of Streamlit 1.67's page: a widget with a key sits in an
element carrying the class ``st-key-<key>`` (documented for ``key``), and a section's
``st.header`` is an ``h2`` among the main block's children. ``tests/e2e/test_present.py``
checks both on the served pages. ``ui.page`` calls :func:`apply` and :func:`share_part`,
``ui.drawing.chart`` calls :func:`for_projector`.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from xent import navigation
from xent.i18n import tr
from xent.pagestate import PageState
from xent.ui.state import SCRUBBERS

PRESENT, SHOW, SLIDE = "present", "show", "slide"
"""The URL keys: present mode on (``present=1``), the controls shown, the section shown."""
KEYS = (PRESENT, SHOW, SLIDE)
NAV = "xent_present_nav"
"""Key of the Previous / Next bar (its element carries ``st-key-xent_present_nav``)."""
MORE = "xent_present_more"
"""Key of an expander a page shows only in present mode (the rest of a long reading): kept
on screen, where every other expander is hidden."""
CHART_SCALE = 1.25
"""Present mode's chart text is the page's times this: 16 px -> 20 px."""
BODY_PX = 22
ROOT = Path(__file__).resolve().parents[2]
FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})


def active() -> bool:
    """Whether this page was opened in present mode (``present=1`` in its address)."""
    return st.query_params.get(PRESENT) == "1"


def shown_controls(raw: str | None, keys: Sequence[str]) -> list[str]:
    """The page's controls a ``show`` value names (comma-separated URL keys), in page order;
    names that are no control of the page are left out."""
    asked = {k.strip() for k in (raw or "").split(",")}
    return [k for k in keys if k in asked]


def slide_number(raw: str | None, sections: int) -> int:
    """The section a ``slide`` value asks for, 1 to ``sections`` (1 when garbled)."""
    try:
        number = int(str(raw))
    except ValueError:
        number = 1
    return min(max(number, 1), max(sections, 1))


@functools.cache
def section_count(slug: str) -> int:
    """How many slides the page has: its top-level ``st.header`` sections, and before them
    its opening when that draws a chart (Loss Comparison's curves). Read from the page's
    script; ``tests/e2e/test_present.py`` checks it against the served page."""
    script = next(e.script for e in navigation.LESSONS if e.url_path == slug)
    source = (ROOT / script).read_text()
    headers = [m.start() for m in re.finditer(r"^st\.header\(", source, flags=re.MULTILINE)]
    opening = source[: headers[0]] if headers else source
    after_title = re.split(r"\bpage\.header\(", opening, maxsplit=1)[-1]
    return len(headers) + bool(re.search(r"\.chart\(", after_title))


def control_keys(defaults: Mapping[str, Any], docs: Mapping[str, str]) -> list[str]:
    """The page's controls a teacher can keep on the projector: its URL keys (scrubbers too)."""
    return [*defaults, *(k for k in docs if k not in defaults)]


def link_query(controls: Sequence[str], slide: int = 1) -> list[tuple[str, str]]:
    """The query a presenter link adds to the page's own: ``present=1``, then ``show`` and
    ``slide`` where they say something."""
    query = [(PRESENT, "1")]
    if controls:
        query.append((SHOW, ",".join(controls)))
    if slide > 1:
        query.append((SLIDE, str(slide)))
    return query


def for_projector(spec: dict) -> dict:
    """``spec`` with every font size times :data:`CHART_SCALE` in present mode; ``spec``
    itself otherwise. A new dict: the finished specs are cached and shared."""
    return scaled_text(spec, CHART_SCALE) if active() else spec


def scaled_text(node: Any, factor: float) -> Any:
    """A copy of a Vega-Lite spec with every numeric font size times ``factor`` (datasets,
    which hold no text settings, are shared, not copied)."""
    if isinstance(node, dict):
        return {
            key: (
                value
                if key == "datasets"
                else round(value * factor, 1)
                if key in FONT_KEYS and isinstance(value, int | float)
                else scaled_text(value, factor)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [scaled_text(item, factor) for item in node]
    return node


def _kept_selector(controls: Sequence[str], scrubbers: Sequence[str]) -> str:
    """The element classes of the controls kept on screen (a scrubber with its buttons)."""
    keys = [*controls, *(f"_{b}_{k}" for k in controls if k in scrubbers for b in ("play", "step"))]
    return ", ".join(f".st-key-{k}" for k in keys)


WIDGETS = ", ".join(
    f'[data-testid="{t}"]'
    for t in (
        "stSlider",
        "stSelectbox",
        "stButton",
        "stCheckbox",
        "stDownloadButton",
        "stTextInput",
        "stButtonGroup",
        "stPopover",
        "stNumberInput",
        "stRadio",
        "stLinkButton",
    )
)


def css(slide: int, controls: Sequence[str], scrubbers: Sequence[str]) -> str:
    """The style of present mode, showing section ``slide`` and the ``controls``."""
    block = '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > '
    heading = ':has(> [data-testid="stHeading"] h2)'
    # a slide starts at a section's heading, or at the page's opening after its title row
    start = f":is({heading}, :has(.st-key-_preset) + :not({heading}))"
    nav = f":not(:has(.st-key-{NAV}))"
    kept = _kept_selector(controls, scrubbers)
    keep = f":not({kept})" if kept else ""
    formula = ".stElementContainer:has(.katex-display)"  # its "In words" caption is hidden
    caption = '.stElementContainer:has([data-testid="stCaptionContainer"])'
    # a slider's label drawn above it as text (user text, ``widgets.literal_label``) goes
    # with the slider
    text = ":is(p, li, td, th, label, summary, small, span)"
    more = f":not(.st-key-{MORE}, .st-key-{MORE} *)"
    not_text = ":is(svg, .katex, h1, h2, h3, h4, [data-testid='stIconMaterial'])"
    return f"""<style>
[data-testid="stHeader"], [data-testid="stSidebar"] {{ display: none; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 1rem; padding-bottom: 1rem; }}
{block}*{nav}:not(:nth-child({slide} of {start})):not(:nth-child({slide} of {start}) ~ *),
{block}:nth-child({slide + 1} of {start}){nav},
{block}:nth-child({slide + 1} of {start}) ~ *{nav} {{ display: none; }}
{formula} + {caption} {{ display: none; }}
[data-testid="stMain"] .stElementContainer:has(> .stMarkdown):has(
  + .stElementContainer{keep} [data-testid="stSlider"]) {{ display: none; }}
[data-testid="stMain"] .stElementContainer:has({WIDGETS}){keep}:not(.st-key-{NAV} *),
[data-testid="stMain"] [data-testid="stExpander"]{f":not(:has({kept}))" if kept else ""}{more} {{
  display: none;
}}
[data-testid="stMain"] {text}:not({not_text}, {not_text} *),
[data-testid="stMain"] :is([data-testid="stCaptionContainer"], [data-testid="stSliderThumbValue"],
  [data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"]) {{
  font-size: {BODY_PX}px;
}}
.st-key-{NAV} {{
  position: fixed; top: 0.5rem; right: 1rem; z-index: 999990; width: auto;
  background: var(--background-color, inherit);
}}
@media (max-width: 640px) {{ .st-key-{NAV} {{ position: static; }} }}
</style>"""


def _go(slide: int) -> None:
    st.query_params[SLIDE] = str(slide)


def apply(state: PageState) -> bool:
    """In present mode: the style and the Previous / Next bar; whether present mode is on."""
    if not active():
        return False
    sections = section_count(state.slug)
    slide = slide_number(st.query_params.get(SLIDE), sections)
    controls = shown_controls(st.query_params.get(SHOW), control_keys(state.defaults, state.docs))
    st.html(css(slide, controls, [k for k in SCRUBBERS if k in state.docs]))
    with st.container(key=NAV, horizontal=True, vertical_alignment="center", width="content"):
        st.button(
            tr("Previous"),
            key="_present_previous",
            icon=":material/arrow_back:",
            shortcut="Left",
            disabled=slide <= 1,
            on_click=_go,
            args=(slide - 1,),
            help=tr("The previous section (left arrow key)."),
        )
        st.markdown(tr("Section {slide} of {sections}", slide=slide, sections=sections))
        st.button(
            tr("Next"),
            key="_present_next",
            icon=":material/arrow_forward:",
            shortcut="Right",
            disabled=slide >= sections,
            on_click=_go,
            args=(slide + 1,),
            help=tr("The next section (right arrow key)."),
        )
    return True


def share_part(state: PageState, url: str) -> None:
    """In the Share dialog: "Present this view", a presenter link with the controls ticked."""
    st.markdown(
        tr(
            "**Present this view**: this page at these settings as a projector figure, "
            "one section at a time, with only the controls you tick."
        )
    )
    docs = state.docs
    keys = control_keys(state.defaults, docs)
    controls = st.multiselect(
        tr("Controls shown on the projector"),
        keys,  # the URL keys: the link is the same in every language
        format_func=lambda k: tr("{control} ({key})", control=tr(docs.get(k, k)), key=k),
        key="_present_show",
        placeholder=tr("None: a clean figure"),
        help=tr(
            "Every other control is hidden. Students who open the link without "
            "present=1 see the whole page."
        ),
    )
    joiner = "&" if "?" in url else "?"
    st.code(
        url + joiner + urllib.parse.urlencode(link_query(controls)), language=None, wrap_lines=True
    )
