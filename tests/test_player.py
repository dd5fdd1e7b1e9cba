"""The player: it owns its session keys, two players on a page do not interfere, and when a
playback stops the scrubber, the address bar and the state agree."""

from __future__ import annotations

import pytest

from tests.test_app import open_page
from xent.player import Player


def test_each_player_owns_distinct_session_keys():
    keys = {}
    for scrub in ("t", "rt"):
        p = Player(scrub)
        owned = {p.playing, p.clock, p.frame, p.restart, p.step_button}
        assert len(owned) == 5
        assert scrub not in owned  # the scrubber's own (URL) key is not a playback key
        keys[scrub] = owned
    assert not keys["t"] & keys["rt"]


def test_two_players_on_one_page_do_not_interfere():
    at = open_page("multiclass")
    rt_start = at.slider(key="rt").value
    at.toggle(key="_play_t").set_value(True).run()
    for _ in range(3):
        at.run()
    t_now = at.slider(key="t").value
    assert t_now > 0
    assert at.slider(key="rt").value == rt_start  # the other scrubber stays put
    assert at.toggle(key="_play_rt").value is False
    at.button(key="_step_rt").click().run()  # stepping the other player...
    assert at.toggle(key="_play_t").value is True  # ...does not stop this one
    assert at.slider(key="t").value >= t_now
    assert at.slider(key="rt").value == min(rt_start + 1, at.slider(key="rsteps").value)


def url_step(at, key: str) -> int:
    return int(at.query_params.get(key, 0))


def test_pause_keeps_the_step_shown_in_the_scrubber_and_the_address():
    at = open_page("bernoulli")
    at.toggle(key="_play_t").set_value(True).run()
    for _ in range(3):
        at.run()
    at.toggle(key="_play_t").set_value(False).run()
    shown = at.slider(key="t").value
    assert shown > 0
    assert at.session_state["t"] == shown
    assert url_step(at, "t") == shown
    at.run()
    assert at.slider(key="t").value == shown  # paused: it no longer advances


@pytest.mark.parametrize("page", ["bernoulli", "multiclass"])
def test_a_playback_to_the_end_stops_on_the_last_step_everywhere(page):
    at = open_page(page, {"steps": "3"})
    at.toggle(key="_play_t").set_value(True).run()
    assert Player("t").clock in at.session_state
    for _ in range(8):  # more frames than steps: the player stops itself
        at.run()
    assert not at.exception
    assert at.toggle(key="_play_t").value is False
    assert at.slider(key="t").value == 3
    assert at.session_state["t"] == 3
    assert url_step(at, "t") == 3
    assert Player("t").playing in at.session_state  # (the check below can see these keys)
    for key in (Player("t").clock, Player("t").frame, Player("t").restart):
        assert key not in at.session_state
