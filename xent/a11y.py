"""What a keyboard and a screen reader need that Streamlit has no setting for (issue 24).

- :func:`announce`: a polite live region that speaks a text when it changes (a reading under
  a chart, the class's answer count).
- :func:`scroll_to`: the page scrolls, once, to a box drawn above what it talks about.
- :func:`focus_next` and :func:`restore_focus`: a button that vanishes on the rerun it
  causes ("Lock in my guess", "Guess again", "Open a class", a teacher's Close / Reveal)
  took the keyboard focus with it, to the page's body. Its callback names where the focus
  goes next; the next run draws a one-time script (``st.html(unsafe_allow_javascript=True)``,
  a public API: Streamlit has no focus API, issue 3899) that focuses the first focusable
  element of the container or widget with that key (Streamlit gives it the class
  ``st-key-<key>``).

Both draw into a visually hidden box out of the flow (``xent.style``'s ``.xent-live``).
Outside ``xent.ui`` and ``xent.classroom`` (both use it; ``ui`` imports ``classroom.ui``).
"""

from __future__ import annotations

import html
import json
import re

import streamlit as st

LIVE = "_live_texts"
"""Session key: the text each live region (by its key) spoke or showed in the last run."""

FOCUS = "_focus_next"
"""Session key: the key of the element the next run focuses (:func:`focus_next`)."""

_WHEN_DRAWN_JS = """
<div class="xent-live"><script>
(() => {
  const selector = %s;
  let tries = 0;
  const act = () => {
    const found = document.querySelector(selector);
    if (found && (%s)(found)) return;
    if (++tries < 60) setTimeout(act, 50);
  };
  act();
})();
</script></div>
"""
"""Run a function on the element ``selector`` finds once it is drawn, waiting up to 3 s (the
script may run before the element it looks for); the function returns false to be tried
again."""

_FOCUS_FIRST = """(box) => {
  const focusable = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';
  const target = box.matches(focusable) ? box : box.querySelector(focusable);
  if (target) target.focus();
  return Boolean(target);
}"""
"""Focus the first focusable element in a box (or the box itself)."""

_SCROLL_TO_TOP = """(box) => {
  let moved = false;
  const stop = () => { moved = true; };
  for (const type of ['wheel', 'touchmove', 'keydown', 'mousedown']) {
    window.addEventListener(type, stop, {once: true, capture: true});
  }
  const align = () => {
    if (!moved) (document.querySelector(selector) || box).scrollIntoView({block: 'start'});
  };
  align();
  for (const ms of [300, 800, 1500, 3000]) setTimeout(align, ms);
  return true;
}"""
"""Scroll a box to the top of the screen (``xent.style`` keeps it below the top menu), and
again while the page above it is still settling (a slow first load draws it in steps), for
3 s or until the reader scrolls, presses a key or clicks."""


def _when_drawn(key: str, action_js: str) -> None:
    """Draw, once, the script that runs ``action_js`` on ``.st-key-<key>`` when it is drawn."""
    selector = json.dumps(f".st-key-{key}")
    st.html(_WHEN_DRAWN_JS % (selector, action_js), unsafe_allow_javascript=True)


def announce(key: str, text: str) -> None:
    """A polite live region (visually hidden) that a screen reader speaks when the text of
    ``key`` changes: empty on the run that first draws it (the text itself is on the page)
    and after a run that left it as it was, the new text when a run changed it. Streamlit
    keeps the element in place across reruns, so the region exists before its text changes,
    as live regions need."""
    last = st.session_state.setdefault(LIVE, {})
    changed = key in last and last[key] != text
    last[key] = text
    spoken = html.escape(spoken_text(text)) if changed else ""
    st.html(f'<div class="xent-live" role="status" aria-atomic="true">{spoken}</div>')


def spoken_text(markdown: str) -> str:
    """Markdown as plain text: bold marks, heading marks and backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("**", "").lstrip("# "))


def focus_next(key: str) -> None:
    """Ask the next run to put the keyboard focus on the element with ``key`` (a widget's or
    a keyed container's: its first focusable element). Call it from a callback."""
    st.session_state[FOCUS] = key


def restore_focus() -> None:
    """Draw, once, the script that moves the focus where :func:`focus_next` asked (nothing
    when nothing was asked). Call it once per run, after the page's header."""
    key = st.session_state.pop(FOCUS, None)
    if key is not None:
        _when_drawn(key, _FOCUS_FIRST)


def scroll_to(key: str) -> None:
    """Scroll the page, once, so that the container with ``key`` is at the top of the screen
    (below the top menu): for a box that appears above what it talks about (the reveal of a
    guess, above the lesson's first chart). Call it on the run that first draws the box."""
    _when_drawn(key, _SCROLL_TO_TOP)
