"""Projector first (issue 13): at 1280x720 and 1366x768 each lesson page opens with its first
lesson chart and the control that moves it (the page's first slider) fully on screen.

"""

from __future__ import annotations

import pytest

from xent import navigation

from .helpers import open_page, require_page

pytestmark = pytest.mark.browser

PROJECTORS = {"1280x720": (1280, 720), "1366x768": (1366, 768)}
LESSON_PAGES = [entry.url_path for entry in navigation.LESSONS]

_FIRST_CHART_AND_SLIDER_JS = """
() => {
  const box = (e) => {
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right};
  };
  const main = document.querySelector('[data-testid="stMain"]') || document;
  return {
    chart: box(main.querySelector('[data-testid="stVegaLiteChart"]')),
    slider: box(main.querySelector('[data-testid="stSlider"]')),
  };
}
"""


def first_chart_and_slider(page) -> dict:
    return page.evaluate(_FIRST_CHART_AND_SLIDER_JS)


@pytest.mark.parametrize("size", list(PROJECTORS))
@pytest.mark.parametrize("path", LESSON_PAGES)
def test_first_chart_and_its_control_fit_a_projector(new_page, path, size) -> None:
    require_page(path)
    width, height = PROJECTORS[size]
    page = new_page(width=width, height=height)
    open_page(page, path)
    found = first_chart_and_slider(page)
    print(f"{path} at {size}: {found}")
    for name in ("chart", "slider"):
        box = found[name]
        assert box is not None, f"no {name} on {path}"
        inside = box["top"] >= 0 and box["bottom"] <= height
        inside = inside and box["left"] >= 0 and box["right"] <= width
        assert inside, f"{name} spans {box} at {size}"
