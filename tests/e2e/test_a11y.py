"""Accessibility in a real Chromium: axe-core's WCAG 2.1 A/AA rules on every page, light and
dark, at a projector's 1280x720 and a phone's 390x844; every default rule of axe-core
(best-practice included) over every page state of the registry (defaults, presets, a question
before and after its guess, present mode), both themes; plus the keyboard path to the first
lesson control.

axe-core comes from npm (``package.json``/``package-lock.json`` at the project root).
"""

from __future__ import annotations

import pytest

from xent import navigation

from .helpers import PAGES, open_page, require_page

LESSON_PATHS = [entry.url_path for entry in navigation.LESSONS]
"""Every lesson page's URL path, from the page registry."""

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"projector": (1280, 720), "phone": (390, 844)}
KNOWN_PAGE_FIX = "scrollable-region-focusable"
"""Display formulas (``.katex-display``) get ``overflow-x: auto`` from Streamlit's markdown CSS
and are a few pixels (desktop) to a phone's width too wide, so they scroll without a tab stop.
The pages write their formulas to fit a phone (two or three lines) and ``xent.style`` gives
each display 2 px of room: checked on every page by its own test below."""

_RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}
"""


def axe_violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return page.evaluate(_RUN_AXE_JS, WCAG_TAGS)


_RUN_EVERY_DEFAULT_RULE_JS = """
async () => {
  const result = await axe.run(document);
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}
"""


def every_page_state() -> list[tuple[str, str, str]]:
    """(path, state name, query) of every page state: Home, the Class page, then each lesson's
    states as ``tests/e2e/test_fit.py`` lists them, and the lesson in present mode."""
    from .test_fit import page_states

    found = [("", "default", ""), ("class", "start", "")]
    for entry in navigation.LESSONS:
        found += [(entry.url_path, name, query) for name, query in page_states(entry).items()]
        found.append((entry.url_path, "present mode", "present=1"))
    return found


@pytest.mark.parametrize(
    ("path", "state", "query"), every_page_state(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_axe_every_default_rule_over_every_page_state(new_page, axe_source, path, state, query):
    """axe-core's default rules (WCAG A/AA and best-practice), light then dark (switched live:
    Streamlit follows prefers-color-scheme)."""
    page = new_page(width=1280, height=720)
    open_page(page, path, query)
    page.add_script_tag(content=axe_source)
    found = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_timeout(300)
        found += [
            {**v, "id": f"{scheme}: {v['id']}"}
            for v in page.evaluate(_RUN_EVERY_DEFAULT_RULE_JS)
            if v["id"] != KNOWN_PAGE_FIX
        ]
    assert not found, _describe(found)


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['help']}): {v['targets'][:3]}" for v in violations)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "home")
def test_axe_finds_no_wcag_violation(new_page, axe_source, path, viewport, dark) -> None:
    require_page(path)
    width, height = VIEWPORTS[viewport]
    page = new_page(width=width, height=height, dark=dark)
    open_page(page, path)
    found = [v for v in axe_violations(page, axe_source) if v["id"] != KNOWN_PAGE_FIX]
    assert not found, _describe(found)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "home")
def test_formulas_need_no_unfocusable_scrolling(new_page, axe_source, path, viewport) -> None:
    require_page(path)
    width, height = VIEWPORTS[viewport]
    page = new_page(width=width, height=height)
    open_page(page, path)
    found = [v for v in axe_violations(page, axe_source) if v["id"] == KNOWN_PAGE_FIX]
    assert not found, _describe(found)


def test_axe_sees_a_planted_violation(new_page, axe_source) -> None:
    """The check can fail: an image without alt text planted in the page is reported."""
    page = new_page(width=1280, height=720)
    open_page(page, "bernoulli")
    page.evaluate(
        "() => document.body.appendChild(Object.assign(document.createElement('img'),"
        " {src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw='}))"
    )
    assert "image-alt" in {v["id"] for v in axe_violations(page, axe_source)}


_CHART_A11Y_JS = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].map((chart) => ({
  label: chart.getAttribute('aria-label') || '',
  svgLabels: [...chart.querySelectorAll('svg.marks[aria-label], svg.marks [aria-label]')]
    .length,
  exposedPoints: [...chart.querySelectorAll('svg.marks [role="graphics-symbol"]')].length,
  invisibleExposed: [...chart.querySelectorAll('svg.marks [role="graphics-symbol"]')]
    .filter((e) => e.getAttribute('opacity') === '0' || e.getAttribute('fill-opacity') === '0')
    .length,
}))
"""


@pytest.mark.parametrize("path", LESSON_PATHS)
def test_charts_are_named_and_expose_few_points(new_page, path) -> None:
    """Each chart is named (by its alt text); a screen reader meets no invisible point and
    fewer than 200 marks a chart (Bernoulli exposed about 970 before, the Multiclass regions
    576 cells; data points and heatmap cells, each a reading, stay exposed)."""
    require_page(path)
    page = new_page(width=1280, height=720)
    open_page(page, path)
    charts = page.evaluate(_CHART_A11Y_JS)
    assert charts, "no chart found"
    unnamed = [i for i, c in enumerate(charts) if not c["label"].strip()]
    assert not unnamed, f"charts without a name: {unnamed}"
    invisible = sum(c["invisibleExposed"] for c in charts)
    assert invisible == 0, f"{invisible} invisible chart items exposed to screen readers"
    crowded = {c["label"]: c["exposedPoints"] for c in charts if c["exposedPoints"] >= 200}
    assert not crowded, f"charts exposing 200 or more items to screen readers: {crowded}"


