"""Page-wide CSS that Streamlit's options do not cover, injected once per page by ``apply()``.

Four rules, three of them for keyboard users and screen readers, through the public
``st.html`` (a ``<style>`` block alone is applied without taking room on the page):

- a focus ring on every focusable element reached by keyboard (``:focus-visible``), 3 px in
  the theme-independent Okabe-Ito blue #0072B2: 5.2:1 on the light background, 3.6:1 on the
  dark one (WCAG 1.4.11 asks 3:1 for focus indicators);
- an element's hover toolbar (fullscreen, chart actions) shown while a button inside it has
  keyboard focus, so a focused toolbar button is never invisible. Streamlit names that
  toolbar only by ``data-testid="stElementToolbar"``; no public option reveals it on focus;
- 2 px of room beside display formulas: KaTeX's rounding left each one a pixel or two wider
  than its box, which made it a scrollable region without a tab stop (axe's
  scrollable-region-focusable); the formulas themselves are written to fit a phone;
- less empty space above the page's title (2rem instead of Streamlit's 6rem) and around the
  title and the section headings, so that on a 1280x720 projector the first lesson chart and
  its reading fit under the title and the controls row (``tests/e2e/test_fit.py``); Streamlit
  offers no setting for that padding.

Predict-then-reveal's reveal (``xent.ui.ask``) scrolls to 4rem below the top, just under the
top bar, has half the usual room above and below its text, and its text takes the room beside
the Guess again button (14rem at least) instead of pushing the button onto a row of its own:
after the scroll to it, the reveal, the first lesson chart and its reading share a 1280x720
screen.

A live region (``xent.a11y.announce``) and a focus script (``a11y.restore_focus``) are visually
hidden and out of the flow.

For focus (issue 24): a focused element scrolled into view stops 5rem below the top, clear of
the sticky top bar (WCAG 2.4.11); a toggle's ring is drawn on its whole label, a slider's on
its thumb and a select box's on its box (their inputs' own outlines were cut by ``overflow:
hidden`` boxes); a segmented control's row scrolls sideways, so it gets room for its buttons'
rings; a heading's link shows while it has focus (it was transparent); a chart's toolbar with
focus is drawn above the chart, not under its SVG
(``tests/e2e/test_focus.py`` checks every stop in rendered pixels).
"""

from __future__ import annotations

import streamlit as st

FOCUS_RING = "#0072B2"
REVEAL_BOX = "_reveal"
"""The key of predict-then-reveal's reveal (``xent.ui.ask.REVEAL``; this module sits below
``ui``)."""

CSS = f"""
<style>
:focus-visible {{
  outline: 3px solid {FOCUS_RING} !important;
  outline-offset: 2px !important;
}}
[data-testid="stElementToolbar"]:focus-within {{
  opacity: 1 !important;
  z-index: 1000;
}}
:focus-visible {{
  scroll-margin-top: 5rem;
  scroll-margin-bottom: 1rem;
}}
[data-testid="stMain"] div:has(> input:not([type="range"]):focus-visible),
[data-testid="stSlider"] div:has(> div > input[type="range"]:focus-visible),
[data-testid="stCheckbox"] label:has(input:focus-visible) {{
  outline: 3px solid {FOCUS_RING};
  outline-offset: 2px;
  border-radius: 4px;
}}
[data-testid="stButtonGroup"] > div {{
  padding: 6px;
  margin: -6px;
  max-width: calc(100% + 12px);
}}
[data-testid="stHeaderActionElements"] a:focus-visible {{
  opacity: 1 !important;
  transition: none;
}}
.stElementContainer:has(.xent-live) {{
  position: absolute;
}}
.xent-live {{
  position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap;
}}
.katex-display {{
  padding: 0 2px;
}}
[data-testid="stMainBlockContainer"] {{
  padding-top: 2rem;
}}
[data-testid="stMain"] h1 {{
  padding-bottom: 0.25rem;
}}
.st-key-{REVEAL_BOX} {{
  scroll-margin-top: 4rem;
  padding-top: 0.5rem;
  padding-bottom: 0.5rem;
}}
.st-key-{REVEAL_BOX} [data-testid="stHorizontalBlock"] > .stElementContainer:has(> .stMarkdown) {{
  flex: 1 1 14rem;
}}
[data-testid="stMain"] h2 {{
  padding-top: 0.25rem;
  padding-bottom: 0.5rem;
}}
</style>
"""


def apply() -> None:
    """Inject the CSS above; call once per page run, before the page's content."""
    st.html(CSS)
