"""A class in a real browser: a slider moved by keyboard, a shared link, presets and Reset chosen
by keyboard, CSV downloads.

Widgets are found the way a screen reader finds them, by role and label (`get_by_role`), so a
renamed label fails here before it confuses a student. Each page's expectations are one
`Interactions` entry below: which slider to move, which URL key it writes, and the chart
reading that must follow, with the number in it computed independently with `xent`'s math.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect

import xent
from xent import navigation

from .helpers import (
    RUN_TIMEOUT_MS,
    assert_clean,
    open_page,
    require_page,
    settle,
    share_link,
)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Download:
    label: str  # button label
    columns: tuple[str, ...]  # the header starts with these
    rows: int  # data rows at the page's defaults
    first_column_is_step: bool = True


@dataclass(frozen=True)
class Interactions:
    path: str
    slider: str  # label of a slider moved one step right with the keyboard
    key: str  # its URL query key
    default: float
    moved: float  # its value after one ArrowRight
    shown: str  # format of its value on the thumb, e.g. "{:.2f}"
    settings: dict[str, float]  # the defaults the reading depends on
    reading: Callable[[dict[str, float]], str]  # settings -> regex of a reading that must show
    preset: str
    preset_params: dict[str, float]  # URL values the preset must set
    preset_value: float  # the slider's value under the preset
    downloads: tuple[Download, ...]

    def show(self, value: float) -> str:
        return self.shown.format(value)


def f2(x: float) -> str:
    """A number as the readings print it: 2 decimals, small values kept visible (0.002)."""
    x = float(x)
    return re.escape(f"{x:.1g}" if 0 < abs(x) < 0.01 else f"{x:.2f}")


def _bernoulli_reading(s: dict[str, float]) -> str:
    p, q = s["p"], s["q"]
    loss, h = float(xent.binary_cross_entropy(p, q)), float(xent.entropy([p, 1 - p]))
    return rf"L = {f2(loss)} nats at q = {f2(q)}; the minimum {f2(h)} is at q = p = {f2(p)}"


def _printed_q(q: float) -> str:
    """Q as the reading must print it for its equality to hold as printed: the fewest
    decimals (2 or more) at which −log of the printed Q rounds to −log Q at 2 decimals."""
    nll = f"{-math.log(q):.2f}"
    for places in range(2, 13):
        printed = f"{q:.{places}f}"
        if float(printed) > 0 and f"{-math.log(float(printed)):.2f}" == nll:
            return re.escape(printed)
    raise AssertionError(f"no printed Q gives −log Q = {nll}")


def _multiclass_reading(s: dict[str, float]) -> str:
    q = float(xent.softmax(np.array([s["z1"], s["z2"], s["z3"]]))[1])  # true class: Gorilla
    return rf"−log Q\(Gorilla\) = −log {_printed_q(q)} = {f2(-math.log(q))} nats"


def _comparison_reading(s: dict[str, float]) -> str:
    p, q0 = s["p"], s["q0"]
    ce = float(xent.binary_cross_entropy(p, q0))
    return rf"At the start q₀ = {q0:.3f} with target p = {f2(p)}: L = cross-entropy {f2(ce)}"


PAGES = {
    "bernoulli": Interactions(
        path="bernoulli",
        slider="Model prediction q",
        key="q",
        default=0.6,
        moved=0.61,
        shown="{:.2f}",
        settings={"p": 0.2, "q": 0.6},
        reading=_bernoulli_reading,
        preset="Confident and wrong",
        preset_params={"red": 9, "white": 1, "p": 0.9, "q": 0.02},
        preset_value=0.02,
        downloads=(
            Download(
                "Download this run (CSV)",
                ("step", "q", "loss_nats", "w1", "w2"),
                rows=41,  # steps 0..40
            ),
        ),
    ),
    "multiclass": Interactions(
        path="multiclass",
        slider="z for Apple",
        key="z1",
        default=2.0,
        moved=2.1,
        shown="{:.2f}",
        settings={"z1": 2.0, "z2": 1.0, "z3": 0.1},
        reading=_multiclass_reading,
        preset="Confident and wrong",
        preset_params={"z1": 4.0, "z2": -2.0, "z3": 0.0},
        preset_value=4.0,
        downloads=(
            Download(
                "Download this run (CSV)",
                ("step", "loss_nats", "Q_Apple", "Q_Gorilla", "Q_Rappa"),
                rows=31,  # steps 0..30
            ),
        ),
    ),
    "loss-comparison": Interactions(
        path="loss-comparison",
        slider="Start prediction q₀",
        key="q0",
        default=0.001,
        moved=0.002,
        shown="{:.3f}",
        settings={"p": 0.9, "q0": 0.001},
        reading=_comparison_reading,
        preset="Learning rate too large",  # moves a select-slider (lr) as well
        preset_params={"p": 0.5, "q0": 0.2, "lr": 30.0},
        preset_value=0.2,
        downloads=(
            Download(
                "Download this run (CSV)",
                ("step", "q_cross_entropy", "loss_cross_entropy_nats", "q_squared_error"),
                rows=701,  # steps 0..700
            ),
            Download(
                "Download the grid (CSV)",
                ("loss", "q0", "lr", "steps_to_reach"),
                rows=270,  # two losses x 135 cells (start q0 x learning rate)
                first_column_is_step=False,
            ),
        ),
    ),
}


def interactions(path: str) -> Interactions:
    require_page(path)
    return PAGES[path]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def url_number(url: str, key: str) -> float | None:
    values = query(url).get(key)
    return float(values[0]) if values and len(values) == 1 else None


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
    return parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")


def slider(page, spec: Interactions):
    # Streamlit 1.67 names a slider twice ("label label": aria-labelledby lists the input and
    # its group, both labelled): accept the label once or doubled, nothing else.
    label = re.escape(spec.slider)
    return page.get_by_role("slider", name=re.compile(rf"^{label}(?: {label})?$"))


def expect_state(page, spec: Interactions, value: float, changed: dict | None = None) -> None:
    """The slider shows `value`, and the chart reading says what the math says for the
    page's settings with `changed` applied."""
    expect(slider(page, spec)).to_have_attribute("aria-valuetext", spec.show(value))
    settings = {**spec.settings, **(changed or {}), spec.key: value}
    pattern = re.compile(spec.reading(settings))
    reading = page.locator('[data-testid="stMarkdownContainer"]', has_text=pattern)
    expect(reading, f"no chart reading matches {pattern.pattern!r}").to_have_count(1)


