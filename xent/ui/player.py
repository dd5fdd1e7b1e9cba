"""The step scrubber of a trajectory and its player (play / pause, one step forward).

A :class:`Player` owns every session key of one scrubber's playback, all derived from the
scrubber's URL key (``t`` or ``rt``): two players on a page, one per section, never share a
key, and two tabs are two sessions.

The frames of a playback are drawn by the browser, not the server: Play records the play
clock (wall-clock start, start step) and asks for a full rerun from its callback, so the
click costs one script run (a fragment's timer is switched on or off only by a full rerun,
in which the page decorates the fragment again); the charts then carry a rule that walks
to the last step on the browser's clock (:mod:`xent.ui.animation`), and the fragment holding
the player gets a one-shot timer (``run_every`` = the time left) that reruns it once when
the run ends. Pause takes the step from the play clock. So a playing student
costs the server one rerun per Play, Pause, end of run or scrub, and whenever a playback
stops (the last step, Pause, a scrub, a preset, Reset, a page switch or a new run length)
the scrubber's value is the step reached: the scrubber, the reading and the address bar
agree.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from xent.i18n import N_, tr
from xent.ui import address
from xent.ui.animation import PlayWindow

PLAY_INTERVAL = 0.35
"""Seconds between two steps of a playback."""


def scrubber(
    key: str,
    steps: int,
    default: int = 0,
    label: str = N_("Show step t"),
    on_change=None,
    args: tuple = (),
) -> int:
    """A step slider for a trajectory, from the start (step 0), bound to the URL.

    The default is a fixed step (the start unless given), not "the last step", so that
    it stays put when the number of steps changes (a moving default resets the slider).
    """
    if steps < 1:
        return 0
    start = min(default, steps)
    before = _hold_step(key, steps, start)
    if before is not None and _address_differs(key, st.session_state.get(key), start):
        steps, start = _write_step_first(key, *before)
    address.keep(key, start, address.numbers)
    shown = st.slider(
        tr(label),
        0,
        steps,
        start,
        1,
        key=key,
        bind="query-params",
        on_change=address.moved(key, on_change),
        args=args,
        help=tr("Move the marker along the run: every chart of this section follows."),
    )
    address.resend(key)
    if _pending_key(key) in st.session_state:
        st.rerun()  # the run again, its scrubber at the new length (see _hold_step)
    return shown


def _pending_key(key: str) -> str:
    return f"_scrub_pending_{key}"


def _address_differs(key: str, step: int | None, start: int) -> bool:
    """Whether the address the rerun came with says another step than ``step``."""
    if step is None:
        return False
    return st.query_params.get_all(key) != ([] if step == start else [str(step)])


def _write_step_first(key: str, old_steps: int, old_start: int) -> tuple[int, int]:
    """The step the page set, written into the address by the scrubber at its old length
    (a widget Streamlit knows), and held for the next run: returns that length and start."""
    wanted = int(st.session_state[key])
    st.session_state[_pending_key(key)] = wanted
    st.session_state[f"_scrub_steps_{key}"] = (old_steps, old_start)
    keeps = wanted <= old_steps and wanted != old_start
    st.session_state[key] = wanted if keeps else old_start
    return old_steps, old_start


def _hold_step(key: str, steps: int, start: int) -> tuple[int, int] | None:
    """Keep the scrubber ``key`` within a run of ``steps`` when the run length changes: a
    step beyond the shorter run goes back to ``start``, where the page starts the scrubber.
    Returns the previous run length and start when the length changed, else None.

    ``st.slider``'s identity includes its maximum, so a new run length makes the scrubber a
    new widget (Streamlit 1.67). A new widget takes its value from the address the rerun
    came with, over a step set in code (Reset or a preset after a scrub, a new run length
    during a playback), and Streamlit writes no step set in code for a new widget into the
    address. So when the address says another step, :func:`scrubber` draws the scrubber
    once more at its old length with the step set (Streamlit writes it into the address),
    and reruns: the new widget then finds the step in the address (or none, for the start)
    and takes the step held here. A run that keeps its step needs none of this.
    """
    length_key = f"_scrub_steps_{key}"
    known = st.session_state.get(length_key)
    st.session_state[length_key] = (steps, start)
    pending = st.session_state.pop(_pending_key(key), None)
    if pending is not None:  # the run after _write_step_first: no second one
        st.session_state[key] = min(max(int(pending), 0), steps)
        return None
    if key in st.session_state:
        step = int(st.session_state[key])
        if not 0 <= step <= steps:
            st.session_state[key] = start
        elif known is not None and known[0] != steps:
            st.session_state[key] = step
    return known if known is not None and tuple(known) != (steps, start) else None


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
        """Session key: (wall-clock start, start step, last step) of the running playback."""
        return f"_clock_{self.key}"

    @property
    def step_button(self) -> str:
        """Widget key of the Step button."""
        return f"_step_{self.key}"

    def interval(self) -> float | None:
        """``run_every`` for the fragment holding this player: while it plays, the time
        left to the run's last step (and half a step, so that the rerun lands past it)."""
        if not st.session_state.get(self.playing) or self.clock not in st.session_state:
            return None
        started, start, end = st.session_state[self.clock]
        left = started + (end - start) * PLAY_INTERVAL - time.monotonic()
        return max(left, 0.0) + PLAY_INTERVAL / 2

    def step_now(self, steps: int) -> int:
        """The step the play clock has reached (the run's last step at most)."""
        started, start, _ = st.session_state[self.clock]
        return min(start + int((time.monotonic() - started) / PLAY_INTERVAL), steps)

    def window(self) -> PlayWindow | None:
        """The running playback for :func:`xent.ui.animation.with_playback`, or None."""
        if not st.session_state.get(self.playing) or self.clock not in st.session_state:
            return None
        _, start, end = st.session_state[self.clock]
        return PlayWindow(int(st.session_state.get(self.key, start)), end, PLAY_INTERVAL)

    def stop(self) -> None:
        """End the playback where it is. The fragment's timer goes off with the next full
        rerun: a preset, Reset or page switch is one; inside the section, the player's
        callbacks and :meth:`draw` ask for one."""
        st.session_state[self.playing] = False
        st.session_state.pop(self.clock, None)

    def _stopped(self) -> bool:
        """Stop a running playback; True if one was running."""
        if not st.session_state.get(self.playing):
            return False
        self.stop()
        return True

    def _on_play(self, steps: int) -> None:
        address.touched()
        if st.session_state.get(self.playing):
            if int(st.session_state.get(self.key, 0)) >= steps:
                st.session_state[self.key] = 0  # play again from the start
            start = int(st.session_state.get(self.key, 0))
            st.session_state[self.clock] = (time.monotonic(), start, steps)
        elif self.clock in st.session_state:  # Pause: the step the clock reached
            st.session_state[self.key] = self.step_now(steps)
            st.session_state.pop(self.clock)
        st.rerun()  # from a callback: this click's one rerun is the full app's

    def _on_step(self, steps: int) -> None:
        """One step forward from the step shown: during a playback, the step its marker has
        reached (the playback stops there)."""
        address.touched()
        shown = int(st.session_state.get(self.key, 0))
        playing = bool(st.session_state.get(self.playing)) and self.clock in st.session_state
        if playing:
            shown = self.step_now(steps)
        stopped = self._stopped()
        st.session_state[self.key] = min(shown + 1, steps)
        if stopped:
            st.rerun()

    def _on_scrub(self, steps: int) -> None:
        if self._stopped():  # the student took the marker: stop there
            st.rerun()

    def draw(self, steps: int, default: int = 0) -> int:
        """Play / pause, one step forward, and the step scrubber; returns the step shown."""
        if st.session_state.get(self.playing) and self.clock in st.session_state:
            _, _, end = st.session_state[self.clock]
            if end != steps:  # a new run length: the playback stops where it is
                st.session_state[self.key] = min(self.step_now(end), steps)
                self.stop()
                st.rerun()  # a full rerun switches the fragment's timer off
            elif self.step_now(steps) >= steps:  # the end of the run
                st.session_state[self.key] = steps
                self.stop()
                st.rerun()
            else:  # any rerun while playing shows the step the clock reached
                st.session_state[self.key] = self.step_now(steps)
        self._buttons(steps)
        shown = scrubber(self.key, steps, default, on_change=self._on_scrub, args=(steps,))
        if self.window() is not None:
            st.caption(
                tr(
                    "Playing from step {shown} to step {steps}: the text of this section "
                    "shows step {shown} until the playback stops.",
                    shown=shown,
                    steps=steps,
                )
            )
        return shown

    def _buttons(self, steps: int) -> None:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.toggle(
                tr("Play"),
                key=self.playing,
                on_change=self._on_play,
                args=(steps,),
                help=tr("Step through the run automatically; the markers move along every chart."),
            )
            st.button(
                tr("Step"),
                key=self.step_button,
                icon=":material/skip_next:",
                on_click=self._on_step,
                args=(steps,),
                help=tr("One gradient step forward."),
            )
