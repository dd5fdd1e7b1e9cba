"""A class in a real browser: a slider moved by keyboard, a shared link, presets, Reset, CSV.

Widgets are found the way a screen reader finds them, by role and label (`get_by_role`), so a
renamed label fails here before it confuses a student. Each page's expectations (labels, URL
keys, the chart reading that must follow, the CSV header) are one `Interactions` entry below.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .helpers import RUN_TIMEOUT_MS, open_page, require_page, settle

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Interactions:
    path: str
    # A slider moved one step right with the keyboard.
    slider: str  # its label
    key: str  # its URL query key
    moved: str  # its value after one ArrowRight, as the URL and the thumb show it
    reading: str  # regex of a chart reading; "{v}" is replaced by the slider's value
    default: str  # the slider's default, as shown
    # A preset and what it must set (URL values) and show.
    preset: str
    preset_params: dict[str, str]
    preset_value: str  # the slider's value under the preset, as shown
    # The first CSV download on the page.
    download: str  # button label
    csv_header: tuple[str, ...]
    csv_rows: int  # data rows at the defaults


PAGES = {
    "bernoulli": Interactions(
        path="bernoulli",
        slider="Model prediction q",
        key="q",
        moved="0.61",
        reading=r"L = [\d.]+ nats at q = {v};",
        default="0.60",
        preset="Confident and wrong",
        preset_params={"red": "9", "white": "1", "p": "0.9", "q": "0.02"},
        preset_value="0.02",
        download="Download this run (CSV)",
        csv_header=("step", "q", "loss_nats", "w1", "w2", "grad_norm"),
        csv_rows=41,  # steps 0..40
    ),
}


def interactions(path: str) -> Interactions:
    require_page(path)
    return PAGES[path]


def reading(page, spec: Interactions, value: str):
    pattern = re.compile(spec.reading.replace("{v}", re.escape(value)))
    return page.locator('[data-testid="stMarkdownContainer"]', has_text=pattern)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def same_settings(a: str, b: str) -> bool:
    """Two links carry the same settings (numbers compared as numbers: "-4.0" is "-4")."""

    def norm(value: str):
        try:
            return float(value)
        except ValueError:
            return value

    qa, qb = query(a), query(b)
    return qa.keys() == qb.keys() and all(
        [norm(v) for v in qa[k]] == [norm(v) for v in qb[k]] for k in qa
    )


def relative(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def slider(page, spec: Interactions):
    # Streamlit 1.67 names a slider twice ("label label": aria-labelledby lists the input and
    # its group, both labelled): accept the label once or doubled, nothing else.
    label = re.escape(spec.slider)
    return page.get_by_role("slider", name=re.compile(rf"^{label}(?: {label})?$"))


def expect_state(page, spec: Interactions, value: str) -> None:
    """The slider shows `value` and the chart reading follows it."""
    expect(slider(page, spec)).to_have_attribute("aria-valuetext", value)
    expect(reading(page, spec, value)).to_have_count(1)


@pytest.mark.parametrize("path", list(PAGES))
def test_keyboard_slider_moves_reading_and_url_and_the_link_reproduces_it(
    new_page, path: str
) -> None:
    spec = interactions(path)
    page = new_page()
    open_page(page, path)
    expect_state(page, spec, spec.default)
    assert spec.key not in query(page.url), "a default value should stay out of the URL"

    slider(page, spec).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(lambda url: query(url).get(spec.key) == [spec.moved], timeout=RUN_TIMEOUT_MS)
    settle(page)
    expect_state(page, spec, spec.moved)
    link = relative(page.url)

    # A student opens the shared link in another browser: same state, no shared session.
    student = new_page()
    open_page(student, link.lstrip("/"))
    expect_state(student, spec, spec.moved)
    assert query(student.url).get(spec.key) == [spec.moved]


@pytest.mark.parametrize("path", list(PAGES))
def test_preset_applies_share_link_carries_it_and_reset_restores_defaults(
    new_page, path: str
) -> None:
    spec = interactions(path)
    page = new_page()
    open_page(page, path)

    page.get_by_role("combobox", name="Presets").click()
    page.get_by_role("option", name=spec.preset, exact=True).click()
    page.wait_for_url(
        lambda url: all(query(url).get(k) == [v] for k, v in spec.preset_params.items()),
        timeout=RUN_TIMEOUT_MS,
    )
    settle(page)
    expect_state(page, spec, spec.preset_value)

    # The "Share this view" popover shows a link with the same settings.
    page.get_by_role("button", name="Share this view").click()
    shared = page.locator('[data-testid="stPopoverBody"] code, [data-testid="stCode"] code')
    expect(shared.first).to_contain_text(f"/{path}?")
    link = shared.first.inner_text().strip()
    assert same_settings(link, page.url), f"share link {link} differs from {page.url}"
    page.keyboard.press("Escape")
    student = new_page()
    open_page(student, relative(link).lstrip("/"))
    expect_state(student, spec, spec.preset_value)

    page.get_by_role("button", name="Reset to defaults").click()
    page.wait_for_url(lambda url: not urlsplit(url).query, timeout=RUN_TIMEOUT_MS)
    settle(page)
    expect_state(page, spec, spec.default)


@pytest.mark.parametrize("path", list(PAGES))
def test_csv_download_has_header_and_one_row_per_step(new_page, path: str) -> None:
    spec = interactions(path)
    page = new_page()
    open_page(page, path)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=spec.download).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == spec.csv_header
    body = rows[1:]
    assert len(body) == spec.csv_rows
    assert all(len(row) == len(spec.csv_header) for row in body)
    for row in body:
        [float(cell) for cell in row]  # every cell a number (raises otherwise)
    assert [int(row[0]) for row in body] == list(range(spec.csv_rows))
