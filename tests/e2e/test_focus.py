"""Focus visible at every stop (issue 24, item 4), checked in rendered pixels: Tab through each
lesson page from the top; at every stop the focus ring (xent.style's #0072B2) is drawn on all
four sides of the focused element (not clipped), at least 3:1 against the page around it, and
the element is not under the sticky top bar. Light and dark."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from xent import navigation
from xent.style import FOCUS_RING
from xent.ui import ask

from .helpers import FOCUSED_IN, open_page

pytestmark = pytest.mark.browser

RING = tuple(int(FOCUS_RING[i : i + 2], 16) for i in (1, 3, 5))
MAX_STOPS = 150
BAND = (1, 7)
"""Where the ring is looked for: this many pixels outside the element's box (3 px outline,
2 px offset)."""

# The element that shows the focus: a slider's input (hidden in a 1 px box) shows it on the
# thumb, a select box's input (clipped) on its box, a toggle's checkbox on its label
# (xent.style draws them so).
_FOCUSED_JS = """
() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  let e = focused;
  if (e.tagName === 'INPUT' && e.type === 'checkbox' && e.closest('label')) e = e.closest('label');
  else if (e.tagName === 'INPUT' && e.type === 'range') e = e.parentElement.parentElement;
  else if (e.tagName === 'INPUT' && getComputedStyle(e.parentElement).overflow !== 'visible')
    e = e.parentElement;
  const r = e.getBoundingClientRect();
  const bar = document.querySelector('[data-testid="stHeader"]');
  const app = document.querySelector('[data-testid="stApp"]');
  const bg = getComputedStyle(app).backgroundColor.match(/[0-9.]+/g).slice(0, 3).map(Number);
  return {what: (focused.getAttribute('aria-label') || focused.innerText || e.tagName)
            .slice(0, 40),
          inBar: !document.querySelector('[data-testid="stMain"]').contains(focused),
          big: r.height > innerHeight * 0.6,
          x: r.x, y: r.y, w: r.width, h: r.height, bg,
          bar: bar ? bar.getBoundingClientRect().bottom : 0,
          vw: innerWidth, vh: innerHeight};
}
"""


def _luminance(rgb) -> float:
    c = [v / 255 for v in rgb[:3]]
    c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def _contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _is_ring(rgb) -> bool:
    return sum(abs(a - b) for a, b in zip(rgb[:3], RING, strict=True)) < 60


def ring_problem(page, stop: dict) -> str | None:
    """What is wrong with the ring of the focused element, from a screenshot; None if fine."""
    if stop["inBar"] or stop["big"]:  # the top bar, the skip link; the page's main region
        return None
    if stop["y"] < stop["bar"] - 1:
        return f"under the top bar (top {stop['y']:.0f} < {stop['bar']:.0f})"
    pad = BAND[1] + 4
    x0, y0 = max(stop["x"] - pad, 0), max(stop["y"] - pad, 0)
    x1 = min(stop["x"] + stop["w"] + pad, stop["vw"])
    y1 = min(stop["y"] + stop["h"] + pad, stop["vh"])
    if x1 - x0 < 2 or y1 - y0 < 2:
        return "off screen"
    shot = page.screenshot(clip={"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0})
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    left, top = stop["x"] - x0, stop["y"] - y0
    right, bottom = left + stop["w"], top + stop["h"]
    cx, cy = (left + right) / 2, (top + bottom) / 2
    sides = {
        "top": [(cx, top - d) for d in range(*BAND)],
        "bottom": [(cx, bottom + d) for d in range(*BAND)],
        "left": [(left - d, cy) for d in range(*BAND)],
        "right": [(right + d, cy) for d in range(*BAND)],
    }
    missing = []
    for side, points in sides.items():
        inside = [(x, y) for x, y in points if 0 <= x < image.width and 0 <= y < image.height]
        if not any(_is_ring(image.getpixel((int(x), int(y)))) for x, y in inside):
            missing.append(side)
    if missing:
        return f"no ring on the {', '.join(missing)}"
    if _contrast(RING, stop["bg"]) < 3:
        return f"ring {_contrast(RING, stop['bg']):.2f}:1 against the page {stop['bg']}"
    return None


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", [entry.url_path for entry in navigation.LESSONS])
def test_focus_is_visible_at_every_stop(new_page, path, dark) -> None:
    page = new_page(width=1280, height=720, dark=dark)
    open_page(page, path)
    problems, seen = [], 0
    first = None
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        page.wait_for_timeout(150)  # the scroll into view and the ring's paint
        stop = page.evaluate(_FOCUSED_JS)
        if stop is None:
            continue
        key = (stop["what"], round(stop["y"]))
        if first is None:
            first = key
        elif key == first:
            break  # back at the first stop: every stop was visited
        seen += 1
        problem = ring_problem(page, stop)
        if problem:
            problems.append(f"stop {seen} ({stop['what']!r}): {problem}")
    print(f"{path} ({'dark' if dark else 'light'}): {seen} stops, {len(problems)} problems")
    assert seen > 10, f"only {seen} tab stops"
    assert not problems, "\n".join(problems)


def test_the_focus_follows_the_guess_and_guess_again(new_page) -> None:
    """The pressed button is gone on the rerun it causes: the focus goes to the reveal's
    Guess again, and from there back to the guess's input (it fell to the page's body)."""
    page = new_page(width=1280, height=720)
    open_page(page, "bernoulli", "p=0.3&ask=bernoulli.min_loss")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("button", name="Lock in my guess and reveal").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(FOCUSED_IN, arg=ask.AGAIN, timeout=15_000)
    page.keyboard.press("Enter")  # Guess again, from the keyboard
    page.wait_for_function(FOCUSED_IN, arg=ask.INPUT, timeout=15_000)


@pytest.mark.parametrize("close", ["Escape", "Close"])
def test_the_focus_returns_to_share_after_its_dialog(new_page, close) -> None:
    """The Share dialog opened from the keyboard and closed (Escape, or its Close button)
    gives the focus back to the Share button, not to the page's body."""
    page = new_page(width=1280, height=720)
    open_page(page, "bernoulli", "p=0.3")
    page.locator('[data-testid="stMain"]').get_by_role("button", name="Share this view").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=15_000)
    page.wait_for_function(
        "() => document.querySelector('[role=dialog]')?.contains(document.activeElement)",
        timeout=15_000,
    )
    if close == "Escape":
        page.keyboard.press("Escape")
    else:
        dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="detached", timeout=15_000)
    page.wait_for_function(FOCUSED_IN, arg="_share", timeout=15_000)
