"""Each page owns its state: switching pages never carries a value across, a value out of a
control's range is clamped with a notice (never an error box), and text from a link is
shown as literal text."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import APP, PAGES, TIMEOUT, open_page
from xent import navigation
from xent.text import MARKUP_CHARS, class_names, literal, plain
from xent.ui import state


def switch(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES[page])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize(
    ("start", "key", "value", "target"),
    [
        ("loss-comparison", "steps", 300, "bernoulli"),  # above Bernoulli's 200
        ("bernoulli", "n", 1000, "multiclass"),  # above Multiclass' 100
        ("bernoulli", "steps", 1, "loss-comparison"),  # below Loss Comparison's 10
        ("multiclass", "steps", 33, "bernoulli"),  # in range: must not leak either
        ("loss-comparison", "p", 0.95, "bernoulli"),
    ],
)
def test_switching_pages_carries_no_value_across(start, key, value, target):
    at = open_page(start)
    at.slider(key=key).set_value(value).run()
    assert at.slider(key=key).value == pytest.approx(value)
    switch(at, target)
    assert at.slider(key=key).value == pytest.approx(navigation.page_states()[target].defaults[key])
    assert not at.info  # nobody opened a link: no notice
    switch(at, start)  # coming back, the student's value is still there
    assert at.slider(key=key).value == pytest.approx(value)


def test_switch_through_home_and_on_keeps_every_page_working():
    at = open_page("loss-comparison")
    at.slider(key="steps").set_value(1000).run()
    at.slider(key="p").set_value(0.95).run()
    for page in ("bernoulli", "multiclass", "loss-comparison", "bernoulli"):
        switch(at, page)
    at.switch_page("pages/home.py").run()
    switch(at, "multiclass")
    assert not at.exception


HOSTILE = {
    "p": "**URGENT**: your teacher says",
    "q0": "go to [this page](//evil.example/x)",
    "q": "![](//1.2.3.4/logo.png)",
    "lr": "$\\Huge big$",
}


def test_link_text_in_the_notice_is_literal():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGES["loss-comparison"])
    at.query_params.update({"p": HOSTILE["p"], "q0": HOSTILE["q0"]})
    at.run()
    text = at.info[0].value
    for raw in ("**URGENT**", "[this page](", "](//"):
        assert raw not in text
    # every markup character arrives escaped, so the reader sees exactly the link's text
    assert "\\*\\*URGENT\\*\\*" in text
    assert "\\[this page\\]\\(//evil\\.example/x\\)" in text


@pytest.mark.parametrize("text", [*HOSTILE.values(), "a\nb", "x\u202ey", "# head", ":red[x]"])
def test_literal_escapes_every_markup_character(text):
    out = literal(text)
    for i, c in enumerate(out):
        if c in MARKUP_CHARS and c != "\\":
            assert out[i - 1] == "\\", (text, out)
    assert "\n" not in out
    assert "\u202e" not in out
    # removing the escapes (and the invisible joiners) gives back the text with control
    # characters as spaces
    read = out.replace("\u2060", "")
    assert read.replace("\\\\", "\0").replace("\\", "").replace("\0", "\\") == plain(text)


HOSTILE_NAMES = "![](//1.2.3.4/logo.png),[go](//evil.example),a\n\n# Big,$\\Huge x$,ok"


def test_class_names_are_one_line_of_printable_text():
    names = class_names("a\nb, x\u202ey\u2066, c\td ,", 4)
    assert names[:3] == ("a b", "x y", "c d")
    for name in names:
        assert name.isprintable()


def test_class_names_from_a_link_are_shown_literally():
    at = open_page("multiclass", {"k": "5", "names": HOSTILE_NAMES, "y": "ok"})
    texts = [m.value for m in at.markdown]
    names = class_names(HOSTILE_NAMES, 5)
    assert names[2] == "a # Big"
    for text in texts:
        for raw in ("![](", "[go](", "$\\Huge", "\n#"):  # an image, a link, KaTeX, a heading
            assert raw not in text, text
    # every name is still there: shown escaped above its logit slider (and in the readings),
    # and as typed in the slider's own label, hidden, which names it for screen readers
    logits = [s for s in at.slider if s.key[0] == "z"]
    assert [s.label for s in logits] == [f"z for {name}" for name in names]
    assert all(s.proto.label_visibility.value == s.proto.label_visibility.COLLAPSED for s in logits)
    for name in names:
        assert f":small[z for {literal(name)}]" in texts
    assert any(literal("$\\Huge x$") in t for t in texts)
    assert len(at.get("vega_lite_chart")) >= 4


def share_query(at: AppTest, page: str) -> list[str]:
    """The Share link's query for the session state the page shows now.

    (AppTest does not draw dialogs: the browser suite opens the dialog itself.)"""
    values = {key: at.session_state[key] for key in state.SCRUBBERS if key in at.session_state}
    for key in navigation.page_states()[page].defaults:
        if key in at.session_state:
            values[key] = at.session_state[key]
    return sorted(f"{k}={v}" for k, v in state.share_query(navigation.page_states()[page], values))


def test_share_link_holds_the_link_values_and_the_scrubber():
    at = open_page("bernoulli", {"q": "0.3", "lr": "3", "red": "5", "white": "5", "p": "0.5"})
    at.button(key="_step_t").click().run()
    expected = ["lr=3", "p=0.5", "q=0.3", "red=5", "t=1", "white=5"]
    assert share_query(at, "bernoulli") == expected


def test_share_link_follows_a_section_rerun_and_names_the_true_class():
    at = open_page("multiclass", {"k": "4", "y": "Rappa", "names": "A, B, Rappa"})
    at.button(key="_step_t").click().run()
    at.button(key="_step_t").click().run()
    assert share_query(at, "multiclass") == ["k=4", "names=A, B, Rappa", "t=2", "y=Rappa"]
    at.slider(key="rsteps").set_value(50).run()  # the regression scrubber follows to 50
    assert "rt=50" not in share_query(at, "multiclass")


@pytest.mark.parametrize("action", ["preset", "reset", "switch"])
def test_preset_reset_or_page_switch_stops_playback(action):
    at = open_page("bernoulli")
    at.toggle(key="_play_t").set_value(True).run()
    time.sleep(0.5)  # more than one step of the play clock (xent.ui.player.PLAY_INTERVAL)
    at.run()  # a run while playing shows the step of the play clock
    assert at.slider(key="t").value > 0
    if action == "preset":
        at.selectbox(key="_preset").set_value("Fair coin: 5 red, 5 white").run()
    elif action == "reset":
        next(b for b in at.button if b.label == "Reset to defaults").click().run()
    else:
        switch(at, "multiclass")
        assert at.toggle(key="_play_t").value is False
        switch(at, "bernoulli")
    assert not at.exception
    assert at.toggle(key="_play_t").value is False
    shown = at.slider(key="t").value
    at.run()
    assert at.slider(key="t").value == shown  # no longer advancing


def test_a_preset_then_a_page_switch_carries_nothing_across():
    # A preset writes the address bar; Streamlit carries it to the next page, whose
    # widgets would seed from it: the page clears it and starts from its own values.
    at = open_page("bernoulli")
    at.selectbox(key="_preset").set_value("Fair coin: 5 red, 5 white").run()
    switch(at, "loss-comparison")
    comparison = navigation.lesson("loss-comparison").state
    assert at.slider(key="p").value == pytest.approx(comparison.defaults["p"])
    assert dict(at.query_params) == {}
    switch(at, "bernoulli")
    assert at.slider(key="p").value == pytest.approx(0.5)
    assert at.slider(key="red").value == 5
