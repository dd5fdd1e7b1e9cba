"""The player: it owns its session keys, two players on a page do not interfere, a playback
costs the server one rerun per Play, Pause, end of run or scrub, and when a playback stops
the scrubber, the address bar and the state agree on the step the play clock reached."""

from __future__ import annotations

import time

import pytest

from tests.test_app import open_page
from xent.ui import animation
from xent.ui.player import PLAY_INTERVAL, Player


def test_each_player_owns_distinct_session_keys():
    keys = {}
    for scrub in ("t", "rt"):
        p = Player(scrub)
        owned = {p.playing, p.clock, p.step_button}
        assert len(owned) == 3
        assert scrub not in owned  # the scrubber's own (URL) key is not a playback key
        keys[scrub] = owned
    assert not keys["t"] & keys["rt"]


def url_step(at, key: str) -> int:
    return int(at.query_params.get(key, 0))


def play(at, key: str = "t"):
    return at.toggle(key=Player(key).playing).set_value(True).run()


def test_play_sets_a_one_shot_timer_for_the_time_left():
    at = open_page("bernoulli", {"steps": "20"})
    play(at)
    started, start, end = at.session_state[Player("t").clock]
    assert (start, end) == (0, 20)
    assert not at.exception
    # The section's timer fires once, after the whole run (20 steps), not every frame.
    remaining = started + 20 * PLAY_INTERVAL - time.monotonic()
    assert remaining > 15 * PLAY_INTERVAL
    assert at.slider(key="t").value == 0  # the server does not draw the frames in between
    assert any("Playing from step 0 to step 20" in c.value for c in at.caption)


def test_two_players_on_one_page_do_not_interfere():
    at = open_page("multiclass")
    rt_start = at.slider(key="rt").value
    play(at)
    time.sleep(3 * PLAY_INTERVAL)
    at.run()
    t_now = at.slider(key="t").value
    assert t_now >= 2  # any rerun while playing shows the step of the play clock
    assert at.slider(key="rt").value == rt_start  # the other scrubber stays put
    assert at.toggle(key="_play_rt").value is False
    at.button(key="_step_rt").click().run()  # stepping the other player...
    assert at.toggle(key="_play_t").value is True  # ...does not stop this one
    assert at.slider(key="t").value >= t_now
    assert at.slider(key="rt").value == min(rt_start + 1, at.slider(key="rsteps").value)


def test_pause_keeps_the_step_of_the_play_clock_in_the_scrubber_and_the_address():
    at = open_page("bernoulli")
    play(at)
    time.sleep(4.5 * PLAY_INTERVAL)
    at.toggle(key="_play_t").set_value(False).run()
    shown = at.slider(key="t").value
    assert 4 <= shown <= 6
    assert at.session_state["t"] == shown
    assert url_step(at, "t") == shown
    time.sleep(2 * PLAY_INTERVAL)
    at.run()
    assert at.slider(key="t").value == shown  # paused: it no longer advances
    assert not any("Playing" in c.value for c in at.caption)


@pytest.mark.parametrize("page", ["bernoulli", "multiclass"])
def test_a_playback_to_the_end_stops_on_the_last_step_everywhere(page):
    at = open_page(page, {"steps": "3"})
    play(at)
    assert Player("t").clock in at.session_state
    time.sleep(3.5 * PLAY_INTERVAL)
    at.run()  # the one-shot timer's rerun
    assert not at.exception
    assert at.toggle(key="_play_t").value is False
    assert at.slider(key="t").value == 3
    assert at.session_state["t"] == 3
    assert url_step(at, "t") == 3
    assert Player("t").clock not in at.session_state


def test_a_scrub_during_playback_stops_it_on_the_scrubbed_step():
    at = open_page("bernoulli")
    play(at)
    at.slider(key="t").set_value(7).run()
    assert not at.exception
    assert at.toggle(key="_play_t").value is False
    assert at.slider(key="t").value == 7  # (AppTest does not write a scrub to the address)
    time.sleep(2 * PLAY_INTERVAL)
    at.run()
    assert at.slider(key="t").value == 7


def test_a_new_run_length_during_playback_stops_it_inside_the_new_run():
    at = open_page("multiclass", {"steps": "30"})
    play(at)
    time.sleep(4.5 * PLAY_INTERVAL)
    at.slider(key="steps").set_value(3).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.toggle(key="_play_t").value is False
    assert at.slider(key="t").value == 3  # the clock had passed step 3: the new run's end
    assert at.session_state["t"] == 3


@pytest.mark.parametrize("button", ["Reset", "preset"])
def test_reset_or_a_preset_during_playback_stops_it(button):
    at = open_page("bernoulli")
    play(at)
    if button == "Reset":
        next(b for b in at.button if b.label.startswith("Reset")).click().run()
    else:
        preset = at.selectbox(key="_preset")
        preset.set_value(preset.options[0]).run()
    assert not at.exception
    at.run()
    assert at.toggle(key="_play_t").value is False
    assert Player("t").clock not in at.session_state
    assert at.slider(key="t").value == url_step(at, "t")


def test_the_moving_rule_walks_from_the_start_to_the_end_in_the_time_left():
    spec = {"layer": [{"mark": "line"}]}
    window = animation.PlayWindow(start=4, end=10, seconds_per_step=0.5)
    out = animation.with_playback(spec, window)
    assert spec == {"layer": [{"mark": "line"}]}  # the cached spec is not modified
    rule = out["layer"][-1]
    assert [row["step"] for row in rule["data"]["values"]] == list(range(4, 11))
    assert rule["params"][0]["select"]["on"] == "timer"
    assert rule["encoding"]["time"]["scale"]["range"] == [0, 6 * 0.5 * 1000]
    assert animation.with_playback(spec, None) is spec
    assert animation.with_playback(spec, animation.PlayWindow(10, 10, 0.5)) is spec
