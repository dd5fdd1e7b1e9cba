"""Every page state a link can produce, on a projector (issue 24, items 2 and 3): at 1280x720
and 1366x768 the first lesson chart and its reading are on screen at load, and the text is
readable from the back of a room (chart text at least 16 px, no text under 14 px), measured
in the rendered page. The states: each lesson page at its defaults, at each preset, and with
a question asked (``ask=``) before and after the guess (then the reveal, which the page scrolls
to, is on screen too, under the top bar); in English and in Japanese. Run with ``-s`` to see
the measured positions."""

from __future__ import annotations

import urllib.parse

import pytest

from xent import i18n, navigation, questions
from xent.i18n import tr
from xent.ui import ask
from xent.ui.drawing import READING
from xent.ui.state import share_query

from .helpers import open_page, wait_for_charts

pytestmark = pytest.mark.browser

SIZES = ((1280, 720), (1366, 768))
CHART_TEXT_PX = 16
LOCK_IN = "Lock in my guess and reveal"
"""The guess button's text (``xent.ui.ask``), shown through ``tr``."""
TEXT_PX = 14


def page_states(entry) -> dict[str, str]:
    """Name -> query of every state of a page a link can produce (the registry's presets, the
    page's first question before and after its guess)."""
    state = entry.state
    found = {"default": ""}
    for name, values in state.presets.items():
        found[f"preset {name}"] = urllib.parse.urlencode(share_query(state, values))
    if entry.questions:
        key = entry.questions[0].key
        question = questions.pose(key, dict(state.defaults))
        found["question asked"] = urllib.parse.urlencode({"ask": key})
        found["question answered"] = urllib.parse.urlencode({"ask": key, "guess": question.truth})
    return found


_MEASURE_JS = r"""
([prefix, lockIn, revealKey]) => {
  const visible = (e) => e.getClientRects().length > 0;
  const main = document.querySelector('[data-testid="stMain"]');
  const box = (e) => { const r = e.getBoundingClientRect();
    return [Math.round(r.top), Math.round(r.bottom)]; };
  const chart = [...main.querySelectorAll('[data-testid="stVegaLiteChart"]')].find(visible);
  let reading = null;
  if (chart) {
    const after = [...main.querySelectorAll('p')].filter((p) => visible(p)
      && p.innerText.startsWith(prefix)
      && (chart.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING));
    reading = after.length ? box(after[0]) : null;
  }
  const guess = [...main.querySelectorAll('button')].find((b) => b.innerText.includes(lockIn));
  const reveal = document.querySelector(`.st-key-${revealKey}`);
  const topBar = document.querySelector('[data-testid="stHeader"]');
  const chartText = [...main.querySelectorAll('svg.marks text')].filter(visible)
    .filter((t) => t.textContent.trim())
    .map((t) => [parseFloat(getComputedStyle(t).fontSize), t.textContent.trim().slice(0, 20)]);
  const text = [...document.querySelectorAll('body *')].filter(visible)
    .filter((e) => !e.closest('svg, .katex, [aria-hidden="true"]')
      && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((e) => [parseFloat(getComputedStyle(e).fontSize), e.innerText.trim().slice(0, 20)]);
  const smallest = (list) => list.reduce((a, b) => (b[0] < a[0] ? b : a), [999, '']);
  return {chart: chart ? box(chart) : null, reading,
          guess: guess ? box(guess) : null, reveal: reveal ? box(reveal) : null,
          topBar: topBar ? Math.round(topBar.getBoundingClientRect().bottom) : 0,
          smallestChartText: smallest(chartText), smallestText: smallest(text)};
}
"""


def _problems(path: str, state: str, size, found: dict) -> list[str]:
    width, height = size
    where = f"{path} [{state}] at {width}x{height}"
    problems = []
    if state == "question asked":
        if not found["guess"] or found["guess"][1] > height:
            problems.append(f"{where}: the guess button is off screen: {found['guess']}")
    elif not found["chart"] or not found["reading"]:
        problems.append(f"{where}: no chart with a reading: {found}")
    elif found["chart"][0] < found["topBar"] or found["reading"][1] > height:
        problems.append(f"{where}: chart {found['chart']}, reading {found['reading']}")
    if state == "question answered" and (
        not found["reveal"] or found["reveal"][0] < found["topBar"] or found["reveal"][1] > height
    ):
        problems.append(f"{where}: the reveal is off screen: {found['reveal']}")
    return problems


def _small_text(where: str, found: dict) -> list[str]:
    problems = []
    if found["smallestChartText"][0] < CHART_TEXT_PX:
        problems.append(f"{where}: chart text {found['smallestChartText']}")
    if found["smallestText"][0] < TEXT_PX:
        problems.append(f"{where}: text {found['smallestText']}")
    return problems


def _on_screen_texts(language: str) -> list[str]:
    """How a reading starts and what the guess button says, in ``language``; the reveal's key."""
    with i18n.using(language):
        return [tr(READING).strip("*"), tr(LOCK_IN), ask.REVEAL]


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("path", [entry.url_path for entry in navigation.LESSONS])
def test_every_page_state_fits_a_projector_with_readable_text(new_page, path, language) -> None:
    entry = navigation.lesson(path)
    off_screen, small = [], []
    for state, query in page_states(entry).items():
        link = "&".join(filter(None, (f"lang={language}", query)))
        page = None
        for width, height in SIZES:
            # a projector opens a reveal's link at its own size (the page scrolls to the reveal
            # then); the other states are measured again after a resize
            if page is None or state == "question answered":
                if page is not None:
                    page.context.close()
                page = new_page(width=width, height=height)
                open_page(page, path, link)
            page.set_viewport_size({"width": width, "height": height})
            if state != "question asked":
                wait_for_charts(page)
            page.wait_for_timeout(400)  # charts take their new width
            found = page.evaluate(_MEASURE_JS, _on_screen_texts(language))
            print(f"{path} [{state}] {width}x{height}: {found}")
            off_screen += _problems(path, state, (width, height), found)
            small += _small_text(f"{path} [{state}] at {width}x{height}", found)
        page.context.close()
    assert not small, "\n".join(small)
    assert not off_screen, "\n".join(off_screen)
