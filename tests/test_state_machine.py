"""A model-based test of a student's session: random sequences of ordinary actions.

Hypothesis' ``RuleBasedStateMachine`` drives one AppTest session through slider moves (edge
and in-range values), quick repeated moves of one slider, page switches, presets, Reset,
Step, Play, a run length changed during Play, K and class-name edits (hostile text
included), K lowered and raised again with hidden logits set, an empty loss selection, and
after every step checks: no exception; every value shown is
inside its control's range; the Share link decodes to exactly what the controls show; a page
returned to shows the values it was left with (nothing of another page); no class name
becomes markup. Derandomized and bounded, so CI runs the same sequences every time.
"""

from __future__ import annotations

import math

import hypothesis.strategies as hs
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.test_app import PAGES, open_page
from xent import navigation
from xent.text import class_names
from xent.ui.state import SCRUBBER_RUNS, SCRUBBERS, loss_slug, share_query

LESSONS = list(PAGES)
NAMES = [
    "A, B, C",
    "![](//1.2.3.4/x.png), [go](//e.example), $\\Huge x$",
    "a\nb, c\u202ed, # head, **bold**",
    "Apple, Apple, Apple, Apple",
    "x" * 200,
    "",
]
STEPS_RUN = {"count": 0}


def on_screen(at, key):
    found = [
        w for w in (*at.slider, *at.select_slider, *at.selectbox, *at.text_input) if w.key == key
    ]
    if key == "losses":
        found = [w for w in at.button_group if w.key == key]
    return found[0] if found else None