def check_downloads(page, spec: Interactions) -> None:
    """Each CSV download: a header naming the columns (with units), one row per step."""
    for expected in spec.downloads:
        with page.expect_download() as download_info:
            page.get_by_role("button", name=expected.label).first.click()
        download = download_info.value
        assert download.suggested_filename.endswith(".csv")
        with open(download.path(), newline="", encoding="utf-8") as f:
            header, *body = list(csv.reader(f))
        assert tuple(header[: len(expected.columns)]) == expected.columns, header
        assert len(body) == expected.rows, f"{expected.label}: {len(body)} rows"
        assert all(len(row) == len(header) for row in body)
        if expected.first_column_is_step:
            assert [int(row[0]) for row in body] == list(range(expected.rows))
            for row in body:
                [float(cell) for cell in row]  # every cell a number (raises otherwise)


@pytest.mark.parametrize("path", list(PAGES))
def test_csv_then_keyboard_slider_moves_reading_and_url_and_the_link_reproduces_it(
    new_page, path: str
) -> None:
    spec = interactions(path)
    page = new_page()
    open_page(page, path)
    expect_state(page, spec, spec.default)
    assert spec.key not in query(page.url), "a default value should stay out of the URL"
    check_downloads(page, spec)  # at the defaults (one page load serves both checks)

    slider(page, spec).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(
        lambda url: url_number(url, spec.key) == pytest.approx(spec.moved),
        timeout=RUN_TIMEOUT_MS,
    )
    settle(page)
    expect_state(page, spec, spec.moved)

    # A student opens the link in another browser: same state, nothing shared but the URL.
    student = new_page()
    open_page(student, relative(page.url))
    expect_state(student, spec, spec.moved)
    assert same_settings(student.url, page.url)


