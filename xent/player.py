"""The step scrubber of a trajectory and its player (play / pause, one step forward).

A :class:`Player` owns every session key of one scrubber's playback, all derived from the
scrubber's URL key (``t`` or ``rt``): two players on a page, one per section, never share a
key, and two tabs are two sessions. Playback reruns only the fragment that holds the player
(``st.fragment(run_every=Player(key).interval())``); each frame shows the step of the play
clock, so the markers move on the server's clock, not the browser's. When a playback ends
(the last step, Pause, a preset, Reset or a page switch) the scrubber's value is the step
shown: the scrubber, the reading and the address bar agree.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

PLAY_INTERVAL = 0.35
"""Seconds between frames of a playback (a fragment rerun each)."""


def scrubber(key: str, steps: int, default: int = 0, label: str = "Show step t") -> int:
    """A step slider for a trajectory, from the start (step 0), bound to the URL.

    The default is a fixed step (the start unless given), not "the last step", so that
    it stays put when the number of steps changes (a moving default resets the slider).
    """
    if steps < 1:
        return 0
    # A step beyond a now shorter run (the browser re-sends the old value, a link may carry
    # one) would make st.slider raise: show the run's last step instead.
    if int(st.session_state.get(key, 0)) > steps:
        st.session_state[key] = steps
    return st.slider(
        label,
        0,
        steps,
        min(default, steps),
        1,
        key=key,
        bind="query-params",
        help="Move the marker along the run: every chart of this section follows.",
    )


@dataclass(frozen=True)
class Player:
    """The playback of the scrubber with URL key ``key``, and the session keys it owns."""

    key: str

    @property
    def playing(self) -> str:
        """Session key of the Play toggle."""
        return f"_play_{self.key}"

    @property
    def clock(self) -> str:
        """Session key: (wall-clock start, start step) of the running playback."""
        return f"_clock_{self.key}"

    @property
    def frame(self) -> str:
        """Session key: the last step a playback drew."""
        return f"_frame_{self.key}"

    @property
    def restart(self) -> str:
        """Session key: a full rerun is due, to switch the fragment's timer on or off."""
        return f"_restart_{self.key}"

    @property
    def step_button(self) -> str:
        """Widget key of the Step button."""
        return f"_step_{self.key}"

    def interval(self) -> float | None:
        """``run_every`` for the fragment holding this player: set while it plays."""
        return PLAY_INTERVAL if st.session_state.get(self.playing) else None

    def stop(self) -> None:
        """End the playback where it is (a preset, Reset or page switch ends it)."""
        st.session_state[self.playing] = False
        for key in (self.clock, self.frame, self.restart):
            st.session_state.pop(key, None)

    def _on_play(self, steps: int) -> None:
        if st.session_state.get(self.playing):
            if int(st.session_state.get(self.key, 0)) >= steps:
                st.session_state[self.key] = 0  # play again from the start
            start = int(st.session_state.get(self.key, 0))
            st.session_state[self.clock] = (time.monotonic(), start)
            st.session_state[self.frame] = start
        else:  # paused: the scrubber keeps the step shown
            st.session_state.pop(self.clock, None)
            st.session_state.pop(self.frame, None)
        st.session_state[self.restart] = True

    def _on_step(self, steps: int) -> None:
        st.session_state[self.key] = min(int(st.session_state.get(self.key, 0)) + 1, steps)

    def next_frame(self, steps: int) -> int:
        """The step a playback shows now: the play clock's, and at least one past the last
        frame drawn.

        The clock (start time and start step, set when Play is switched on) keeps the step
        with the wall clock: a late timer rerun catches up instead of losing time. The last
        frame drawn is kept apart from the scrubber's value, because a timer rerun carries
        the browser's value of the scrubber, which can be a frame behind the server's.
        """
        now = time.monotonic()
        started, start = st.session_state.get(self.clock) or (
            now,
            int(st.session_state.get(self.key, 0)),
        )
        last = int(st.session_state.get(self.frame, start))
        by_clock = start + round((now - started) / PLAY_INTERVAL)
        return min(max(last + 1, by_clock), steps)

    def draw(self, steps: int, default: int = 0) -> int:
        """Play / pause, one step forward, and the step scrubber; returns the step shown."""
        if st.session_state.pop(self.restart, False):
            st.rerun()  # a full rerun switches the fragment's timer on or off
        if st.session_state.get(self.playing):
            if int(st.session_state.get(self.frame, 0)) >= steps:
                self.stop()  # the last frame is drawn
                st.session_state[self.key] = steps
                st.rerun()
            st.session_state[self.key] = st.session_state[self.frame] = self.next_frame(steps)
        with st.container(horizontal=True, vertical_alignment="center"):
            st.toggle(
                "Play",
                key=self.playing,
                on_change=self._on_play,
                args=(steps,),
                help="Step through the run automatically; the markers move along every chart.",
            )
            st.button(
                "Step",
                key=self.step_button,
                icon=":material/skip_next:",
                on_click=self._on_step,
                args=(steps,),
                help="One gradient step forward.",
            )
        return scrubber(self.key, steps, default)