class StudentSession(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.page = "bernoulli"
        self.at = open_page(self.page)
        self.left_with: dict[str, dict] = {}

    @staticmethod
    def state(slug: str):
        return navigation.page_states()[slug]

    def values(self) -> dict:
        shown = {}
        for key in (*navigation.page_states()[self.page].defaults, *SCRUBBERS):
            widget = on_screen(self.at, key)
            if widget is not None:
                shown[key] = widget.value
        return shown

    # --- actions -------------------------------------------------------------------------

    @rule(data=hs.data())
    def move_slider(self, data):
        sliders = [s for s in self.at.slider if s.key]
        s = data.draw(hs.sampled_from(sliders), label="slider")
        n = round((s.max - s.min) / s.step)
        i = data.draw(hs.one_of(hs.sampled_from([0, n]), hs.integers(0, n)), label="position")
        value = s.min + i * s.step
        if isinstance(s.value, int):
            value = round(value)
        s.set_value(min(value, s.max)).run()

    @rule(data=hs.data())
    def choose_option(self, data):
        if not self.at.select_slider:
            return
        s = data.draw(hs.sampled_from(list(self.at.select_slider)), label="select slider")
        s.set_value(data.draw(hs.sampled_from(list(s.options)), label="option")).run()

    @rule(data=hs.data(), presses=hs.integers(2, 6))
    def quick_presses(self, data, presses):
        """One slider moved a step at a time, several times in a row (a held arrow key)."""
        sliders = [s for s in self.at.slider if s.key]
        s = data.draw(hs.sampled_from(sliders), label="slider")
        sign = data.draw(hs.sampled_from([-1, 1]), label="direction")
        for _ in range(presses):
            value = min(max(s.value + sign * s.step, s.min), s.max)
            s.set_value(round(value) if isinstance(s.value, int) else value).run()
            s = next(w for w in self.at.slider if w.key == s.key)

    @precondition(lambda self: self.page == "multiclass")
    @rule(low=hs.integers(2, 4), logit=hs.floats(-6, 6).map(lambda z: round(z, 1)))
    def k_down_and_up(self, low, logit):
        """K to 6 with the last logit and the true class set, down to ``low``, up again: a
        hidden logit or true class is in neither the screen, the address nor the link, and
        comes back at its default."""
        self.at.slider(key="k").set_value(6).run()
        self.at.slider(key="z6").set_value(logit).run()
        self.at.selectbox(key="y").set_value(5).run()
        self.at.slider(key="k").set_value(low).run()
        assert "z6" not in dict(share_query(self.state("multiclass"), self.at.session_state))
        assert self.at.selectbox(key="y").value < low
        self.at.slider(key="k").set_value(6).run()
        assert self.at.slider(key="z6").value == self.state("multiclass").defaults["z6"]

    @precondition(lambda self: self.page == "loss-comparison")
    @rule()
    def no_loss(self):
        self.at.button_group(key="losses").set_value([]).run()
        assert (
            dict(share_query(self.state("loss-comparison"), self.at.session_state))["losses"] == ""
        )

    @rule(data=hs.data())
    def run_length_during_play(self, data):
        """Play, then a new run length: the playback stops within the new run."""
        toggles = [t for t in self.at.toggle if (t.key or "").startswith("_play_")]
        if not toggles:
            return
        toggle = data.draw(hs.sampled_from(toggles), label="player")
        scrub = toggle.key.removeprefix("_play_")
        run = SCRUBBER_RUNS[scrub]
        toggle.set_value(True).run()
        length = self.at.slider(key=run)
        new = data.draw(hs.integers(length.min, length.max - 1), label=run)
        length.set_value(new if new < length.value else new + 1).run()  # another length
        self.at.run()
        assert not self.at.toggle(key=toggle.key).value
        assert 0 <= self.at.slider(key=scrub).value <= self.at.slider(key=run).value

    @rule(page=hs.sampled_from(LESSONS))
    def switch_page(self, page):
        self.left_with[self.page] = self.values()
        self.at.switch_page(PAGES[page]).run()
        if page == self.page or self.at.exception:
            return
        self.page = page
        # The page shows what it was left with, or its defaults: nothing of another page.
        expected = self.left_with.get(page) or self.defaults_shown()
        arrived = self.values()
        for key, value in expected.items():
            if key in arrived and key not in SCRUBBERS:
                assert arrived[key] == value, (page, key, value, arrived[key])

    def defaults_shown(self) -> dict:
        defaults = dict(navigation.page_states()[self.page].defaults)
        defaults.pop("names", None)  # shown after the K cut: compared by the Share check
        if "losses" in defaults:
            defaults["losses"] = list(defaults["losses"])
        return defaults

    @rule(data=hs.data())
    def preset(self, data):
        presets = list(navigation.page_states()[self.page].presets)
        name = data.draw(hs.sampled_from(presets), label="preset")
        self.at.selectbox(key="_preset").set_value(name).run()

    @rule()
    def reset(self):
        next(b for b in self.at.button if b.label == "Reset to defaults").click().run()

    @rule()
    def step(self):
        buttons = [b for b in self.at.button if (b.key or "").startswith("_step_")]
        if buttons:
            buttons[0].click().run()

    @rule(on=hs.booleans())
    def play(self, on):
        toggles = [t for t in self.at.toggle if (t.key or "").startswith("_play_")]
        if toggles:
            toggles[0].set_value(on).run()
            self.at.run()

    @precondition(lambda self: self.page == "multiclass")
    @rule(names=hs.sampled_from(NAMES), k=hs.integers(2, 10))
    def edit_classes(self, names, k):
        self.at.slider(key="k").set_value(k).run()
        self.at.text_input(key="names").input(names).run()

    # --- checks after every step -----------------------------------------------------------

    @invariant()
    def nothing_breaks(self):
        STEPS_RUN["count"] += 1
        assert not self.at.exception, [e.message for e in self.at.exception]
        for s in self.at.slider:
            assert s.min <= s.value <= s.max, (s.key, s.value)

    @invariant()
    def share_link_is_the_screen(self):
        state = navigation.page_states()[self.page]
        shown = self.values()
        raw = {key: self.at.session_state[key] for key in shown}
        query: dict[str, list[str]] = {}
        for key, text in share_query(state, raw):
            query.setdefault(key, []).append(text)
        names = class_names(shown.get("names", ""), int(shown.get("k", 3)))
        for key, value in shown.items():
            if key in query:
                texts = query[key]
                if key == "losses":
                    assert set(texts) == ({loss_slug(v) for v in value} or {""})
                elif key == "y":
                    assert texts == [names[value]]
                elif isinstance(value, str):
                    assert texts == [value]
                else:
                    assert math.isclose(float(texts[0]), float(value), abs_tol=1e-9), key
            elif key in state.defaults:
                assert value == state.defaults[key] or (key == "y" and value == 1), key

    @invariant()
    def names_stay_text(self):
        for m in self.at.markdown:
            for raw in ("![](", "[go](", "$\\Huge", "**bold**"):
                assert raw not in m.value, m.value


TestStudentSession = StudentSession.TestCase
TestStudentSession.settings = settings(
    max_examples=12,
    stateful_step_count=14,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def teardown_module():
    print(f"\nmodel-based test: {STEPS_RUN['count']} checked steps")