@pytest.mark.parametrize("path", list(PAGES))
def test_preset_applies_share_link_carries_it_and_reset_restores_defaults(
    new_page, path: str
) -> None:
    spec = interactions(path)
    value = spec.preset_value
    page = new_page()
    open_page(page, path)

    # By keyboard only: focus the preset box, open it, walk down to the preset, Enter.
    presets = page.get_by_role("combobox", name="Presets")
    presets.focus()
    page.keyboard.press("ArrowDown")
    option = page.get_by_role("option", name=spec.preset, exact=True)
    expect(option).to_be_visible()
    for _ in range(len(page.get_by_role("option").all())):
        if option.get_attribute("data-focused") == "true":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(
        lambda url: all(
            url_number(url, k) == pytest.approx(v) for k, v in spec.preset_params.items()
        ),
        timeout=RUN_TIMEOUT_MS,
    )
    settle(page)
    expect_state(page, spec, value, spec.preset_params)

    # The "Share this view" popover offers a link with the same settings.
    page.get_by_role("button", name="Share this view").click()
    shared = page.locator('[data-testid="stPopoverBody"] code, [data-testid="stCode"] code')
    expect(shared.first).to_contain_text(f"/{path}?")
    link = shared.first.inner_text().strip()
    assert same_settings(link, page.url), f"share link {link} differs from {page.url}"
    page.keyboard.press("Escape")
    student = new_page()
    open_page(student, relative(link))
    expect_state(student, spec, value, spec.preset_params)
    # Streamlit drops URL values it cannot take: the student's address bar shows what was kept.
    assert same_settings(student.url, page.url), (
        f"the shared link {link} opened as {student.url}, not as {page.url}"
    )

    page.get_by_role("button", name="Reset to defaults").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not urlsplit(url).query, timeout=RUN_TIMEOUT_MS)
    settle(page)
    expect_state(page, spec, spec.default)


def scrubber_value(page) -> int:
    scrub = page.get_by_role("slider", name=re.compile(r"^Show step t( Show step t)?$")).first
    return int(float(scrub.get_attribute("aria-valuetext") or "nan"))


def test_playback_step_and_play_pause_move_the_scrubber(new_page) -> None:
    """The neuron's trajectory on Bernoulli: Step moves one step (URL and reading follow),
    Play advances on its own, Pause stops it. Driven by keyboard."""
    require_page("bernoulli")
    page = new_page()
    open_page(page, "bernoulli")
    start = scrubber_value(page)

    page.get_by_role("button", name=re.compile(r"^Step")).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url_number(url, "t") == start + 1, timeout=RUN_TIMEOUT_MS)
    settle(page)
    assert scrubber_value(page) == start + 1
    reading = page.locator(
        '[data-testid="stMarkdownContainer"]', has_text=re.compile(rf"Step {start + 1}: q = ")
    )
    expect(reading).to_have_count(1)

    play = page.get_by_role("switch", name="Play").first
    play.focus()
    page.keyboard.press("Space")
    expect(page.get_by_text(re.compile(rf"^Playing from step {start + 1} to"))).to_be_visible()
    # The browser moves the marker: the q chart changes while the server is not asked.
    q_chart = page.locator('[data-testid="stVegaLiteChart"]').nth(3)  # section 2's q chart
    expect(q_chart.get_by_label(re.compile(r"^Y-axis titled 'prediction q'"))).to_have_count(1)
    before = q_chart.inner_html()
    page.wait_for_timeout(1200)
    assert q_chart.inner_html() != before, "the marker did not move while playing"
    play.focus()
    page.keyboard.press("Space")  # pause
    expect(play).not_to_be_checked()
    expect(page.get_by_text(re.compile(r"^Playing from step"))).to_have_count(0)
    settle(page)
    paused_at = scrubber_value(page)
    assert paused_at >= start + 4  # about 1.5 s at 0.35 s a step
    page.wait_for_url(lambda url: url_number(url, "t") == paused_at, timeout=RUN_TIMEOUT_MS)
    reading = page.locator(
        '[data-testid="stMarkdownContainer"]', has_text=re.compile(rf"Step {paused_at}: q = ")
    )
    expect(reading).to_have_count(1)
    page.wait_for_timeout(1500)
    assert scrubber_value(page) == paused_at, "the scrubber kept moving after Pause"


