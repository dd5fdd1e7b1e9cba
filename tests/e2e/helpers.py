"""Helpers for driving the Streamlit app in Playwright: wait for a run, check a page is clean,
screenshot the whole app."""

from __future__ import annotations

import pytest

from xent import navigation

from .conftest import ROOT, SCREENSHOTS, server_log_path

# URL path -> the script that draws it (the URL paths are what teachers share: keep them stable):
# Home, then every lesson in the page registry.
PAGES = {"": "streamlit_app.py", **{e.url_path: e.script for e in navigation.LESSONS}}
# Viewports: a projector/laptop and a phone. Each is also shown in the dark scheme, switched live
# (Streamlit follows prefers-color-scheme), which saves a page load per look.
LOOKS = {
    "desktop": {"width": 1400, "height": 900},
    "phone": {"width": 390, "height": 844},
}

RUN_TIMEOUT_MS = 30_000

FOCUSED_IN = (
    "(key) => !!document.activeElement && !!document.activeElement.closest('.st-key-' + key)"
)
"""JS, given a widget's or container's key: true when the focused element is inside it."""

# Every chart has finished drawing: each .vega-embed holds an svg or canvas with a nonzero size.
_UNDRAWN_CHARTS_JS = """
() => [...document.querySelectorAll('.vega-embed')].flatMap((embed, i) => {
    const mark = embed.querySelector('svg.marks, canvas.marks')
        || embed.querySelector('svg, canvas');
    const box = mark ? mark.getBoundingClientRect() : null;
    return box && box.width > 0 && box.height > 0 ? [] : [i];
})
"""


# Chart text (mark labels, axes, legends, notes) that is hard to read on the app's background:
# contrast below `minRatio` (WCAG relative luminance). Heatmaps (found by their text
# alternative, in either language) are skipped: their cell labels sit on the cells, not on the
# background.
_FAINT_CHART_TEXT_JS = r"""
(minRatio) => {
  const lum = (rgb) => {
    const c = rgb.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ctx = document.createElement('canvas').getContext('2d');
  const parse = (css) => {  // any CSS colour -> [r, g, b]
    ctx.fillStyle = '#000';
    ctx.fillStyle = css;
    const h = ctx.fillStyle;
    return h.startsWith('#')
      ? [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16))
      : h.match(/[\d.]+/g).slice(0, 3).map(Number);
  };
  const app = document.querySelector('[data-testid="stApp"]');
  const lb = lum(parse(getComputedStyle(app).backgroundColor));
  const out = [];
  document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((chart, i) => {
    if (/heatmap|ヒートマップ/i.test(chart.getAttribute('aria-label') || '')) return;
    chart.querySelectorAll('.mark-text text').forEach((t) => {
      // the colour as drawn: fill="currentColor" resolves to the theme text colour
      const attr = t.getAttribute('fill');
      const fill = attr ? getComputedStyle(t).fill : attr;
      const text = t.textContent.trim();
      if (!fill || attr === 'none' || attr === 'transparent' || !text) return;
      const hidden = ['opacity', 'fill-opacity'].some((a) => t.getAttribute(a) === '0');
      if (hidden) return;
      const lf = lum(parse(fill));
      const ratio = (Math.max(lf, lb) + 0.05) / (Math.min(lf, lb) + 0.05);
      if (ratio < minRatio) out.push(`chart ${i}: "${text}" ${fill} ${ratio.toFixed(1)}:1`);
    });
  });
  return out;
}
"""
# Chart labels drawn on top of each other (mark text only: axes and legends lay themselves out).
_OVERLAPPING_LABELS_JS = r"""
() => {
  const out = [];
  document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((chart, i) => {
    if (/heatmap|ヒートマップ/i.test(chart.getAttribute('aria-label') || '')) return;
    const boxes = [...chart.querySelectorAll('.mark-text.role-mark text')]
      .filter((t) => t.textContent.trim() && t.getAttribute('opacity') !== '0')
      .map((t) => [t.textContent.trim(), t.getBoundingClientRect()]);
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const [ta, ra] = boxes[a];
        const [tb, rb] = boxes[b];
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 2 && h > 2) out.push(`chart ${i}: "${ta}" over "${tb}" (${w | 0}x${h | 0} px)`);
      }
    }
  });
  return out;
}
"""
# Chart text that runs past the chart's own edge and is cut off (glyph boxes overshoot by a
# few pixels, hence the tolerance).
_CUT_CHART_TEXT_JS = r"""
(tolerance) => {
  const out = [];
  document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((chart, i) => {
    const svg = chart.querySelector('svg.marks');
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    chart.querySelectorAll('svg.marks text').forEach((t) => {
      const text = t.textContent.trim();
      if (!text || t.getAttribute('opacity') === '0') return;
      const r = t.getBoundingClientRect();
      const cut = Math.max(
        box.left - r.left, r.right - box.right, box.top - r.top, r.bottom - box.bottom
      );
      if (cut > tolerance) out.push(`chart ${i}: "${text}" cut by ${cut | 0} px`);
    });
  });
  return out;
}
"""
CHART_TEXT_MIN_CONTRAST = 3.0  # WCAG 1.4.11 (graphics) and large text


