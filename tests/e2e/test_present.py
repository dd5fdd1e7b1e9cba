"""Present mode in a real Chromium: a presenter link (``present=1``) opens a lesson page as a
projector figure, one section at a time, with only the ticked controls; the same link without
``present`` is the full page. Each section's first chart with its live point and its reading
fits 1280x720 (the measured positions are printed: ``pytest -s``), chart text is at least
20 px and body text 22 px, measured from the rendered page, in English and in Japanese."""

from __future__ import annotations

import pytest

from xent import i18n, navigation
from xent.i18n import tr
from xent.ui import present
from xent.ui.drawing import READING

from .helpers import open_page, wait_for_charts

pytestmark = pytest.mark.browser

LESSON_PAGES = [entry.url_path for entry in navigation.LESSONS]

# The visible section: its heading, its first chart and the reading under that chart, the
# visible sliders (by their URL key), and the smallest visible text (SVG chart text apart).
_SLIDE_JS = r"""
(prefix) => {
  const visible = (e) => e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden';
  const main = document.querySelector('[data-testid="stMain"]');
  const box = (e) => { const r = e.getBoundingClientRect();
    return {top: Math.round(r.top), bottom: Math.round(r.bottom)}; };
  const headings = [...main.querySelectorAll('h2')].filter(visible).map((h) => h.innerText);
  const chart = [...main.querySelectorAll('[data-testid="stVegaLiteChart"]')].find(visible);
  let reading = null;
  const readings = [...main.querySelectorAll('p')].filter((p) => visible(p)
    && p.innerText.startsWith(prefix));
  if (!chart && readings.length) reading = box(readings[0]);
  if (chart) {
    const after = [...main.querySelectorAll('p')].filter((p) => visible(p)
      && p.innerText.startsWith(prefix)
      && (chart.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING));
    reading = after.length ? box(after[0]) : null;
  }
  const sliders = [...main.querySelectorAll('[class*="st-key-"]')].filter(visible)
    .filter((e) => e.querySelector('[data-testid="stSlider"]'))
    .map((e) => [...e.classList].find((c) => c.startsWith('st-key-')).slice(7));
  const chartText = [...main.querySelectorAll('svg.marks text')].filter(visible)
    .filter((t) => t.textContent.trim())
    .map((t) => parseFloat(getComputedStyle(t).fontSize));
  const bodyText = [...main.querySelectorAll('p, li, td, th, label, span')].filter(visible)
    .filter((e) => !e.closest('svg, .katex, [data-testid="stIconMaterial"]')
      && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((e) => [parseFloat(getComputedStyle(e).fontSize), e.innerText.slice(0, 30)]);
  bodyText.sort((a, b) => a[0] - b[0]);
  return {headings, chart: chart ? box(chart) : null, reading, sliders,
          smallestChartText: chartText.length ? Math.min(...chartText) : null,
          smallestBody: bodyText[0] || null,
          scrollY: document.querySelector('[data-testid="stMain"]').scrollTop};
}
"""


def slide_view(page, language: str = "en") -> dict:
    wait_for_charts(page)
    page.wait_for_timeout(300)  # let the charts settle into their width
    return page.evaluate(_SLIDE_JS, reading_prefix(language))


def reading_prefix(language: str) -> str:
    """How a reading starts on screen in ``language`` ("Reading:", "読み取り：")."""
    with i18n.using(language):
        return tr(READING).strip("*")


KNOWN_OVERFLOWS: set[tuple[str, int]] = set()
"""Slides whose reading does not fit yet, listed so that the test says when one fits. (The
race's five-sentence reading ran to 829 px; its slide now shows the one-sentence takeaway,
the whole reading folded under it.)"""

_CHARTS_JS = """
() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')]
  .filter((e) => e.getClientRects().length > 0).map((e) => e.getAttribute('aria-label'))
"""


def _chart_names(page, language: str) -> list[str]:
    """The text alternatives of the charts on screen, up to their reading (a slide may show a
    shorter takeaway as its reading than the full page)."""
    prefix = reading_prefix(language)
    return [label.split(prefix)[0].strip() for label in page.evaluate(_CHARTS_JS)]


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)], ids=["1280x720", "1366x768"])
@pytest.mark.parametrize("path", LESSON_PAGES)
def test_each_section_is_a_slide_that_fits_a_projector(new_page, path, size, language) -> None:
    """The slides split the page: every chart of the full page is on exactly one slide, in
    order; each slide shows at most one section heading, no control, and its first chart
    with its reading on screen, text at projector sizes."""
    width, height = size
    full = new_page(width=width, height=height)
    open_page(full, path, f"lang={language}")
    wait_for_charts(full)
    every_chart = _chart_names(full, language)
    on_slides, overflows = [], {}
    for slide in range(1, present.section_count(path) + 1):
        page = new_page(width=width, height=height)
        open_page(page, path, f"lang={language}&present=1&slide={slide}")
        found = slide_view(page, language)
        print(f"{path} slide {slide} at {width}x{height}: {found}")
        on_slides += _chart_names(page, language)
        assert len(found["headings"]) <= 2, found["headings"]  # a section and its subsection
        assert found["sliders"] == [], f"controls shown that nobody ticked: {found['sliders']}"
        assert found["reading"], f"no reading under the slide's first chart: {found}"
        if found["chart"]:
            assert found["chart"]["top"] >= 0, found
            assert found["smallestChartText"] >= 20, found["smallestChartText"]
        if found["reading"]["bottom"] > height:
            overflows[slide] = found["reading"]["bottom"]
        assert found["smallestBody"][0] >= 22, found["smallestBody"]
    known = {s for p, s in KNOWN_OVERFLOWS if p == path}
    assert set(overflows) == known, f"readings below the screen, by slide: {overflows}"
    assert on_slides == every_chart


def test_ticked_controls_stay_and_the_student_link_is_the_full_page(new_page) -> None:
    page = new_page(width=1280, height=720)
    open_page(page, "bernoulli", "q=0.3&present=1&show=q,t")
    assert slide_view(page)["sliders"] == ["q"]
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**slide=2**")
    open_page(page, page.url.split("/", 3)[3])  # the address the click wrote, reloaded
    assert slide_view(page)["sliders"] == ["t"]
    student = new_page(width=1280, height=720)
    open_page(student, "bernoulli", "q=0.3&show=q,t&slide=2")  # present=1 dropped
    found = slide_view(student)
    assert len(found["headings"]) == 3, found["headings"]
    assert {"red", "white", "p", "q", "t", "n"} <= set(found["sliders"]), found["sliders"]


def test_arrow_keys_step_through_the_sections(new_page) -> None:
    page = new_page(width=1280, height=720)
    open_page(page, "multiclass", "present=1")
    first = slide_view(page)["headings"]
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**slide=2**")
    open_page(page, page.url.split("/", 3)[3])
    second = slide_view(page)["headings"]
    assert second != first
    assert len(second) == 1
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**slide=1**")


def test_share_gives_a_presenter_link_with_the_ticked_controls(new_page) -> None:
    page = new_page(width=1280, height=720)
    open_page(page, "bernoulli", "q=0.3")
    page.get_by_role("button", name="Share this view").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Present this view").wait_for()
    dialog.get_by_text("/bernoulli?q=0.3&present=1").wait_for()
    dialog.get_by_role("combobox", name="Controls shown on the projector").click()
    page.get_by_role("option", name="model prediction (q)").click()
    dialog.get_by_text("/bernoulli?q=0.3&present=1&show=q").wait_for()
