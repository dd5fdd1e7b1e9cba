"""Drawing: charts (from finished specs), readings, formulas and CSV downloads.

The chart builders in ``xent.charts`` write plain Vega-Lite; :func:`chart` draws a finished
spec (:func:`finished_chart`, built once per process for the same inputs, ``xent.spec_cache``)
with its text alternative and its reading.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import streamlit as st

from xent import a11y, charts, i18n, spec_cache
from xent.i18n import N_, tr
from xent.ui import animation, present
from xent.ui.player import Player

READING = N_("**Reading:**")
"""What starts every reading under a chart: a word a screen reader says as it is (an icon
before the text was announced by its name, "visibility"), and what tests find readings by
(shown as ``tr(READING)``: "**読み取り：**" in Japanese)."""


def reading(text: str) -> None:
    """The reading under a chart: its numbers in words."""
    st.markdown(f"{tr(READING)} {text}")


def chart(figure: charts.Chart | dict, alt_text: str, reading_text: str | None = None) -> None:
    """Draw a chart at container width with its text alternative and its reading.

    ``figure`` is a ``charts.Chart``, or a finished spec from :func:`finished_chart`.
    """
    # Frames go as Arrow bytes through xent.spec_cache's cache: an unchanged frame (the cached
    # curves, runs and grids) is converted once per process, not on every rerun.
    spec = figure if isinstance(figure, dict) else spec_cache.arrow_ready(figure.streamlit_spec())
    spec = present.for_projector(spec)  # present mode: chart text x1.25
    # the data in words (charts.data_summary) follows the text alternative; alt= replaces the
    # spec's description, so it leaves the spec (Streamlit logs a warning when both are set)
    summary = spec.get("description", "")
    spec = {key: value for key, value in spec.items() if key != "description"}
    st.vega_lite_chart(
        spec=spec, width="stretch", alt=text_alternative(alt_text, summary, reading_text)
    )
    if reading_text:
        reading(reading_text)
        a11y.announce(alt_text, reading_text)  # spoken when a move changes it


def text_alternative(alt_text: str, summary: str, reading_text: str | None = None) -> str:
    """A chart's text alternative (its ``aria-label``): what it shows, its data in words and,
    when it has one, its current reading, so that a screen reader on the chart hears the
    reading too. Streamlit has no setting for ``aria-describedby``, which would tie the reading
    under the chart to it; the reading in the chart's own name is the public route."""
    spoken = a11y.spoken_text(f"{tr(READING)} {reading_text}") if reading_text else ""
    return " ".join(part.strip() for part in (alt_text, summary, spoken) if part.strip())


def finished_chart(builder, /, *args, **kwargs) -> dict:
    """``builder(*args, **kwargs)`` as a finished spec for :func:`chart`, built once per process
    for the same inputs: numbers and strings by value, frames and views from the cached
    functions by identity (``xent.spec_cache.SpecCache``). A hit skips the chart's construction
    and its Arrow conversion, e.g.
    ``chart(finished_chart(charts.curves_chart, view, height=290), alt, reading)``.
    """
    return spec_cache.SPECS.finished(builder, *args, **kwargs)


def formula(latex: str, plain: str) -> None:
    """A formula with st.latex and its plain-text version beneath (for screen readers)."""
    st.latex(latex)
    st.caption(tr("In words: {formula_in_words}", formula_in_words=plain))


def formulas(*items: tuple[str, str], widths: Sequence[float] | None = None) -> None:
    """Several formulas side by side (stacked on a phone), each with its plain text."""
    for column, (latex, plain) in zip(st.columns(widths or len(items)), items, strict=True):
        with column:
            formula(latex, plain)


DOWNLOAD_RUN = N_("Download this run (CSV)")


def download(table, name: str, label: str = DOWNLOAD_RUN) -> None:
    """A CSV download of ``table``, written only when the button is clicked (Streamlit calls
    ``data`` then, on its own thread), not on every rerun.

    The label is shown in the session's language (``tr``: a caller's label marked with ``N_``,
    or already translated). The CSV's column headers are machine names (``step``, ``q``,
    ``loss_nats``), the same in both languages so that a file reads the same into any tool; the
    language is taken now, when the button is drawn, and the CSV is written in it on
    Streamlit's thread, where no page run set one."""
    st.download_button(
        tr(label),
        functools.partial(csv_bytes, table, language=i18n.language()),
        file_name=name,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


def csv_bytes(table, language: str = i18n.DEFAULT) -> bytes:
    """``table`` as the CSV the download buttons give: no index, 8 significant digits, in
    ``language`` (the language of the session that drew the button)."""
    with i18n.using(language):
        return table.to_csv(index=False, float_format="%.8g").encode()


def with_playback(spec: dict, key: str) -> dict:
    """A finished step chart with the marker of scrubber ``key``'s running playback moving
    in the browser (:mod:`xent.ui.animation`); the chart itself when nothing plays."""
    return animation.with_playback(spec, Player(key).window())


def played_step_chart(frame, key: str, step: int, **options) -> dict:
    """``charts.step_chart`` of ``frame`` with its marker at step ``step`` of scrubber ``key``,
    from the finished-spec cache, its marker walking in the browser while ``key`` plays."""
    return with_playback(finished_chart(charts.step_chart, frame, marker_step=step, **options), key)
