"""The app through Streamlit's AppTest: every page runs, every control does something.

Each page is opened through ``streamlit_app.py`` (``st.navigation``), then every widget is
set to its minimum, a middle value and its maximum: the page must rerun without an
exception, and whenever the value differs from the default, what the page shows (the
text readings and the charts' specs and data) must change. Then presets, Reset and
links (query parameters) are checked, and the bytes each page sends per rerun.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from xent import i18n, language, navigation
from xent.i18n import tr
from xent.ui import state
from xent.ui.drawing import READING

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
PAGES = {entry.url_path: entry.script for entry in navigation.LESSONS}
"""Every lesson page (URL path -> script), from the page registry."""
LANGUAGES = list(i18n.LANGUAGES)
"""The page tables run in every language (``lang=``)."""
# Values that legitimately show the default: empty class names fall back to the defaults.
SAME_AS_DEFAULT = {("names", "")}
TIMEOUT = 60


def open_page(page: str | None, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page is None and query:  # Home: its link's query on the first run
        at.query_params.update(query)
    at.run()
    if page is not None:
        at.switch_page(PAGES[page])
        if query:
            at.query_params.update(query)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def readings(at: AppTest) -> list[str]:
    """The page's readings, in the language it shows ("**Reading:**", "**読み取り：**")."""
    with i18n.using(at.session_state[language.SESSION]):
        prefix = tr(READING)
    return [m.value for m in at.markdown if m.value.startswith(prefix)]


def charts(at: AppTest):
    return at.get("vega_lite_chart")


def fingerprint(at: AppTest) -> str:
    """A digest of everything the page shows that a control could change."""
    h = hashlib.sha256()
    for text in readings(at):
        h.update(text.encode())
    for chart in charts(at):
        h.update(chart.proto.spec.encode())
        for ds in chart.proto.datasets:
            h.update(ds.data.data)
    for el in (*at.latex, *at.caption):
        h.update(str(el.value).encode())
    h.update(str(len(at.slider)).encode())
    return h.hexdigest()


# --- every page runs ------------------------------------------------------------------------


def test_home_runs_and_links_every_page():
    at = open_page(None)
    assert at.title[0].value == "Why cross-entropy?"
    assert len(at.latex) >= 2
    links = {el.proto.page for el in at.get("page_link")}
    assert links >= set(PAGES)  # the url paths


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_charts_formulas_and_readings(page, lang):
    """Every page has a chart, a formula and a reading (how many is the page's own affair),
    in each language."""
    at = open_page(page, {"lang": lang})
    assert at.session_state[language.SESSION] == lang
    assert charts(at)
    assert at.latex
    assert readings(at)
    assert not at.error
    for chart in charts(at):
        assert chart.proto.alt, "every chart has a text alternative"


