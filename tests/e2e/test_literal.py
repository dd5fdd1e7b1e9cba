"""``xent.text.literal`` in a real browser: every construct Streamlit's markdown renders
(``tests/literal_constructs.py``) is shown as typed in a paragraph, a caption, a notice box
and a slider's label, with no element made of it, and the slider's accessible name is the
text itself, without escapes. Served from ``tests/pages/literal_page.py``."""

from __future__ import annotations

import pytest

from tests.literal_constructs import CONSTRUCTS
from xent.text import plain

from .conftest import _free_port, _start_server, _stop, server_log_path
from .helpers import settle

pytestmark = pytest.mark.browser

MARKUP = (
    "strong, em, del, s, code, pre, a, img, h1, h2, h3, h4, h5, h6, blockquote, ul, ol, li, "
    "table, hr, input, .katex, [data-testid='stIconMaterial'], span[class*='emoji'], "
    "span[style*='color'], span[style*='background']"
)
"""Elements a construct would have become, had it been read as markup."""


@pytest.fixture(scope="module")
def literal_server(chromium_path):
    for _attempt in range(3):
        port = _free_port()
        proc = _start_server(port, server_log_path(), script="tests/pages/literal_page.py")
        if proc is not None:
            break
    else:
        pytest.fail("the literal page's server did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def shown(text: str) -> str:
    """What the page must show for ``text``: the text on one line, runs of spaces one (HTML
    collapses them), no invisible characters."""
    return " ".join(plain(text).split())


def test_every_markdown_construct_is_shown_as_typed(browser, literal_server):
    context = browser.new_context(base_url=literal_server, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto("/")
    settle(page)
    page.wait_for_timeout(1500)  # KaTeX and emoji load lazily: a late render would land here
    wrong = []
    for i, text in enumerate(CONSTRUCTS):
        box = page.locator(f".st-key-literal-{i}")
        texts = box.evaluate(
            """(box) => [...box.querySelectorAll(
                   '[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]')]
                 .filter((m) => !m.closest('[data-testid="stSlider"]'))
                 .map((m) => m.innerText.replaceAll('\\u2060', '').replace(/\\s+/g, ' ').trim())"""
        )
        if len(texts) != 4 or any(t != shown(text) for t in texts):
            wrong.append((text, texts))
        made = box.evaluate(
            "(box, markup) => [...box.querySelectorAll(markup)]"
            ".filter((e) => !e.closest('[data-testid=\"stSlider\"]')).length",
            MARKUP,
        )
        if made:
            wrong.append((text, f"{made} element(s) made of it"))
        name = box.get_by_role("slider").get_attribute("aria-label")
        if name != plain(text):
            wrong.append((text, f"accessible name {name!r}"))
    context.close()
    assert not wrong, "\n".join(map(str, wrong))
