"""A lesson page's header, composed above the shared layer: the room panel (class mode), the
predict gate (``ask=``), presets, Reset, the Share dialog and the "About" intro.

This module sits above both the shared ``ui`` modules and the page-specific callers it
composes (``xent.classroom.ui`` and ``xent.ui.ask``), so none of them imports another upward.
"""

from __future__ import annotations

import streamlit as st

from xent import a11y, language, navigation
from xent.classroom.ui import room_panel
from xent.i18n import tr
from xent.pagestate import PageState
from xent.ui import ask, present
from xent.ui.state import CLAMPED, apply_values, enter_page, share_url


def header(state: PageState, title: str, intro: str):
    """Title, then one compact row: presets, reset, share and the plain-language intro (behind
    "About this page"), so that on a 1280x720 projector the first lesson chart is on screen.
    With ``ask=``: the question alone under the title until the guess, then its reveal under
    the row (``xent.ui.ask``).

    Returns a placeholder for :func:`url_notice`, which the page calls at its end.
    """
    navigation.ensure_entry()
    enter_page(state)
    present.apply(state)  # present=1: the page as a projector figure
    # Class mode: in a room, the room's question comes first and the lesson (whose intro and
    # readings give the answer away) stays hidden until the teacher reveals it.
    if room_panel(state.slug).hide_answers:
        st.stop()
    st.session_state.pop(CLAMPED, None)
    st.title(title)
    a11y.restore_focus()  # after a button that vanished (the guess): where its callback asked
    answered = ask.gate(state)  # predict-then-reveal: ask= hides the lesson until a guess
    notice = st.empty()
    with st.container(horizontal=True, vertical_alignment="center"):
        st.selectbox(
            tr("Presets"),
            list(state.presets),  # the stored value is the preset's English name
            index=None,
            format_func=tr,
            placeholder=tr("Choose a preset…"),
            key="_preset",
            on_change=_on_preset,
            args=(state,),
            width=300,
            label_visibility="collapsed",
            help=tr("Load a named situation; every control on the page moves to it."),
        )
        st.button(
            tr("Reset to defaults"),
            key="_reset",
            icon=":material/restart_alt:",
            on_click=apply_values,
            args=(state, {}),
            help=tr("Put every control back where the page started."),
        )
        if st.button(
            tr("Share this view"),
            key="_share",
            icon=":material/link:",
            help=tr("A link that opens this page with every setting you see now."),
        ):
            share_dialog(state)
        with st.popover(tr("About this page"), icon=":material/info:"):
            st.markdown(intro)
        language.switch()
    ask.reveal(answered)  # the guess against the truth, above the lesson
    return notice


def _on_preset(state: PageState) -> None:
    name = st.session_state.get("_preset")
    if name in state.presets:
        apply_values(state, state.presets[name])
    st.session_state["_preset"] = None


def share_dialog(state: PageState) -> None:
    """The Share dialog, its title in the session's language (``@st.dialog`` would fix the
    title at import: the dialog is made here, when it opens)."""
    st.dialog(tr("Share this view"))(_share_body)(state)


def _share_body(state: PageState) -> None:
    """The link, built when the dialog opens from the page's current values, so it is never
    stale (a section rerun or a playback since the last full run moves it along)."""
    st.markdown(
        tr(
            "This link opens the page with every setting you see now, step scrubbers "
            "included. Copy it with the button at its right:"
        )
    )
    # "Ask a question first": the link gains ask=
    ask.share_option(state, share_url(state))  # draws the link (st.code), then the question
    present.share_part(state, share_url(state))  # "Present this view"
