"""Graphics contrast in the rendered charts (issue 24, item 6), light and dark: every drawn
line and marker at least 3:1 against the page, every number on a heatmap cell at least 4.5:1
against its cell. Colours are read from the SVG the browser drew."""

from __future__ import annotations

import pytest

from .helpers import open_page, wait_for_charts

pytestmark = pytest.mark.browser

_COLOURS_JS = r"""
() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const rgb = (css) => { ctx.fillStyle = '#000'; ctx.fillStyle = css; const h = ctx.fillStyle;
    return h.startsWith('#') ? [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16))
      : h.match(/[\d.]+/g).slice(0, 3).map(Number); };
  const app = getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor;
  const shown = (e) => !['0'].includes(e.getAttribute('opacity'))
    && e.getAttribute('fill-opacity') !== '0' && e.getAttribute('stroke-opacity') !== '0';
  const graphics = [];
  const cells = [];
  document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((chart, i) => {
    chart.querySelectorAll('.mark-line.role-mark path, .mark-rule.role-mark line').forEach((e) => {
      const s = getComputedStyle(e).stroke;
      if (shown(e) && s && s !== 'none') graphics.push([i, 'line', rgb(s)]);
    });
    chart.querySelectorAll('.mark-symbol.role-mark path').forEach((e) => {
      const f = getComputedStyle(e).fill, s = getComputedStyle(e).stroke;
      if (!shown(e)) return;
      const filled = f && f !== 'none' && e.getAttribute('fill-opacity') !== '0';
      graphics.push([i, 'marker', rgb(filled ? f : s), s && s !== 'none' ? rgb(s) : null]);
    });
    if (!(chart.getAttribute('aria-label') || '').toLowerCase().includes('heatmap')) return;
    const rects = [...chart.querySelectorAll('.mark-rect.role-mark path')].map((r) =>
      [r.getBoundingClientRect(), rgb(getComputedStyle(r).fill)]);
    chart.querySelectorAll('.mark-text text').forEach((t) => {
      if (!t.textContent.trim()) return;
      const b = t.getBoundingClientRect();
      const x = b.x + b.width / 2, y = b.y + b.height / 2;
      const under = rects.find(([r]) => r.left <= x && x <= r.right && r.top <= y && y <= r.bottom);
      if (under) cells.push([t.textContent, rgb(getComputedStyle(t).fill), under[1]]);
    });
  });
  return {background: rgb(app), graphics, cells};
}
"""


def _luminance(rgb) -> float:
    c = [v / 255 for v in rgb]
    c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize(
    "link",
    [
        "bernoulli",
        "multiclass?k=10",
        "loss-comparison?losses=cross-entropy&losses="
        "squared-error&losses=absolute-error&losses=focal",
    ],
)
def test_lines_markers_and_cell_numbers_have_contrast(new_page, link, dark) -> None:
    page = new_page(width=1280, height=720, dark=dark)
    path, _, query = link.partition("?")
    open_page(page, path, query)
    wait_for_charts(page)
    found = page.evaluate(_COLOURS_JS)
    low = []
    for chart, kind, colour, *outline in found["graphics"]:
        ratio = contrast(colour, found["background"])
        if outline and outline[0]:  # an outlined marker: its outline bounds it
            ratio = max(ratio, contrast(outline[0], found["background"]))
        if ratio < 3:
            low.append(f"chart {chart} {kind} {colour}: {ratio:.2f}:1")
    faint_cells = [
        f"{text!r} {ink} on {cell}: {contrast(ink, cell):.2f}:1"
        for text, ink, cell in found["cells"]
        if contrast(ink, cell) < 4.5
    ]
    print(f"{link}: {len(found['graphics'])} lines and markers, {len(found['cells'])} cells")
    assert found["graphics"], "no line or marker found"
    assert not low, "\n".join(sorted(set(low)))
    assert not faint_cells, "\n".join(faint_cells)
    if path == "loss-comparison":
        assert len(found["cells"]) > 100, "the heatmaps' numbers were not found"