def test_a_playback_to_the_end_stops_on_the_last_step(new_page) -> None:
    """Play a 4-step run to its end: one rerun at the end puts the scrubber, the address and
    the reading on the last step, and Play is off."""
    require_page("bernoulli")
    page = new_page()
    open_page(page, "bernoulli", "steps=4")
    play = page.get_by_role("switch", name="Play").first
    play.focus()
    page.keyboard.press("Space")
    expect(play).to_be_checked()
    expect(play).not_to_be_checked(timeout=RUN_TIMEOUT_MS)
    settle(page)
    assert scrubber_value(page) == 4
    page.wait_for_url(lambda url: url_number(url, "t") == 4, timeout=RUN_TIMEOUT_MS)
    reading = page.locator('[data-testid="stMarkdownContainer"]', has_text="Step 4: q = ")
    expect(reading).to_have_count(1)


@pytest.mark.parametrize(("path", "query"), [("bernoulli", "t=5"), ("multiclass", "rt=40&t=3")])
def test_reset_puts_the_step_scrubbers_back_where_the_page_starts_them(new_page, path, query):
    """Reset after moving a scrubber: the scrubber shows the page's start again (t at 0, the
    regression's rt at the end of its run) and the address carries no scrubber key. Before,
    the browser's old step won over the reset, and the address kept it."""
    require_page(path)
    page = new_page()
    open_page(page, path, query)
    page.get_by_role("button", name="Reset to defaults").click()
    page.wait_for_url(lambda url: not urlsplit(url).query, timeout=RUN_TIMEOUT_MS)
    settle(page)
    page.wait_for_timeout(500)  # a late write of the old step would land here
    assert not urlsplit(page.url).query
    assert scrubber_value(page) == 0
    if path == "multiclass":
        rt = page.get_by_role("slider", name=re.compile(r"^Show step t")).nth(1)
        rsteps = navigation.lesson("multiclass").state.defaults["rsteps"]
        assert int(float(rt.get_attribute("aria-valuetext"))) == rsteps


@pytest.mark.parametrize("path", ["bernoulli", "multiclass"])
def test_a_run_shorter_than_the_shown_step_starts_the_scrubber_again_screen_and_address_agree(
    new_page, path
):
    """At step 10, shorten the run to 1 step (Home on *Steps*): no error box, the scrubber
    goes back to step 0, the address carries no t (Streamlit drops a step the shorter run
    does not have), and the address opened in a new tab shows the same. Before, the
    scrubber showed step 1 while the address meant step 0."""
    require_page(path)
    page = new_page()
    open_page(page, path, "t=10")
    assert scrubber_value(page) == 10
    name = re.compile(r"^Steps( Steps)?$")
    page.get_by_role("slider", name=name).first.focus()
    page.keyboard.press("Home")
    address = lambda: page.evaluate("location.href")  # noqa: E731
    page.wait_for_function("() => new URLSearchParams(location.search).get('steps') === '1'")
    settle(page)
    page.wait_for_timeout(500)  # a late write of the old step would land here
    assert_clean(page, "after shortening the run")
    assert scrubber_value(page) == 0
    assert url_number(address(), "t") is None, address()
    again = new_page()
    again.goto(address())
    settle(again)
    assert scrubber_value(again) == 0
    assert float(again.get_by_role("slider", name=name).first.get_attribute("aria-valuetext")) == 1


# --- the address, the Share link and the screen agree after every action (issue 22) -------


def address_of(page) -> str:
    """The address as the page has it now (``page.url`` can lag behind a replaced query)."""
    return page.evaluate("location.href")