def require_page(path: str) -> None:
    script = PAGES[path]
    if not (ROOT / script).is_file():
        pytest.skip(f"{script} does not exist yet (issue 4)")


def wait_for_run(page, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script has finished and the page is drawn."""
    page.locator(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]'
    ).wait_for(timeout=timeout)
    page.locator('[data-testid="stStatusWidgetRunningIcon"]').wait_for(
        state="detached", timeout=timeout
    )
    page.locator('[data-testid="stMain"] [data-testid="stElementContainer"]').first.wait_for(
        timeout=timeout
    )
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached", timeout=timeout)
    page.locator('[data-stale="true"]').first.wait_for(state="detached", timeout=timeout)


def wait_for_charts(page, timeout: float = RUN_TIMEOUT_MS) -> int:
    """Wait until every Vega chart has drawn; return how many there are."""
    page.wait_for_function(f"({_UNDRAWN_CHARTS_JS})().length === 0", timeout=timeout)
    return page.locator(".vega-embed").count()


def settle(page) -> None:
    """After a load or an interaction: the run has finished and raised nothing."""
    wait_for_run(page)
    assert_no_exception(page)


def open_page(page, path: str, query: str = "") -> None:
    page.goto(f"/{path}{'?' + query if query else ''}")
    settle(page)


def share_link(page) -> str:
    """The students' link in the Share dialog (its first code block), the dialog closed again."""
    page.get_by_role("button", name="Share this view").click()
    code = page.get_by_role("dialog").locator("code").first
    code.wait_for()
    link = code.inner_text().strip()
    page.keyboard.press("Escape")
    page.get_by_role("dialog").wait_for(state="detached")
    return link


def assert_no_exception(page) -> None:
    """No exception box; on failure show the server's traceback (the browser's is redacted)."""
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        log = server_log_path()
        tail = log.read_text(errors="replace")[-4000:] if log.is_file() else "(no server log)"
        pytest.fail(
            f"exception on {page.url}: {exceptions.first.inner_text()[:300]}\n"
            f"--- server log ({log}) ---\n{tail}"
        )


def assert_clean(page, when: str = "") -> None:
    """No exception box, charts drawn, formulas typeset by KaTeX without errors."""
    assert_no_exception(page)
    charts = page.locator('[data-testid="stVegaLiteChart"]').count()
    drawn = wait_for_charts(page)
    assert drawn >= charts, f"{charts} chart elements but only {drawn} .vega-embed drawn"
    # Every chart carries a text alternative (st.altair_chart(alt=...) -> aria-label).
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
              .map((e, i) => [i, (e.getAttribute('aria-label') || '').trim()])
              .filter(([, label]) => label.length < 15).map(([i]) => i)"""
    )
    assert not unlabelled, f"charts without a text alternative (aria-label): {unlabelled}"
    faint = page.evaluate(_FAINT_CHART_TEXT_JS, CHART_TEXT_MIN_CONTRAST)
    assert not faint, (
        f"chart text below {CHART_TEXT_MIN_CONTRAST}:1 against the page background{when} "
        f"({len(faint)}): {faint[:8]}"
    )
    cut = page.evaluate(_CUT_CHART_TEXT_JS, 6)
    assert not cut, f"chart text cut off at the chart's edge{when}: {cut[:6]}"
    overlapping = page.evaluate(_OVERLAPPING_LABELS_JS)
    assert not overlapping, f"chart labels drawn over each other{when}: {overlapping[:6]}"
    latex = page.locator('[data-testid="stLatex"], .stLatex').count()
    if latex or page.locator(".katex").count():
        assert page.locator(".katex").count() > 0, "st.latex present but nothing typeset by KaTeX"
    errors = page.locator(".katex-error")
    assert errors.count() == 0, f"KaTeX could not typeset: {errors.first.get_attribute('title')}"


def screenshot_whole_app(page, name: str, max_height: int = 16_000) -> None:
    """Screenshot the whole page, not just the viewport.

    Streamlit scrolls inside ``stMain``, not the document, so Playwright's ``full_page`` sees
    one screen only: grow the viewport to the content's height first, then restore it.
    """
    viewport = page.viewport_size
    extra = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return m ? m.scrollHeight - m.clientHeight : 0; }"""
    )
    if extra > 0:
        height = min(viewport["height"] + extra, max_height)
        page.set_viewport_size({"width": viewport["width"], "height": height})
        wait_for_charts(page)
        page.wait_for_timeout(300)  # let re-laid-out charts settle
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))
    page.set_viewport_size(viewport)


def is_dark(css_colour: str) -> bool:
    channels = [float(c) for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / 3 < 80