_FOCUSED_JS = """
() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  return {tag: e.tagName, role: e.getAttribute('role') || '', aria: e.getAttribute('aria-label')
    || '', slider: e.getAttribute('role') === 'slider' || e.type === 'range',
    x: r.x, y: r.y, w: r.width, h: r.height};
}
"""


@pytest.mark.parametrize("path", LESSON_PATHS)
def test_tab_stops_before_the_first_lesson_control(new_page, path, record_property) -> None:
    """Counts the Tab presses from a fresh load to the first slider (the first lesson control)
    and records it (``record_property``, shown with ``-rA``/in junit XML)."""
    require_page(path)
    page = new_page(width=1280, height=720)
    open_page(page, path)
    presses, focused = 0, None
    while not (focused and focused["slider"]):
        if presses == 120:
            pytest.fail("no slider reached in 120 Tab presses")
        page.keyboard.press("Tab")
        presses += 1
        focused = page.evaluate(_FOCUSED_JS)
    record_property("tab_stops_to_first_slider", presses)
    print(f"{path}: {presses} tab stops to the first slider ({focused['aria']})")
    assert presses <= 40, f"{presses} tab stops before the first lesson control"


_RING_JS = """
() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
    || s.boxShadow !== 'none';
  return ring ? null : `${e.tagName} ${e.getAttribute('aria-label') || e.textContent.slice(0, 30)}`;
}
"""


def tab_stops_without_ring(page, stops: int = 25) -> list[str]:
    missing = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        if (what := page.evaluate(_RING_JS)) is not None:
            missing.append(what)
    return missing


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_style_css_gives_every_tab_stop_a_focus_ring(new_page, dark) -> None:
    """xent.style's CSS, put in the served Bernoulli page, rings each of its first 25 stops
    (without it, 11 of 20 showed no ring)."""
    from xent.style import CSS

    page = new_page(width=1280, height=720, dark=dark)
    open_page(page, "bernoulli")
    page.add_style_tag(content=CSS.replace("<style>", "").replace("</style>", ""))
    assert not tab_stops_without_ring(page)


def test_served_pages_ring_every_tab_stop(new_page) -> None:
    page = new_page(width=1280, height=720)
    open_page(page, "bernoulli")
    assert not tab_stops_without_ring(page)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_axe_finds_no_wcag_violation_on_the_class_page(new_page, axe_source, viewport, dark):
    """The Class page (not a lesson, so not in PAGES) meets the same bar, both rules included."""
    width, height = VIEWPORTS[viewport]
    page = new_page(width=width, height=height, dark=dark)
    open_page(page, "class")
    page.get_by_role("button", name="Open a class").click()
    page.get_by_text("Join code").first.wait_for()
    assert not axe_violations(page, axe_source), _describe(axe_violations(page, axe_source))


def test_share_puts_the_link_next_in_the_tab_order(new_page) -> None:
    page = new_page(width=1280, height=720)
    open_page(page, "bernoulli", "q=0.3")
    page.get_by_role("button", name="Share this view").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    # The dialog's body arrives in a later message than its frame: wait for the link itself,
    # or the Tabs below can run before it is focusable (seen once in CI).
    # (the first: the presenter link below it carries the same settings and present=1)
    dialog.get_by_text("/bernoulli?q=0.3").first.wait_for()
    reached = []
    for _ in range(4):
        reached.append(
            page.evaluate(
                "() => [document.activeElement.closest('[role=dialog]') !== null,"
                " document.activeElement.getAttribute('aria-label') || "
                " document.activeElement.innerText.slice(0, 80)]"
            )
        )
        page.keyboard.press("Tab")
    assert all(inside for inside, _ in reached), reached  # focus stays in the dialog
    labels = [label for _, label in reached]
    share_link = [label for label in labels[:3] if "/bernoulli?q=0.3" in label]
    assert share_link, labels
    assert "present" not in share_link[0], labels  # the students' link comes first


_LIVE_JS = """
() => [...document.querySelectorAll('.xent-live')].map((e) => [e.getAttribute('role'),
  e.textContent, e.getBoundingClientRect().height])
"""


def test_a_changed_reading_is_announced_and_charts_say_their_data(new_page) -> None:
    """Each reading has a polite status region: silent at load (the reading is on the page),
    carrying the new reading after a move; the first chart's name ends with its data in words
    (start, end, minimum), not its marks."""
    page = new_page(width=1280, height=720)
    open_page(page, "bernoulli")
    regions = page.evaluate(_LIVE_JS)
    assert regions, "no live region"
    assert all(role == "status" and text == "" for role, text, _ in regions), regions
    assert all(height <= 1 for _, _, height in regions), "a live region takes room on screen"
    label = page.locator('[data-testid="stVegaLiteChart"]').first.get_attribute("aria-label")
    assert "starts at" in label, label
    assert "lowest 0.5 at model prediction q 0.2" in label, label  # p = 0.2: H(0.2) = 0.500
    slider = page.get_by_role("slider", name="Model prediction q")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.xent-live')]"
        ".some((e) => e.textContent.includes('q = 0.61'))"
    )
    spoken = [text for _, text, _ in page.evaluate(_LIVE_JS) if text]
    shown = page.locator("p", has_text="Reading: L = 0.85 nats at q = 0.61").first.inner_text()
    assert spoken[0] == shown.removeprefix("Reading: "), (spoken, shown)