def sorted_query(url: str) -> list[tuple[str, str]]:
    return sorted((k, v) for k, values in query(url).items() for v in values)


def expect_one_state(page, when: str, key: str | None = None, shown: str | None = None) -> None:
    """The address and the Share link carry the same settings, and the moved control's value
    (``shown``, as its thumb reads it) is the one both carry for ``key``."""
    page.wait_for_timeout(700)  # a late message of an earlier run would land here
    settle(page)
    here, link = address_of(page), share_link(page)
    assert sorted_query(here) == sorted_query(link), f"{when}: address {here} != Share {link}"
    if key is not None and shown is not None:
        carried = url_number(here, key)
        assert carried is None or carried == pytest.approx(float(shown)), (when, here, shown)


def open_drawn(page, path: str, query_text: str = "") -> None:
    open_page(page, path, query_text)
    page.wait_for_timeout(800)  # the sections below the fold finish drawing
    settle(page)


FAST_KEYS = 4


@pytest.mark.parametrize("path", ["bernoulli", "multiclass", "loss-comparison"])
def test_quick_repeated_key_presses_on_every_slider_leave_address_link_and_screen_agreeing(
    new_page, path
) -> None:
    """Four quick presses on each slider of the page, one slider per fresh load. Before, on
    a control with a callback or a scrubber tied to it, a run's message carried the address
    one press behind (the browser sends the rerun with the query it holds, which lags) and
    replaced the address: White balls showed 12, Share said 12, the address 11 (2 tries in 4)."""
    require_page(path)
    page = new_page()
    open_drawn(page, path)
    labels = [s.get_attribute("aria-label") for s in page.get_by_role("slider").all()]
    for i, label in enumerate(labels):
        if i:
            open_drawn(page, path)
        control = page.get_by_role("slider").nth(i)
        key = "ArrowLeft" if label in ("Steps", "Step budget") else "ArrowRight"
        control.focus()
        for _ in range(FAST_KEYS):
            page.keyboard.press(key)
        expect_one_state(page, f"{path}: {FAST_KEYS} x {key} on {label}")


def test_quick_presses_on_the_regression_steps_keep_the_scrubber_in_the_address(new_page):
    """rsteps from 98 upwards with rt at its start (98): the scrubber keeps step 98, now no
    longer the start, so the address must carry rt=98 with the last rsteps."""
    require_page("multiclass")
    page = new_page()
    open_drawn(page, "multiclass", "rsteps=98")
    page.get_by_role("slider", name=re.compile(r"^Steps( Steps)?$")).nth(1).focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    expect_one_state(page, "rsteps 98 -> 104")
    assert query(address_of(page)).get("rt") == ["98"], address_of(page)


def step_slider(page, nth: int = 0):
    return page.get_by_role("slider", name=re.compile(r"^Show step t( Show step t)?$")).nth(nth)


def shown_step(page, nth: int = 0) -> int:
    return int(float(step_slider(page, nth).get_attribute("aria-valuetext")))


def choose_preset(page, name: str) -> None:
    page.get_by_role("combobox", name="Presets").click()
    page.get_by_role("option", name=name, exact=True).click()


def test_reset_after_a_scrub_on_a_shorter_run_puts_the_scrubber_at_the_start(new_page):
    """Steps ← (39), t → five times, Reset: before, the scrubber (a new widget at the
    default run length) took t=5 from the address the click came with."""
    require_page("bernoulli")
    page = new_page()
    open_drawn(page, "bernoulli")
    page.get_by_role("slider", name=re.compile(r"^Steps( Steps)?$")).first.focus()
    page.keyboard.press("ArrowLeft")
    settle(page)
    step_slider(page).focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    settle(page)
    page.get_by_role("button", name="Reset to defaults").click()
    expect_one_state(page, "Reset")
    assert shown_step(page) == 0
    assert not urlsplit(address_of(page)).query, address_of(page)


