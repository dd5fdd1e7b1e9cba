"""A model-based test of a student's session: random sequences of ordinary actions.

Hypothesis' ``RuleBasedStateMachine`` drives one AppTest session through slider moves (edge
and in-range values), page switches, presets, Reset, Step, Play, K and class-name edits
(hostile text included), and after every step checks: no exception; every value shown is
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
from xent.ui.state import SCRUBBERS, loss_slug, share_query

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
                    assert set(texts) == {loss_slug(v) for v in value}
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
    max_examples=10,
    stateful_step_count=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def teardown_module():
    print(f"\nmodel-based test: {STEPS_RUN['count']} checked steps")