def _plain(markdown: str) -> str:
    """Markdown as a screen reader says it: no bold marks, no backslash escapes."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("**", "")).strip()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_a_chart_with_a_reading_says_it_in_its_text_alternative(page, lang):
    """Issue 24: a reading is tied to its chart: the chart's text alternative (its aria-label)
    ends with the reading under it, word for word, so a screen reader on the chart hears it."""
    at = open_page(page, {"lang": lang})
    with i18n.using(lang):
        word = _plain(tr(READING))
    said = {_plain(reading) for reading in readings(at)}
    alts = [chart.proto.alt for chart in charts(at)]
    with_reading = [alt for alt in alts if word in alt]
    assert with_reading, "no chart carries its reading"
    for alt in with_reading:
        assert alt[alt.index(word) :] in said, alt


@pytest.mark.parametrize("page", PAGES)
def test_payload_per_rerun_is_small(page):
    """Vega-Lite specs plus their Arrow datasets: at most 150 KB per rerun."""
    at = open_page(page)
    size = sum(
        len(c.proto.spec) + sum(len(ds.data.data) for ds in c.proto.datasets) for c in charts(at)
    )
    assert size <= 150_000, f"{page} sends {size} bytes of charts"


# --- every widget at its minimum, a middle value and its maximum --------------------------------


def sweep_values(widget) -> list:
    kind = widget.type
    if kind == "slider":
        lo, hi, step = widget.min, widget.max, widget.step
        mid = lo + round((hi - lo) / 2 / step) * step
        if isinstance(lo, float):
            mid = round(mid, 6)
        return [lo, mid, hi]
    if kind == "number_input":
        lo, hi = widget.min, widget.max
        return [lo, (lo + hi) // 2, hi]
    if kind == "select_slider":
        opts = [float(o) if _is_number(o) else o for o in widget.options]
        return [opts[0], opts[len(opts) // 2], opts[-1]]
    if kind == "selectbox":
        n = len(widget.options)
        return [0, n // 2, n - 1]
    if kind == "text_input":
        return ["", "Cat, Dog, Bird, Fish", "<script>alert(1)</script>, Ω, 🍎, " + "x" * 150]
    if kind == "button_group":
        return [[], ["focal"], ["cross_entropy", "squared_error", "absolute_error", "focal"]]
    raise AssertionError(f"no sweep for {kind}")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def bound_widgets(at: AppTest) -> dict:
    widgets = {}
    for kind in ("slider", "number_input", "select_slider", "selectbox", "text_input"):
        for w in getattr(at, kind):
            if w.key and not w.key.startswith("_"):
                widgets[w.key] = w
    for w in at.button_group:
        if w.key:
            widgets[w.key] = w
    return widgets


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_widget_at_min_middle_and_max(page, lang):
    at = open_page(page, {"lang": lang})
    default_print = fingerprint(at)
    defaults = {key: w.value for key, w in bound_widgets(at).items()}
    assert defaults, "no URL-bound widgets found"
    previous = None
    for key in defaults:
        for value in sweep_values(bound_widgets(at)[key]):
            if previous is not None:  # put the last widget back first, in the same rerun
                pkey, pvalue = previous
                if pkey in bound_widgets(at):
                    bound_widgets(at)[pkey].set_value(pvalue)
                previous = None
            bound_widgets(at)[key].set_value(value)
            at.run()
            assert not at.exception, (key, value, [e.message for e in at.exception])
            shown = bound_widgets(at)[key].value
            if shown != defaults[key] and (key, str(value)) not in SAME_AS_DEFAULT:
                assert fingerprint(at) != default_print, f"{page}: {key}={value!r} changed nothing"
        previous = (key, defaults[key])


# --- what the controls change ------------------------------------------------------------


def test_bernoulli_default_reading_shows_the_lesson():
    text = " ".join(readings(open_page("bernoulli")))
    assert "the minimum 0.50 is at q = p = 0.20" in text
    assert "After all 40 steps q = 0.20" in text


def test_bernoulli_q_at_zero_reads_infinity_without_breaking_the_chart():
    at = open_page("bernoulli")
    at.slider(key="q").set_value(0.0).run()
    assert not at.exception
    assert any("L = ∞ nats at q = 0.00" in text for text in readings(at))
    spec = charts(at)[0].proto.spec
    assert "Infinity" not in spec
    assert "NaN" not in spec


def test_bernoulli_ball_counts_set_p():
    at = open_page("bernoulli")
    at.slider(key="red").set_value(5).run()
    assert at.slider(key="p").value == pytest.approx(5 / 13, abs=1e-3)
    assert "5 red of 13 balls" in " ".join(c.value for c in at.caption)


def test_multiclass_k_sets_the_number_of_logits():
    at = open_page("multiclass")
    assert sum(1 for s in at.slider if s.key.startswith("z")) == 3
    at.slider(key="k").set_value(10).run()
    assert not at.exception
    assert sum(1 for s in at.slider if s.key.startswith("z")) == 10
    assert "Umbrella" in charts(at)[0].proto.spec + str(
        [ds.data.data for ds in charts(at)[0].proto.datasets]
    )


def test_multiclass_label_smoothing_is_read_out():
    at = open_page("multiclass")
    at.slider(key="ls").set_value(0.1).run()
    assert "label smoothing ε = 0.10" in " ".join(readings(at))


def test_comparison_default_race_credits_the_escape():
    text = " ".join(readings(open_page("loss-comparison")))
    assert "Escaping the mistake, squared error took 63.6× as many steps as cross-entropy" in text


def test_comparison_learning_rate_changes_the_race():
    at = open_page("loss-comparison")
    at.select_slider(key="lr").set_value(100.0).run()
    assert "η = 100" in " ".join(readings(at))


def test_comparison_without_losses_asks_for_one():
    at = open_page("loss-comparison")
    at.button_group(key="losses").set_value([]).run()
    assert not at.exception
    assert "Pick at least one loss" in at.info[0].value


# --- presets, reset and links ---------------------------------------------------------------


def test_preset_then_reset():
    at = open_page("bernoulli")
    at.selectbox(key="_preset").set_value("Confident and wrong").run()
    assert at.slider(key="q").value == pytest.approx(0.02)
    assert at.slider(key="p").value == pytest.approx(0.9)
    at.button[0].click().run()  # Reset to defaults
    assert at.slider(key="q").value == pytest.approx(0.6)
    assert at.slider(key="p").value == pytest.approx(0.2)
    assert not at.exception


@pytest.mark.parametrize(
    ("page", "query", "key", "expected"),
    [
        ("bernoulli", {"p": "0.5", "q": "0.9"}, "q", 0.9),
        ("bernoulli", {"p": "abc", "q": "1e999"}, "q", 0.6),
        ("multiclass", {"k": "5"}, "k", 5),
        ("multiclass", {"k": "-4"}, "k", 3),
        ("loss-comparison", {"lr": "10.0", "q0": "0.2"}, "q0", 0.2),
        ("loss-comparison", {"q0": "<script>alert(1)</script>"}, "q0", 0.001),
    ],
)
def test_links_carry_the_state(page, query, key, expected):
    at = open_page(page, query)
    assert at.get_by_key(key).value == pytest.approx(expected)


def test_unusable_link_values_fall_back_with_a_notice():
    at = open_page("bernoulli", {"p": "abc", "q": "0.9"})
    assert at.slider(key="p").value == pytest.approx(0.2)
    assert at.slider(key="q").value == pytest.approx(0.9)
    assert "p=abc" in at.info[0].value
    at.run()  # the notice belongs to the link, not to later moves
    assert not at.info


def test_good_links_raise_no_notice():
    at = open_page("multiclass", {"k": "4", "y": "Rappa", "names": "A, B, Rappa"})
    assert not at.info
    assert at.selectbox(key="y").value == 2


def test_losses_travel_by_label():
    at = open_page("loss-comparison", {"losses": ["focal (γ = 2)", "squared error"]})
    assert sorted(at.button_group(key="losses").value) == ["focal", "squared_error"]
    assert not at.info


def test_share_link_lists_changed_settings():
    at = open_page("bernoulli")
    at.slider(key="q").set_value(0.9).run()
    values = {key: at.session_state[key] for key in navigation.lesson("bernoulli").state.defaults}
    assert state.share_query(navigation.lesson("bernoulli").state, values) == [("q", "0.9")]


def test_play_and_step_move_the_scrubber():
    at = open_page("bernoulli")
    at.button(key="_step_t").click().run()
    assert at.slider(key="t").value == 1
    at.toggle(key="_play_t").set_value(True).run()
    first = at.slider(key="t").value
    import time

    from xent.ui.player import PLAY_INTERVAL

    time.sleep(1.5 * PLAY_INTERVAL)
    at.run()  # a run while playing shows the step of the play clock
    assert at.slider(key="t").value >= first + 1
    assert not at.exception
    at.toggle(key="_play_t").set_value(False).run()
    paused = at.slider(key="t").value
    at.run()
    assert at.slider(key="t").value == paused


@pytest.mark.parametrize(
    ("page", "scrubber", "steps", "start"),
    [
        ("bernoulli", "t", "steps", 0),
        ("multiclass", "t", "steps", 0),
        ("multiclass", "rt", "rsteps", 3),  # rt starts at the end of its run: now step 3
    ],
)
def test_a_shorter_run_sends_the_scrubber_back_to_its_start(page, scrubber, steps, start):
    """Scrub to step 10, then shorten the run to 3 steps: step 10 is gone, so the scrubber
    goes back to where the page starts it (what an address without its key means), with
    no error (a value above the slider's maximum makes Streamlit raise)."""
    at = open_page(page)
    at.slider(key=scrubber).set_value(10).run()
    at.slider(key=steps).set_value(3).run()
    assert not at.exception, [e.message for e in at.exception]
    slider = at.slider(key=scrubber)
    assert (slider.value, slider.max) == (start, 3)


@pytest.mark.parametrize(("page", "scrubber", "steps"), [("bernoulli", "t", "steps")])
def test_a_run_length_change_keeps_a_step_the_run_still_has(page, scrubber, steps):
    at = open_page(page)
    at.slider(key=scrubber).set_value(10).run()
    at.slider(key=steps).set_value(12).run()
    assert not at.exception, [e.message for e in at.exception]
    assert (at.slider(key=scrubber).value, at.slider(key=scrubber).max) == (10, 12)


def test_playback_follows_the_wall_clock():
    """A late timer rerun catches up with the play clock instead of losing time."""
    import time

    from xent.ui.player import PLAY_INTERVAL

    at = open_page("bernoulli")
    at.toggle(key="_play_t").set_value(True).run()
    first = at.slider(key="t").value
    time.sleep(3 * PLAY_INTERVAL)
    at.run()
    assert at.slider(key="t").value >= first + 2