@pytest.mark.parametrize(
    ("path", "query_text", "preset", "nth", "step"),
    [
        ("multiclass", "rsteps=99&rt=96", "Overlapping blobs", 1, 100),
        ("bernoulli", "t=14&steps=30", "Confident and wrong", 0, 0),
    ],
)
def test_a_preset_that_changes_the_run_length_puts_its_scrubber_at_the_start(
    new_page, path, query_text, preset, nth, step
):
    require_page(path)
    page = new_page()
    open_drawn(page, path, query_text)
    choose_preset(page, preset)
    expect_one_state(page, f"preset {preset}")
    assert shown_step(page, nth) == step


def play(page, nth: int = 0) -> None:
    page.get_by_role("switch", name="Play").nth(nth).focus()
    page.keyboard.press("Space")


@pytest.mark.parametrize(
    ("path", "query_text", "nth"), [("bernoulli", "", 0), ("multiclass", "rt=0", 1)]
)
def test_a_run_length_change_during_play_stops_at_the_step_reached(new_page, path, query_text, nth):
    """Play, then Steps ←: the playback stops at the step its marker reached, and the address
    says so at once. Before, the address said steps=39 without t (step 0) while the screen
    and Share said 7; the regression player stopped at rt = 0."""
    require_page(path)
    page = new_page()
    open_drawn(page, path, query_text)
    play(page, nth)
    page.wait_for_timeout(2500)  # about 7 steps at 0.35 s a step
    page.get_by_role("slider", name=re.compile(r"^Steps( Steps)?$")).nth(nth).focus()
    page.keyboard.press("ArrowLeft")
    expect_one_state(page, "Play, then Steps ←")
    reached = shown_step(page, nth)
    assert 4 <= reached <= 12, reached
    key = "rt" if nth else "t"
    assert url_number(address_of(page), key) == reached, address_of(page)


def test_step_during_play_continues_from_the_step_shown(new_page):
    """Step while playing: one step past the marker, not past the step the playback started
    at (before: t = 1 although the marker was near 4)."""
    require_page("bernoulli")
    page = new_page()
    open_drawn(page, "bernoulli")
    play(page)
    page.wait_for_timeout(1500)  # about 4 steps
    page.get_by_role("button", name=re.compile(r"^Step")).first.focus()
    page.keyboard.press("Enter")
    expect_one_state(page, "Step during Play")
    assert 3 <= shown_step(page) <= 7, shown_step(page)
    assert url_number(address_of(page), "t") == shown_step(page)


def test_an_empty_loss_selection_is_in_the_share_link_and_opens_empty(new_page):
    """Both losses deselected: the address is ?losses=, and Share must say the same (before:
    a bare link, which opens with both losses)."""
    require_page("loss-comparison")
    page = new_page()
    open_drawn(page, "loss-comparison")
    for slug in ("cross-entropy", "squared-error"):
        page.get_by_role("button", name=slug, exact=True).click()
        settle(page)
    expect_one_state(page, "no loss")
    link = share_link(page)
    assert query(link).get("losses") == [""], link
    student = new_page()
    open_page(student, relative(link))
    expect(student.get_by_text("Pick at least one loss")).to_be_visible()


def test_lowering_k_drops_the_hidden_true_class_and_logits_everywhere(new_page):
    """K 5 -> 2 with y=D and z3, z5 set: the true class goes back to its default (B), the
    hidden logits to theirs; the address and the Share link agree (before: the screen said
    B, the address y=D, Share had no y but kept z3 and z5)."""
    require_page("multiclass")
    page = new_page()
    open_drawn(page, "multiclass", "k=5&names=A,B,C,D,E&y=D&z3=0.5&z5=3")
    page.locator("summary", has_text="Classes and label smoothing").first.click()
    k = page.get_by_role("slider", name=re.compile(r"^Number of classes K"))
    k.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
        settle(page)
    expect_one_state(page, "K 5 -> 2")
    carried = query(address_of(page))
    assert not {"y", "z3", "z4", "z5"} & set(carried), address_of(page)
    expect(page.get_by_text("−log Q(B)").first).to_be_visible()
